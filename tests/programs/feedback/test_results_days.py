"""Level 4 over many completion days: the levels before of every completer and every comparison person, for all
the days at once, are those the engine's consolidation gives one day at a time (``winners(today=day,
known_on=day)``), with evidence changing, expiring and being validated between the days."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from clo.people.models import Employee
from evaluations.gaps import sql
from evaluations.gaps.consolidation import consolidate_employees
from evaluations.models import Assessment, Evidence, Gap, Rating
from programs.models import Enrolment, ProgramCompetency
from programs.selectors.results import program_results
from tests import factories as f
from tests.programs.feedback.conftest import ended_session

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
TODAY = dt.date(2026, 11, 28)
D = dt.date


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=MADRID)


def rating(employee, competency, level: int, role: str, submitted: dt.date, *, validated: dt.date | None = None,
           original: int | None = None) -> None:
    assessment = Assessment.objects.create(
        employee=employee, assessor=employee if role == "self" else employee.manager, role=role,
        submitted_at=noon(submitted),
        status=Assessment.Status.VALIDATED if validated else Assessment.Status.SUBMITTED,
        validated_at=noon(validated) if validated else None,
    )
    Rating.objects.create(assessment=assessment, competency=competency, level=level, original_level=original,
                          adjustment_reason="Seen at work." if original is not None else "")


def complete(session, employee, day: dt.date) -> None:
    Enrolment.objects.create(session=session, employee=employee, status=Enrolment.Status.COMPLETED, completed_on=day)


@pytest.fixture
def program(org):
    """P requires C1 (manager over self, 36 months) at 3 and C2 (average of self and manager, valid 3 months) at 3;
    Q requires C1 at 2. The program targets both.

    Completers: A (P) on 3 Feb and again on 21 Apr (the first counts), B and C (P) on 11 Mar, D (P) on 21 Apr,
    E (Q) on 2 Jun; F (P) completes after today (left out). Comparison: X1, X2, X3 (P) for the first three days,
    Y1 (Q) for the last. Left out: X5 (P) attended, X6 (P) inactive.
    """
    c1 = f.CompetencyFactory(code="C1")
    average = f.FrameworkFactory(consolidation_rule="average_self_manager", evidence_validity_months=3)
    c2 = f.CompetencyFactory(code="C2", area=f.AreaFactory(framework=average), framework=average)
    p, q = f.PositionFactory(code="P"), f.PositionFactory(code="Q")
    f.RequirementFactory(position=p, competency=c1, required_level=3)
    f.RequirementFactory(position=p, competency=c2, required_level=3)
    f.RequirementFactory(position=q, competency=c1, required_level=2)
    program = f.ProgramFactory(code="P-DAYS")
    f.ProgramCompetencyFactory(program=program, competency=c1, level_reached=3)
    f.ProgramCompetencyFactory(program=program, competency=c2, level_reached=2)
    session, later = ended_session(program, days_ago=300), ended_session(program, days_ago=220)
    other = f.ProgramFactory(code="P-OTHER")
    f.ProgramCompetencyFactory(program=other, competency=c1, level_reached=2)
    other_session = ended_session(other, days_ago=250)

    manager = f.EmployeeFactory(unit=org.unit_a)
    a, b, c, d, x1, x2, x3, x5, x6, f_ = (f.EmployeeFactory(unit=org.unit_a1, position=p, manager=manager)
                                          for _ in range(10))
    e, y1 = (f.EmployeeFactory(unit=org.unit_a1, position=q, manager=manager) for _ in range(2))
    x6.active = False
    x6.save(update_fields=["active"])

    complete(session, a, D(2026, 2, 3))
    complete(later, a, D(2026, 4, 21))
    complete(session, b, D(2026, 3, 11))
    complete(session, c, D(2026, 3, 11))
    complete(session, d, D(2026, 4, 21))
    complete(session, e, D(2026, 6, 2))
    complete(session, f_, D(2026, 12, 5))
    Enrolment.objects.create(session=session, employee=x5, status=Enrolment.Status.ATTENDED)

    rating(a, c1, 1, "manager", D(2026, 1, 10), validated=D(2026, 1, 10))
    rating(b, c1, 2, "self", D(2026, 3, 1))
    rating(b, c1, 3, "manager", D(2026, 3, 20))  # after B's day
    rating(c, c1, 2, "self", D(2026, 3, 10))  # on C's day: counts
    rating(d, c1, 2, "manager", D(2026, 4, 20), validated=D(2026, 4, 20))  # on D's day: counts
    rating(x1, c1, 1, "manager", D(2026, 1, 5), validated=D(2026, 1, 5))
    rating(x1, c1, 2, "manager", D(2026, 3, 1), validated=D(2026, 3, 1))
    complete(other_session, x1, D(2026, 4, 25))
    rating(x1, c1, 3, "manager", D(2026, 5, 1), validated=D(2026, 5, 1))
    rating(x2, c1, 1, "self", D(2026, 2, 20), validated=D(2026, 4, 1), original=2)  # adjusted on validation
    Evidence.objects.create(employee=x3, competency=c1, level=2, source="import", evidenced_on=D(2026, 3, 1),
                            expires_on=D(2028, 1, 1))
    rating(y1, c1, 1, "manager", D(2026, 5, 30), validated=D(2026, 5, 30))
    rating(x1, c2, 3, "self", D(2026, 1, 10))  # expires 10 April
    rating(x1, c2, 1, "manager", D(2026, 3, 5))  # with the self-rating: 2 until 10 April, then 1 alone
    rating(b, c2, 2, "self", D(2026, 2, 1))
    rating(b, c2, 3, "manager", D(2026, 3, 10))
    rating(a, c2, 4, "self", D(2025, 12, 1))  # expired by 1 March, counts on A's day
    consolidate_employees(tuple(person.pk for person in (a, b, c, d, e, f_, x1, x2, x3, x5, x6, y1)), today=TODAY)
    return program


def one_day_at_a_time(program, today: dt.date) -> dict:
    """The figures computed for each completion day on its own: that day's completers and the active holders of
    their positions who never attended, with their levels from the engine's consolidation on that day. Returns
    {(completer, competency_id): [people, pairs, before_sum, now_sum]} and {completer: people}."""
    firsts: dict[int, dt.date] = {}
    for employee_id, day in Enrolment.objects.filter(
        session__program=program, status=Enrolment.Status.COMPLETED, completed_on__lte=today, employee__active=True
    ).values_list("employee_id", "completed_on"):
        firsts[employee_id] = min(day, firsts.get(employee_id, day))
    by_day: dict[dt.date, set[int]] = defaultdict(set)
    for employee_id, first in firsts.items():
        by_day[first - dt.timedelta(days=1)].add(employee_id)
    attended = set(Enrolment.objects.filter(
        session__program=program, status__in=(Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED)
    ).values_list("employee_id", flat=True))
    targeted = set(ProgramCompetency.objects.filter(program=program).values_list("competency_id", flat=True))
    now = {(g.employee_id, g.competency_id): (g.required_level, g.gap)
           for g in Gap.objects.filter(competency_id__in=targeted)}
    figures: dict = defaultdict(lambda: [set(), 0, 0, 0])
    everyone: dict = defaultdict(set)
    for day, completers in by_day.items():
        positions = Employee.objects.filter(pk__in=completers).values("position_id")
        comparison = set(Employee.objects.filter(active=True, position_id__in=positions)
                         .exclude(pk__in=attended).values_list("pk", flat=True))
        query, params = sql.winners(sql.Dialect(connection), sql.Scope(employees=tuple(completers | comparison)),
                                    day, known_on=day)
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            levels = {(row[0], row[1]): row[2] for row in cursor.fetchall()}
        for completer, people in ((1, completers), (0, comparison)):
            for (employee_id, competency_id), (required, gap) in now.items():
                if employee_id in people:
                    row = figures[(completer, competency_id)]
                    row[0].add(employee_id)
                    row[1] += 1
                    row[2] += max(required - levels.get((employee_id, competency_id), 0), 0)
                    row[3] += gap
                    everyone[completer].add(employee_id)
    return ({key: [len(people), *sums] for key, (people, *sums) in figures.items()},
            {completer: len(people) for completer, people in everyone.items()})


def test_every_day_at_once_gives_the_figures_of_each_day_on_its_own(program):
    results = program_results(program.pk, today=TODAY)
    expected, people = one_day_at_a_time(program, TODAY)

    assert results.completion_dates == 4
    got = {}
    for row in results.rows:
        for completer, group in ((1, row.completers), (0, row.comparison)):
            got[(completer, row.competency.pk)] = [group.people, group.pairs, group.before_sum, group.now_sum]
    assert got == expected
    assert (results.overall.completers.people, results.overall.comparison.people) == (people[1], people[0])
    c1, c2 = (row.competency.pk for row in results.rows)
    # Hand count of the pairs: X1, X2, X3 for the three days of P's completers, Y1 for E's day (Q requires C1 only).
    assert (got[(0, c1)][:2], got[(0, c2)][:2]) == ([4, 10], [3, 9])
    assert (got[(1, c1)][:2], got[(1, c2)][:2]) == ([5, 5], [4, 4])
    # Gaps before, by hand, each person on their day. Completers in C1: A 2, B 1 (the manager's 3 came later),
    # C 1 and D 1 (rated on the day itself), E 2 (Q, nothing yet).
    assert got[(1, c1)][2] == 2 + 1 + 1 + 1 + 2
    # Comparison in C1 on 2 Feb, 10 Mar, 20 Apr: X1 2, 1, 1 (the training came after); X2 3 (not yet rated), 1 (own
    # level, submitted), 2 (the validation adjusted it); X3 3, 1, 1 (imported on 1 March); Y1 on 1 Jun: 1.
    assert got[(0, c1)][2] == (2 + 1 + 1) + (3 + 1 + 2) + (3 + 1 + 1) + 1
    # In C2 (average, 3 months): X1 0 (self alone), 1 (average of 3 and 1), 2 (the self-rating expired); X2, X3 3.
    assert got[(0, c2)][2] == (0 + 1 + 2) + 3 * 3 * 2
