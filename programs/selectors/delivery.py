"""Reads of training delivery: sessions, enrolments, attendance and the training record.

Every function runs a fixed number of queries whatever the size of the organisation or of the catalogue page.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db.models import (
    Case,
    Count,
    DecimalField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractYear, Greatest, TruncDate

from clo.people import roles
from clo.people.models import Employee
from programs.models import Attendance, Enrolment, ProgramCompetency, Session, SessionDay

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Hours of completed training that make one credit (horizontal career record).
HOURS_PER_CREDIT = Decimal("10")

def can_manage_sessions(user: User | AnonymousUser) -> bool:
    """A session's page (roster, days, attendance) and the catalogue's editing are the learning office's."""
    return roles.is_learning_office(user)


def seats_taken_subquery(session: str = "pk") -> Subquery:
    """The seat-holding enrolments of the session ``session`` names (its pk, or an enrolment's ``session_id``)."""
    taken = (
        Enrolment.objects.filter(session=OuterRef(session), status__in=Enrolment.SEAT_HOLDING)
        .order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    return Coalesce(Subquery(taken, output_field=IntegerField()), 0)


def seats_left(*, capacity: str = "capacity", session: str = "pk"):
    """The one definition of a session's seats left: its capacity less the seat-holding enrolments (approved,
    attended, completed), never below zero. On sessions by default; on enrolments with ``capacity="session__capacity",
    session="session_id"``."""
    return Greatest(F(capacity) - seats_taken_subquery(session), 0, output_field=IntegerField())


def sessions_with_seats() -> QuerySet:
    """Sessions annotated with ``taken`` (seat-holding enrolments), ``waiting`` (waiting list) and ``seats_left``."""
    waiting = (
        Enrolment.objects.filter(session=OuterRef("pk"), status=Enrolment.Status.WAITLISTED)
        .order_by().values("session").annotate(n=Count("pk")).values("n")[:1]
    )
    return Session.objects.annotate(
        taken=seats_taken_subquery(), waiting=Coalesce(Subquery(waiting, output_field=IntegerField()), 0),
        seats_left=seats_left(),
    )


def _completions():
    """Completed enrolments, latest first, each with the day it was completed (the session's last day when the
    learning office recorded no date)."""
    return (Enrolment.objects.filter(status=Enrolment.Status.COMPLETED).order_by("-completed_on", "-pk")
            .annotate(done_on=Coalesce("completed_on", TruncDate("session__ends_at"))))


def completed_on_subquery(*, employee: str, program: str) -> Subquery:
    """When the person ``employee`` names last completed the program ``program`` names (None if never): the warning
    shown to whoever asks for, or approves, a seat in a program already completed."""
    return Subquery(_completions().filter(employee=OuterRef(employee), session__program=OuterRef(program))
                    .values("done_on")[:1])


def program_completed_on(employee_id: int | None, program_id: int) -> dt.date | None:
    """When ``employee_id`` last completed the program (None if never, or for nobody). One query at most."""
    if not employee_id:
        return None
    return (_completions().filter(employee_id=employee_id, session__program_id=program_id)
            .values_list("done_on", flat=True).first())


def program_sessions(program_id: int, *, now: dt.datetime, upcoming_only: bool) -> list[Session]:
    sessions = sessions_with_seats().filter(program_id=program_id)
    if upcoming_only:
        sessions = sessions.filter(status=Session.Status.SCHEDULED, starts_at__gt=now)
    return list(sessions.order_by("starts_at", "pk"))


def employee_enrolments_by_session(employee_id: int | None, session_ids) -> dict[int, Enrolment]:
    if not employee_id:
        return {}
    return {e.session_id: e for e in Enrolment.objects.filter(employee_id=employee_id, session_id__in=session_ids)}


def decidable_enrolments(user: User | AnonymousUser) -> QuerySet:
    """Enrolments ``user`` may decide on: the learning office and HR, anyone's; a director, their units' people's
    (never their own)."""
    scope = roles.scope_of(user)
    if scope.everything:
        return Enrolment.objects.all()
    if not scope.unit_paths:
        return Enrolment.objects.none()
    people = Employee.objects.in_units(scope.unit_paths)
    if scope.employee_id:
        people = people.exclude(pk=scope.employee_id)
    return Enrolment.objects.filter(employee__in=people.values("pk"))


def visible_enrolments(user: User | AnonymousUser) -> QuerySet:
    """Enrolments ``user`` may see: their own, their units' people's, or everyone's for the learning office and HR."""
    scope = roles.scope_of(user)
    if scope.everything:
        return Enrolment.objects.all()
    return Enrolment.objects.filter(employee__in=Employee.objects.visible_to(user).values("pk"))


def request_figures() -> dict:
    """What the approver of a request reads next to it: the session's ``seats_left`` and ``completed_before`` (when
    the person last completed the program, None if never). Annotations of an enrolment queryset."""
    return {"seats_left": seats_left(capacity="session__capacity", session="session_id"),
            "completed_before": completed_on_subquery(employee="employee_id", program="session__program_id")}


def requests_awaiting(user: User | AnonymousUser) -> QuerySet:
    """Requests waiting for ``user``'s decision, oldest first, with person, session and program."""
    return (
        decidable_enrolments(user).filter(status=Enrolment.Status.REQUESTED)
        .select_related("employee__unit", "employee__position", "session__program")
        .annotate(**request_figures())
        .order_by("requested_at", "pk")
    )


def session_roster(session_id: int) -> list[Enrolment]:
    """A session's enrolments (everyone but withdrawn ones first by status), with person and unit. One query."""
    order = Case(
        *[When(status=s, then=Value(i)) for i, s in enumerate(Enrolment.Status.values)], output_field=IntegerField()
    )
    return list(
        Enrolment.objects.filter(session_id=session_id)
        .select_related("employee__unit")
        .order_by(order, "requested_at", "pk")
    )


def session_days(session_id: int) -> list[SessionDay]:
    return list(SessionDay.objects.filter(session_id=session_id).order_by("date"))


def day_attendance(day: SessionDay) -> tuple[list[Enrolment], dict[int, Decimal]]:
    """The people who hold a seat in ``day``'s session, and the hours recorded for them that day. Two queries."""
    statuses = Enrolment.SEAT_HOLDING + (Enrolment.Status.NO_SHOW,)
    attendees = list(
        Enrolment.objects.filter(session_id=day.session_id, status__in=statuses)
        .select_related("employee").order_by("employee__last_name", "employee__first_name", "pk")
    )
    hours = dict(Attendance.objects.filter(day=day).values_list("enrolment_id", "hours"))
    return attendees, hours


def _credits(hours: Decimal) -> Decimal:
    return (hours / HOURS_PER_CREDIT).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def training_by_year(employee_id: int) -> list[dict]:
    """Hours attended and credits earned per year (of the session's start), latest year first:
    ``[{"year", "hours", "completed", "credits"}]``. Credits: the completed programs' hours / HOURS_PER_CREDIT.
    One query."""
    dec = DecimalField(max_digits=10, decimal_places=1)
    rows = (
        Enrolment.objects.filter(employee_id=employee_id,
                                 status__in=[Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED])
        .annotate(year=ExtractYear("session__starts_at"))
        .order_by().values("year")
        .annotate(
            hours=Coalesce(Sum("hours_attended"), Decimal("0"), output_field=dec),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
            completed_hours=Coalesce(Sum("session__program__hours", filter=Q(status=Enrolment.Status.COMPLETED)),
                                     Decimal("0"), output_field=dec),
        )
        .order_by("-year")
    )
    return [
        {"year": r["year"], "hours": r["hours"], "completed": r["completed"], "credits": _credits(r["completed_hours"])}
        for r in rows
    ]


def accredited_training(*, since: dt.datetime, credits: bool, employee: str = "pk") -> Coalesce:
    """The accredited training of the employee ``employee`` names (an outer query's employee pk), in sessions started
    at or after ``since``: the hours attended (attended and completed enrolments, as ``training_by_year`` counts
    them) or, with ``credits``, the completed programs' hours / HOURS_PER_CREDIT. One correlated subquery (the index
    programs_enrolment_employee) for the horizontal career's set-based evaluation."""
    dec = DecimalField(max_digits=10, decimal_places=1)
    rows = Enrolment.objects.filter(employee_id=OuterRef(employee), session__starts_at__gte=since)
    if credits:
        rows = rows.filter(status=Enrolment.Status.COMPLETED)
        total = Sum("session__program__hours") / Value(HOURS_PER_CREDIT)
    else:
        rows = rows.filter(status__in=[Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED])
        total = Sum("hours_attended")
    summed = rows.order_by().values("employee_id").annotate(total=total).values("total")[:1]
    return Coalesce(Subquery(summed, output_field=dec), Value(Decimal("0")), output_field=dec)


def training_enrolments(employee_id: int) -> list[Enrolment]:
    """An employee's enrolments, latest session first, with session and program. One query."""
    return list(
        Enrolment.objects.filter(employee_id=employee_id)
        .select_related("session__program")
        .order_by("-session__starts_at", "-pk")
    )


def certified_competencies(employee_id: int) -> list[dict]:
    """The competencies an employee's completed programs certify, each once at the highest level reached, with the
    program that certified it last: ``[{"competency", "level", "program", "completed_on"}]`` by competency code.
    One query."""
    rows = (
        ProgramCompetency.objects.filter(
            program__sessions__enrolments__employee_id=employee_id,
            program__sessions__enrolments__status=Enrolment.Status.COMPLETED)
        .select_related("competency", "program")
        .annotate(completed_on=F("program__sessions__enrolments__completed_on"))
        .order_by("competency__code", "-level_reached", "-completed_on", "pk")
    )
    best: dict[int, dict] = {}
    for pc in rows:
        best.setdefault(pc.competency_id, {"competency": pc.competency, "level": pc.level_reached,
                                           "program": pc.program, "completed_on": pc.completed_on})
    return list(best.values())


def certificate_context(enrolment: Enrolment) -> dict:
    """What the certificate of completion shows: person, program, session, hours and competencies certified."""
    developed = list(
        ProgramCompetency.objects.filter(program_id=enrolment.session.program_id).select_related("competency")
        .order_by("competency__code")
    )
    hours = enrolment.hours_attended or enrolment.session.program.hours
    return {
        "enrolment": enrolment,
        "employee": enrolment.employee,
        "session": enrolment.session,
        "program": enrolment.session.program,
        "developed": developed,
        "hours": hours,
        "credits": _credits(enrolment.session.program.hours),
    }
