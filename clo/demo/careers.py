"""The demo's horizontal career: the rules of a council's regulation for every group (grade 1 for all, grade 2 for
A1, A2, C1 and C2), about one career employee in five already in grade 1, and the eligibility of everyone evaluated
once, so "My career" and the eligibility list show something on a fresh demo. Set-based whatever the size."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import F, IntegerField, Value
from django.db.models.functions import Mod

from clo.careers.models import CareerRule, PersonGrade
from clo.careers.services.grades import IN_CAREER, AddYears, career_evaluate_all, insert_select
from clo.demo.world import World
from clo.people.models import Employee

# (group, grade, measure, amount, period in years, minimum years, favourable evaluation)
RULES = (
    ("A1", 1, CareerRule.Measure.CREDITS, Decimal("8"), 5, 5, True),
    ("A1", 2, CareerRule.Measure.CREDITS, Decimal("10"), 5, 6, True),
    ("A2", 1, CareerRule.Measure.CREDITS, Decimal("6"), 5, 5, True),
    ("A2", 2, CareerRule.Measure.CREDITS, Decimal("8"), 5, 6, True),
    ("B", 1, CareerRule.Measure.HOURS, Decimal("50"), 5, 5, False),
    ("C1", 1, CareerRule.Measure.HOURS, Decimal("40"), 5, 5, False),
    ("C1", 2, CareerRule.Measure.HOURS, Decimal("60"), 5, 6, False),
    ("C2", 1, CareerRule.Measure.HOURS, Decimal("30"), 5, 5, False),
    ("C2", 2, CareerRule.Measure.HOURS, Decimal("45"), 5, 6, False),
    ("AP", 1, CareerRule.Measure.HOURS, Decimal("20"), 5, 5, False),
)


def build_careers(w: World) -> int:
    """The rules, some grades, and one evaluation of everyone; returns the people evaluated."""
    for group, grade, measure, amount, period, minimum, evaluation in RULES:
        CareerRule.objects.update_or_create(group=group, grade=grade, defaults={
            "measure": measure, "amount": amount, "period_years": period, "min_years": minimum,
            "needs_evaluation": evaluation})
    seasoned = (
        Employee.objects.filter(active=True, employment_type__in=IN_CAREER, career_grade__isnull=True,
                                hire_date__lte=w.today.replace(year=w.today.year - 8, day=min(w.today.day, 28)))
        .annotate(bucket=Mod(F("pk") + Value(w.seed), Value(5))).filter(bucket=0).order_by()
        .values(c_employee=F("pk"), c_grade=Value(1, output_field=IntegerField()),
                c_since=AddYears(F("hire_date"), Value(5)))
    )
    insert_select(PersonGrade, ("employee_id", "grade", "since"), seasoned)
    return career_evaluate_all(today=w.today)



