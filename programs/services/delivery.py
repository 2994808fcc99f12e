"""Writes of training delivery: sessions, enrolments and their workflow, attendance,
completion and the gap engine's evidence.

Workflow of an enrolment::

    requested ──approve──▶ approved (holds a seat) ──attendance──▶ attended ──complete──▶ completed
        │          └─────▶ waitlisted (session full) ──seat freed──▶ approved      └──▶ no_show
        └──reject──▶ rejected          any not yet held session ──cancel──▶ cancelled

Open programs skip the director's decision. Seats are counted under a row lock on the session
(``select_for_update``), so concurrent requests never take more seats than the session has.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, NamedTuple

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clo.people import roles
from clo.core.audit import record_bulk_change
from clo.core.tasks import queue_on_commit
from programs.models import Attendance, Enrolment, Modality, Program, Session, SessionDay
from programs.services.training_rollup import training_changed, training_session_moved, year_of

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from clo.people.models import Employee

ACTIVE = (Enrolment.Status.REQUESTED, Enrolment.Status.APPROVED, Enrolment.Status.WAITLISTED)
# A change of these sends the seat holders a new invitation (programs.services.calendar).
CALENDAR_FIELDS = ("starts_at", "ends_at", "place", "online_url")


class EnrolmentError(ValidationError):
    """A request or decision that cannot be carried out; the message says why and nothing was changed."""


def _split_days(starts_at: dt.datetime, ends_at: dt.datetime, hours: Decimal) -> list[tuple[dt.date, Decimal]]:
    first, last = timezone.localtime(starts_at).date(), timezone.localtime(ends_at).date()
    dates = [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]
    each = (Decimal(hours) / len(dates)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    each = min(max(each, Decimal("0.1")), Decimal("24"))
    return [(date, each) for date in dates]


def session_hours(session: Session) -> Decimal:
    """The hours a session gives: its program's, except a community of practice's meeting, which gives the time
    between its start and its end (at least 0.1)."""
    if session.program.modality == Modality.COMMUNITY:
        duration = Decimal((session.ends_at - session.starts_at).total_seconds() / 3600).quantize(Decimal("0.1"))
        return max(duration, Decimal("0.1"))
    return session.program.hours


@transaction.atomic
def session_save(*, session: Session, hours: Decimal | None = None) -> Session:
    """Create or update ``session`` and its days (one per calendar day from start to end, ``session_hours`` or
    ``hours`` when given, shared among them; days that keep their date keep their attendance). Refuses a capacity
    below the seats already taken. Cancelling the session cancels its live requests, seats and waiting list."""
    session.full_clean()
    previous_year, notice, seat_holders = None, None, []
    if session.pk:
        before = Session.objects.select_for_update().filter(pk=session.pk).values(*CALENDAR_FIELDS, "status",
                                                                                  "sequence").first()
        previous_year = year_of(before["starts_at"]) if before else None
        if before and before["status"] == Session.Status.SCHEDULED:
            if session.status == Session.Status.CANCELLED:
                notice = "session_cancelled"
            elif session.status == Session.Status.SCHEDULED and any(
                    getattr(session, name) != before[name] for name in CALENDAR_FIELDS):
                notice = "changed"
        if notice:  # the invitations its seat holders have are out of date: the next ones are newer
            session.sequence = before["sequence"] + 1
            seat_holders = list(Enrolment.objects.filter(
                session=session, status__in=(Enrolment.Status.APPROVED, Enrolment.Status.ATTENDED),
            ).values_list("pk", flat=True))
        taken = Enrolment.objects.filter(session=session, status__in=Enrolment.SEAT_HOLDING).count()
        if session.capacity < taken:
            raise ValidationError({"capacity": _(
                "%(taken)d people already hold a seat: the capacity cannot be lower than that."
            ) % {"taken": taken}})
    session.save()
    if session.status == Session.Status.CANCELLED:  # nobody keeps a seat or a place in a cancelled session
        cancelled = Enrolment.objects.filter(session=session, status__in=ACTIVE)
        before = list(cancelled.values_list("pk", "employee_id", "status"))
        cancelled.update(status=Enrolment.Status.CANCELLED)
        record_bulk_change(Enrolment, changes={pk: {"status": [status, Enrolment.Status.CANCELLED]}
                                               for pk, _e, status in before},
                           person_ids={pk: employee for pk, employee, _s in before})
    days = _split_days(session.starts_at, session.ends_at, session_hours(session) if hours is None else hours)
    SessionDay.objects.filter(session=session).exclude(date__in=[d for d, _h in days]).delete()
    for date, hours in days:
        SessionDay.objects.update_or_create(session=session, date=date, defaults={"hours": hours})
    if previous_year is not None and previous_year != year_of(session.starts_at):
        training_session_moved(session_id=session.pk, previous_year=previous_year)
    if seat_holders:
        _notify(seat_holders, notice)
    return session


# Enrolments that make a person a participant of the session (not withdrawn, not refused): its trainer cannot be one.
PARTICIPATING = (Enrolment.Status.REQUESTED, Enrolment.Status.APPROVED, Enrolment.Status.WAITLISTED,
                 Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED, Enrolment.Status.NO_SHOW)


@transaction.atomic
def session_trainer_assign(*, session_id: int, employee: Employee | None) -> Session:
    """Make ``employee`` the internal trainer of the session (None takes the internal trainer off). Refused, with
    nothing changed, for a cancelled session and for a person enrolled in it (a participant cannot teach it). Who may
    teach is the caller's rule (clo.talent keeps the pool of internal trainers)."""
    session = _locked_session(session_id)
    if employee is not None:
        if session.status == Session.Status.CANCELLED:
            raise ValidationError({"session": _("This session has been cancelled: it needs no trainer.")})
        if Enrolment.objects.filter(session=session, employee=employee, status__in=PARTICIPATING).exists():
            raise ValidationError({"session": _(
                "%(name)s is enrolled in this session: a participant cannot be its trainer."
            ) % {"name": employee.full_name}})
    session.internal_trainer = employee
    session.save(update_fields=["internal_trainer"])
    return session


# --- Enrolment workflow ------------------------------------------------------------------------------------------


def _deciding_employee_id(by: User | Employee | None) -> int | None:
    """``by`` is the deciding user (or their Employee row)."""
    if by is None:
        return None
    if hasattr(by, "employee_number"):
        return by.pk
    return roles.scope_of(by).employee_id


def _may_decide(by: User | Employee, enrolment: Enrolment) -> bool:
    if hasattr(by, "employee_number"):
        by = by.user
    from programs.selectors.delivery import decidable_enrolments

    return by is not None and decidable_enrolments(by).filter(pk=enrolment.pk).exists()


def _locked_session(session_id: int) -> Session:
    return Session.objects.select_for_update().select_related("program").get(pk=session_id)


def _seats_left(session: Session) -> int:
    """The (locked) session's seats left, by the selectors' one definition. One query."""
    from programs.selectors.delivery import seats_left

    return Session.objects.filter(pk=session.pk).annotate(left=seats_left()).values_list("left", flat=True).get()


def _check_open(session: Session, now: dt.datetime) -> None:
    if session.status == Session.Status.CANCELLED:
        raise EnrolmentError(_("This session has been cancelled."), code="cancelled")
    if session.status == Session.Status.FINISHED or session.starts_at <= now:
        raise EnrolmentError(_("This session has already started: it no longer takes requests."), code="past")


def _check_prerequisites(program: Program, employee: Employee) -> None:
    """Refuse a request for a program whose prerequisite programs the person has not completed."""
    done = Enrolment.objects.filter(
        session__program=OuterRef("pk"), employee=employee, status=Enrolment.Status.COMPLETED
    )
    missing = list(program.prerequisites.exclude(Exists(done)).order_by("code").values_list("title", flat=True))
    if missing:
        raise EnrolmentError(
            _("Complete the prerequisite programs first: %(programs)s.") % {"programs": ", ".join(missing)},
            code="prerequisites",
        )


def _take_seat_or_wait(enrolment: Enrolment, session: Session) -> None:
    """Approve ``enrolment`` into a seat, or put it on the waiting list if the (locked) session is full."""
    enrolment.status = Enrolment.Status.APPROVED if _seats_left(session) > 0 else Enrolment.Status.WAITLISTED


@transaction.atomic
def enrolment_request(*, session: Session | int, employee: Employee, now: dt.datetime | None = None) -> Enrolment:
    """``employee`` asks for a seat in ``session``. Open programs are approved at once (a seat, or the waiting list
    when the session is full); the others wait for the director's decision. Refused, with nothing changed, for a
    cancelled or started session, or when the person already has a live request in it."""
    now = now or timezone.now()
    session = _locked_session(session if isinstance(session, int) else session.pk)
    _check_open(session, now)
    if session.internal_trainer_id == employee.pk:
        raise EnrolmentError(_("You teach this session: its trainer does not take a seat in it."), code="trainer")
    enrolment = Enrolment.objects.select_for_update().filter(session=session, employee=employee).first()
    if enrolment is not None and enrolment.status not in (Enrolment.Status.CANCELLED, Enrolment.Status.REJECTED):
        raise EnrolmentError(
            _("You have already asked for a seat in this session (status: %(status)s).")
            % {"status": enrolment.get_status_display()},
            code="twice",
        )
    _check_prerequisites(session.program, employee)
    if enrolment is None:
        enrolment = Enrolment(session=session, employee=employee)
    else:  # a withdrawn or refused request is asked again: its next invitation is newer than its cancellation
        enrolment.requested_at = now
        enrolment.calendar_revision += 1
        enrolment.decided_at, enrolment.decided_by, enrolment.decision_reason = None, None, ""
    enrolment.status = Enrolment.Status.REQUESTED
    if session.program.is_open:
        _take_seat_or_wait(enrolment, session)
        enrolment.decided_at = now
    enrolment.full_clean(validate_constraints=False)
    enrolment.save()
    if enrolment.status == Enrolment.Status.APPROVED:
        _notify([enrolment.pk], "confirmed")
    return enrolment


def _for_decision(enrolment: Enrolment, by: User | Employee) -> Enrolment:
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if not _may_decide(by, locked):
        raise PermissionDenied(_("You cannot decide on this request."))
    if locked.status != Enrolment.Status.REQUESTED:
        raise EnrolmentError(
            _("This request has already been decided (status: %(status)s).") % {"status": locked.get_status_display()},
            code="decided",
        )
    return locked


@transaction.atomic
def enrolment_approve(*, enrolment: Enrolment, by: User | Employee, now: dt.datetime | None = None) -> Enrolment:
    """The director (or the learning office) approves a request: it takes a seat, or the waiting list if the session
    is full. Refused if already decided or if the session is cancelled or has started."""
    now = now or timezone.now()
    session = _locked_session(enrolment.session_id)
    locked = _for_decision(enrolment, by)
    _check_open(session, now)
    _take_seat_or_wait(locked, session)
    locked.decided_at, locked.decided_by_id = now, _deciding_employee_id(by)
    locked.save(update_fields=["status", "decided_at", "decided_by"])
    if locked.status == Enrolment.Status.APPROVED:
        _notify([locked.pk], "confirmed")
    _announce_decision(locked)
    return locked


@transaction.atomic
def enrolment_reject(*, enrolment: Enrolment, by: User | Employee, reason: str, now: dt.datetime | None = None) -> Enrolment:
    """The director (or the learning office) refuses a request, saying why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is refused: the person will read it.")})
    locked = _for_decision(enrolment, by)
    locked.status, locked.decision_reason = Enrolment.Status.REJECTED, reason
    locked.decided_at, locked.decided_by_id = now or timezone.now(), _deciding_employee_id(by)
    locked.save(update_fields=["status", "decision_reason", "decided_at", "decided_by"])
    _announce_decision(locked)
    return locked


def _announce_decision(enrolment: Enrolment) -> None:
    """The outbound webhooks' ``enrolment.decided`` (approved, waitlisted or rejected)."""
    from clo.core.tasks import announce

    facts = Enrolment.objects.filter(pk=enrolment.pk).values(
        "employee__employee_number", "session__code", "session__program__code", "session__starts_at").get()
    announce("enrolment.decided", {
        "enrolment": enrolment.pk, "status": enrolment.status, "decided_at": enrolment.decided_at.isoformat(),
        "employee_number": facts["employee__employee_number"], "session": facts["session__code"],
        "program": facts["session__program__code"], "starts_at": facts["session__starts_at"].isoformat()})


def _promote_waiting(session: Session) -> Enrolment | None:
    """Give a freed seat of the (locked) session to the first on its waiting list, who is emailed on commit."""
    if _seats_left(session) <= 0:
        return None
    first = (
        Enrolment.objects.select_for_update().filter(session=session, status=Enrolment.Status.WAITLISTED)
        .order_by("requested_at", "pk").first()
    )
    if first is None:
        return None
    first.status = Enrolment.Status.APPROVED
    first.save(update_fields=["status"])
    _notify([first.pk], "promoted")
    return first


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, now: dt.datetime | None = None) -> Enrolment:
    """Withdraw a live enrolment before its session starts. A freed seat goes to the first on the waiting list."""
    now = now or timezone.now()
    session = _locked_session(enrolment.session_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status not in ACTIVE:
        raise EnrolmentError(
            _("This enrolment cannot be cancelled any more (status: %(status)s).")
            % {"status": locked.get_status_display()},
            code="not_active",
        )
    if session.starts_at <= now:
        raise EnrolmentError(_("The session has already started: ask the learning office."), code="past")
    held_seat = locked.status == Enrolment.Status.APPROVED
    locked.status = Enrolment.Status.CANCELLED
    if held_seat:  # the cancellation is newer than the invitation the person has
        locked.calendar_revision += 1
    locked.save(update_fields=["status", "calendar_revision"])
    if held_seat:
        _notify([locked.pk], "withdrawn")
    _promote_waiting(session)
    return locked


@transaction.atomic
def enrolment_confirm(*, enrolment: Enrolment) -> Enrolment:
    """The learning office gives a waiting-list place a seat by hand. Refused when the session is full."""
    session = _locked_session(enrolment.session_id)
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status != Enrolment.Status.WAITLISTED:
        raise EnrolmentError(_("Only a place on the waiting list can be confirmed."), code="not_waiting")
    if _seats_left(session) <= 0:
        raise EnrolmentError(
            _("The session is full (%(capacity)d seats): nobody can be confirmed beyond its capacity.")
            % {"capacity": session.capacity},
            code="full",
        )
    locked.status = Enrolment.Status.APPROVED
    locked.save(update_fields=["status"])
    _notify([locked.pk], "confirmed")
    return locked


# --- Attendance and completion -----------------------------------------------------------------------------------


@transaction.atomic
def attendance_record(*, day: SessionDay, hours: dict[int, Decimal], announce: bool = True) -> int:
    """Record the hours each person attended on ``day`` (``{enrolment_id: hours}``), all or nothing; each
    enrolment's total hours follow, and a confirmed person with hours becomes "attended". Returns rows written.
    ``announce``: the attendance is sent to the learning record store."""
    session = _locked_session(day.session_id)
    allowed = Enrolment.SEAT_HOLDING + (Enrolment.Status.NO_SHOW,)
    enrolments = {
        e.pk: e for e in Enrolment.objects.select_for_update().filter(session=session, pk__in=list(hours))
    }
    errors = {}
    for enrolment_id, value in hours.items():
        enrolment = enrolments.get(enrolment_id)
        if enrolment is None or enrolment.status not in allowed:
            errors[str(enrolment_id)] = _("This person does not hold a seat in this session.")
        elif value is None or value < 0 or value > day.hours:
            errors[str(enrolment_id)] = _("Enter between 0 and %(hours)s hours.") % {"hours": day.hours}
    if errors:
        raise ValidationError(errors)
    for enrolment_id, value in hours.items():
        Attendance.objects.update_or_create(enrolment_id=enrolment_id, day=day, defaults={"hours": value})
    totals = _attendance_totals(list(hours))
    for enrolment_id in hours:
        enrolment = enrolments[enrolment_id]
        enrolment.hours_attended = totals.get(enrolment_id, Decimal("0"))
        if enrolment.hours_attended > 0 and enrolment.status in (Enrolment.Status.APPROVED, Enrolment.Status.NO_SHOW):
            enrolment.status = Enrolment.Status.ATTENDED
        enrolment.save(update_fields=["hours_attended", "status"])
    training_changed(enrolment_ids=list(hours))
    if announce and settings.CLO_XAPI_ENDPOINT:
        queue_on_commit("api.xapi_send", "attended", [pk for pk, value in hours.items() if value], day_id=day.pk)
    return len(hours)


def _attendance_totals(enrolment_ids: list[int]) -> dict[int, Decimal]:
    from django.db.models import Sum

    rows = Attendance.objects.filter(enrolment_id__in=enrolment_ids).values("enrolment_id").annotate(total=Sum("hours"))
    return {r["enrolment_id"]: r["total"] for r in rows}


@transaction.atomic
def enrolment_complete(*, enrolment: Enrolment, completed_on: dt.date | None = None, announce: bool = True) -> Enrolment:
    """The person completed the program: the competencies it develops are certified as evidence, and the gap engine
    refreshes this person once the transaction commits. ``announce``: the completion is sent to the learning record
    store (not when it came from there)."""
    from evaluations.gaps.services import gaps_on_training_completed

    locked = Enrolment.objects.select_for_update().select_related("session").get(pk=enrolment.pk)
    if locked.status not in (Enrolment.Status.APPROVED, Enrolment.Status.ATTENDED):
        raise EnrolmentError(
            _("Only a confirmed or attended enrolment can be completed (status: %(status)s).")
            % {"status": locked.get_status_display()},
            code="not_completable",
        )
    if locked.session.status == Session.Status.CANCELLED:
        raise EnrolmentError(_("This session has been cancelled."), code="cancelled")
    today = timezone.localdate()
    if locked.session.starts_at > timezone.now():
        raise EnrolmentError(_("The session has not started yet: it cannot be completed."), code="future")
    locked.status, locked.completed_on = Enrolment.Status.COMPLETED, completed_on or today
    locked.save(update_fields=["status", "completed_on"])
    training_changed(enrolment_ids=[locked.pk])
    gaps_on_training_completed(locked.pk)
    # the completion's verifiable badge (careers, a layer above: queued by name)
    queue_on_commit("careers.badges_issue_for_enrolment", locked.pk)
    if announce and settings.CLO_XAPI_ENDPOINT:
        queue_on_commit("api.xapi_send", "completed", [locked.pk])
    return locked


SELF_PACED = (Modality.ONLINE,)


def _self_paced_day(program: Program, on: dt.date) -> SessionDay:
    """The session of a self-paced (online) program for the people who completed it on ``on``: one a day, made the
    first time it is needed, with room for everyone."""
    code = f"{program.code}-SP{on:%y%m%d}"
    session = Session.objects.filter(code=code).first()
    if session is None:
        starts_at = timezone.make_aware(dt.datetime.combine(on, dt.time(0, 0)))
        session = session_save(session=Session(
            program=program, code=code, starts_at=starts_at,
            ends_at=timezone.make_aware(dt.datetime.combine(on, dt.time(23, 59))),  # the same day, even a 23-hour one
            online_url=settings.CLO_BASE_URL or "https://localhost/", capacity=SELF_PACED_CAPACITY,
            timetable=_("Self-paced")))
    return session.days.get()


SELF_PACED_CAPACITY = 1_000_000


class CompletionRecord(NamedTuple):
    """A learning record's completion: ``employee_id`` completed ``program`` on ``completed_on`` with ``hours``
    (``None``: the program's)."""

    program: Program
    employee_id: int
    completed_on: dt.date
    hours: Decimal | None = None


@transaction.atomic
def enrolment_complete_from_record(*, program: Program, employee: Employee, completed_on: dt.date,
                                   hours: Decimal | None = None) -> Enrolment:
    """One learning record (``enrolments_complete_from_records``); ``EnrolmentError`` when it cannot be taken."""
    outcome = enrolments_complete_from_records(
        records=[CompletionRecord(program, employee.pk, completed_on, hours)])[0]
    if isinstance(outcome, EnrolmentError):
        raise outcome
    return outcome


@transaction.atomic
def enrolments_complete_from_records(*, records: list[CompletionRecord]) -> list[Enrolment | EnrolmentError]:
    """Learning records (xAPI) say who completed which program on which day (never later than today), a batch at a
    time. Each person's seat in a started session of the program is completed; in a self-paced (online) program
    without one, an enrolment is made in that day's self-paced session, completed, with the hours (the record's, or
    the program's; at most the day's) as its attendance. Already completed: nothing changes (a later record of the
    same person and program in the batch finds the completion of the first). Neither: an ``EnrolmentError`` in that
    record's place. Returns one outcome per record, in order.

    Set-based: one locking read of the people's enrolments in these programs, bulk writes, their audit entries, one
    training roll-up refresh and one gap refresh per person (on commit) for the whole batch."""
    from evaluations.gaps.services import gaps_on_trainings_completed

    today, now = timezone.localdate(), timezone.now()
    programs = {record.program.pk: record.program for record in records}
    mine: dict[tuple[int, int], list[Enrolment]] = {}
    for enrolment in (Enrolment.objects.select_for_update(of=("self",)).select_related("session")
                      .filter(session__program_id__in=list(programs),
                              employee_id__in={record.employee_id for record in records})
                      .order_by("pk")):
        mine.setdefault((enrolment.session.program_id, enrolment.employee_id), []).append(enrolment)
    outcomes: dict[tuple[int, int], Enrolment | EnrolmentError] = {}
    seats: list[tuple[Enrolment, dt.date]] = []  # held seats to complete, with the day
    self_paced: dict[tuple[int, int], CompletionRecord] = {}
    for record in records:
        key = (record.program.pk, record.employee_id)
        if key in outcomes or key in self_paced:
            continue
        completed_on = min(record.completed_on, today)
        enrolments = mine.get(key, [])
        done = sorted((e for e in enrolments if e.status == Enrolment.Status.COMPLETED),
                      key=lambda e: e.completed_on or today, reverse=True)
        held = sorted((e for e in enrolments if e.status in (Enrolment.Status.APPROVED, Enrolment.Status.ATTENDED)
                       and e.session.starts_at <= now and e.session.status != Session.Status.CANCELLED),
                      key=lambda e: e.session.starts_at, reverse=True)
        if done:
            outcomes[key] = done[0]
        elif held:
            outcomes[key] = held[0]
            seats.append((held[0], completed_on))
        elif record.program.modality in SELF_PACED:
            self_paced[key] = record._replace(completed_on=completed_on)
        else:
            from clo.people.models import Employee

            employee = Employee.objects.get(pk=record.employee_id)
            outcomes[key] = EnrolmentError(_("%(name)s holds no seat in a session of %(program)s that has started.")
                                           % {"name": employee, "program": record.program.title}, code="no_seat")
    changes: dict[int, dict] = {}
    for seat, completed_on in seats:
        changes[seat.pk] = {"status": [seat.status, Enrolment.Status.COMPLETED], "completed_on": [None, completed_on]}
        seat.status, seat.completed_on = Enrolment.Status.COMPLETED, completed_on
    Enrolment.objects.bulk_update([seat for seat, _on in seats], ["status", "completed_on"], batch_size=1000)
    created, again = _self_paced_completions(self_paced, mine, outcomes, changes, now)
    person_of = {e.pk: e.employee_id for e in outcomes.values() if isinstance(e, Enrolment)}
    record_bulk_change(Enrolment, action="create", person_ids=person_of, changes={
        e.pk: {"session": [None, e.session_id], "employee": [None, e.employee_id], "status": [None, e.status],
               "hours_attended": [None, e.hours_attended], "completed_on": [None, e.completed_on]} for e in created})
    record_bulk_change(Enrolment, person_ids=person_of, changes=changes)
    newly = [seat.pk for seat, _on in seats] + [e.pk for e in again] + [e.pk for e in created]
    if newly:
        training_changed(enrolment_ids=newly)
        gaps_on_trainings_completed(newly)
        # the completions' verifiable badges (careers, a layer above: queued by name, one message for the batch)
        queue_on_commit("careers.badges_issue_for_enrolments", newly)
    return [outcomes[(record.program.pk, record.employee_id)] for record in records]


def _self_paced_completions(wanted: dict[tuple[int, int], CompletionRecord],
                            mine: dict[tuple[int, int], list[Enrolment]],
                            outcomes: dict[tuple[int, int], Enrolment | EnrolmentError], changes: dict[int, dict],
                            now: dt.datetime) -> tuple[list[Enrolment], list[Enrolment]]:
    """The self-paced completions of ``enrolments_complete_from_records``: completed enrolments in each day's
    self-paced session (an earlier withdrawn or refused one in it is taken again), their attendance. Returns those
    made and those taken again; ``outcomes`` and ``changes`` (the audit of those taken again) are filled in."""
    days: dict[tuple[int, dt.date], SessionDay | EnrolmentError] = {}
    for record in wanted.values():
        if (record.program.pk, record.completed_on) not in days:
            try:
                with transaction.atomic():
                    days[record.program.pk, record.completed_on] = _self_paced_day(record.program,
                                                                                   record.completed_on)
            except ValidationError as error:  # the day's session cannot be made: the records wait for review
                days[record.program.pk, record.completed_on] = EnrolmentError(error.messages)
    made, again, attendance = [], [], []
    for key, record in wanted.items():
        day = days[record.program.pk, record.completed_on]
        if isinstance(day, EnrolmentError):
            outcomes[key] = day
            continue
        hours = min(record.hours or record.program.hours, day.hours)
        enrolment = next((e for e in mine.get(key, []) if e.session_id == day.session_id), None)
        if enrolment is None:
            enrolment = Enrolment(session_id=day.session_id, employee_id=record.employee_id)
            made.append(enrolment)
        else:
            again.append(enrolment)
            changes[enrolment.pk] = {"status": [enrolment.status, Enrolment.Status.COMPLETED],
                                     "hours_attended": [enrolment.hours_attended, hours],
                                     "completed_on": [enrolment.completed_on, record.completed_on]}
        enrolment.status, enrolment.decided_at = Enrolment.Status.COMPLETED, now
        enrolment.hours_attended, enrolment.completed_on = hours, record.completed_on
        attendance.append((enrolment, day, hours))
        outcomes[key] = enrolment
    Enrolment.objects.bulk_create(made, batch_size=1000)
    Enrolment.objects.bulk_update(again, ["status", "decided_at", "hours_attended", "completed_on"], batch_size=1000)
    Attendance.objects.bulk_create(
        [Attendance(enrolment_id=enrolment.pk, day=day, hours=hours) for enrolment, day, hours in attendance],
        batch_size=1000, update_conflicts=True, unique_fields=["enrolment", "day"],
        update_fields=["hours", "recorded_at"])
    return made, again


@transaction.atomic
def enrolment_no_show(*, enrolment: Enrolment) -> Enrolment:
    """The person held a seat and did not come."""
    locked = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if locked.status not in (Enrolment.Status.APPROVED, Enrolment.Status.ATTENDED):
        raise EnrolmentError(
            _("Only a confirmed enrolment can be marked as a no-show (status: %(status)s).")
            % {"status": locked.get_status_display()},
            code="not_completable",
        )
    locked.status = Enrolment.Status.NO_SHOW
    locked.save(update_fields=["status"])
    training_changed(enrolment_ids=[locked.pk])
    return locked


# --- Notifications -----------------------------------------------------------------------------------------------

# What each notice says, the state the enrolment must still be in when it is sent (a notice overtaken by a later
# change is not sent), and its calendar method: an invitation, or the cancellation of one.
NOTICES = {
    "confirmed": (gettext_noop("Your seat is confirmed: %(program)s"), (Enrolment.Status.APPROVED,), "REQUEST"),
    "promoted": (gettext_noop("A seat is yours: %(program)s"), (Enrolment.Status.APPROVED,), "REQUEST"),
    "changed": (gettext_noop("Your session has changed: %(program)s"),
                (Enrolment.Status.APPROVED, Enrolment.Status.ATTENDED), "REQUEST"),
    "withdrawn": (gettext_noop("Your enrolment is cancelled: %(program)s"), (Enrolment.Status.CANCELLED,), "CANCEL"),
    "session_cancelled": (gettext_noop("Session cancelled: %(program)s"), (Enrolment.Status.CANCELLED,), "CANCEL"),
}


def _notify(enrolment_ids: list[int], notice: str) -> None:
    """Email the notice once the transaction commits (robust: the change stays made if Redis is down)."""
    from clo.core.tasks import queue_on_commit
    from programs.tasks import enrolments_notify

    queue_on_commit(enrolments_notify, enrolment_ids, notice)


def enrolments_notify(enrolment_ids: list[int], notice: str) -> int:
    """Tell each person, in their language, what happened to their seat (``NOTICES``), with the calendar
    invitation or cancellation that keeps their calendar right. Returns how many emails were sent."""
    from django.conf import settings
    from django.core.mail import EmailMessage, get_connection
    from django.template.loader import render_to_string
    from django.utils import translation

    from programs.services.calendar import invitation_part

    subject, statuses, method = NOTICES[notice]
    enrolments = (
        Enrolment.objects.filter(pk__in=enrolment_ids, status__in=statuses).exclude(employee__email="")
        .select_related("employee", "session__program").prefetch_related("session__days")
    )
    messages = []
    for enrolment in enrolments:
        with translation.override(enrolment.employee.language or settings.LANGUAGE_CODE):
            context = {"enrolment": enrolment, "session": enrolment.session, "program": enrolment.session.program,
                       "notice": notice, "organisation_name": settings.CLO_ORGANISATION_NAME}
            message = EmailMessage(_(subject) % {"program": enrolment.session.program.title},
                                   render_to_string(f"programs/delivery/email/{notice}.txt", context),
                                   to=[enrolment.employee.email])
            message.attach(invitation_part(enrolment=enrolment, method=method))
        messages.append(message)
    return (get_connection().send_messages(messages) or 0) if messages else 0
