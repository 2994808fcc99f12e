"""Generating learning plans from the gap engine's results: which programs are suggested, in which order, and what
regenerating does to the items people have touched."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation

from evaluations.models import CurrentLevel
from programs.models import LearningPlan, LearningPlanItem
from programs.services import learning_plans as services
from programs.services.learning_plans import Candidate, rank_candidates
from tests import factories as f

pytestmark = pytest.mark.django_db


def _period():
    today = timezone.localdate()
    return today - dt.timedelta(days=10), today + dt.timedelta(days=300)


def _generate(*employees):
    start, end = _period()
    services.learning_plans_generate(employee_ids=[e.pk for e in employees], period_start=start, period_end=end)
    return LearningPlan.objects.get(employee=employees[0], period_start=start)


def _active(plan):
    return list(plan.items.exclude(status="retired").order_by("-critical", "due_date", "pk"))


def test_ranking_closes_the_gap_then_soonest_seat_then_shortest_then_cheapest():
    day = dt.date(2026, 3, 1)
    closes_late = Candidate(1, 3, day + dt.timedelta(days=30), 10, 100)
    closes_soon_long = Candidate(2, 3, day, 40, 100)
    closes_soon_short_dear = Candidate(3, 3, day, 10, 900)
    closes_soon_short_cheap = Candidate(4, 3, day, 10, 50)
    partial_soonest = Candidate(5, 2, day - dt.timedelta(days=20), 1, 0)
    no_session = Candidate(6, 4, None, 1, 0)
    useless = Candidate(7, 1, day, 1, 0)
    ranked = rank_candidates(
        [closes_late, partial_soonest, no_session, closes_soon_long, useless, closes_soon_short_dear,
         closes_soon_short_cheap], current=1, required=3,
    )
    assert [c.program_id for c in ranked] == [4, 3, 2, 1, 6, 5]  # level 1 (not above current) is left out


def test_a_plan_suggests_the_best_program_per_gap_critical_first(plan_world, employee_a):
    plan = _generate(employee_a)
    items = _active(plan)
    assert [i.program for i in items] == [plan_world.privacy_course, plan_world.short]
    privacy, writing = items
    assert privacy.critical and not writing.critical
    assert (writing.competency, writing.target_level) == (plan_world.writing, 3)
    # due on the day of the soonest session with seats (the full workshop is passed over)
    assert writing.due_date == timezone.localdate(plan_world.session_short.starts_at)
    assert all(i.origin == "generated" and not i.edited for i in items)
    assert plan.generated_at is not None


def test_a_gap_no_program_closes_gets_no_suggestion(plan_world, employee_a):
    plan_world.short.developed.update(level_reached=2)
    plan_world.long.active = False
    plan_world.long.save()
    plan_world.full.developed.update(level_reached=2)
    plan = _generate(employee_a)
    assert [i.program for i in _active(plan)] == [plan_world.privacy_course]


def test_regenerating_twice_changes_nothing(plan_world, employee_a):
    plan = _generate(employee_a)
    before = sorted(plan.items.values_list("pk", "program_id", "status", "due_date"))
    _generate(employee_a)
    assert sorted(plan.items.values_list("pk", "program_id", "status", "due_date")) == before


def test_regenerating_keeps_edited_items_and_retires_stale_suggestions(plan_world, employee_a):
    plan = _generate(employee_a)
    privacy_item = plan.items.get(competency=plan_world.privacy)
    writing_item = plan.items.get(competency=plan_world.writing)
    services.learning_plan_item_update(item=writing_item, due_date=plan.period_end - dt.timedelta(days=1))
    mentoring = services.learning_plan_item_add(plan=plan, kind="mentoring", title="Mentoring with the head of service")
    # both gaps close: the person now holds the required levels
    f.CurrentLevelFactory(employee=employee_a, competency=plan_world.privacy, level=2)
    CurrentLevel.objects.filter(employee=employee_a, competency=plan_world.writing).update(level=3)
    _generate(employee_a)
    privacy_item.refresh_from_db()
    writing_item.refresh_from_db()
    mentoring.refresh_from_db()
    assert privacy_item.status == "retired"  # an untouched suggestion that no longer fits
    assert writing_item.status == "planned" and writing_item.edited  # a person's edit is never clobbered
    assert writing_item.due_date == plan.period_end - dt.timedelta(days=1)
    assert mentoring.status == "planned"
    # the gap opens again: the retired suggestion comes back, no twin is created
    CurrentLevel.objects.filter(employee=employee_a, competency=plan_world.privacy).delete()
    _generate(employee_a)
    privacy_item.refresh_from_db()
    assert privacy_item.status == "planned"
    assert plan.items.filter(competency=plan_world.privacy).count() == 1


def test_a_better_program_is_added_next_to_the_one_in_progress(plan_world, employee_a):
    plan = _generate(employee_a)
    writing_item = plan.items.get(competency=plan_world.writing)
    services.learning_plan_item_update(item=writing_item, status="in_progress")
    plan_world.short.active = False
    plan_world.short.save()
    _generate(employee_a)
    writing_item.refresh_from_db()
    assert writing_item.status == "in_progress"
    programs = set(plan.items.filter(competency=plan_world.writing).values_list("program", flat=True))
    assert programs == {plan_world.short.pk, plan_world.long.pk}


def test_a_closed_plan_is_never_regenerated(plan_world, employee_a):
    start, end = _period()
    f.LearningPlanFactory(employee=employee_a, period_start=start, period_end=end, status="closed")
    plan = _generate(employee_a)
    assert plan.items.count() == 0


def test_the_button_makes_a_plan_for_the_calendar_year(plan_world, employee_a, settings):
    settings.CLO_PLAN_HORIZON_MONTHS = 6
    plan = services.learning_plan_generate(employee_id=employee_a.pk, year=2030)
    assert (plan.period_start, plan.period_end) == (dt.date(2030, 1, 1), dt.date(2030, 12, 31))
    assert plan.items.count() == 2
    # no session in that year: due six months into the plan (the horizon), not all on 31 December
    assert {i.due_date for i in plan.items.all()} == {dt.date(2030, 7, 1)}


def test_a_unit_job_covers_its_subtree_only(plan_world, org, employee_a, director_a, employee_b):
    f.RequirementFactory(position=employee_b.position, competency=plan_world.writing, required_level=3)
    result = services.learning_plans_generate_for_units(unit_id=org.unit_a.pk, year=plan_world.year, batch_size=1)
    assert result.plans == 2  # director_a and employee_a, in two batches
    assert LearningPlan.objects.filter(employee=employee_a).exists()
    assert not LearningPlan.objects.filter(employee=employee_b).exists()
    services.learning_plans_generate_for_units(unit_id=None, year=plan_world.year)
    assert LearningPlan.objects.get(employee=employee_b).items.get().program == plan_world.short


def test_generation_queries_do_not_grow_with_the_batch(plan_world, org, employee_a, django_assert_max_num_queries):
    start, end = _period()

    def people(n):
        return [f.EmployeeFactory(unit=org.unit_a1, position=employee_a.position) for _ in range(n)]

    small, large = people(2), people(30)
    with django_assert_max_num_queries(12):
        services.learning_plans_generate(employee_ids=[e.pk for e in small], period_start=start, period_end=end)
    with django_assert_max_num_queries(12):
        services.learning_plans_generate(employee_ids=[e.pk for e in large], period_start=start, period_end=end)
    assert LearningPlanItem.objects.filter(plan__employee__in=large).count() == 60


def test_a_period_that_ends_before_it_starts_is_refused(employee_a):
    from django.core.exceptions import ValidationError

    with translation.override("en"), pytest.raises(ValidationError) as error:
        services.learning_plans_generate(employee_ids=[employee_a.pk], period_start=dt.date(2027, 1, 1),
                                         period_end=dt.date(2026, 1, 1))
    assert "end after it starts" in str(error.value)
