"""Calendars: the invitations that go with the enrolment emails (METHOD:REQUEST and CANCEL, one UID per session and
person, a SEQUENCE that only grows, Europe/Madrid times with their VTIMEZONE) and the personal calendar feed (a
secret address, revocable, holding the person's own sessions and deadlines only). What clo emits is read back with
the ``icalendar`` library, as a calendar application would."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from evaluations.models import AssessmentCampaign
from programs.models import CalendarFeed, Enrolment, NeedsCampaign, Session
from programs.services import calendar as calendar_services
from programs.services import delivery as services
from tests import factories as f

pytestmark = pytest.mark.django_db
MADRID = ZoneInfo("Europe/Madrid")
S = Enrolment.Status


@pytest.fixture(autouse=True)
def _english(english):
    """Messages in English, as the assertions read them."""


@pytest.fixture
def session(employee_a):
    program = f.ProgramFactory(code="P-CAL", title="Citizen service in plain language", hours=4)
    start = (timezone.localtime() + dt.timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    return services.session_save(session=Session(program=program, code="S-CAL", starts_at=start,
                                                 ends_at=start + dt.timedelta(hours=4), capacity=5,
                                                 place="Sala 1, Plaça de la Vila 1"))


def invitations(to: str) -> list[tuple[str, Calendar]]:
    """The (method, calendar) of every email sent to ``to``, in order: the text/calendar part of the real MIME
    message, its ``method`` parameter, and its content parsed by icalendar."""
    found = []
    for message in mail.outbox:
        if message.to != [to]:
            continue
        parts = [part for part in message.message().walk() if part.get_content_type() == "text/calendar"]
        assert len(parts) == 1, message.subject
        calendar = Calendar.from_ical(parts[0].get_payload(decode=True))
        assert parts[0].get_param("method") == calendar["method"]
        found.append((str(calendar["method"]), calendar))
    return found


def the_event(calendar: Calendar):
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    return events[0]


def confirmed(session, employee, director, capture):
    with capture(execute=True):
        enrolment = services.enrolment_request(session=session, employee=employee)
    with capture(execute=True):
        return services.enrolment_approve(enrolment=enrolment, by=director.user)


def test_the_confirmation_carries_an_invitation_that_icalendar_reads(
        session, employee_a, director_a, eager_tasks, django_capture_on_commit_callbacks):
    confirmed(session, employee_a, director_a, django_capture_on_commit_callbacks)
    [(method, calendar)] = invitations(employee_a.email)
    event = the_event(calendar)
    assert method == "REQUEST" and "Teniu la plaça confirmada" in mail.outbox[0].subject  # in the person's language
    assert event["uid"] == f"session-{session.pk}-{employee_a.pk}@clo.invalid"
    assert event["sequence"] == 0 and event["status"] == "CONFIRMED"
    assert str(event["summary"]) == "Citizen service in plain language"
    assert str(event["location"]) == "Sala 1, Plaça de la Vila 1"
    start = event.decoded("dtstart")
    assert start == session.starts_at and start.tzinfo.key == "Europe/Madrid" and (start.hour, start.minute) == (9, 0)
    assert event["dtstart"].params["TZID"] == "Europe/Madrid"
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Madrid"]
    assert str(event["attendee"]) == f"mailto:{employee_a.email}" and str(event["organizer"]).startswith("mailto:")


def test_a_change_of_time_or_place_sends_a_newer_invitation_and_a_cancelled_session_cancels_it(
        session, employee_a, director_a, eager_tasks, django_capture_on_commit_callbacks):
    confirmed(session, employee_a, director_a, django_capture_on_commit_callbacks)
    session.capacity = 6  # not in the calendar: nothing is sent, nothing is raised
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    assert len(mail.outbox) == 1 and Session.objects.get(pk=session.pk).sequence == 0
    session.starts_at += dt.timedelta(hours=2)
    session.ends_at += dt.timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    session.place = "Sala 2"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    session.status = Session.Status.CANCELLED
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session)
    sent = invitations(employee_a.email)
    assert [method for method, _c in sent] == ["REQUEST", "REQUEST", "REQUEST", "CANCEL"]
    events = [the_event(calendar) for _m, calendar in sent]
    assert {str(event["uid"]) for event in events} == {f"session-{session.pk}-{employee_a.pk}@clo.invalid"}
    assert [event["sequence"] for event in events] == [0, 1, 2, 3]
    assert events[1].decoded("dtstart").astimezone(MADRID).hour == 11 and str(events[2]["location"]) == "Sala 2"
    assert events[3]["status"] == "CANCELLED"
    assert "ha canviat" in mail.outbox[1].subject and "Sessió anul·lada" in mail.outbox[3].subject
    assert Enrolment.objects.get(employee=employee_a).status == S.CANCELLED


def test_a_withdrawn_seat_is_cancelled_and_asking_again_gets_a_newer_invitation(
        session, employee_a, director_a, eager_tasks, django_capture_on_commit_callbacks):
    enrolment = confirmed(session, employee_a, director_a, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=enrolment)
    confirmed(session, employee_a, director_a, django_capture_on_commit_callbacks)
    sent = invitations(employee_a.email)
    assert [method for method, _c in sent] == ["REQUEST", "CANCEL", "REQUEST"]
    events = [the_event(calendar) for _m, calendar in sent]
    assert len({str(event["uid"]) for event in events}) == 1
    assert [event["sequence"] for event in events] == [0, 1, 2]


def test_a_request_still_waiting_or_refused_sends_no_invitation(
        session, employee_a, director_a, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = services.enrolment_request(session=session, employee=employee_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_reject(enrolment=enrolment, by=director_a.user, reason="Not this year")
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_request(session=session, employee=employee_a)  # asked again, waits
    assert invitations(employee_a.email) == []


def test_a_session_over_several_days_keeps_its_local_time_across_the_change_to_summer_time(employee_a):
    """29 March 2030 (CET, +01:00) to 1 April 2030 (CEST, +02:00): one event, 9:00 to 13:00 each day, the other
    days as RDATEs, all at 9:00 in Madrid, so their UTC hour moves with the clocks."""
    program = f.ProgramFactory(code="P-DST", title="Four mornings", hours=16)
    session = services.session_save(session=Session(
        program=program, code="S-DST", capacity=5, place="Sala 1",
        starts_at=dt.datetime(2030, 3, 29, 9, tzinfo=MADRID), ends_at=dt.datetime(2030, 4, 1, 13, tzinfo=MADRID)))
    enrolment = f.EnrolmentFactory(session=session, employee=employee_a, status=S.APPROVED)
    calendar = Calendar.from_ical(calendar_services.enrolment_invitation(enrolment=enrolment, method="REQUEST"))
    event = the_event(calendar)
    start, end = event.decoded("dtstart"), event.decoded("dtend")
    assert (start.tzinfo.key, start.isoformat()) == ("Europe/Madrid", "2030-03-29T09:00:00+01:00")
    assert end.isoformat() == "2030-03-29T13:00:00+01:00"
    others = [value.dt for rdate in _as_list(event["rdate"]) for value in rdate.dts]
    assert [day.isoformat() for day in others] == [
        "2030-03-30T09:00:00+01:00", "2030-03-31T09:00:00+02:00", "2030-04-01T09:00:00+02:00"]
    assert [day.astimezone(dt.UTC).hour for day in [start, *others]] == [8, 8, 7, 7]
    vtimezone = calendar.walk("VTIMEZONE")[0]
    assert vtimezone["tzid"] == "Europe/Madrid"
    assert {component.name for component in vtimezone.subcomponents} >= {"STANDARD", "DAYLIGHT"}


def _as_list(value):
    return value if isinstance(value, list) else [value]


# --- The personal feed -----------------------------------------------------------------------------------------------


def make_feed(client, employee) -> str:
    client.force_login(employee.user)
    response = client.post(reverse("programs:my_calendar"), {"action": "make"})
    assert response.status_code == 200
    url = response.context["url"]
    assert url and url.endswith(".ics")
    client.logout()
    return url.split("testserver", 1)[1]


def read_feed(client, path: str):
    response = client.get(path)
    if response.status_code != 200:
        return response.status_code, None
    assert response["Content-Type"].startswith("text/calendar")
    return 200, Calendar.from_ical(response.content)


@pytest.fixture
def busy(employee_a, director_a, employee_b, session):
    """Employee A: a confirmed seat, a request waiting, a cancelled session, an assessment to answer; the head of
    unit A (director A): the open needs campaign; employee B: a seat in the same session."""
    today = timezone.localdate()
    f.EnrolmentFactory(session=session, employee=employee_a, status=S.APPROVED)
    f.EnrolmentFactory(session=session, employee=employee_b, status=S.APPROVED)
    waiting = f.SessionFactory(program=f.ProgramFactory(title="Spreadsheets for budgets"))
    f.EnrolmentFactory(session=waiting, employee=employee_a, status=S.REQUESTED)
    gone = f.SessionFactory(program=f.ProgramFactory(title="A cancelled course"), status=Session.Status.CANCELLED)
    f.EnrolmentFactory(session=gone, employee=employee_a, status=S.CANCELLED)
    campaign = f.CampaignFactory(name="Assessments 2027", status=AssessmentCampaign.Status.OPEN,
                                 opens_on=today - dt.timedelta(days=3), closes_on=today + dt.timedelta(days=12))
    f.AssessmentFactory(campaign=campaign, employee=employee_a)
    NeedsCampaign.objects.create(year=today.year + 1, opens_on=today - dt.timedelta(days=1),
                                 deadline=today + dt.timedelta(days=20))
    return session, waiting, campaign


def test_the_feed_holds_the_persons_sessions_and_deadlines_and_nobody_elses(
        client, busy, employee_a, employee_b, director_a):
    session, waiting, campaign = busy
    status, calendar = read_feed(client, make_feed(client, employee_a))  # in the person's language (Catalan)
    assert status == 200 and calendar["method"] == "PUBLISH"
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Citizen service in plain language", "Spreadsheets for budgets",
                           "Avaluacions per respondre: Assessments 2027 (1)"}
    seat = events["Citizen service in plain language"]
    assert seat["uid"] == calendar_services.session_uid(session.pk, employee_a.pk)  # the invitation's UID
    assert seat["status"] == "CONFIRMED" and events["Spreadsheets for budgets"]["status"] == "TENTATIVE"
    assert seat.decoded("dtstart").tzinfo.key == "Europe/Madrid" and calendar.walk("VTIMEZONE")
    assert events["Avaluacions per respondre: Assessments 2027 (1)"].decoded("dtstart") == campaign.closes_on
    text = client.get(make_feed(client, employee_a)).content.decode()
    for other in (employee_b.full_name, employee_b.email, employee_a.email, director_a.full_name, "mailto:"):
        assert other not in text
    # B's feed: the same session under B's own UID, none of A's
    status, calendar_b = read_feed(client, make_feed(client, employee_b))
    assert [str(event["uid"]) for event in calendar_b.walk("VEVENT")] == [
        calendar_services.session_uid(session.pk, employee_b.pk)]
    # the head of unit A: the needs campaign's deadline
    status, calendar_d = read_feed(client, make_feed(client, director_a))
    assert [str(event["summary"]) for event in calendar_d.walk("VEVENT")] == [
        f"Necessitats formatives per al {timezone.localdate().year + 1}: termini"]


def test_a_regenerated_or_revoked_address_answers_404(client, busy, employee_a):
    first = make_feed(client, employee_a)
    second = make_feed(client, employee_a)  # regenerated: the first stops working
    assert read_feed(client, first)[0] == 404 and read_feed(client, second)[0] == 200
    assert CalendarFeed.objects.filter(employee=employee_a).count() == 1
    assert first.rsplit("/", 1)[1].removesuffix(".ics") not in CalendarFeed.objects.get().token_hash
    client.force_login(employee_a.user)
    response = client.post(reverse("programs:my_calendar"), {"action": "revoke"})
    assert response.status_code == 302 and not CalendarFeed.objects.exists()
    client.logout()
    assert read_feed(client, second)[0] == 404
    assert read_feed(client, reverse("programs:calendar_feed", args=["not-a-token"]))[0] == 404
    assert read_feed(client, reverse("programs:calendar_feed", args=["x" * 5000]))[0] == 404


def test_the_page_shows_the_address_once_and_htmx_gets_the_feed_region(client, employee_a, clo_user):
    client.force_login(employee_a.user)
    page = client.get(reverse("programs:my_calendar"))
    assert page.status_code == 200 and "You have no calendar address." in page.content.decode()
    made = client.post(reverse("programs:my_calendar"), {"action": "make"}, HTTP_HX_REQUEST="true")
    text = made.content.decode()
    assert made.status_code == 200 and "<h1>" not in text and 'id="calendar-url"' in text
    assert "/calendar/feed/" in text and CalendarFeed.objects.filter(employee=employee_a).exists()
    again = client.get(reverse("programs:my_calendar")).content.decode()
    assert 'id="calendar-url"' not in again and "Revoke the address" in again
    client.force_login(clo_user)  # the CLO is a person of the council too
    assert client.get(reverse("programs:my_calendar")).status_code == 200


def test_an_account_without_an_employee_has_no_calendar(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("robot", password="x"))
    assert client.get(reverse("programs:my_calendar")).status_code == 404
    assert client.post(reverse("programs:my_calendar"), {"action": "make"}).status_code == 404
    assert not CalendarFeed.objects.exists()
