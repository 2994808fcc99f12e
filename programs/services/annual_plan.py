"""Writes of the annual training plan (pla de formació): accepting needs into actions, the actions' estimates and
funding, the plan's budget, and its approval. Only a draft plan changes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import DecimalField, F, Sum
from django.db.models.functions import Coalesce
from django.utils import translation
from django.utils.translation import gettext as _

from programs.models import Modality, NeedEvent, PlanAction, Program, TrainingNeed, TrainingPlan
from programs.selectors.annual_plan import CENT
from programs.services.needs import need_announce_decision, need_event

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ACTION_FIELDS = ("title", "program", "estimated_cost", "estimated_hours", "estimated_participants", "funding")


def _require_draft(plan: TrainingPlan) -> None:
    if plan.status != TrainingPlan.Status.DRAFT:
        raise ValidationError(_("The %(year)s plan is %(status)s: it can no longer change.")
                              % {"year": plan.year, "status": plan.get_status_display().lower()})


@transaction.atomic
def plan_get_or_create(*, year: int) -> TrainingPlan:
    """The plan of ``year``, created as an empty draft (title in the council's default language) if missing."""
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Training plan %(year)s") % {"year": year}
    plan, _created = TrainingPlan.objects.get_or_create(year=year, defaults={"title": title})
    return plan


@transaction.atomic
def plan_update(*, plan: TrainingPlan, title: str, budget: Decimal) -> TrainingPlan:
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    plan.title, plan.budget = title, budget
    plan.full_clean()
    plan.save(update_fields=["title", "budget"])
    return plan


def planned_cost(plan: TrainingPlan) -> Decimal:
    """The estimated cost of the plan's actions, in euros and cents (SQLite's sum drops a whole number's cents: the
    same figure on both databases, in the plan's webhook as on its pages)."""
    return plan.actions.aggregate(
        total=Coalesce(Sum("estimated_cost"), Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))
    )["total"].quantize(CENT)


@transaction.atomic
def plan_approve(*, plan: TrainingPlan, actor: User, now: dt.datetime) -> TrainingPlan:
    """Approve a draft plan that has actions and whose estimated cost fits in the available budget."""
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if not plan.actions.exists():
        raise ValidationError(_("A plan without actions cannot be approved."))
    cost = planned_cost(plan)
    if cost > plan.budget:
        raise ValidationError(
            _("The actions cost %(cost)s €, more than the available budget of %(budget)s €. Raise the budget or "
              "reduce the actions before approving.") % {"cost": cost, "budget": plan.budget}
        )
    plan.status, plan.approved_at, plan.approved_by = TrainingPlan.Status.APPROVED, now, actor
    plan.save(update_fields=["status", "approved_at", "approved_by"])
    from clo.core.tasks import announce

    announce("plan.approved", {"plan": plan.pk, "year": plan.year, "budget": str(plan.budget),
                               "cost": str(cost), "approved_at": now.isoformat()})
    return plan


def _new_program(*, code: str, title: str, modality: str, hours: Decimal) -> Program:
    program = Program(code=code, title=title, modality=modality or Modality.FACE_TO_FACE, hours=hours)
    program.full_clean()
    program.save()
    return program


@transaction.atomic
def need_accept(*, need: TrainingNeed, actor: User, action: PlanAction | None = None, new_action: dict | None = None,
                new_program: dict | None = None) -> PlanAction:
    """Accept a need into the plan of its year: into an existing ``action`` (its participants add up), or into a
    new action (``new_action``: title, estimates, funding) served by an existing program (``new_action["program"]``)
    or by a new catalogue program (``new_program``: code, title, hours)."""
    need = TrainingNeed.objects.select_for_update().get(pk=need.pk)
    if need.status not in TrainingNeed.TRIAGEABLE:
        raise ValidationError(_("This need is %(status)s: there is nothing to decide.")
                              % {"status": need.get_status_display().lower()})
    plan = plan_get_or_create(year=need.year)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    if action is not None:
        if action.plan_id != plan.pk:
            raise ValidationError({"action": _("Choose an action of the %(year)s plan.") % {"year": plan.year}})
        PlanAction.objects.filter(pk=action.pk).update(
            estimated_participants=F("estimated_participants") + need.estimated_participants
        )
        action.refresh_from_db()
    else:
        values = {k: v for k, v in (new_action or {}).items() if k in ACTION_FIELDS}
        if new_program:
            values["program"] = _new_program(
                code=new_program["code"], title=new_program["title"], hours=new_program["hours"],
                modality=need.preferred_modality,
            )
        values.setdefault("estimated_participants", need.estimated_participants)
        action = PlanAction(plan=plan, **values)
        if not action.title and action.program_id:
            action.title = action.program.title
        action.full_clean()
        action.save()
    need.status, need.plan_action, need.status_reason = TrainingNeed.Status.ACCEPTED, action, ""
    need.save(update_fields=["status", "plan_action", "status_reason"])
    need_event(need=need, kind=NeedEvent.Kind.ACCEPTED, actor=actor, note=action.title)
    need_announce_decision(need)
    return action


@transaction.atomic
def plan_action_update(*, action: PlanAction, fields: dict) -> PlanAction:
    action = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
    _require_draft(action.plan)
    for name, value in fields.items():
        if name in ACTION_FIELDS:
            setattr(action, name, value)
    action.full_clean()
    action.save()
    return action


@transaction.atomic
def plan_action_for_uncovered_gap(*, year: int, competency, required_level: int, participants: int) -> PlanAction:
    """An action of the ``year`` plan for a gap no program of the catalogue covers (the learning office's list of
    them): develop ``competency`` to ``required_level`` for ``participants`` people, with no program yet (the office
    designs or buys one). Titled in the council's default language; asked twice, it says the plan already has it."""
    plan = plan_get_or_create(year=year)
    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    _require_draft(plan)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(competency)s to level %(level)s (not covered by the catalogue)") % {
            "competency": competency.name, "level": required_level}
    title = title[:200]
    if plan.actions.filter(title=title).exists():
        raise ValidationError(_("The %(year)s plan already has an action for this gap.") % {"year": plan.year})
    action = PlanAction(plan=plan, title=title, estimated_participants=participants)
    action.full_clean()
    action.save()
    return action
