"""Training invariants refuse bad data in Python (full_clean) and in the database, with a readable message.

Plus the level-in-scale triggers of program competencies and learning-plan items.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import F
from django.utils import timezone

from programs.models import (
    PlanProposal,
    ProposalItem,
    UnitTraining,
    ProgramResultSnapshot,
    Attendance,
    Enrolment,
    LearningPlan,
    LearningResult,
    ReactionInvitation,
    ReactionResponse,
    TransferFollowUp,
    LearningPlanItem,
    NeedsCampaign,
    PlanPdfJob,
    ProgramCompetency,
    ProgramInterest,
    Session,
    SessionDay,
    TrainingNeed,
    TrainingPlan,
)
from tests import factories as f
from tests.core import invariants as inv
from tests.core.invariants import Case, LevelCase, case_ids

pytestmark = pytest.mark.django_db

FREE_ID = 987_654


def _session(**kwargs) -> Session:
    return f.SessionFactory.build(program=f.ProgramFactory(), **kwargs)


def _enrolment(**kwargs) -> Enrolment:
    return f.EnrolmentFactory.build(session=f.SessionFactory(), employee=f.EmployeeFactory(), **kwargs)


def _need(**kwargs) -> TrainingNeed:
    return f.TrainingNeedFactory.build(unit=f.OrgUnitFactory(), submitted_by=f.EmployeeFactory(), **kwargs)


def _item(**kwargs) -> LearningPlanItem:
    return f.LearningPlanItemFactory.build(plan=f.LearningPlanFactory(), **kwargs)


def _duplicate_program_competency() -> ProgramCompetency:
    existing = f.ProgramCompetencyFactory(level_reached=2)
    return ProgramCompetency(program=existing.program, competency=existing.competency, level_reached=3)


def _duplicate_interest() -> ProgramInterest:
    existing = ProgramInterest.objects.create(employee=f.EmployeeFactory(), program=f.ProgramFactory())
    return ProgramInterest(employee=existing.employee, program=existing.program)


def _duplicate_enrolment() -> Enrolment:
    existing = f.EnrolmentFactory()
    return Enrolment(session=existing.session, employee=existing.employee)


def _duplicate_session_day() -> SessionDay:
    existing = SessionDay.objects.create(session=f.SessionFactory(), date=dt.date(2027, 3, 1), hours=Decimal("4"))
    return SessionDay(session=existing.session, date=existing.date, hours=Decimal("3"))


def _attendance(**kwargs) -> Attendance:
    enrolment = f.EnrolmentFactory(status="approved")
    day = SessionDay.objects.create(session=enrolment.session, date=dt.date(2027, 3, 1), hours=Decimal("4"))
    return Attendance(enrolment=enrolment, day=day, **kwargs)


def _duplicate_attendance() -> Attendance:
    existing = _attendance(hours=Decimal("4"))
    existing.save()
    return Attendance(enrolment=existing.enrolment, day=existing.day, hours=Decimal("2"))


def _duplicate_generated_item() -> LearningPlanItem:
    existing = f.LearningPlanItemFactory(
        kind="program", program=f.ProgramFactory(), competency=f.CompetencyFactory(), origin="generated", title=""
    )
    return LearningPlanItem(plan=existing.plan, kind="program", program=existing.program,
                            competency=existing.competency, origin="generated")


def _duplicate_learning_plan() -> LearningPlan:
    existing = f.LearningPlanFactory()
    return LearningPlan(
        employee=existing.employee, period_start=existing.period_start, period_end=dt.date(2027, 6, 30)
    )


def _need_merged_into_itself() -> TrainingNeed:
    need = f.TrainingNeedFactory(unit=f.OrgUnitFactory(), submitted_by=f.EmployeeFactory())
    need.merged_into = need
    return need


# --- Training evaluation (Kirkpatrick) ---------------------------------------------------------------------------


def _attended() -> Enrolment:
    return f.EnrolmentFactory(status="attended")


def _reaction(enrolment=None, **scores) -> ReactionResponse:
    values = {"usefulness": 4, "trainer": 4, "organisation": 4, "applicability": 4, **scores}
    return ReactionResponse(enrolment=enrolment or _attended(), submitted_at=timezone.now(), **values)


def _duplicate_result_snapshot() -> ProgramResultSnapshot:
    from evaluations.models import GapRun

    first = ProgramResultSnapshot.objects.create(program=f.ProgramFactory(), run=GapRun.objects.create(
        status="done", trigger="nightly", started_at=timezone.now(), finished_at=timezone.now()),
                                                 computed_at=timezone.now())
    return ProgramResultSnapshot(program=first.program, run=first.run, computed_at=timezone.now())


def _duplicate_unit_training() -> UnitTraining:
    first = UnitTraining.objects.create(unit=f.OrgUnitFactory(), subtree=True, year=2026, position_group="A1",
                                        completed=1)
    return UnitTraining(unit=first.unit, subtree=True, year=2026, position_group="A1", completed=2)


def _twice(make):
    """A second row for the same enrolment as a saved first one."""
    first = make(None)
    first.save()
    return make(first.enrolment)


def _follow_up(enrolment=None, **kwargs) -> TransferFollowUp:
    enrolment = enrolment or f.EnrolmentFactory(status="completed", completed_on=dt.date(2026, 3, 2))
    return TransferFollowUp(enrolment=enrolment, respondent_role="employee", respondent=enrolment.employee,
                            due_on=dt.date(2026, 5, 31), **kwargs)


FEEDBACK_CASES = [
    Case(
        "programs_reactioninvitation_once",
        "This attendee has already been invited to the questionnaire.",
        bad=lambda: _twice(lambda e: ReactionInvitation(enrolment=e or _attended())),
    ),
    Case(
        "programs_reactionresponse_one_per_enrolment",
        "You have already answered this questionnaire: answers cannot be changed.",
        bad=lambda: _twice(lambda e: _reaction(e)),
    ),
    Case(
        "programs_reactionresponse_scores_1_to_5",
        "Every rating goes from 1 to 5.",
        bad=lambda: _reaction(trainer=6),
    ),
    Case(
        "programs_learningresult_one_per_enrolment",
        "This enrolment already has a learning result.",
        bad=lambda: _twice(lambda e: LearningResult(enrolment=e or _attended(), passed=True)),
    ),
    Case(
        "programs_learningresult_scores_0_to_100",
        "Scores go from 0 to 100.",
        bad=lambda: LearningResult(enrolment=_attended(), pre_score=Decimal("40"), post_score=Decimal("120")),
    ),
    Case(
        "programs_learningresult_not_empty",
        "Give a score or the trainer's pass or fail.",
        bad=lambda: LearningResult(enrolment=_attended()),
    ),
    Case(
        "programs_transferfollowup_once_per_role",
        "This follow-up already exists.",
        bad=lambda: _twice(lambda e: _follow_up(e)),
    ),
    Case(
        "programs_transferfollowup_answer_complete",
        "An answer needs a rating from 1 to 5.",
        label="answered without a rating",
        bad=lambda: _follow_up(answered_at=timezone.now()),
    ),
    Case(
        "programs_transferfollowup_answer_complete",
        "An answer needs a rating from 1 to 5.",
        label="rating out of the scale",
        bad=lambda: _follow_up(answered_at=timezone.now(), applying=7),
    ),
]


CASES = [
    Case(
        "programs_program_hours_positive",
        "A program must last more than zero hours.",
        bad=lambda: f.ProgramFactory.build(hours=Decimal("0.0")),
    ),
    Case(
        "programs_program_cost_not_negative",
        "The cost cannot be negative.",
        bad=lambda: f.ProgramFactory.build(cost=Decimal("-0.01")),
    ),
    Case(
        "programs_programcompetency_unique",
        "This program already lists this competency.",
        bad=_duplicate_program_competency,
    ),
    Case(
        "programs_programinterest_one_per_person",
        "This person has already registered their interest in this program.",
        bad=_duplicate_interest,
    ),
    Case(
        "programs_session_capacity_positive",
        "A session needs at least one seat.",
        bad=lambda: _session(capacity=0),
    ),
    Case(
        "programs_session_ends_after_start",
        "A session cannot end before it starts.",
        bad=lambda: _session(
            starts_at=timezone.now() + dt.timedelta(days=3), ends_at=timezone.now() + dt.timedelta(days=2)
        ),
    ),
    Case(
        "programs_session_has_venue",
        "Give a place or an online link.",
        bad=lambda: _session(place="", online_url=""),
    ),
    Case(
        "programs_enrolment_one_per_session",
        "This person is already enrolled in this session.",
        bad=_duplicate_enrolment,
    ),
    Case(
        "programs_enrolment_hours_not_negative",
        "Hours attended cannot be negative.",
        bad=lambda: _enrolment(hours_attended=Decimal("-1.0")),
    ),
    Case(
        "programs_enrolment_completed_dated",
        "A completed enrolment needs its completion date.",
        bad=lambda: _enrolment(status="completed", completed_on=None),
    ),
    Case(
        "programs_enrolment_rejection_reason",
        "A rejected request must say why.",
        bad=lambda: _enrolment(status="rejected", decision_reason=""),
    ),
    Case(
        "programs_sessionday_unique",
        "This session already has this day.",
        bad=_duplicate_session_day,
    ),
    Case(
        "programs_sessionday_hours_range",
        "A session day lasts more than 0 and at most 24 hours.",
        label="zero",
        bad=lambda: SessionDay(session=f.SessionFactory(), date=dt.date(2027, 3, 1), hours=Decimal("0")),
    ),
    Case(
        "programs_sessionday_hours_range",
        "A session day lasts more than 0 and at most 24 hours.",
        label="25",
        bad=lambda: SessionDay(session=f.SessionFactory(), date=dt.date(2027, 3, 1), hours=Decimal("25")),
    ),
    Case(
        "programs_attendance_unique",
        "Attendance for this person and day is already recorded.",
        bad=_duplicate_attendance,
    ),
    Case(
        "programs_attendance_hours_not_negative",
        "Hours attended cannot be negative.",
        bad=lambda: _attendance(hours=Decimal("-0.5")),
    ),
    Case(
        "programs_trainingplan_budget_not_negative",
        "The budget cannot be negative.",
        bad=lambda: TrainingPlan(year=2030, title="Pla 2030", budget=Decimal("-1.00")),
    ),
    Case(
        "programs_trainingplan_year_range",
        "The year must be between 2000 and 2100.",
        label="1999",
        bad=lambda: TrainingPlan(year=1999, title="Pla 1999"),
    ),
    Case(
        "programs_trainingplan_year_range",
        "The year must be between 2000 and 2100.",
        label="2101",
        bad=lambda: TrainingPlan(year=2101, title="Pla 2101"),
    ),
    Case(
        "programs_trainingplan_funding_kind_valid",
        "A plan is unitary or grouped.",
        bad=lambda: TrainingPlan(year=2030, title="Pla 2030", funding_kind="mixed"),
        # full_clean() names the field's choices first; the database still refuses a direct write.
        shadowed_by="is not a valid choice",
    ),
    Case(
        "programs_needscampaign_deadline_after_opening",
        "The deadline cannot come before the opening date.",
        bad=lambda: NeedsCampaign(year=2027, opens_on=dt.date(2026, 10, 1), deadline=dt.date(2026, 9, 30)),
    ),
    Case(
        "programs_needscampaign_year_range",
        "The year must be between 2000 and 2100.",
        bad=lambda: NeedsCampaign(year=1999, opens_on=dt.date(1998, 9, 1), deadline=dt.date(1998, 10, 1)),
    ),
    Case(
        "programs_planaction_estimates_not_negative",
        "Estimated cost and hours cannot be negative.",
        label="cost",
        bad=lambda: f.PlanActionFactory.build(plan=f.TrainingPlanFactory(), estimated_cost=Decimal("-5.00")),
    ),
    Case(
        "programs_planaction_estimates_not_negative",
        "Estimated cost and hours cannot be negative.",
        label="hours",
        bad=lambda: f.PlanActionFactory.build(plan=f.TrainingPlanFactory(), estimated_hours=Decimal("-0.5")),
    ),
    Case(
        "programs_planaction_funding_not_negative",
        "The granted amount and the incurred cost cannot be negative.",
        label="granted",
        bad=lambda: f.PlanActionFactory.build(plan=f.TrainingPlanFactory(), granted_amount=Decimal("-1.00")),
    ),
    Case(
        "programs_planaction_funding_not_negative",
        "The granted amount and the incurred cost cannot be negative.",
        label="incurred",
        bad=lambda: f.PlanActionFactory.build(plan=f.TrainingPlanFactory(), incurred_cost=Decimal("-0.01")),
    ),
    Case(
        "programs_trainingneed_participants_positive",
        "Estimate at least one participant.",
        bad=lambda: _need(estimated_participants=0),
    ),
    Case(
        "programs_trainingneed_rejection_reason",
        "A rejected need must say why.",
        bad=lambda: _need(status="rejected", status_reason=""),
    ),
    Case(
        "programs_trainingneed_merged_target",
        "A merged need must point to the need it was merged into.",
        bad=lambda: _need(status="merged", merged_into=None),
    ),
    Case(
        "programs_trainingneed_not_merged_into_self",
        "A need cannot be merged into itself.",
        bad=_need_merged_into_itself,
        write=lambda need: TrainingNeed.objects.filter(pk=need.pk).update(merged_into=F("id")),
    ),
    Case(
        "programs_learningplan_one_per_period",
        "This employee already has a plan starting on this date.",
        bad=_duplicate_learning_plan,
    ),
    Case(
        "programs_learningplan_period_order",
        "The plan's period must end after it starts.",
        bad=lambda: f.LearningPlanFactory.build(
            employee=f.EmployeeFactory(), period_start=dt.date(2027, 1, 1), period_end=dt.date(2027, 1, 1)
        ),
    ),
    Case(
        "programs_learningplanitem_what",
        "A program item needs a program; any other activity needs a title.",
        label="program without program",
        bad=lambda: _item(kind="program", program=None, title="Curs"),
    ),
    Case(
        "programs_learningplanitem_what",
        "A program item needs a program; any other activity needs a title.",
        label="activity without title",
        bad=lambda: _item(kind="mentoring", title=""),
    ),
    Case(
        "programs_learningplanitem_level_needs_competency",
        "A target level needs a target competency.",
        bad=lambda: _item(target_level=2, competency=None),
    ),
    Case(
        "programs_learningplanitem_generated_once",
        "This plan already suggests this program for this competency.",
        bad=lambda: _duplicate_generated_item(),
    ),
    Case(
        "programs_planpdfjob_progress_within_total",
        "A job cannot render more plans than it has.",
        bad=lambda: PlanPdfJob(as_of=dt.date(2027, 1, 1), total=1, done_count=2),
    ),
    Case(
        "programs_planpdfjob_done_has_file",
        "A finished job must have its zip file.",
        bad=lambda: PlanPdfJob(as_of=dt.date(2027, 1, 1), status="done", file=""),
    ),
    Case(
        "programs_resultsnapshot_once_per_run",
        "This program already has results for this gap analysis run.",
        bad=lambda: _duplicate_result_snapshot(),
    ),
    Case(
        "programs_unittraining_one_per_year",
        "These figures already exist.",
        bad=lambda: _duplicate_unit_training(),
    ),
    Case(
        "programs_planproposal_budget_not_negative",
        "The budget cannot be negative.",
        bad=lambda: PlanProposal(year=2027, budget=Decimal("-1")),
        shadowed_by="Ensure this value is greater than or equal to 0.",  # the field's own validator speaks first
    ),
    Case(
        "programs_proposalitem_unique",
        "The proposal already has this program.",
        bad=lambda: _duplicate_proposal_item(),
    ),
    *FEEDBACK_CASES,
]


def _duplicate_proposal_item() -> ProposalItem:
    """A second line of the same program in one optimiser proposal."""
    proposal = PlanProposal.objects.create(year=2027, budget=Decimal("1000"))
    program = f.ProgramFactory()
    ProposalItem.objects.create(proposal=proposal, program=program, sessions=1, seats=10, cost=Decimal("100"),
                                value=1.0)
    return ProposalItem(proposal=proposal, program=program, sessions=1, seats=5, cost=Decimal("50"), value=0.5)


def test_every_programs_constraint_has_a_case():
    assert {case.name for case in CASES} == inv.constraint_names("programs")


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_full_clean_refuses_with_a_readable_message(case):
    inv.assert_full_clean_refuses(case)


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_database_refuses_a_direct_write(case):
    inv.assert_database_refuses(case)


def test_a_need_merged_into_itself_is_refused_even_on_insert():
    """The CHECK itself, not only the UPDATE: a new row pointing at its own id."""
    from django.db import IntegrityError, transaction

    unit, employee = f.OrgUnitFactory(), f.EmployeeFactory()
    with pytest.raises(IntegrityError) as caught, transaction.atomic():
        TrainingNeed.objects.create(
            id=FREE_ID, merged_into_id=FREE_ID, unit=unit, submitted_by=employee, year=2027, title="Jo mateixa"
        )
    assert "programs_trainingneed_not_merged_into_self" in str(caught.value)


def test_the_normal_cases_pass_both_checks():
    """The rules leave room for ordinary data: an online-only session, a completed dated enrolment, a merged need."""
    online = _session(place="", online_url="https://formacio.example/aula/1")
    completed = _enrolment(status="completed", completed_on=dt.date(2026, 5, 1), hours_attended=Decimal("10.0"))
    target = f.TrainingNeedFactory(unit=f.OrgUnitFactory(), submitted_by=f.EmployeeFactory())
    merged = _need(status="merged", merged_into=target)
    free_program = f.ProgramFactory.build(cost=Decimal("0"))
    for row in (online, completed, merged, free_program):
        row.full_clean()
        type(row).objects.bulk_create([row])
    assert Session.objects.filter(online_url__startswith="https://formacio").exists()
    assert Enrolment.objects.filter(status="completed").count() == 1
    assert TrainingNeed.objects.filter(merged_into=target).count() == 1


# --- level-in-scale triggers -----------------------------------------------------------------------------------


def _program_competency_at(competency, level) -> ProgramCompetency:
    return ProgramCompetency(program=f.ProgramFactory(), competency=competency, level_reached=level)


def _plan_item_at(competency, level) -> LearningPlanItem:
    return LearningPlanItem(
        plan=f.LearningPlanFactory(employee=f.EmployeeFactory()), kind="mentoring", title="Mentoria",
        competency=competency, target_level=level,
    )


LEVEL_CASES = [
    LevelCase(ProgramCompetency, "level_reached", _program_competency_at, allow_zero=False),
    LevelCase(LearningPlanItem, "target_level", _plan_item_at, allow_zero=False),
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
def test_every_level_of_the_competencys_own_scale_is_accepted(case):
    inv.assert_trigger_accepts_scale(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_full_clean_says_the_level_is_outside_the_scale(case):
    inv.assert_full_clean_names_the_scale(case)


def test_a_plan_item_without_target_level_needs_no_scale():
    item = _item(kind="mentoring", title="Mentoria", competency=f.CompetencyFactory(), target_level=None)
    item.full_clean()
    LearningPlanItem.objects.bulk_create([item])
    assert LearningPlanItem.objects.filter(target_level__isnull=True).count() == 1
