"""The services of the needs campaign and the annual plan: each rule a person would run into."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from programs.models import NeedEvent, PlanAction, Program, TrainingNeed, TrainingPlan
from programs.services import needs as services
from programs.services import annual_plan as plan_services
from tests import factories as f

pytestmark = pytest.mark.django_db


def kinds(need):
    return list(need.events.order_by("at", "pk").values_list("kind", flat=True))


def test_a_draft_is_created_edited_and_submitted_with_its_history(campaign, competency, director_a, org, today):
    user = director_a.user
    need = services.need_create(
        actor=user, submitted_by_id=director_a.pk, year=campaign.year,
        fields={"unit": org.unit_a1, "title": "Plain language", "estimated_participants": 8, "priority": "high"},
    )
    assert need.status == TrainingNeed.Status.DRAFT
    with pytest.raises(ValidationError) as missing:
        services.need_submit(need=need, actor=user, today=today)
    assert set(missing.value.message_dict) == {"competencies", "strategic_objective", "justification"}
    need = services.need_update(
        need=need, actor=user, competencies=[competency],
        fields={"unit": org.unit_a1, "title": "Plain language", "estimated_participants": 8, "priority": "high",
                "strategic_objective": "Open government", "justification": "Letters are hard to read."},
    )
    need = services.need_submit(need=need, actor=user, today=today)
    assert need.status == TrainingNeed.Status.SUBMITTED and need.submitted_at is not None
    assert kinds(need) == ["created", "edited", "submitted"]
    assert set(need.events.values_list("actor", flat=True)) == {user.pk}
    with pytest.raises(ValidationError, match="can no longer be changed"):
        services.need_update(need=need, actor=user, fields={"title": "Changed after submission"})


def test_a_first_submission_after_the_deadline_is_refused(make_need, director_a, campaign):
    need = make_need()
    with pytest.raises(ValidationError, match="deadline .* passed"):
        services.need_submit(need=need, actor=director_a.user, today=campaign.deadline + dt.timedelta(days=1))
    need.refresh_from_db()
    assert need.status == TrainingNeed.Status.DRAFT


def test_a_submission_with_no_campaign_open_is_refused(make_need, director_a, campaign, today):
    campaign.status = "closed"
    campaign.save()
    with pytest.raises(ValidationError, match="is not open"):
        services.need_submit(need=make_need(), actor=director_a.user, today=today)


def test_more_information_goes_back_to_the_director_who_answers_after_the_deadline(
    submitted_need, clo_user, director_a, campaign
):
    with pytest.raises(ValidationError):
        services.need_request_info(need=submitted_need, actor=clo_user, reason="   ")
    need = services.need_request_info(need=submitted_need, actor=clo_user, reason="How many people exactly?")
    assert need.status == TrainingNeed.Status.MORE_INFO and need.status_reason == "How many people exactly?"
    need = services.need_update(need=need, actor=director_a.user, competencies=need.competencies.all(),
                                fields={"estimated_participants": 14})
    need = services.need_submit(need=need, actor=director_a.user, today=campaign.deadline + dt.timedelta(days=5))
    assert need.status == TrainingNeed.Status.SUBMITTED
    assert kinds(need)[-3:] == ["more_info", "edited", "submitted"]
    note = need.events.get(kind="more_info")
    assert note.note == "How many people exactly?" and note.actor == clo_user


def test_a_rejection_needs_a_reason_and_keeps_it(submitted_need, clo_user):
    with pytest.raises(ValidationError) as error:
        services.need_reject(need=submitted_need, actor=clo_user, reason="")
    assert "reason" in error.value.message_dict
    need = services.need_reject(need=submitted_need, actor=clo_user, reason="Already in the corporate plan.")
    need.refresh_from_db()
    assert need.status == "rejected" and need.status_reason == "Already in the corporate plan."
    with pytest.raises(ValidationError, match="nothing to decide"):
        services.need_reject(need=need, actor=clo_user, reason="Twice")


def test_merging_duplicates_adds_participants_and_gathers_competencies(make_need, director_b, org, clo_user, today):
    keep = make_need(status="submitted", estimated_participants=5)
    other_competency = f.CompetencyFactory(name="Digital signature")
    duplicate = make_need(status="submitted", unit=org.unit_b1, submitted_by=director_b, estimated_participants=7,
                          title="Writing letters")
    duplicate.competencies.add(other_competency)
    target = services.needs_merge(target=keep, others=[keep, duplicate], actor=clo_user)
    duplicate.refresh_from_db()
    assert duplicate.status == "merged" and duplicate.merged_into == target
    assert target.estimated_participants == 12
    assert other_competency in target.competencies.all()
    assert kinds(duplicate) == ["merged"] and kinds(target) == ["absorbed"]
    assert "Writing letters" in target.events.get().note


def test_a_merge_is_all_or_nothing(make_need, clo_user):
    keep = make_need(status="submitted", estimated_participants=5)
    good = make_need(status="submitted", title="Good duplicate")
    draft = make_need(status="draft", title="Still a draft")
    with pytest.raises(ValidationError, match="Still a draft"):
        services.needs_merge(target=keep, others=[good, draft], actor=clo_user)
    good.refresh_from_db()
    keep.refresh_from_db()
    assert good.status == "submitted" and keep.estimated_participants == 5
    assert not NeedEvent.objects.filter(kind__in=["merged", "absorbed"]).exists()


def test_accepting_into_a_new_action_with_a_new_program(submitted_need, clo_user):
    action = plan_services.need_accept(
        need=submitted_need, actor=clo_user,
        new_action={"title": "", "estimated_cost": Decimal("3000"), "estimated_hours": Decimal("20"),
                    "funding": "afedap"},
        new_program={"code": "LC-01", "title": "Plain language course", "hours": Decimal("10")},
    )
    need = TrainingNeed.objects.get(pk=submitted_need.pk)
    assert need.status == "accepted" and need.plan_action == action
    assert action.program == Program.objects.get(code="LC-01") and action.title == "Plain language course"
    assert action.estimated_participants == need.estimated_participants
    assert action.plan.year == need.year and action.plan.status == "draft"
    assert need.events.last().kind == "accepted" and need.events.last().note == action.title


def test_accepting_into_an_existing_action_adds_its_participants(make_need, clo_user, campaign):
    plan = f.TrainingPlanFactory(year=campaign.year)
    action = f.PlanActionFactory(plan=plan, estimated_participants=10)
    need = make_need(status="submitted", estimated_participants=4)
    plan_services.need_accept(need=need, actor=clo_user, action=action)
    action.refresh_from_db()
    assert action.estimated_participants == 14


def test_an_approved_plan_takes_no_more_needs(make_need, clo_user, campaign):
    f.TrainingPlanFactory(year=campaign.year, status="approved")
    need = make_need(status="submitted")
    with pytest.raises(ValidationError, match="can no longer change"):
        plan_services.need_accept(need=need, actor=clo_user, new_action={"program": f.ProgramFactory()})
    need.refresh_from_db()
    assert need.status == "submitted" and not PlanAction.objects.exists()


def test_a_plan_over_its_budget_or_empty_is_not_approved(clo_user):
    plan = f.TrainingPlanFactory(year=2031, budget=Decimal("1000"))
    with pytest.raises(ValidationError, match="without actions"):
        plan_services.plan_approve(plan=plan, actor=clo_user, now=timezone.now())
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("1500"))
    with pytest.raises(ValidationError, match="more than the available budget"):
        plan_services.plan_approve(plan=plan, actor=clo_user, now=timezone.now())
    plan_services.plan_update(plan=plan, title=plan.title, budget=Decimal("2000"))
    plan = plan_services.plan_approve(plan=plan, actor=clo_user, now=timezone.now())
    plan.refresh_from_db()
    assert plan.status == TrainingPlan.Status.APPROVED and plan.approved_by == clo_user
    with pytest.raises(ValidationError):
        plan_services.plan_update(plan=plan, title="Changed", budget=Decimal("1"))
