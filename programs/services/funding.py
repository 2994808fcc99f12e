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
