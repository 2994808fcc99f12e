"""Reads of the annual training plan: its actions (with the needs they serve and the interest in their programs), its
totals and budget left, and the list of plans. Each function runs a fixed number of queries."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, Prefetch, Sum
from django.db.models.functions import Coalesce

from programs.models import PlanAction, TrainingNeed, TrainingPlan

MONEY = DecimalField(max_digits=14, decimal_places=2)
# Sums in euros and cents: SQLite's sum drops the cents of a whole number (PostgreSQL's keeps the column's scale).
CENT = Decimal("0.01")


def plan_actions(plan: TrainingPlan) -> list[PlanAction]:
    """The plan's actions with their program and the needs (and units) they serve. Two queries."""
    needs = TrainingNeed.objects.select_related("unit").order_by("unit__name", "title")
    return list(
        plan.actions.select_related("program").prefetch_related(Prefetch("needs", queryset=needs))
        .order_by("title", "pk")
    )


def plan_totals(plan: TrainingPlan) -> dict:
    """Estimated cost, hours and participants of the plan, overall and by funding source; budget left. One
    query."""
    rows = list(
        plan.actions.order_by().values("funding").annotate(
            cost=Coalesce(Sum("estimated_cost"), Decimal("0"), output_field=MONEY),
            hours=Coalesce(Sum("estimated_hours"), Decimal("0"), output_field=MONEY),
            participants=Coalesce(Sum("estimated_participants"), 0),
            actions=Count("pk"),
        )
    )
    labels = dict(PlanAction.Funding.choices)
    by_funding = [
        {**row, "label": labels.get(row["funding"], row["funding"])}
        for row in sorted(rows, key=lambda r: list(labels).index(r["funding"]) if r["funding"] in labels else 99)
    ]
    cost = sum((r["cost"] for r in rows), Decimal("0"))
    return {
        "by_funding": by_funding,
        "cost": cost,
        "hours": sum((r["hours"] for r in rows), Decimal("0")),
        "participants": sum(r["participants"] for r in rows),
        "actions": sum(r["actions"] for r in rows),
        "remaining": plan.budget - cost,
        "over_budget": cost > plan.budget,
    }


def plans() -> list[TrainingPlan]:
    """Every annual plan with its estimated cost, in euros and cents. One query."""
    found = list(
        TrainingPlan.objects.annotate(planned_cost=Coalesce(Sum("actions__estimated_cost"), Decimal("0"),
                                                            output_field=MONEY)).order_by("-year")
    )
    for plan in found:
        plan.planned_cost = plan.planned_cost.quantize(CENT)
    return found


def plan_actions_with_interest(plan: TrainingPlan) -> list[PlanAction]:
    """``plan_actions``, each with ``interested``: the people who registered interest in its program (demand the
    needs do not show). One more query."""
    from programs.selectors.catalogue import interest_counts

    actions = plan_actions(plan)
    counts = interest_counts({action.program_id for action in actions})
    for action in actions:
        action.interested = counts.get(action.program_id, 0)
    return actions
