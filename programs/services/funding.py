"""Writes of the annual plan's funding: what the application asks of an action (editions, participants by group,
collective), the amount granted and the cost incurred. Open while the plan is not closed: the grant and the costs
arrive after approval."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programs.models import PlanAction, TrainingPlan


@transaction.atomic
def plan_action_funding_update(
    *, action: PlanAction, planned_editions: int, planned_by_group: dict[str, int], collective: str,
    granted_amount: Decimal, incurred_cost: Decimal,
) -> PlanAction:
    """Record an action's funding figures. Groups with no participant are left out of ``planned_by_group``."""
    action = PlanAction.objects.select_for_update().select_related("plan").get(pk=action.pk)
    if action.plan.status == TrainingPlan.Status.CLOSED:
        raise ValidationError(_("The %(year)s plan is closed: its funding cannot change.") % {"year": action.plan.year})
    action.planned_editions = planned_editions
    action.planned_by_group = {group: int(n) for group, n in planned_by_group.items() if n}
    action.collective = collective
    action.granted_amount = granted_amount
    action.incurred_cost = incurred_cost
    action.full_clean()
    action.save(update_fields=["planned_editions", "planned_by_group", "collective", "granted_amount",
                               "incurred_cost"])
    return action


@transaction.atomic
def plan_funding_kind_update(*, plan: TrainingPlan, kind: str, entities: list[tuple[str, int]]) -> TrainingPlan:
    """Set who applies for the plan's funding: a unitary plan (the organisation alone, which needs at least
    ``TrainingPlan.UNITARY_MINIMUM_STAFF`` active staff) or a grouped one (the organisation and the other
    ``entities``, each a name and its staff; at least one)."""
    from django.conf import settings

    from clo.people.selectors import headcount

    plan = TrainingPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status == TrainingPlan.Status.CLOSED:
        raise ValidationError(_("The %(year)s plan is closed: its funding cannot change.") % {"year": plan.year})
    if kind == TrainingPlan.FundingKind.UNITARY:
        staff = headcount()
        if staff < TrainingPlan.UNITARY_MINIMUM_STAFF:
            raise ValidationError({"funding_kind": _(
                "A unitary plan is for one entity with at least %(minimum)s staff, and %(name)s has %(staff)s: "
                "choose a grouped plan and list the entities that take part with it."
            ) % {"minimum": TrainingPlan.UNITARY_MINIMUM_STAFF, "name": settings.CLO_ORGANISATION_NAME,
                 "staff": staff}})
        entities = []
    elif not entities:
        raise ValidationError({"funding_entities": _(
            "A grouped plan lists at least one other entity that takes part, with its staff.")})
    plan.funding_kind = kind
    plan.funding_entities = [{"name": name, "staff": int(staff)} for name, staff in entities]
    plan.full_clean()
    plan.save(update_fields=["funding_kind", "funding_entities"])
    return plan
