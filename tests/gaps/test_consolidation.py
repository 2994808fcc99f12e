"""The consolidation rules, one at a time: which evidence sets an employee's current level, and when it stops."""

from __future__ import annotations

import datetime as dt

import pytest

from evaluations.gaps import services
from evaluations.models import CurrentLevel, Gap
from tests.gaps.conftest import TODAY, at

pytestmark = pytest.mark.django_db


def level_of(employee, competency):
    return CurrentLevel.objects.filter(employee=employee, competency=competency).values_list(
        "level", "source").first()


def run(today=TODAY):
    return services.gaps_full_run(full_consolidation=True, today=today)


@pytest.fixture
def one(build):
    """One framework (manager over self, 36 months), one competency required at 3, one employee."""
    framework = build.framework()
    competency = build.competency(framework)
    unit = build.unit()
    position = build.position()
    build.requirement(position, competency, 3)
    employee = build.employee(unit, position)
    return framework, competency, employee


def test_never_assessed_and_assessed_at_zero_are_told_apart(build, one):
    framework, competency, never = one
    at_zero = build.employee(never.unit, never.position)
    build.assessment(at_zero, {competency: 0}, role="manager", status="validated")

    run()

    gaps = {g.employee_id: g for g in Gap.objects.all()}
    assert (gaps[never.pk].current_level, gaps[never.pk].not_assessed, gaps[never.pk].gap) == (0, True, 3)
    assert (gaps[at_zero.pk].current_level, gaps[at_zero.pk].not_assessed, gaps[at_zero.pk].gap) == (0, False, 3)
    assert level_of(never, competency) is None
    assert level_of(at_zero, competency) == (0, "manager")


def test_a_validated_manager_rating_outranks_a_newer_self_rating(build, one):
    _, competency, employee = one
    build.assessment(employee, {competency: 2}, role="manager", status="validated",
                     submitted=at(TODAY - dt.timedelta(days=200)))
    build.assessment(employee, {competency: 4}, role="self", status="submitted",
                     submitted=at(TODAY - dt.timedelta(days=10)))
    run()
    assert level_of(employee, competency) == (2, "manager")


@pytest.mark.parametrize(("rule", "expected"), [
    ("manager_over_self", (2, "manager")), ("manager_only", (2, "manager")), ("average_self_manager", (3, "average")),
])
def test_a_managers_validation_of_a_self_assessment_is_the_managers_rating(build, rule, expected):
    """The employee said 4; their manager validated the self-assessment adjusting it to 2. For every rule the
    manager's level is a validated manager rating; the employee's own 4 stays a self-rating (averaged: 3)."""
    from evaluations.models import Rating

    framework = build.framework(rule=rule)
    competency = build.competency(framework)
    position = build.position()
    build.requirement(position, competency, 3)
    employee = build.employee(build.unit(), position)
    assessment = build.assessment(employee, {competency: 4}, role="self", status="validated",
                                  submitted=at(TODAY - dt.timedelta(days=20)))
    Rating.objects.filter(assessment=assessment).update(level=2, original_level=4, adjustment_reason="Not yet")
    run()
    assert level_of(employee, competency) == expected


def test_a_newer_rating_outranks_an_older_one_of_the_same_source(build, one):
    _, competency, employee = one
    build.assessment(employee, {competency: 1}, role="self", submitted=at(TODAY - dt.timedelta(days=300)))
    build.assessment(employee, {competency: 3}, role="self", submitted=at(TODAY - dt.timedelta(days=20)))
    run()
    assert level_of(employee, competency) == (3, "self")


def test_drafts_and_peer_ratings_never_count(build, one):
    _, competency, employee = one
    build.assessment(employee, {competency: 4}, role="self", status="draft")
    build.assessment(employee, {competency: 4}, role="peer", status="validated")
    run()
    assert level_of(employee, competency) is None


def test_expired_evidence_no_longer_counts(build, one):
    framework, competency, employee = one
    # 36 months of validity: given on 15 June 2023, it counts until 14 June 2026 and not on the 15th.
    build.assessment(employee, {competency: 3}, role="manager", status="validated",
                     submitted=at(dt.date(2023, 6, 10)), validated=at(dt.date(2023, 6, 15)))
    run(TODAY - dt.timedelta(days=1))
    assert CurrentLevel.objects.get(employee=employee).expires_on == dt.date(2026, 6, 15)
    assert level_of(employee, competency) == (3, "manager")

    run(TODAY)  # the nightly run (no full consolidation) re-consolidates what expired
    assert level_of(employee, competency) is None
    gap = Gap.objects.get(employee=employee)
    assert (gap.not_assessed, gap.gap) == (True, 3)


def test_when_the_winner_expires_the_next_valid_evidence_takes_over(build, one):
    _, competency, employee = one
    build.assessment(employee, {competency: 1}, role="self", submitted=at(TODAY - dt.timedelta(days=100)))
    build.assessment(employee, {competency: 3}, role="manager", status="validated",
                     submitted=at(dt.date(2023, 6, 1)), validated=at(dt.date(2023, 6, 20)))
    run(TODAY)
    assert level_of(employee, competency) == (3, "manager")
    services.gaps_full_run(today=dt.date(2026, 6, 20))  # nightly: the manager rating expired that day
    assert level_of(employee, competency) == (1, "self")


def test_expiry_keeps_to_the_calendar_month_end(build):
    framework = build.framework(validity=1)
    competency = build.competency(framework)
    unit, position = build.unit(), build.position()
    employee = build.employee(unit, position)
    build.assessment(employee, {competency: 2}, role="self", submitted=at(dt.date(2026, 1, 31)))
    run(dt.date(2026, 2, 1))
    # 31 January + 1 month = 28 February (2026 is not a leap year), on PostgreSQL and SQLite alike.
    assert CurrentLevel.objects.get(employee=employee).expires_on == dt.date(2026, 2, 28)


def test_the_evidence_date_is_the_local_day(build, one):
    _, competency, employee = one
    # 00:30 in Madrid on 1 March 2026 is still 28 February in UTC: the local day counts.
    build.assessment(employee, {competency: 2}, role="self", submitted=at(dt.date(2026, 3, 1), 0, 30))
    run()
    assert CurrentLevel.objects.get(employee=employee).assessed_on == dt.date(2026, 3, 1)


def test_completed_training_certifies_its_level_and_outranks_older_ratings(build, one):
    _, competency, employee = one
    build.assessment(employee, {competency: 1}, role="manager", status="validated",
                     submitted=at(TODAY - dt.timedelta(days=400)))
    build.training(employee, {competency: 3}, completed_on=TODAY - dt.timedelta(days=30))
    build.training(employee, {competency: 4}, status="approved")  # not completed: no evidence
    run()
    assert level_of(employee, competency) == (3, "training")
    # A newer validated manager rating outranks the training in turn.
    build.assessment(employee, {competency: 2}, role="manager", status="validated",
                     submitted=at(TODAY - dt.timedelta(days=5)))
    run()
    assert level_of(employee, competency) == (2, "manager")


def test_manager_only_ignores_self_ratings(build):
    framework = build.framework(rule="manager_only")
    competency = build.competency(framework)
    unit, position = build.unit(), build.position()
    alone, both = build.employee(unit, position), build.employee(unit, position)
    build.assessment(alone, {competency: 4}, role="self")
    build.assessment(both, {competency: 4}, role="self", submitted=at(TODAY - dt.timedelta(days=5)))
    build.assessment(both, {competency: 1}, role="manager", submitted=at(TODAY - dt.timedelta(days=300)))
    run()
    assert level_of(alone, competency) is None
    assert level_of(both, competency) == (1, "manager")


def test_average_of_self_and_manager_rounds_down_and_expires_with_the_older(build):
    framework = build.framework(rule="average_self_manager", validity=12)
    competency = build.competency(framework)
    unit, position = build.unit(), build.position()
    employee, only_self = build.employee(unit, position), build.employee(unit, position)
    build.assessment(employee, {competency: 4}, role="self", submitted=at(dt.date(2026, 1, 10)))
    build.assessment(employee, {competency: 1}, role="manager", submitted=at(dt.date(2025, 9, 1)))
    build.assessment(only_self, {competency: 3}, role="self", submitted=at(dt.date(2026, 2, 1)))
    run()
    level = CurrentLevel.objects.get(employee=employee)
    assert (level.level, level.source, level.assessed_on, level.expires_on) == (
        2, "average", dt.date(2026, 1, 10), dt.date(2026, 9, 1))
    assert level_of(only_self, competency) == (3, "self")


def test_imported_level_counts_until_newer_evidence_replaces_it(build, one):
    _, competency, employee = one
    build.imported(employee, competency, 2, assessed_on=dt.date(2025, 6, 1), expires_on=dt.date(2027, 6, 1))
    run()
    assert level_of(employee, competency) == (2, "import")
    build.assessment(employee, {competency: 4}, role="manager", status="validated")
    run()
    assert level_of(employee, competency) == (4, "manager")


def test_an_outranked_imported_level_comes_back_when_what_outranked_it_expires(build, one):
    framework, competency, employee = one
    framework.evidence_validity_months = 6
    framework.save(update_fields=["evidence_validity_months"])
    build.imported(employee, competency, 2, assessed_on=dt.date(2025, 6, 1), expires_on=dt.date(2028, 6, 1))
    build.assessment(employee, {competency: 4}, role="manager", status="validated",
                     submitted=at(dt.date(2026, 1, 10)), validated=at(dt.date(2026, 1, 12)))
    run()
    assert level_of(employee, competency) == (4, "manager")
    # The rating expires on 12 July; the import is valid until 2028: the person is still assessed, at 2.
    services.gaps_full_run(today=dt.date(2026, 7, 12))  # the nightly run re-consolidates what expired
    level = CurrentLevel.objects.get(employee=employee)
    assert (level.level, level.source, level.assessed_on, level.expires_on) == (
        2, "import", dt.date(2025, 6, 1), dt.date(2028, 6, 1))
    gap = Gap.objects.get(employee=employee)
    assert (gap.current_level, gap.not_assessed, gap.gap) == (2, False, 1)
    assert run(dt.date(2026, 7, 12)).levels_changed == 0  # the weekly run from all the evidence agrees


def test_consolidation_is_idempotent(build, one):
    _, competency, employee = one
    build.assessment(employee, {competency: 2}, role="self")
    first = run()
    second = run()
    assert first.levels_changed == 1 and second.levels_changed == 0
    assert second.rollups_changed == 0


def test_looking_back_only_the_evidence_known_by_then_counts(build, one):
    """``winners(known_on=day)``: the level as it stood on that day (training results look back with it)."""
    from django.db import connection

    from evaluations.gaps import sql

    _, competency, employee = one
    build.assessment(employee, {competency: 2}, role="manager", status="validated",
                     submitted=at(TODAY - dt.timedelta(days=200)))
    build.assessment(employee, {competency: 4}, role="manager", status="validated",
                     submitted=at(TODAY - dt.timedelta(days=20)))
    build.training(employee, {competency: 3}, completed_on=TODAY - dt.timedelta(days=5))

    def level(known_on):
        query, params = sql.winners(sql.Dialect(connection), sql.Scope(employees=(employee.pk,)), known_on,
                                    known_on=known_on)
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return [(row[2], row[3]) for row in cursor.fetchall()]

    assert level(TODAY - dt.timedelta(days=100)) == [(2, "manager")]
    assert level(TODAY - dt.timedelta(days=10)) == [(4, "manager")]
    assert level(TODAY) == [(3, "training")]  # the newest of equal rank
    assert level(TODAY - dt.timedelta(days=300)) == []
