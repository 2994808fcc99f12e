"""Level 4 (results): the change in the targeted competencies' gaps of a program's completers, before (the day
before completion, from the evidence of that day) and now, against the holders of the same positions who never
attended it — on a constructed case whose answer is worked out by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.urls import reverse

from evaluations.gaps.consolidation import consolidate_employees
from evaluations.models import Assessment, CurrentLevel, Evidence, Rating
from programs.models import Enrolment
from programs.selectors.results import program_results
from tests import factories as f
from tests.programs.feedback.conftest import ended_session

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
TODAY = dt.date(2026, 11, 28)


def noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(12), tzinfo=MADRID)


def manager_rating(employee, manager, competency, level: int, day: dt.date, *, validated: dt.date | None = None):
    assessment = Assessment.objects.create(
        employee=employee, assessor=manager, role=Assessment.Role.MANAGER,
        status=Assessment.Status.VALIDATED if validated else Assessment.Status.SUBMITTED,
        submitted_at=noon(day), validated_at=noon(validated) if validated else None,
    )
    Rating.objects.create(assessment=assessment, competency=competency, level=level)


def imported(employee, competency, level: int, day: dt.date):
    Evidence.objects.create(employee=employee, competency=competency, level=level, source="import", evidenced_on=day)


def completed(session, employee, day: dt.date):
    return Enrolment.objects.create(session=session, employee=employee, status=Enrolment.Status.COMPLETED,
                                    completed_on=day)


@pytest.fixture
def case(org):
    """Position P requires C1 (targeted by the program, level 3 reached) at 3 and C2 (not targeted) at 2.

    Completers (first completion):  E1 on 2 March: manager rating C1=1 (10 Jan)        before gap 2, now 0 (training 3)
                                    E2 on 15 April: manager rating C1=1 (5 Jan), later manager rating C1=2 (validated
                                    1 June, after the training: the newest wins)       before gap 2, now 1
    Comparison (P, never attended): E3: manager rating C1=1 (1 Dec 2025), then C1=2 (1 May)
                                        as of 1 March: gap 2; as of 14 April: gap 2;  now 1  (counted for both dates)
                                    E4: imported C1=1 (1 June 2025), nothing else      gap 2 for both dates; now 2
    Left out: E5 (P) attended without completing; E6 completed but holds another position requiring C1: a completer.
    E6 (position Q requires C1 at 2): rated 2 before completing on 2 March: gap 0 before and now.
    """
    manager = f.EmployeeFactory(unit=org.unit_a)
    c1, c2 = f.CompetencyFactory(code="C1"), f.CompetencyFactory(code="C2")
    p, q = f.PositionFactory(code="P"), f.PositionFactory(code="Q")
    f.RequirementFactory(position=p, competency=c1, required_level=3)
    f.RequirementFactory(position=p, competency=c2, required_level=2)
    f.RequirementFactory(position=q, competency=c1, required_level=2)
    program = f.ProgramFactory(code="P-L4", title="Writing for the public")
    f.ProgramCompetencyFactory(program=program, competency=c1, level_reached=3)
    session = ended_session(program, days_ago=300)
    e1, e2, e3, e4, e5 = (f.EmployeeFactory(unit=org.unit_a1, position=p, manager=manager) for _ in range(5))
    e6 = f.EmployeeFactory(unit=org.unit_a1, position=q, manager=manager)
    manager_rating(e1, manager, c1, 1, dt.date(2026, 1, 10), validated=dt.date(2026, 1, 12))
    manager_rating(e1, manager, c2, 0, dt.date(2026, 1, 10), validated=dt.date(2026, 1, 12))
    completed(session, e1, dt.date(2026, 3, 2))
    manager_rating(e2, manager, c1, 1, dt.date(2026, 1, 5), validated=dt.date(2026, 1, 5))
    completed(session, e2, dt.date(2026, 4, 15))
    manager_rating(e2, manager, c1, 2, dt.date(2026, 5, 20), validated=dt.date(2026, 6, 1))
    manager_rating(e3, manager, c1, 1, dt.date(2025, 12, 1), validated=dt.date(2025, 12, 1))
    imported(e4, c1, 1, dt.date(2025, 6, 1))
    manager_rating(e3, manager, c1, 2, dt.date(2026, 5, 1), validated=dt.date(2026, 5, 1))
    Enrolment.objects.create(session=session, employee=e5, status=Enrolment.Status.ATTENDED)
    # E6 (position Q requires C1 at 2): rated 2 before, completed on 2 March (level 3): before gap 0, now 0.
    manager_rating(e6, manager, c1, 2, dt.date(2026, 2, 1), validated=dt.date(2026, 2, 2))
    completed(session, e6, dt.date(2026, 3, 2))
    consolidate_employees(tuple(e.pk for e in (e1, e2, e3, e4, e5, e6)), today=TODAY)
    return {"program": program, "c1": c1, "people": (e1, e2, e3, e4, e5, e6)}


def test_level_4_on_a_constructed_case(case):
    results = program_results(case["program"].pk, today=TODAY)
    assert results.targeted == 1 and results.completion_dates == 2
    [row] = results.rows
    assert row.competency == case["c1"]
    # completers E1, E2 (position P) and E6 (position Q): gaps before 2, 2, 0; now 0, 1, 0
    assert (row.completers.people, row.completers.pairs) == (3, 3)
    assert (row.completers.before_sum, row.completers.now_sum) == (4, 1)
    assert row.completers.before == Decimal("1.33") and row.completers.now == Decimal("0.33")
    assert row.completers.change == Decimal("-1.00")
    # comparison: E3 and E4 for each of the two completion dates of position-P completers (E6's position Q has no
    # other holder): before 2 + 2 + 2 + 2, now 1 + 2 + 1 + 2
    assert (row.comparison.people, row.comparison.pairs) == (2, 4)
    assert (row.comparison.before_sum, row.comparison.now_sum) == (8, 6)
    assert (row.comparison.before, row.comparison.now) == (Decimal("2.00"), Decimal("1.50"))
    assert row.comparison.change == Decimal("-0.50")
    assert row.difference == Decimal("-0.50")
    assert results.overall.completers.people == 3 and results.overall.difference == Decimal("-0.50")


def test_before_ignores_evidence_dated_after_the_day(case):
    """Read as of "today", the evidence of E1 and E2 would already show the training and the later rating."""
    e1, e2 = case["people"][:2]
    now_levels = dict(CurrentLevel.objects.filter(competency=case["c1"], employee__in=(e1, e2))
                      .values_list("employee_id", "level"))
    assert now_levels == {e1.pk: 3, e2.pk: 2}
    row = program_results(case["program"].pk, today=TODAY).rows[0]
    assert row.completers.before_sum == 4  # 2 (E1 at 1) + 2 (E2 at 1) + 0 (E6 at 2), not 0 + 1 + 0


def test_the_work_tables_are_gone_afterwards(case):
    program_results(case["program"].pk, today=TODAY)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM programs_enrolment")
        assert cursor.fetchone()[0] == 4  # the real table, not a leftover shadow


def test_a_program_nobody_completed_has_no_figures(org):
    program = f.ProgramFactory()
    f.ProgramCompetencyFactory(program=program)
    results = program_results(program.pk, today=TODAY)
    assert results.completion_dates == 0 and results.rows[0].completers.pairs == 0
    assert results.rows[0].difference is None


def test_the_program_page_shows_level_4(clo_client, case):
    page = clo_client.get(reverse("programs:program_evaluation", args=[case["program"].pk])).content.decode()
    assert "Level 4" in page
    assert "1.33" in page and "0.33" in page and "-0.50" in page
