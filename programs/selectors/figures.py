"""Read access to training delivery and planning: sessions, enrolments, needs, the annual plan, learning plans.

Every function runs a fixed number of queries whatever the size of the organisation; ``employees`` and ``units``
arguments are querysets, used as SQL subqueries.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import (
    Count, DecimalField, Exists, ExpressionWrapper, F, Func, IntegerField, Min, OuterRef, Prefetch, Q, QuerySet,
    Subquery, Sum, Value,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest

from programs.models import (
    Enrolment, LearningPlan, LearningPlanItem, PlanAction, Session, SessionDay, TrainingNeed, TrainingPlan,
    UnitTraining,
)


def upcoming_sessions(*, now: dt.datetime) -> dict:
    """Scheduled sessions that have not started yet, and their seats left (capacity minus seat-holding
    enrolments, never below zero per session), and when the first of them starts (the figures hold until then):
    ``{"sessions", "seats_left", "next_starts_at"}``. One query."""
    taken = (
        Enrolment.objects.filter(session=OuterRef("pk"), status__in=Enrolment.SEAT_HOLDING)
        .order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    seats_left = Greatest(
        F("capacity") - Coalesce(Subquery(taken, output_field=IntegerField()), 0), 0, output_field=IntegerField()
    )
    return Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now).aggregate(
        sessions=Count("pk"), seats_left=Coalesce(Sum(seats_left), 0), next_starts_at=Min("starts_at")
    )


def enrolments_awaiting_decision(employees: QuerySet | None = None) -> int:
    """Enrolment requests nobody has decided on yet, of ``employees`` (or of everyone)."""
    requests = Enrolment.objects.filter(status=Enrolment.Status.REQUESTED)
    if employees is not None:
        requests = requests.filter(employee__in=employees.values("pk"))
    return requests.count()


def needs_awaiting_triage(units: QuerySet | None = None) -> int:
    """Training needs waiting in the triage queue (``selectors.needs.needs_waiting``), of ``units`` or everyone."""
    from programs.selectors.needs import needs_waiting

    return needs_waiting(units=units).count()


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
    if plan is not None:  # the same "budget left" as the plan's own page (selectors.annual_plan.plan_totals)
        plan.remaining = plan.budget - plan.planned_cost
        plan.over_budget = plan.remaining < 0
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


# --- Dashboards --------------------------------------------------------------------------------------------------

_MONEY = DecimalField(max_digits=14, decimal_places=2)


def _sum(queryset: QuerySet, column: str) -> Coalesce:
    """A scalar ``(SELECT SUM(column) ...)`` of an amount of money in ``queryset``, zero when empty."""
    return _total(queryset, column, _MONEY)


def upcoming_sessions_with_seats(*, now: dt.datetime, limit: int = 8) -> list[Session]:
    """The next scheduled sessions that still have seats, soonest first, each with ``seats_left``; program loaded.
    One query."""
    taken = (
        Enrolment.objects.filter(session=OuterRef("pk"), status__in=Enrolment.SEAT_HOLDING)
        .order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    return list(
        Session.objects.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
        .annotate(seats_left=F("capacity") - Coalesce(Subquery(taken, output_field=IntegerField()), 0))
        .filter(seats_left__gt=0)
        .select_related("program")
        .order_by("starts_at", "pk")[:limit]
    )


def _count(queryset: QuerySet) -> Subquery:
    """A scalar ``(SELECT COUNT(*) ...)`` of ``queryset`` (COUNT as a plain function: no GROUP BY)."""
    total = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")[:1]
    return Coalesce(Subquery(total, output_field=IntegerField()), 0)


def training_figures(employees: QuerySet, *, start: dt.datetime, end: dt.datetime) -> dict:
    """Scalar subqueries (to be selected together, in one query, by the caller) over the training of ``employees``
    in sessions starting in [start, end): ``hours`` attended, ``completed`` enrolments and ``closed`` ones
    (attended, completed or no-show: those whose outcome is known). They scan those people's enrolments: the
    dashboards read a unit's figures from the training roll-up instead (``unit_training_figures``)."""
    enrolments = Enrolment.objects.filter(
        session__starts_at__gte=start, session__starts_at__lt=end, employee__in=employees.values("pk")
    )
    return {
        "hours": _sum(enrolments, "hours_attended"),
        "completed": _count(enrolments.filter(status=Enrolment.Status.COMPLETED)),
        "closed": _count(enrolments.filter(status__in=[
            Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED, Enrolment.Status.NO_SHOW,
        ])),
    }


def _total(queryset: QuerySet, column: str, output_field) -> Coalesce:
    """A scalar ``(SELECT SUM(column) ...)`` of ``queryset``, zero when empty (SUM as a plain function: no GROUP BY)."""
    total = queryset.order_by().annotate(total=Func(F(column), function="SUM")).values("total")[:1]
    return Coalesce(Subquery(total, output_field=output_field), 0, output_field=output_field)


def unit_training_figures(unit_id: int, *, year: int, group: str = "", minus: QuerySet | None = None) -> dict:
    """The figures of ``training_figures`` for the active employees of a unit's subtree in ``year`` (of one position
    group, or all), read from the training roll-up (a row per group of ``UnitTraining``, see
    ``services.training_rollup``) instead of the year's enrolments. ``minus``: employees of that subtree whose own
    training is taken off (a director's, on their board); a few rows of their own enrolments."""
    rows = UnitTraining.objects.filter(unit_id=unit_id, subtree=True, year=year)
    if group:
        rows = rows.filter(position_group=group)
    figures = {
        "hours": _total(rows, "hours", _MONEY),
        "completed": _total(rows, "completed", IntegerField()),
        "closed": _total(rows, "closed", IntegerField()),
    }
    if minus is not None:
        start, end = year_bounds(year)
        own = training_figures(minus, start=start, end=end)
        figures = {key: ExpressionWrapper(value - own[key], output_field=value.output_field)
                   for key, value in figures.items()}
    return figures


def year_bounds(year: int) -> tuple[dt.datetime, dt.datetime]:
    """The first instant of ``year`` and of the next one, local time: the period of a year's training figures."""
    from django.utils import timezone

    zone = timezone.get_current_timezone()
    return dt.datetime(year, 1, 1, tzinfo=zone), dt.datetime(year + 1, 1, 1, tzinfo=zone)


# --- The training figures' one definition: the roll-up, the dashboards and the funding justification read it ----

COUNTED_CLOSED = (Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED, Enrolment.Status.NO_SHOW)
PAID = (Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED)


def counted_enrolments(year: int) -> QuerySet:
    """The enrolments a year's training figures count: sessions starting in ``year`` (local time) whose outcome is
    known (attended, completed, no-show) or with hours attended."""
    start, end = year_bounds(year)
    return Enrolment.objects.filter(session__starts_at__gte=start, session__starts_at__lt=end).filter(
        Q(status__in=COUNTED_CLOSED) | Q(hours_attended__gt=0)
    )


def training_aggregates() -> dict:
    """The training figures as aggregates over ``counted_enrolments``: ``hours`` attended, ``completed`` and
    ``closed`` enrolments of ACTIVE employees, and ``seat_cost``, the cost of every seat paid (per-seat programs,
    attended or completed, whoever held it). ``services.training_rollup`` stores them per unit and group; the
    funding justification (``selectors.funding``) reads them per program."""
    active = Q(employee__active=True)
    return {
        "hours": Coalesce(Sum("hours_attended", filter=active), Value(Decimal("0"))),
        "completed": Count("pk", filter=active & Q(status=Enrolment.Status.COMPLETED)),
        "closed": Count("pk", filter=active & Q(status__in=COUNTED_CLOSED)),
        "seat_cost": Coalesce(
            Sum("session__program__cost", filter=Q(status__in=PAID, session__program__cost_basis="seat")),
            Value(Decimal("0")), output_field=_MONEY,
        ),
    }


def paid_sessions(start: dt.datetime, end: dt.datetime) -> QuerySet:
    """The sessions whose price is paid whole (per-session programs) and that ran: finished, starting in
    [start, end). Their programs' cost is the rest of what the training cost (``plan_figures``' ``spent``)."""
    return Session.objects.filter(
        status=Session.Status.FINISHED, program__cost_basis="session", starts_at__gte=start, starts_at__lt=end
    )


def plan_figures(*, year: int, start: dt.datetime, end: dt.datetime, units: QuerySet | None = None) -> dict:
    """Scalar subqueries over the annual plan of ``year``: ``plan_budget`` (None without a plan),
    ``planned_cost`` (its actions' estimated cost: committed) and ``spent`` (what the training delivered in
    [start, end) cost: per-seat programs × seats attended or completed, per-session programs × finished sessions),
    and ``needs_waiting`` (``selectors.needs.needs_waiting``: of ``units``, a unit subtree, when given). The plan's
    figures are the whole organisation's: a plan and its budget are not split by unit."""
    from programs.selectors.needs import needs_waiting

    if (start, end) == year_bounds(year):  # the seats paid, from the training roll-up's roots
        seats_paid = _sum(UnitTraining.objects.filter(subtree=True, year=year, unit__depth=0), "seat_cost")
    else:  # another period (a monthly report): its enrolments
        seats_paid = _sum(Enrolment.objects.filter(
            status__in=[Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED],
            session__program__cost_basis="seat", session__starts_at__gte=start, session__starts_at__lt=end,
        ), "session__program__cost")
    sessions = paid_sessions(start, end)
    return {
        "plan_budget": Subquery(TrainingPlan.objects.filter(year=year).values("budget")[:1], output_field=_MONEY),
        "planned_cost": _sum(PlanAction.objects.filter(plan__year=year), "estimated_cost"),
        "spent": seats_paid + _sum(sessions, "program__cost"),
        "needs_waiting": _count(needs_waiting(units=units)),
    }


def plans_in_year_figure(employees: QuerySet, *, year: int) -> dict:
    """A scalar subquery: how many of ``employees`` have a learning plan overlapping ``year`` (``with_plan``)."""
    plan = LearningPlan.objects.filter(
        employee=OuterRef("pk"), period_start__lte=dt.date(year, 12, 31), period_end__gte=dt.date(year, 1, 1)
    )
    return {"with_plan": _count(employees.filter(Exists(plan)))}


# --- Hours taught by internal trainers (clo.talent's pool of trainers reads them) ---------------------------------
# A session's hours: its days' hours (what attendance is recorded against; ``services.delivery.session_save`` shares
# the program's hours among them), or its program's hours for a session recorded without days (historic imports).

_HOURS = DecimalField(max_digits=10, decimal_places=1)


def delivered_sessions(year: int) -> QuerySet:
    """The sessions of ``year`` that were delivered: finished, starting in the year (local time, ``year_bounds``)."""
    start, end = year_bounds(year)
    return Session.objects.filter(status=Session.Status.FINISHED, starts_at__gte=start, starts_at__lt=end)


def _taught(trainer, *, year: int | None = None) -> tuple[QuerySet, QuerySet]:
    """The days of the finished sessions ``trainer`` taught, and those sessions that have no days (of ``year``)."""
    days = SessionDay.objects.filter(session__internal_trainer_id=trainer, session__status=Session.Status.FINISHED)
    sessions = Session.objects.filter(internal_trainer_id=trainer, status=Session.Status.FINISHED).filter(
        ~Exists(SessionDay.objects.filter(session=OuterRef("pk"))))
    if year is not None:
        start, end = year_bounds(year)
        days = days.filter(session__starts_at__gte=start, session__starts_at__lt=end)
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=end)
    return days, sessions


def hours_taught(*, year: int, trainer: str = "pk"):
    """A scalar expression: the hours the internal trainer that ``trainer`` names (an outer query's employee pk)
    taught in ``year``, the hours of the delivered sessions (``delivered_sessions``) they taught."""
    days, sessions = _taught(OuterRef(trainer), year=year)
    return ExpressionWrapper(_total(days, "hours", _HOURS) + _total(sessions, "program__hours", _HOURS),
                             output_field=_HOURS)


def hours_taught_by_year(employee_id: int) -> list[dict]:
    """The hours ``employee_id`` taught as an internal trainer per year (of the session's start, local time), latest
    first, as ``hours_taught`` counts them: ``[{"year", "hours", "sessions"}]``. Two queries."""
    days, sessions = _taught(employee_id)
    totals: dict[int, dict] = {}
    for row in (days.annotate(year=ExtractYear("session__starts_at")).order_by().values("year")
                .annotate(hours=Sum("hours"), sessions=Count("session", distinct=True))):
        totals[row["year"]] = row
    for row in (sessions.annotate(year=ExtractYear("starts_at")).order_by().values("year")
                .annotate(hours=Sum("program__hours"), sessions=Count("pk"))):
        total = totals.setdefault(row["year"], {"year": row["year"], "hours": Decimal("0"), "sessions": 0})
        total["hours"] += row["hours"]
        total["sessions"] += row["sessions"]
    return sorted(totals.values(), key=lambda row: -row["year"])
