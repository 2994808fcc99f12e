"""A session is shown one way wherever it appears: the day in the reader's language with its weekday, and the hours
in the council's time zone (Europe/Madrid, summer time included), as its timetable says them ("de 9 a 13 h")."""

from __future__ import annotations

import datetime as dt
import html
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from clo.core.timespan import span
from tests import factories as f

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
UTC = dt.UTC


def page(client, url: str, language: str) -> str:
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(html.unescape(response.content.decode()).split())


@pytest.fixture
def winter_session():
    """Wednesday 18 December 2030, 8:00 to 12:00 UTC: 9 to 13 h in Madrid (winter time, UTC+1)."""
    program = f.ProgramFactory(code="P-SIGN", title="Electronic signature")
    return f.SessionFactory(program=program, code="S-SIGN-1", starts_at=dt.datetime(2030, 12, 18, 8, tzinfo=UTC),
                            ends_at=dt.datetime(2030, 12, 18, 12, tzinfo=UTC), timetable="Dimecres, de 9 a 13 h")


@pytest.mark.parametrize(("language", "shown"), [
    ("ca", "Dimecres 18 de desembre de 2030, de 9 a 13 h"),
    ("es", "Miércoles 18 de diciembre de 2030, de 9 a 13 h"),
    ("en", "Wednesday 18 December 2030, 9:00 to 13:00"),
])
def test_the_program_and_session_pages_show_the_session_in_madrid_time(clo_client, winter_session, language, shown):
    program_page = page(clo_client, reverse("programs:program_detail", args=[winter_session.program_id]), language)
    assert shown in program_page and "18/12/2030" not in program_page
    assert shown in page(clo_client, reverse("programs:session_detail", args=[winter_session.pk]), language)


def test_summer_time_is_madrid_time_too(clo_client):
    session = f.SessionFactory(starts_at=dt.datetime(2030, 6, 19, 13, tzinfo=UTC),
                               ends_at=dt.datetime(2030, 6, 19, 17, tzinfo=UTC), timetable="Dimecres, de 15 a 19 h")
    shown = page(clo_client, reverse("programs:program_detail", args=[session.program_id]), "ca")
    assert "Dimecres 19 de juny de 2030, de 15 a 19 h" in shown and "Dimecres, de 15 a 19 h" in shown


def test_the_employees_home_shows_an_enrolment_the_same_way(employee_a_client, employee_a, winter_session):
    f.EnrolmentFactory(session=winter_session, employee=employee_a, status="approved")
    assert "Dimecres 18 de desembre de 2030, de 9 a 13 h" in page(employee_a_client, reverse("home"), "ca")


@pytest.mark.parametrize(("starts", "ends", "language", "shown"), [
    # several days: the first and the last, with the daily hours
    ((2030, 12, 17, 9, 30), (2031, 1, 9, 13, 0), "ca",
     "Del dimarts 17 de desembre de 2030 al dijous 9 de gener de 2031, de 9.30 a 13 h"),
    ((2030, 12, 17, 9, 30), (2031, 1, 9, 13, 0), "es",
     "Del martes 17 de diciembre de 2030 al jueves 9 de enero de 2031, de 9:30 a 13 h"),
    ((2030, 12, 17, 9, 30), (2031, 1, 9, 13, 0), "en",
     "From Tuesday 17 December 2030 to Thursday 9 January 2031, 9:30 to 13:00"),
    # Catalan "d'11", "d'abril"
    ((2030, 4, 10, 11, 0), (2030, 4, 10, 14, 0), "ca", "Dimecres 10 d'abril de 2030, d'11 a 14 h"),
    # the night the clocks go forward: 9 h in Madrid is 7 h UTC
    ((2030, 3, 31, 9, 0), (2030, 3, 31, 13, 0), "ca", "Diumenge 31 de març de 2030, de 9 a 13 h"),
    # whole days (an online course at one's own pace): no hours
    ((2030, 6, 3, 0, 0), (2030, 6, 28, 23, 59), "ca", "Del dilluns 3 de juny de 2030 al divendres 28 de juny de 2030"),
])
def test_span_in_words(starts, ends, language, shown):
    with translation.override(language):
        assert span(dt.datetime(*starts, tzinfo=MADRID).astimezone(UTC),
                    dt.datetime(*ends, tzinfo=MADRID).astimezone(UTC)) == shown


def test_the_promotion_email_says_when_as_the_pages_do(employee_a, employee_b, winter_session, eager_tasks,
                                                       django_capture_on_commit_callbacks):
    from django.core import mail

    from programs.services import delivery as services

    employee_b.language = "es"
    employee_b.save(update_fields=["language"])
    session = f.SessionFactory(program=f.ProgramFactory(is_open=True), capacity=1, starts_at=winter_session.starts_at,
                               ends_at=winter_session.ends_at)
    holder = services.enrolment_request(session=session, employee=employee_a)
    services.enrolment_request(session=session, employee=employee_b)
    with django_capture_on_commit_callbacks(execute=True):
        services.enrolment_cancel(enrolment=holder)
    [promoted] = [message for message in mail.outbox if message.to == [employee_b.email]]
    assert "Miércoles 18 de diciembre de 2030, de 9 a 13 h" in promoted.body
    [withdrawn] = [message for message in mail.outbox if message.to == [employee_a.email]]  # in Catalan, A's language
    assert "Dimecres 18 de desembre de 2030, de 9 a 13 h" in withdrawn.body
