"""Reads of the API: the tokens for their page, and the figures BI reads, from the stored roll-ups (the same rows
the dashboards add up: one definition per figure). Another app's models are reached by their label
(``apps.get_model``), never by their module, so that they may move inside their app.

No collection here holds an individual rating: the gap figures are per unit and competency, the results per
program (groups below ``programs.selectors.MIN_GROUP`` are left out, as on the dashboards)."""

from __future__ import annotations

from django.apps import apps
from django.db.models import Q, QuerySet

from clo.api.models import ApiToken


def tokens_for_page() -> QuerySet:
    return ApiToken.objects.select_related("created_by", "unit").order_by("-created_at")


def _in_scope(queryset: QuerySet, token: ApiToken, field: str = "unit") -> QuerySet:
    """Narrow to the token's unit subtree, as ``OrgUnit.objects.visible_to`` does for a director."""
    if token.unit_id is None:
        return queryset
    return queryset.filter(**{f"{field}__path__startswith": token.unit.path})


def gap_rollups(token: ApiToken, *, unit: int | None, subtree: bool | None, competency: int | None,
                area: int | None) -> QuerySet:
    queryset = apps.get_model("evaluations", "UnitCompetencyGap").objects.all()
    filters = {key: value for key, value in {"unit_id": unit, "subtree": subtree, "competency_id": competency,
                                               "area_id": area}.items() if value is not None}
    return _in_scope(queryset.filter(**filters), token).values(
        "id", "unit_id", "unit__code", "subtree", "competency_id", "area_id", "people", "people_with_gap",
        "people_not_assessed", "requirements", "requirements_met", "not_assessed", "gap_sum", "weight_sum",
        "weighted_gap_sum", "critical_gaps")


def headcounts(token: ApiToken, *, unit: int | None, position_group: str | None) -> QuerySet:
    queryset = apps.get_model("people", "UnitHeadcount").objects.all()
    if unit is not None:
        queryset = queryset.filter(unit_id=unit)
    if position_group:
        queryset = queryset.filter(position_group=position_group)
    return _in_scope(queryset, token).values("id", "unit_id", "unit__code", "position_group", "active")


def training(token: ApiToken, *, unit: int | None, year: int | None, subtree: bool | None,
             position_group: str | None) -> QuerySet:
    queryset = apps.get_model("programs", "UnitTraining").objects.all()
    filters = {key: value for key, value in {"unit_id": unit, "year": year, "subtree": subtree,
                                               "position_group": position_group or None}.items()
               if value is not None}
    return _in_scope(queryset.filter(**filters), token).values(
        "id", "unit_id", "unit__code", "subtree", "year", "position_group", "hours", "completed", "closed",
        "seat_cost")


def needs(token: ApiToken, *, year: int | None, unit: int | None, status: str | None) -> QuerySet:
    """The needs, without who sent them (a person's name is not a figure)."""
    queryset = apps.get_model("programs", "TrainingNeed").objects.all()
    filters = {key: value for key, value in {"year": year, "unit_id": unit, "status": status or None}.items()
               if value is not None}
    return _in_scope(queryset.filter(**filters), token).values(
        "id", "unit_id", "unit__code", "year", "title", "status", "priority", "estimated_participants",
        "plan_action_id")


def plan_actions(token: ApiToken, *, year: int | None) -> QuerySet:
    queryset = apps.get_model("programs", "PlanAction").objects.all()
    if year is not None:
        queryset = queryset.filter(plan__year=year)
    if token.unit_id is not None:  # the actions that answer a need of the token's units
        queryset = queryset.filter(needs__unit__path__startswith=token.unit.path).distinct()
    return queryset.values("id", "plan_id", "plan__year", "program_id", "title", "estimated_cost",
                           "estimated_hours", "estimated_participants", "funding")


def program_results(token: ApiToken, *, program: int | None) -> QuerySet:
    from programs.selectors import MIN_GROUP

    queryset = apps.get_model("programs", "ProgramResultSnapshot").objects.filter(
        Q(completers__gte=MIN_GROUP) & Q(comparison__gte=MIN_GROUP))
    if program is not None:
        queryset = queryset.filter(program_id=program)
    return queryset.values("id", "program_id", "run_id", "completers", "comparison", "completers_change",
                           "comparison_change", "difference", "computed_at")


def register_employees(token: ApiToken, *, active: bool | None) -> QuerySet:
    """The staff register as clo holds it, for the HR system to compare (the register scope only)."""
    queryset = apps.get_model("people", "Employee").objects.all()
    if active is not None:
        queryset = queryset.filter(active=active)
    return _in_scope(queryset, token).values("id", "employee_number", "unit__code", "position__code", "active")


def webhooks_for_page() -> QuerySet:
    from django.db.models import Count

    from clo.api.models import Webhook

    return Webhook.objects.select_related("created_by").annotate(
        failed=Count("deliveries", filter=Q(deliveries__status="failed"))).order_by("-created_at")


def webhook_deliveries(webhook) -> QuerySet:
    """The delivery log of ``webhook``, newest first (index api_webhookdelivery_log)."""
    return webhook.deliveries.order_by("-created_at", "-pk")
