"""Assessment invariants refuse bad data in Python (full_clean) and in the database, with a readable message.

Plus the level-in-scale triggers of ratings, current levels and imported evidence, where 0 ("not demonstrated") is allowed.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from evaluations.models import (
    Assessment,
    AssessmentCampaign,
    CurrentLevel,
    Evidence,
    GapRun,
    PeerResult,
    Rating,
    UnitAreaGap,
    UnitCompetencyGap,
    UnitGap,
    UnitGroupCompetencyGap,
)
from tests import factories as f
from tests.core import invariants as inv
from tests.core.invariants import Case, LevelCase, case_ids

pytestmark = pytest.mark.django_db


def _campaign(**kwargs) -> AssessmentCampaign:
    return f.CampaignFactory.build(**kwargs)


def _assessment(**kwargs) -> Assessment:
    employee = kwargs.pop("employee", None) or f.EmployeeFactory()
    defaults = {"campaign": f.CampaignFactory(), "employee": employee, "assessor": employee, "role": "self"}
    return f.AssessmentFactory.build(**{**defaults, **kwargs})


def _duplicate_assessment() -> Assessment:
    existing = f.AssessmentFactory(role="manager", assessor=f.EmployeeFactory())
    return Assessment(
        campaign=existing.campaign, employee=existing.employee, assessor=existing.assessor, role="manager"
    )


def _duplicate_rating() -> Rating:
    existing = f.RatingFactory(level=2)
    return Rating(assessment=existing.assessment, competency=existing.competency, level=3)


def _duplicate_current_level() -> CurrentLevel:
    existing = f.CurrentLevelFactory(level=2)
    return CurrentLevel(
        employee=existing.employee, competency=existing.competency, level=3, source="self",
        assessed_on=dt.date(2026, 3, 1),
    )


def _duplicate_evidence() -> Evidence:
    existing = f.EvidenceFactory(level=2)
    return Evidence(employee=existing.employee, competency=existing.competency, level=3,
                    evidenced_on=existing.evidenced_on)


def _second_running_run() -> GapRun:
    GapRun.objects.create(status="running", trigger="nightly", started_at=timezone.now())
    return GapRun(status="running", trigger="manual", started_at=timezone.now())


def _second_pending_run() -> GapRun:
    GapRun.objects.create(status="pending", trigger="nightly")
    return GapRun(status="pending", trigger="manual")


def _duplicate_unit_competency_gap() -> UnitCompetencyGap:
    unit, competency = f.OrgUnitFactory(), f.CompetencyFactory()
    UnitCompetencyGap.objects.create(unit=unit, subtree=True, competency=competency, area=competency.area)
    return UnitCompetencyGap(unit=unit, subtree=True, competency=competency, area=competency.area, people=3)


def _duplicate_unit_group_competency_gap() -> UnitGroupCompetencyGap:
    unit, competency = f.OrgUnitFactory(), f.CompetencyFactory()
    UnitGroupCompetencyGap.objects.create(unit=unit, subtree=False, position_group="C1", competency=competency,
                                          area=competency.area)
    return UnitGroupCompetencyGap(unit=unit, subtree=False, position_group="C1", competency=competency,
                                  area=competency.area, people=3)


def _duplicate_unit_area_gap() -> UnitAreaGap:
    unit, area = f.OrgUnitFactory(), f.AreaFactory()
    UnitAreaGap.objects.create(unit=unit, subtree=False, area=area)
    return UnitAreaGap(unit=unit, subtree=False, area=area, people=3)


def _duplicate_unit_gap() -> UnitGap:
    unit = f.OrgUnitFactory()
    UnitGap.objects.create(unit=unit, subtree=True)
    return UnitGap(unit=unit, subtree=True, people=3)


def _peer_result(**kwargs) -> PeerResult:
    defaults = {"campaign": f.CampaignFactory(kind="360"), "employee": f.EmployeeFactory(),
                "competency": f.CompetencyFactory(), "answers": 3, "mean": 2.5}
    return PeerResult(**{**defaults, **kwargs})


def _duplicate_peer_result() -> PeerResult:
    existing = _peer_result()
    existing.save()
    return _peer_result(campaign=existing.campaign, employee=existing.employee, competency=existing.competency)


CASES = [
    Case(
        "evaluations_peerresult_unique",
        "This person already has a released peer result in this competency.",
        bad=_duplicate_peer_result,
    ),
    Case(
        "evaluations_peerresult_aggregate",
        "A peer result is an aggregate of at least two answers.",
        bad=lambda: _peer_result(answers=1, mean=4),
    ),
    Case(
        "evaluations_campaign_period_order",
        "The period cannot end before it starts.",
        bad=lambda: _campaign(period_start=dt.date(2026, 12, 31), period_end=dt.date(2026, 1, 1)),
    ),
    Case(
        "evaluations_campaign_dates_order",
        "The campaign cannot close before it opens.",
        bad=lambda: _campaign(opens_on=dt.date(2026, 4, 30), closes_on=dt.date(2026, 4, 29)),
    ),
    Case(
        "evaluations_campaign_anonymity_min",
        "The peer anonymity threshold must be at least 2.",
        bad=lambda: _campaign(peer_anonymity_threshold=1),
    ),
    Case(
        "evaluations_assessment_unique_rater",
        "This person already assesses this employee in this campaign.",
        bad=_duplicate_assessment,
    ),
    Case(
        "evaluations_assessment_self_is_self",
        "Only a self-assessment has the employee as assessor, and it must.",
        label="self rated by another",
        bad=lambda: _assessment(role="self", assessor=f.EmployeeFactory()),
    ),
    Case(
        "evaluations_assessment_self_is_self",
        "Only a self-assessment has the employee as assessor, and it must.",
        label="manager rating themselves",
        bad=lambda: _assessment(role="manager"),
    ),
    Case(
        "evaluations_assessment_submitted_dated",
        "A submitted assessment needs its submission date.",
        bad=lambda: _assessment(status="submitted", submitted_at=None),
    ),
    Case(
        "evaluations_rating_unique_competency",
        "This competency is already rated in this assessment.",
        bad=_duplicate_rating,
    ),
    Case(
        "evaluations_rating_adjustment_reason",
        "An adjusted level needs a reason.",
        bad=lambda: f.RatingFactory.build(
            assessment=f.AssessmentFactory(), competency=f.CompetencyFactory(), level=2, original_level=3,
            adjustment_reason="",
        ),
    ),
    Case(
        "evaluations_currentlevel_unique",
        "This employee already has a current level in this competency.",
        bad=_duplicate_current_level,
    ),
    Case(
        "evaluations_currentlevel_expiry_after",
        "The expiry date must come after the assessment date.",
        bad=lambda: f.CurrentLevelFactory.build(
            employee=f.EmployeeFactory(), competency=f.CompetencyFactory(),
            assessed_on=dt.date(2026, 2, 1), expires_on=dt.date(2026, 2, 1),
        ),
    ),
    Case(
        "evaluations_evidence_unique_piece",
        "This employee already has evidence from this source in this competency on this date.",
        bad=_duplicate_evidence,
    ),
    Case(
        "evaluations_evidence_expiry_after",
        "The expiry date must come after the date of the evidence.",
        bad=lambda: f.EvidenceFactory.build(
            employee=f.EmployeeFactory(), competency=f.CompetencyFactory(),
            evidenced_on=dt.date(2026, 2, 1), expires_on=dt.date(2026, 1, 31),
        ),
    ),
    Case(
        "evaluations_gaprun_one_running",
        "A gap analysis run is already in progress.",
        bad=_second_running_run,
    ),
    Case(
        "evaluations_gaprun_one_pending",
        "A gap analysis run is already waiting to start.",
        bad=_second_pending_run,
    ),
    Case(
        "evaluations_gaprun_started_dated",
        "A run that has started needs its start time.",
        bad=lambda: GapRun(status="running", trigger="manual", started_at=None),
    ),
    Case(
        "evaluations_gaprun_finish_after_start",
        "A run cannot finish before it starts.",
        bad=lambda: GapRun(
            status="done", trigger="manual", started_at=timezone.now(),
            finished_at=timezone.now() - dt.timedelta(seconds=1),
        ),
    ),
    Case(
        "evaluations_unitcompetencygap_unique",
        "This unit already has figures for this competency.",
        bad=_duplicate_unit_competency_gap,
    ),
    Case(
        "evaluations_unitgroupcompetencygap_unique",
        "This unit already has figures for this position group and competency.",
        bad=_duplicate_unit_group_competency_gap,
    ),
    Case(
        "evaluations_unitareagap_unique",
        "This unit already has figures for this area.",
        bad=_duplicate_unit_area_gap,
    ),
    Case(
        "evaluations_unitgap_unique",
        "This unit already has figures.",
        bad=_duplicate_unit_gap,
    ),
]


def test_every_evaluations_constraint_has_a_case():
    assert {case.name for case in CASES} == inv.constraint_names("evaluations")


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_full_clean_refuses_with_a_readable_message(case):
    inv.assert_full_clean_refuses(case)


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_database_refuses_a_direct_write(case):
    inv.assert_database_refuses(case)


def test_valid_assessments_pass_both_checks():
    """The rules above leave room for the normal cases: a dated submitted self-assessment, a manager's draft."""
    employee, manager = f.EmployeeFactory(), f.EmployeeFactory()
    campaign = f.CampaignFactory()
    rows = [
        Assessment(campaign=campaign, employee=employee, assessor=employee, role="self", status="submitted",
                   submitted_at=timezone.now()),
        Assessment(campaign=campaign, employee=employee, assessor=manager, role="manager"),
    ]
    for row in rows:
        row.full_clean()
    Assessment.objects.bulk_create(rows)
    assert Assessment.objects.filter(employee=employee).count() == 2


def test_assessments_outside_a_campaign_do_not_collide():
    """The unique rater rule is per campaign: ad-hoc assessments (no campaign) may repeat."""
    employee = f.EmployeeFactory()
    Assessment.objects.bulk_create(
        [Assessment(campaign=None, employee=employee, assessor=employee, role="self") for _ in range(2)]
    )
    assert Assessment.objects.filter(employee=employee, campaign=None).count() == 2


def test_finished_runs_do_not_block_a_new_one():
    """Only one run may be *running*: any number of finished ones and one running one coexist."""
    now = timezone.now()
    GapRun.objects.bulk_create(
        [GapRun(status="done", trigger="nightly", started_at=now, finished_at=now) for _ in range(3)]
        + [GapRun(status="running", trigger="manual", started_at=now)]
    )
    assert GapRun.objects.filter(status="running").count() == 1


def test_the_same_unit_and_competency_may_have_own_and_subtree_figures():
    unit, competency = f.OrgUnitFactory(), f.CompetencyFactory()
    rows = [
        UnitCompetencyGap(unit=unit, subtree=subtree, competency=competency, area=competency.area)
        for subtree in (False, True)
    ]
    for row in rows:
        row.full_clean()
    UnitCompetencyGap.objects.bulk_create(rows)
    assert UnitCompetencyGap.objects.filter(unit=unit).count() == 2


# --- level-in-scale triggers (0 allowed) -----------------------------------------------------------------------


def _rating_at(competency, level) -> Rating:
    return Rating(assessment=f.AssessmentFactory(), competency=competency, level=level)


def _current_level_at(competency, level) -> CurrentLevel:
    return CurrentLevel(
        employee=f.EmployeeFactory(), competency=competency, level=level, source="manager",
        assessed_on=dt.date(2026, 2, 1),
    )


def _evidence_at(competency, level) -> Evidence:
    return Evidence(employee=f.EmployeeFactory(), competency=competency, level=level, evidenced_on=dt.date(2026, 2, 1))


LEVEL_CASES = [
    LevelCase(Rating, "level", _rating_at, allow_zero=True),
    LevelCase(CurrentLevel, "level", _current_level_at, allow_zero=True),
    LevelCase(Evidence, "level", _evidence_at, allow_zero=True),
]


def level_case_ids(case: LevelCase) -> str:
    return case.id


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_a_level_off_the_scale_is_refused_by_the_trigger(case):
    inv.assert_trigger_refuses_create(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_a_bulk_insert_with_one_bad_level_writes_nothing(case):
    inv.assert_trigger_refuses_bulk(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_an_update_to_a_level_off_the_scale_is_refused(case):
    inv.assert_trigger_refuses_update(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_zero_and_every_level_of_the_scale_are_accepted(case):
    inv.assert_trigger_accepts_scale(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_full_clean_says_the_level_is_outside_the_scale(case):
    inv.assert_full_clean_names_the_scale(case)
