"""Reads of the horizontal career: the rules, a person's progress to their next grade, and the people eligible now or
within some months, all from the stored eligibility (``CareerEligibility``) the re-evaluation job writes. Each
function runs a fixed number of queries whatever the size of the organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from clo.careers.models import CareerEligibility, CareerEvaluationJob, CareerRule, PersonGrade
from clo.people import roles
from clo.people.models import Employee

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

DEFAULT_MONTHS = 6
MAX_MONTHS = 60


def can_manage_rules(scope: roles.Scope) -> bool:
    """The rules are HR's and the learning office's."""
    return scope.everything


def can_see_eligibility(scope: roles.Scope) -> bool:
    """HR and the learning office see everyone; a director their subtree."""
    return scope.everything or scope.has(roles.DIRECTOR)


def rules() -> list[CareerRule]:
    return list(CareerRule.objects.order_by("group", "grade"))


def rule_or_404(rule_id: int) -> CareerRule:
    rule = CareerRule.objects.filter(pk=rule_id).first()
    if rule is None:
        raise Http404
    return rule


def latest_job() -> CareerEvaluationJob | None:
    return CareerEvaluationJob.objects.order_by("-created_at", "-pk").first()


def job_or_404(job_id: int) -> CareerEvaluationJob:
    job = CareerEvaluationJob.objects.filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def person_in_scope(user: User | AnonymousUser, employee_id: int) -> Employee:
    """An active person the user may see (themselves, their subtree's people, everyone for HR), else 404."""
    employee = (Employee.objects.visible_to(user).filter(pk=employee_id, active=True)
                .select_related("unit", "position").first())
    if employee is None:
        raise Http404
    return employee


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


@dataclass
class Progress:
    """A person's way to their next grade, from the stored evaluation (None fields: no rule covers them)."""

    grade: int
    since: dt.date
    row: CareerEligibility | None

    @property
    def rule(self) -> CareerRule | None:
        return self.row.rule if self.row else None

    @property
    def next_grade(self) -> int | None:
        return self.row.rule.grade if self.row else None

    @property
    def training_percent(self) -> int:
        if self.row is None or not self.row.rule.amount:
            return 100
        return min(100, int(100 * self.row.training / self.row.rule.amount))

    @property
    def training_missing(self) -> Decimal:
        if self.row is None:
            return Decimal("0")
        return max(Decimal("0"), self.row.rule.amount - self.row.training)

    def eligible_on(self, today: dt.date) -> bool:
        return is_eligible(self.row, today)


def is_eligible(row: CareerEligibility | None, today: dt.date) -> bool:
    """The one definition: training met, evaluation favourable when the rule asks for one, minimum years reached."""
    return bool(row and row.meets_training and row.evaluated is not False and row.years_met_on <= today)


def progress_of(employee: Employee) -> Progress:
    """Two queries."""
    grade = PersonGrade.objects.filter(employee_id=employee.pk).first()
    row = CareerEligibility.objects.select_related("rule").filter(employee_id=employee.pk).first()
    return Progress(grade=grade.grade if grade else 0, since=grade.since if grade else employee.hire_date, row=row)


def eligible_people(user: User | AnonymousUser, *, today: dt.date, months: int = 0, group: str = "") -> QuerySet:
    """The people the user may see who are eligible for their next grade now or will be within ``months`` (their
    training and evaluation met, the minimum years reached by then), soonest first, with the evidence."""
    rows = (
        CareerEligibility.objects.filter(meets_training=True, years_met_on__lte=add_months(today, months),
                                         employee__in=Employee.objects.visible_to(user).filter(active=True))
        .filter(Q(evaluated__isnull=True) | Q(evaluated=True))
        .select_related("employee__unit", "employee__position", "rule")
        .order_by("years_met_on", "employee__last_name", "employee__first_name", "pk")
    )
    return rows.filter(rule__group=group) if group else rows
