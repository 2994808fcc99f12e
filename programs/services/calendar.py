"""Calendars: the iCalendar invitations that go with the enrolment emails, and each person's calendar feed.

**Invitations** (iTIP, RFC 5546). Every email that confirms a seat, or tells its holder that the session moved,
carries ``METHOD:REQUEST``; one that takes the seat away (the session cancelled, the enrolment withdrawn) carries
``METHOD:CANCEL``. The UID is one per session and person, so a calendar replaces the event instead of adding a second
one. The SEQUENCE is the session's ``sequence`` (raised when its dates, times or place change, or when it is
cancelled) plus the enrolment's ``calendar_revision`` (raised when the person withdraws, and again when they ask
again), so each message is newer than the one before it for that person.

**Several days.** A session over several days is one event whose first day is DTSTART–DTEND and whose other days
are RDATEs (same local start time, same length), rather than one event per day: one UID per session and person
means one CANCEL removes every day, one REQUEST with a higher SEQUENCE moves them all, and days that disappear
when the session moves leave no orphan event that would need its own cancellation. A session whose end time of day
is not after its start time (one running overnight) is a single event from start to end.

**Time zone.** Times are written in Europe/Madrid (the council's ``TIME_ZONE``) with its VTIMEZONE, so a session at
9:00 stays at 9:00 on both sides of a change of daylight-saving time.

**Feed.** A secret address per person (only its hash is stored) gives their sessions (confirmed, or tentative while
the request waits) and their deadlines (assessments to answer, the needs campaign for heads of units). It carries
nothing about anybody else, and no email address.
"""

from __future__ import annotations

import datetime as dt
import secrets
from email.mime.text import MIMEText
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from clo.core.security import secret_hash
from programs.models import CalendarFeed, Enrolment, Session

PRODID = "-//clo//learning and development//EN"
REQUEST, CANCEL = "REQUEST", "CANCEL"


def _zone():
    return timezone.get_default_timezone()


def _uid_host() -> str:
    return urlsplit(settings.CLO_BASE_URL).hostname or "clo.invalid"


def session_uid(session_id: int, employee_id: int) -> str:
    """The one UID of a session in a person's calendar (invitations and feed alike)."""
    return f"session-{session_id}-{employee_id}@{_uid_host()}"


def _calendar(method: str | None = None):
    from icalendar import Calendar

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def _session_times(session: Session) -> tuple[dt.datetime, dt.datetime, list[dt.datetime]]:
    """DTSTART, DTEND (of the first day) and the other days' starts, in the council's zone (see the module)."""
    zone = _zone()
    start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
    days = sorted(day.date for day in session.days.all())
    if len(days) < 2 or end.time() <= start.time():
        return start, end, []
    first_end = dt.datetime.combine(start.date(), end.time(), tzinfo=zone)
    others = [dt.datetime.combine(day, start.time(), tzinfo=zone) for day in days if day != start.date()]
    return start, first_end, others


def _session_event(session: Session, employee_id: int, *, sequence: int, status: str, now: dt.datetime):
    from icalendar import Event

    program = session.program
    start, end, others = _session_times(session)
    event = Event()
    event.add("uid", session_uid(session.pk, employee_id))
    event.add("dtstamp", now)
    event.add("sequence", sequence)
    event.add("status", status)
    event.add("summary", program.title)
    event.add("dtstart", start)
    event.add("dtend", end)
    if others:
        event.add("rdate", others)
    if location := session.place or session.online_url:
        event.add("location", location)
    if session.online_url:
        event.add("url", session.online_url)
    description = [line for line in (session.timetable, session.trainer, session.online_url) if line]
    if description:
        event.add("description", "\n".join(description))
    return event


def _attendee(event, enrolment: Enrolment, *, cancelled: bool) -> None:
    from icalendar import vCalAddress

    organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
    organizer.params["cn"] = settings.CLO_ORGANISATION_NAME
    event.add("organizer", organizer)
    attendee = vCalAddress(f"mailto:{enrolment.employee.email}")
    attendee.params["cn"] = enrolment.employee.full_name
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["partstat"] = "DECLINED" if cancelled else "ACCEPTED"
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)


def enrolment_invitation(*, enrolment: Enrolment, method: str, now: dt.datetime | None = None) -> bytes:
    """The iCalendar message (``REQUEST`` or ``CANCEL``) of ``enrolment``'s session for its person."""
    session = enrolment.session
    cancelled = method == CANCEL
    calendar = _calendar(method)
    event = _session_event(session, enrolment.employee_id, sequence=session.sequence + enrolment.calendar_revision,
                           status="CANCELLED" if cancelled else "CONFIRMED", now=now or timezone.now())
    _attendee(event, enrolment, cancelled=cancelled)
    calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()


def invitation_part(*, enrolment: Enrolment, method: str) -> MIMEText:
    """The ``text/calendar; method=…`` part of an email (Outlook, Gmail and Apple Mail show it as an invitation)."""
    part = MIMEText(enrolment_invitation(enrolment=enrolment, method=method).decode(), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="invitation.ics")
    return part


# --- Personal feed -------------------------------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, employee_id: int, now: dt.datetime | None = None) -> str:
    """Make (or regenerate) the person's feed and return its secret, shown once: the previous address, if any,
    stops working."""
    secret = secrets.token_urlsafe(32)
    CalendarFeed.objects.update_or_create(
        employee_id=employee_id, defaults={"token_hash": secret_hash(secret), "created_at": now or timezone.now(),
                                           "last_read_at": None})
    return secret


@transaction.atomic
def calendar_feed_revoke(*, employee_id: int) -> bool:
    """The person's feed stops working. Returns whether there was one."""
    return CalendarFeed.objects.filter(employee_id=employee_id).delete()[0] > 0


def calendar_feed_render(*, feed: CalendarFeed, now: dt.datetime | None = None) -> bytes:
    """The person's calendar (``METHOD:PUBLISH``): their sessions and their deadlines, in their language."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from icalendar import Event

    from programs.selectors import calendar as selectors

    now = now or timezone.now()
    CalendarFeed.objects.filter(pk=feed.pk).update(last_read_at=now)
    employee = feed.employee
    with translation.override(employee.language or settings.LANGUAGE_CODE):
        calendar = _calendar("PUBLISH")
        calendar.add("x-wr-calname", _("Training · %(organisation)s") % {
            "organisation": settings.CLO_ORGANISATION_NAME})
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
        for enrolment in selectors.feed_enrolments(employee.pk, now=now):
            confirmed = enrolment.status in Enrolment.SEAT_HOLDING
            calendar.add_component(_session_event(
                enrolment.session, employee.pk, sequence=enrolment.session.sequence + enrolment.calendar_revision,
                status="CONFIRMED" if confirmed else "TENTATIVE", now=now))
        for deadline in selectors.feed_deadlines(employee.pk):
            event = Event()
            event.add("uid", f"{deadline.uid_part}-{employee.pk}@{_uid_host()}")
            event.add("dtstamp", now)
            event.add("summary", deadline.title)
            event.add("dtstart", deadline.on)
            event.add("dtend", deadline.on + dt.timedelta(days=1))
            event.add("transp", "TRANSPARENT")
            if settings.CLO_BASE_URL:
                event.add("url", settings.CLO_BASE_URL + deadline.path)
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
