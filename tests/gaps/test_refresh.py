"""Incremental refreshes: a change committed through a service reaches the gaps and the roll-ups of every unit above
it at once, and leaves exactly what a full run would (the next full run finds nothing to correct)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clo.people import services as people_services
from competencies import services as competency_services
from competencies.models import Requirement
from evaluations import tasks
from evaluations.gaps import services
from evaluations.models import CurrentLevel, Gap, UnitAreaGap, UnitCompetencyGap, UnitGap, UnitGroupCompetencyGap
from tests.gaps.conftest import MADRID, TODAY, at

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(12), tzinfo=MADRID), tick=False):
        yield


@pytest.fixture
def org(build):
    """root ─┬─ a ── a1   (ana works in a1, position clerk: C1 ≥ 3, C2 ≥ 2)
             └─ b         (bernat works in b, position clerk)
    C1 and C2 are in two areas of one framework; ana is assessed at 2 in C1 by her manager."""
    framework = build.framework()
    c1 = build.competency(framework)
    c2 = build.competency(framework)
    root = build.unit()
    a, b = build.unit(root), build.unit(root)
    a1 = build.unit(a)
    clerk, technician = build.position(), build.position()
    build.requirement(clerk, c1, 3, weight=2)
    build.requirement(clerk, c2, 2, critical=True)
    build.requirement(technician, c2, 4)
    ana, bernat = build.employee(a1, clerk), build.employee(b, clerk)
    build.assessment(ana, {c1: 2}, role="manager", status="validated")
    services.gaps_full_run(full_consolidation=True, today=TODAY)
    return dict(c1=c1, c2=c2, root=root, a=a, b=b, a1=a1, clerk=clerk, technician=technician, ana=ana, bernat=bernat)


def figures(unit, competency, *, subtree=True):
    row = UnitCompetencyGap.objects.filter(unit=unit, competency=competency, subtree=subtree).first()
    return (row.people, row.gap_sum, row.not_assessed) if row else None


def assert_a_full_run_finds_nothing_to_correct():
    run = services.gaps_full_run(today=TODAY)
    assert (run.levels_changed, run.rollups_changed) == (0, 0)


def test_a_rating_refreshes_the_employee_on_commit_and_not_before(org, django_capture_on_commit_callbacks):
    ana, c1 = org["ana"], org["c1"]
    assert figures(org["root"], c1) == (2, 1 + 3, 1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            assessment = services_assess(ana, c1, 3)
            services.gaps_on_assessment_changed(assessment.pk)
            assert figures(org["root"], c1) == (2, 4, 1)  # nothing before the commit
    # the employee's refresh, and the knowledge-at-risk refresh of their unit that it queues (clo.talent)
    assert len(callbacks) == 2
    assert CurrentLevel.objects.get(employee=ana, competency=c1).level == 3
    assert Gap.objects.get(employee=ana, competency=c1).gap == 0
    for unit in (org["a1"], org["a"], org["root"]):
        assert figures(unit, c1)[1] == (0 if unit != org["root"] else 3)
    assert figures(org["a1"], c1, subtree=False) == (1, 0, 0)
    # People are counted once: in C1's area only bernat still has a gap; over all areas both do (C2).
    assert UnitAreaGap.objects.get(unit=org["root"], area=c1.area, subtree=True).people_with_gap == 1
    assert UnitGap.objects.get(unit=org["root"], subtree=True).people_with_gap == 2
    assert_a_full_run_finds_nothing_to_correct()


def services_assess(employee, competency, level):
    from tests.gaps.conftest import Build

    return Build().assessment(employee, {competency: level}, role="manager", status="validated",
                              submitted=at(TODAY - dt.timedelta(days=1)))


def group_rows() -> list[tuple]:
    return sorted(UnitGroupCompetencyGap.objects.values_list(
        "unit_id", "subtree", "position_group", "competency_id", "area_id", *UnitGroupCompetencyGap.FIGURES))


def test_a_rating_refreshes_the_figures_of_the_employees_position_group_only(org, build,
                                                                               django_capture_on_commit_callbacks):
    ana, c1, root = org["ana"], org["c1"], org["root"]
    manager = build.position("A1")  # cesc, in b, holds a position of another group with the same requirement
    build.requirement(manager, c1, 3)
    build.employee(org["b"], manager)
    services.gaps_full_run(today=TODAY)

    def group_figures(group, unit=root, *, subtree=True):
        row = UnitGroupCompetencyGap.objects.filter(unit=unit, subtree=subtree, position_group=group,
                                                    competency=c1).first()
        return (row.people, row.gap_sum, row.not_assessed) if row else None

    assert group_figures("A2") == (2, 1 + 3, 1) and group_figures("A1") == (1, 3, 1)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.gaps_on_assessment_changed(services_assess(ana, c1, 3).pk)
    assert group_figures("A2") == (2, 3, 1)  # ana's gap closed
    assert group_figures("A2", org["a1"], subtree=False) == (1, 0, 0)
    assert group_figures("A1") == (1, 3, 1)  # cesc's group did not move
    refreshed = group_rows()
    services.gaps_full_run(full_consolidation=True, today=TODAY)  # a rebuild from scratch lands on the same rows
    assert group_rows() == refreshed


def test_an_employee_who_changes_position_is_measured_against_the_new_one(org, django_capture_on_commit_callbacks):
    ana = org["ana"]
    with django_capture_on_commit_callbacks(execute=True):
        people_services.employee_change_position(employee=ana, position=org["technician"])
    # a1's people no longer need C1; C2 is now required at 4 instead of 2.
    assert figures(org["a1"], org["c1"]) is None
    assert figures(org["a1"], org["c2"]) == (1, 4, 1)
    assert figures(org["root"], org["c1"]) == (1, 3, 1)
    assert_a_full_run_finds_nothing_to_correct()


def test_an_employee_who_moves_leaves_the_old_units_figures(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        people_services.employee_move(employee=org["ana"], unit=org["b"])
    assert figures(org["a1"], org["c1"]) is None and figures(org["a"], org["c1"]) is None
    assert figures(org["b"], org["c1"]) == (2, 4, 1)
    assert UnitAreaGap.objects.filter(unit=org["a"]).count() == 0
    assert_a_full_run_finds_nothing_to_correct()


def test_a_removed_requirement_disappears_from_every_roll_up(org, django_capture_on_commit_callbacks):
    requirement = Requirement.objects.get(position=org["clerk"], competency=org["c1"])
    with django_capture_on_commit_callbacks(execute=True):
        competency_services.requirement_remove(requirement=requirement)
    assert not UnitCompetencyGap.objects.filter(competency=org["c1"]).exists()
    assert not UnitAreaGap.objects.filter(area=org["c1"].area).exists()
    assert not Gap.objects.filter(competency=org["c1"]).exists()
    assert_a_full_run_finds_nothing_to_correct()


def test_a_changed_requirement_refreshes_every_holder(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        competency_services.requirement_set(position=org["clerk"], competency=org["c1"], required_level=4, weight=3)
    assert figures(org["root"], org["c1"]) == (2, 2 + 4, 1)
    row = UnitCompetencyGap.objects.get(unit=org["root"], competency=org["c1"], subtree=True)
    assert (row.weight_sum, row.weighted_gap_sum) == (6, 18)
    assert_a_full_run_finds_nothing_to_correct()


def test_a_requirement_outside_the_scale_cannot_be_saved(org):
    with pytest.raises(ValidationError) as refused:
        competency_services.requirement_set(position=org["clerk"], competency=org["c1"], required_level=5)
    assert "required_level" in refused.value.message_dict
    assert Requirement.objects.get(position=org["clerk"], competency=org["c1"]).required_level == 3
    with pytest.raises(IntegrityError), transaction.atomic():  # nor around the service: the database refuses it
        Requirement.objects.filter(position=org["clerk"], competency=org["c1"]).update(required_level=9)


def test_a_unit_moved_under_another_carries_its_figures_along(org, django_capture_on_commit_callbacks):
    assert figures(org["a"], org["c1"]) == (1, 1, 0) and figures(org["b"], org["c1"]) == (1, 3, 1)
    with django_capture_on_commit_callbacks(execute=True):
        people_services.orgunit_move(unit=org["a1"], new_parent=org["b"])
    assert figures(org["a"], org["c1"]) is None
    assert figures(org["b"], org["c1"]) == (2, 4, 1)
    assert figures(org["root"], org["c1"]) == (2, 4, 1)
    assert_a_full_run_finds_nothing_to_correct()


def test_refreshes_are_idempotent_and_quiet_when_the_row_is_gone(org):
    assert services.gaps_refresh_employee(org["ana"].pk) == 0
    assert services.gaps_refresh_employee(org["ana"].pk, evidence_only=True) == 0
    assert services.gaps_refresh_position(org["clerk"].pk) == 0
    assert tasks.gaps_refresh_employee(987654) == 0
    assert tasks.gaps_refresh_position(987654) == 0
    assert tasks.gaps_refresh_unit_move(987654, [1, 2]) == 0


def test_a_deactivated_employee_stops_counting(org):
    org["bernat"].active = False
    org["bernat"].save(update_fields=["active"])
    services.gaps_refresh_employee(org["bernat"].pk)
    assert figures(org["root"], org["c1"]) == (1, 1, 0)
    assert_a_full_run_finds_nothing_to_correct()


def test_the_daily_sweep_retires_expired_evidence_and_the_roll_ups_follow(org, build):
    ana, c1 = org["ana"], org["c1"]
    expiry = CurrentLevel.objects.get(employee=ana, competency=c1).expires_on
    assert figures(org["root"], c1) == (2, 1 + 3, 1)

    assert services.gaps_sweep_expired(today=expiry - dt.timedelta(days=1)) == 0  # nothing expired yet
    assert services.gaps_sweep_expired(today=expiry) == 1

    assert not CurrentLevel.objects.filter(employee=ana, competency=c1).exists()
    assert figures(org["root"], c1) == (2, 3 + 3, 2)  # both not assessed now
    assert UnitAreaGap.objects.get(unit=org["a1"], area=c1.area, subtree=False).not_assessed == 1
    assert services.gaps_sweep_expired(today=expiry) == 0  # idempotent
    run = services.gaps_full_run(today=expiry)
    assert (run.levels_changed, run.rollups_changed) == (0, 0)


def test_an_imported_level_outranked_by_a_rating_is_the_level_again_once_the_rating_expires(
        org, django_capture_on_commit_callbacks):
    from evaluations import services as evaluation_services

    bernat, c1 = org["bernat"], org["c1"]
    assert figures(org["b"], c1) == (1, 3, 1)  # bernat: never assessed
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_services.evidence_record(employee_id=bernat.pk, competency_id=c1.pk, level=2,
                                            evidenced_on=dt.date(2025, 1, 1), expires_on=dt.date(2030, 1, 1),
                                            reference="Former HR system")
    assert figures(org["b"], c1) == (1, 1, 0)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        services.gaps_on_assessment_changed(services_assess(bernat, c1, 3).pk)
    assert CurrentLevel.objects.get(employee=bernat, competency=c1).source == "manager"
    assert figures(org["b"], c1) == (1, 0, 0)
    expiry = CurrentLevel.objects.get(employee=bernat, competency=c1).expires_on

    services.gaps_sweep_expired(today=expiry)  # the rating expired: the import takes over again
    level = CurrentLevel.objects.get(employee=bernat, competency=c1)
    assert (level.level, level.source, level.expires_on) == (2, "import", dt.date(2030, 1, 1))
    assert figures(org["b"], c1) == (1, 1, 0)  # assessed, one level short
    run = services.gaps_full_run(full_consolidation=True, today=expiry)
    assert (run.levels_changed, run.rollups_changed) == (0, 0)


def test_the_beat_schedule_names_registered_tasks():
    from celery import current_app
    from django.conf import settings

    current_app.loader.import_default_modules()
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert {"gaps-expiry-sweep", "gaps-nightly", "gaps-weekly-full-consolidation", "gaps-resume-lost"} <= set(schedule)
    for entry in schedule.values():  # every app's entries, all in the one schedule
        assert entry["task"] in current_app.tasks
    assert schedule["gaps-weekly-full-consolidation"]["kwargs"]["full_consolidation"] is True
    # and the schedule the beat process reads is the project's settings
    assert current_app.conf.beat_schedule["gaps-nightly"]["task"] == "evaluations.gaps_full_run"
