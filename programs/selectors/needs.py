"""Reads of the needs-detection campaign and the triage.

Every function runs a fixed number of queries whatever the size of the organisation (lists are paginated by the
caller or bounded by the plan's actions). Scope is applied with ``TrainingNeed.objects.visible_to(user)``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When

from clo.people import roles
from programs.models import NeedEvent, NeedsCampaign, TrainingNeed

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

def can_triage(user: User | AnonymousUser) -> bool:
    """The triage queue, and accepting, merging or refusing needs, are the learning office's."""
    return roles.is_learning_office(user)


def open_campaign(*, today: dt.date) -> NeedsCampaign | None:
    """The campaign directors are working on today (open, already opened), the nearest deadline first. One query."""
    return (
        NeedsCampaign.objects.filter(status=NeedsCampaign.Status.OPEN, opens_on__lte=today)
        .order_by("deadline", "year").first()
    )


def campaigns_with_counts() -> list[NeedsCampaign]:
    """Every campaign with ``needs_submitted`` (needs out of draft) and ``units_submitting`` for its year. Two
    queries."""
    campaigns = list(NeedsCampaign.objects.order_by("-year"))
    counts = {
        row["year"]: row
        for row in TrainingNeed.objects.exclude(status=TrainingNeed.Status.DRAFT)
        .filter(year__in=[c.year for c in campaigns]).order_by().values("year")
        .annotate(needs=Count("pk"), units=Count("unit", distinct=True))
    }
    for campaign in campaigns:
        row = counts.get(campaign.year, {})
        campaign.needs_submitted = row.get("needs", 0)
        campaign.units_submitting = row.get("units", 0)
    return campaigns


def needs_list(user: User | AnonymousUser, *, status: str = "", year: int | None = None, unit_id: int | None = None,
               q: str = "") -> QuerySet:
    """Needs the user may see, newest first, with unit and submitter (for a paginated table)."""
    needs = TrainingNeed.objects.visible_to(user).select_related("unit", "submitted_by").order_by("-created_at", "-pk")
    if status:
        needs = needs.filter(status=status)
    if year:
        needs = needs.filter(year=year)
    if unit_id:
        needs = needs.filter(unit_id=unit_id)
    if q:
        needs = needs.filter(Q(title__icontains=q) | Q(justification__icontains=q))
    return needs


def needs_waiting(*, units: QuerySet | None = None) -> QuerySet:
    """The one definition of "needs awaiting triage", read by the triage page, the home page, the dashboards and
    the monthly report: needs waiting for the learning office (submitted, or sent back for more information: both
    are in the triage queue), of ``units`` (a queryset of units, e.g. a subtree) or of everyone."""
    needs = TrainingNeed.objects.filter(status__in=TrainingNeed.TRIAGEABLE)
    if units is not None:
        needs = needs.filter(unit__in=units.values("pk"))
    return needs


def triage_queue(*, year: int | None = None) -> QuerySet:
    """Needs waiting for the learning office (``needs_waiting``), high priority first, with their competencies.
    Paginated by the caller."""
    needs = needs_waiting()
    if year:
        needs = needs.filter(year=year)
    priority_order = {TrainingNeed.Priority.HIGH: 0, TrainingNeed.Priority.MEDIUM: 1, TrainingNeed.Priority.LOW: 2}
    rank = Case(*[When(priority=p, then=Value(r)) for p, r in priority_order.items()], output_field=IntegerField())
    return (
        needs.select_related("unit", "submitted_by").prefetch_related("competencies")
        .annotate(priority_rank=rank).order_by("priority_rank", "submitted_at", "pk")
    )


def need_for_page(user: User | AnonymousUser, need_id: int) -> TrainingNeed | None:
    """One need the user may see, with everything its page shows (unit, submitter, plan action and program,
    competencies, targets, merged needs, history with actors). Seven queries."""
    events = NeedEvent.objects.select_related("actor", "actor__employee").order_by("at", "pk")
    return (
        TrainingNeed.objects.visible_to(user)
        .select_related("unit", "submitted_by", "plan_action__plan", "plan_action__program", "merged_into")
        .prefetch_related("competencies", "target_positions", "target_employees", "merged_needs__unit",
                          Prefetch("events", queryset=events))
        .filter(pk=need_id).first()
    )


# --- Home page notices -----------------------------------------------------------------------------------------

DECISIONS = (NeedEvent.Kind.ACCEPTED, NeedEvent.Kind.REJECTED, NeedEvent.Kind.MORE_INFO, NeedEvent.Kind.MERGED)


def needs_decided_since(scope: roles.Scope, *, since: dt.datetime, limit: int = 10) -> list[NeedEvent]:
    """The learning office's decisions since ``since`` on the needs a person asked for, and for a director on the
    needs of their units: newest first, at most ``limit``, each with its need. One query (none for nobody)."""
    condition = Q()
    if scope.employee_id:
        condition |= Q(need__submitted_by_id=scope.employee_id)
    if scope.has(roles.DIRECTOR) and not scope.everything:
        for path in scope.unit_paths:
            condition |= Q(need__unit__path__startswith=path)
    if not condition:
        return []
    return list(
        NeedEvent.objects.filter(condition, kind__in=DECISIONS, at__gte=since).select_related("need")
        .order_by("-at", "-pk")[:limit]
    )
