"""Reads of the annual plan's funding (AFEDAP and the others): the application, the execution follow-up and the
justification at year end.

The application's columns are ``APPLICATION_COLUMNS``, one declarative list (heading, value) that the page, the
XLSX and the PDF all read: next year's form is a change there. The follow-up and the justification read the
delivered figures per program from the training figures' one definition (``selectors.figures.training_aggregates``
and ``paid_sessions``), so their totals, with the training outside the plan, are the dashboard's for the year.
An action is delivered through the sessions of its program starting in the plan's year (local time); when two
actions share a program, the first (by title) carries what was delivered.

Each function runs a fixed number of queries whatever the size of the plan or of the organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.people.models import Position
from programs.models import Enrolment, PlanAction, Session, TrainingPlan
from programs.selectors.figures import counted_enrolments, paid_sessions, training_aggregates, year_bounds

ZERO = Decimal("0")


@dataclass(frozen=True)
class Column:
    """A column of the funding body's form: its heading (translated in the document's language) and the value of
    an action."""

    heading: Promise | str
    value: Callable[[Any], object]  # of an action (of the plan's applicant for ``APPLICATION_HEADER``)
    decimals: int | None = None  # a number, shown with this many decimals; None: text


def _hours_per_edition(action: PlanAction) -> Decimal:
    if action.program is not None:
        return action.program.hours
    return (action.estimated_hours / action.planned_editions) if action.planned_editions else action.estimated_hours


def _group(code: str) -> Callable[[PlanAction], int]:
    return lambda action: int((action.planned_by_group or {}).get(code, 0) or 0)


# The application form (sol·licitud de fons AFEDAP, pla de formació): one row per action. Change this list when the
# form changes.
APPLICATION_COLUMNS: list[Column] = [
    Column(_("Funding source"), lambda a: a.get_funding_display()),
    Column(pgettext_lazy("funding form", "Code"), lambda a: a.program.code if a.program else ""),
    Column(_("Action"), lambda a: a.title),
    Column(_("Modality"), lambda a: a.program.get_modality_display() if a.program else ""),
    Column(_("Hours per edition"), _hours_per_edition, decimals=1),
    Column(_("Editions"), lambda a: a.planned_editions, decimals=0),
    Column(_("Total hours"), lambda a: a.estimated_hours, decimals=1),
    *[Column(format_lazy("{} {}", pgettext_lazy("funding form", "Participants"), code), _group(code), decimals=0)
      for code in Position.Group.values],
    Column(_("Target collective"), lambda a: a.collective),
    Column(_("Planned participants"), lambda a: a.estimated_participants, decimals=0),
    Column(_("Cost (€)"), lambda a: a.estimated_cost, decimals=2),
]


def plan_entities(plan: TrainingPlan) -> dict:
    """Who applies: the kind of plan (unitary or grouped), the organisation (which promotes a grouped plan) with its
    active staff, and a grouped plan's other participating entities with theirs (``{"kind", "label", "entities":
    [{"name", "staff", "promoter"}], "staff"}``). One query (the headcount counters)."""
    from clo.people.selectors import headcount

    entities = [{"name": settings.CLO_ORGANISATION_NAME, "staff": headcount(), "promoter": True}]
    if plan.funding_kind == TrainingPlan.FundingKind.GROUPED:
        entities += [{"name": e["name"], "staff": int(e["staff"]), "promoter": False}
                     for e in plan.funding_entities or []]
    return {"kind": plan.funding_kind, "label": plan.get_funding_kind_display(), "entities": entities,
            "staff": sum(e["staff"] for e in entities)}


def _entity(entity: dict) -> str:
    return f"{entity['name']} ({entity['staff']})"


# The application's heading (the plan's applicant), above the actions: (label, value of ``plan_entities``). The page,
# the XLSX and the PDF read it, as they read ``APPLICATION_COLUMNS``.
APPLICATION_HEADER: list[Column] = [
    Column(_("Kind of plan"), lambda who: who["label"]),
    Column(_("Applicant entity (staff)"), lambda who: _entity(who["entities"][0])),
    Column(_("Other participating entities (staff)"),
           lambda who: "; ".join(_entity(e) for e in who["entities"][1:])),
    Column(_("Staff of the entities"), lambda who: who["staff"], decimals=0),
]


def _funding_order(action: PlanAction) -> int:
    values = list(PlanAction.Funding.values)
    return values.index(action.funding) if action.funding in values else len(values)


@dataclass
class ApplicationRow:
    action: PlanAction
    cells: list[dict]  # {"value", "decimals"} per column of APPLICATION_COLUMNS


def application(plan: TrainingPlan) -> dict:
    """The application: who applies (``header``: label and value of each of ``APPLICATION_HEADER``, and ``entities``,
    ``plan_entities``), then the plan's actions by funding source (``{"sources": [{"funding", "label", "rows",
    "cost", "participants", "hours"}], "columns", "rows", "cost"}``), each an ``ApplicationRow`` after
    ``APPLICATION_COLUMNS``. Two queries."""
    actions = sorted(plan.actions.select_related("program").order_by("title", "pk"), key=_funding_order)
    labels = dict(PlanAction.Funding.choices)
    sources: dict[str, dict] = {}
    rows = []
    for action in actions:
        source = sources.setdefault(action.funding, {
            "funding": action.funding, "label": labels.get(action.funding, action.funding), "rows": [],
            "cost": ZERO, "participants": 0, "hours": ZERO,
        })
        row = ApplicationRow(action, [{"value": column.value(action), "decimals": column.decimals}
                                      for column in APPLICATION_COLUMNS])
        rows.append(row)
        source["rows"].append(row)
        source["cost"] += action.estimated_cost
        source["participants"] += action.estimated_participants
        source["hours"] += action.estimated_hours
    who = plan_entities(plan)
    header = [{"label": column.heading, "value": column.value(who), "decimals": column.decimals}
              for column in APPLICATION_HEADER]
    return {"sources": list(sources.values()), "columns": APPLICATION_COLUMNS, "rows": rows,
            "cost": sum((s["cost"] for s in sources.values()), ZERO), "entities": who, "header": header}


# --- Delivered -----------------------------------------------------------------------------------------------------


def attendance_threshold() -> Decimal:
    """The share of a program's hours a completed participant attended for the funding body to count them."""
    return Decimal(settings.CLO_FUNDING_ATTENDANCE_PERCENT) / 100


def _delivered_by_program(year: int, program_ids: set[int]) -> dict[int, dict]:
    """Per program, the year's training figures (``training_aggregates``), ``justified`` (completed by active
    people who attended at least the threshold), and the sessions: ``sessions`` (not cancelled, starting in the
    year), ``editions_run`` (finished) and ``session_cost`` (``paid_sessions``). Two queries."""
    threshold = attendance_threshold()
    justified = Q(employee__active=True, status=Enrolment.Status.COMPLETED,
                  hours_attended__gte=F("session__program__hours") * threshold)
    figures = {
        row["session__program_id"]: row
        for row in counted_enrolments(year).filter(session__program_id__in=program_ids).order_by()
        .values("session__program_id").annotate(**training_aggregates(), justified=Count("pk", filter=justified))
    }
    start, end = year_bounds(year)
    paid = paid_sessions(start, end).values("pk")
    sessions = (
        Session.objects.filter(program_id__in=program_ids, starts_at__gte=start, starts_at__lt=end)
        .exclude(status=Session.Status.CANCELLED).order_by().values("program_id")
        .annotate(sessions=Count("pk"), editions_run=Count("pk", filter=Q(status=Session.Status.FINISHED)),
                  session_cost=Sum("program__cost", filter=Q(pk__in=paid)))
    )
    delivered: dict[int, dict] = {}
    for row in sessions:
        delivered[row["program_id"]] = {"sessions": row["sessions"], "editions_run": row["editions_run"],
                                        "session_cost": row["session_cost"] or ZERO}
    for program_id, row in figures.items():
        delivered.setdefault(program_id, {"sessions": 0, "editions_run": 0, "session_cost": ZERO}).update(
            hours=row["hours"], completed=row["completed"], justified=row["justified"], seat_cost=row["seat_cost"])
    return delivered


@dataclass
class Alert:
    code: str
    message: str


@dataclass
class Execution:
    """Planned against delivered for one action."""

    action: PlanAction
    sessions: int = 0
    editions_run: int = 0
    completed: int = 0
    justified: int = 0
    hours: Decimal = ZERO
    cost: Decimal = ZERO  # what the delivered training cost (the dashboard's "spent")
    alerts: list[Alert] = field(default_factory=list)

    @property
    def grant_left(self) -> Decimal:
        return self.action.granted_amount - self.action.incurred_cost


def _alerts(row: Execution, *, year_over: bool) -> list[Alert]:
    """Why an action will not (or did not) run in time to be justified by the plan's year end."""
    action, alerts = row.action, []
    if action.program_id is None:
        alerts.append(Alert("no_program", str(_("No program: nothing can be delivered."))))
    elif row.sessions == 0:
        alerts.append(Alert("no_session", str(_("No session before the end of the year."))))
    elif row.sessions < action.planned_editions:
        alerts.append(Alert("fewer_sessions", str(
            _("%(sessions)s of %(editions)s planned editions before the end of the year.")
            % {"sessions": row.sessions, "editions": action.planned_editions})))
    if action.incurred_cost > action.granted_amount and action.granted_amount > 0:
        alerts.append(Alert("over_grant", str(_("The incurred cost exceeds the granted amount."))))
    if year_over and row.editions_run < min(row.sessions, action.planned_editions):
        alerts.append(Alert("not_finished", str(_("Sessions of the year not closed as finished."))))
    return alerts


def execution(plan: TrainingPlan, *, now: dt.datetime) -> dict:
    """The follow-up of the plan's year: one ``Execution`` per action (planned vs delivered, alerts), the totals and
    ``outside``: what the year's training outside the plan's programs delivered. ``year_over``: ``now`` is past the
    plan's year end (local time). Four queries."""
    start, end = year_bounds(plan.year)
    actions = list(plan.actions.select_related("program").order_by("title", "pk"))
    program_ids = {a.program_id for a in actions if a.program_id}
    delivered = _delivered_by_program(plan.year, program_ids)
    year_over = now >= end
    rows, taken = [], set()
    for action in actions:
        row = Execution(action)
        if action.program_id and action.program_id not in taken:
            taken.add(action.program_id)
            figures = delivered.get(action.program_id, {})
            row.sessions, row.editions_run = figures.get("sessions", 0), figures.get("editions_run", 0)
            row.completed, row.justified = figures.get("completed", 0), figures.get("justified", 0)
            row.hours = figures.get("hours", ZERO)
            row.cost = figures.get("seat_cost", ZERO) + figures.get("session_cost", ZERO)
        row.alerts = _alerts(row, year_over=year_over)
        rows.append(row)
    total = _year_total(plan.year, start, end)
    totals = {
        "completed": sum(r.completed for r in rows), "justified": sum(r.justified for r in rows),
        "hours": sum((r.hours for r in rows), ZERO), "cost": sum((r.cost for r in rows), ZERO),
        "granted": sum((r.action.granted_amount for r in rows), ZERO),
        "incurred": sum((r.action.incurred_cost for r in rows), ZERO),
        "planned_editions": sum(r.action.planned_editions for r in rows),
        "sessions": sum(r.sessions for r in rows), "editions_run": sum(r.editions_run for r in rows),
    }
    outside = {key: total[key] - totals[key] for key in ("completed", "hours", "cost")}
    return {"rows": rows, "totals": totals, "outside": outside, "year": total, "year_over": year_over,
            "alerts": sum(len(r.alerts) for r in rows), "threshold": settings.CLO_FUNDING_ATTENDANCE_PERCENT}


def _year_total(year: int, start: dt.datetime, end: dt.datetime) -> dict:
    """The year's training figures for everyone (the dashboard's for the whole organisation). Two queries."""
    figures = counted_enrolments(year).order_by().aggregate(**training_aggregates())
    sessions = paid_sessions(start, end).aggregate(cost=Sum("program__cost"))["cost"] or ZERO
    return {"completed": figures["completed"], "hours": figures["hours"] or ZERO,
            "cost": (figures["seat_cost"] or ZERO) + sessions}


def justified_people(plan: TrainingPlan, actions: list[Execution]) -> QuerySet:
    """The people who completed each action in the plan's year (active employees, as the figures count them), with
    their session and program, in the actions' order: the justification's annex. One query when evaluated."""
    program_ids = [row.action.program_id for row in actions if row.completed]
    return (
        counted_enrolments(plan.year)
        .filter(session__program_id__in=program_ids, status=Enrolment.Status.COMPLETED, employee__active=True)
        .select_related("employee__unit", "session__program")
        .order_by("session__program__code", "employee__last_name", "employee__first_name", "pk")
    )


def justification(plan: TrainingPlan, *, now: dt.datetime) -> dict:
    """The justification at year end: the follow-up (``execution``) and, per action, the people who completed it
    with their attendance (share of the program's hours) and whether it reaches the threshold. Five queries."""
    report = execution(plan, now=now)
    by_program: dict[int, list[Enrolment]] = {}
    threshold = attendance_threshold()
    for enrolment in justified_people(plan, report["rows"]):
        hours = enrolment.session.program.hours
        enrolment.attendance = (enrolment.hours_attended / hours) if hours else None
        enrolment.justified = hours == 0 or enrolment.hours_attended >= hours * threshold
        by_program.setdefault(enrolment.session.program_id, []).append(enrolment)
    for row in report["rows"]:
        row.people = by_program.get(row.action.program_id, []) if row.completed else []
    return report
