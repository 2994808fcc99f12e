"""Read access to training delivery and planning: sessions, enrolments, needs, the annual plan, learning plans.

Every function runs a fixed number of queries whatever the size of the organisation; ``employees`` and ``units``
arguments are querysets, used as SQL subqueries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, Greatest

from programs.models import Enrolment, LearningPlan, LearningPlanItem, Session, TrainingNeed, TrainingPlan


def upcoming_sessions(*, now: dt.datetime) -> dict[str, int]:
    """Scheduled sessions that have not started yet, and their seats left (capacity minus seat-holding
    enrolments, never below zero per session): ``{"sessions", "seats_left"}``. One query."""
    taken = (
        Enrolment.objects.filter(session=OuterRef("pk"), status__in=Enrolment.SEAT_HOLDING)
        .order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    seats_left = Greatest(
        F("capacity") - Coalesce(Subquery(taken, output_field=IntegerField()), 0), 0, output_field=IntegerField()
    )
    return Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now).aggregate(
        sessions=Count("pk"), seats_left=Coalesce(Sum(seats_left), 0)
    )


def enrolments_awaiting_decision(employees: QuerySet | None = None) -> int:
    """Enrolment requests nobody has decided on yet, of ``employees`` (or of everyone)."""
    requests = Enrolment.objects.filter(status=Enrolment.Status.REQUESTED)
    if employees is not None:
        requests = requests.filter(employee__in=employees.values("pk"))
    return requests.count()


def needs_awaiting_triage() -> int:
    """Training needs submitted by directors that the learning office has not triaged yet."""
    return TrainingNeed.objects.filter(status=TrainingNeed.Status.SUBMITTED).count()


def needs_by_status(units: QuerySet) -> list[dict]:
    """Training needs of ``units`` by status: ``[{"status", "label", "count"}]`` in the choices' order, statuses
    with no need left out. One query."""
    counts = dict(
        TrainingNeed.objects.filter(unit__in=units.values("pk")).order_by().values_list("status")
        .annotate(n=Count("pk"))
    )
    return [
        {"status": value, "label": label, "count": counts[value]}
        for value, label in TrainingNeed.Status.choices
        if counts.get(value)
    ]


def training_plan_budget(*, year: int) -> TrainingPlan | None:
    """The annual training plan of ``year`` with ``planned_cost`` (sum of its actions' estimated cost) and
    ``remaining`` (budget minus planned cost), or None if there is no plan for that year. One query."""
    plan = (
        TrainingPlan.objects.filter(year=year)
        .annotate(
            planned_cost=Coalesce(
                Sum("actions__estimated_cost"), Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2)
            )
        )
        .first()
    )
    if plan is not None:
        plan.remaining = plan.budget - plan.planned_cost
    return plan


def employees_with_plan_in_year(employees: QuerySet, *, year: int) -> int:
    """How many of ``employees`` have a learning plan whose period overlaps ``year``."""
    plan = LearningPlan.objects.filter(
        employee=OuterRef("pk"), period_start__lte=dt.date(year, 12, 31), period_end__gte=dt.date(year, 1, 1)
    )
    return employees.filter(Exists(plan)).count()


def employee_enrolments(employee_id: int, *, limit: int = 20) -> list[Enrolment]:
    """An employee's latest enrolments (by session start), with session and program. One query."""
    return list(
        Enrolment.objects.filter(employee_id=employee_id)
        .select_related("session__program")
        .order_by("-session__starts_at", "-pk")[:limit]
    )


def current_learning_plan(employee_id: int, *, today: dt.date) -> LearningPlan | None:
    """The employee's learning plan in force on ``today`` (not closed), items prefetched. Two queries."""
    items = LearningPlanItem.objects.select_related("program", "competency").order_by("due_date", "pk")
    return (
        LearningPlan.objects.filter(employee_id=employee_id, period_start__lte=today, period_end__gte=today)
        .exclude(status=LearningPlan.Status.CLOSED)
        .order_by("-period_start")
        .prefetch_related(Prefetch("items", queryset=items))
        .first()
    )
