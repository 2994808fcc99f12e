"""Level 3 (transfer): 90 days after completion the person and their manager are asked whether it is being applied
(time frozen: day 89 nothing, day 90 sent once); the respondents answer once; unanswered follow-ups are listed for
the learning office and for the directors of the people concerned only."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from programs import selectors
from programs.models import Enrolment, TransferFollowUp
from programs.services import feedback as services
from tests import factories as f
from tests.programs.feedback.conftest import attendee, ended_session

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
COMPLETED = dt.date(2026, 3, 2)


def at(day: dt.date):
    return time_machine.travel(dt.datetime.combine(day, dt.time(7, 30), tzinfo=MADRID), tick=False)


@pytest.fixture
def completed(org, employee_a, employee_b):
    """employee_a (manager director_a) and employee_b (manager director_b) completed a program on COMPLETED."""
    program = f.ProgramFactory(code="P-LEAD", title="Leading teams")
    session = ended_session(program, code="S-LEAD-1", days_ago=300)
    return {
        "program": program,
        "a": attendee(session, employee_a, status=Enrolment.Status.COMPLETED, completed_on=COMPLETED),
        "b": attendee(session, employee_b, status=Enrolment.Status.COMPLETED, completed_on=COMPLETED),
    }


def test_day_89_sends_nothing_day_90_sends_once(completed, employee_a, director_a, employee_b, director_b):
    with at(COMPLETED + dt.timedelta(days=89)):
        assert services.transfer_send_follow_ups() == 0
    assert not TransferFollowUp.objects.exists() and not mail.outbox
    with at(COMPLETED + dt.timedelta(days=90)):
        assert services.transfer_send_follow_ups() == 4
        assert services.transfer_send_follow_ups() == 0  # re-running the job sends nothing more
    with at(COMPLETED + dt.timedelta(days=91)):
        assert services.transfer_send_follow_ups() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        p.email for p in (employee_a, director_a, employee_b, director_b))
    rows = TransferFollowUp.objects.filter(enrolment=completed["a"]).order_by("respondent_role")
    assert [(r.respondent_role, r.respondent_id, r.due_on) for r in rows] == [
        ("employee", employee_a.pk, COMPLETED + dt.timedelta(days=90)),
        ("manager", director_a.pk, COMPLETED + dt.timedelta(days=90)),
    ]
    to_manager = next(m for m in mail.outbox if m.to == [director_a.email])
    assert employee_a.full_name in to_manager.body and "Leading teams" in to_manager.subject
    assert reverse("programs:transfer_answer", args=[rows[1].pk]) in to_manager.body


def test_a_missed_day_is_caught_up_once(completed):
    with at(COMPLETED + dt.timedelta(days=95)):
        assert services.transfer_send_follow_ups() == 4
        assert services.transfer_send_follow_ups() == 0


def test_a_person_without_a_manager_gets_only_their_own_follow_up(completed, employee_a):
    type(employee_a).objects.filter(pk=employee_a.pk).update(manager=None)
    with at(COMPLETED + dt.timedelta(days=90)):
        services.transfer_send_follow_ups()
    assert list(TransferFollowUp.objects.filter(enrolment=completed["a"]).values_list("respondent_role", flat=True)) \
        == ["employee"]


def test_the_task_runs_the_job(completed):
    from programs.tasks import feedback_send_transfer_follow_ups

    with at(COMPLETED + dt.timedelta(days=90)):
        assert feedback_send_transfer_follow_ups() == 4
        assert feedback_send_transfer_follow_ups() == 0


@pytest.fixture
def sent(completed):
    with at(COMPLETED + dt.timedelta(days=90)):
        services.transfer_send_follow_ups()
    rows = TransferFollowUp.objects.select_related("enrolment")
    return {(r.enrolment.employee_id, r.respondent_role): r for r in rows}


def answer_url(follow_up) -> str:
    return reverse("programs:transfer_answer", args=[follow_up.pk])


def test_the_person_answers_once(employee_a_client, employee_a, sent):
    mine = sent[(employee_a.pk, "employee")]
    page = employee_a_client.get(answer_url(mine)).content.decode()
    assert "Are you applying what you learnt?" in page and "5 — Fully" in page
    response = employee_a_client.post(answer_url(mine), {"applying": "4", "example": "I plan the team's week."})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert (mine.applying, mine.example) == (4, "I plan the team's week.") and mine.answered_at
    again = employee_a_client.post(answer_url(mine), {"applying": "1"})
    assert again.status_code == 422
    assert "This follow-up has already been answered: answers cannot be changed." in again.content.decode()
    mine.refresh_from_db()
    assert mine.applying == 4


def test_the_manager_is_asked_about_their_person(director_a_client, employee_a, sent):
    theirs = sent[(employee_a.pk, "manager")]
    page = director_a_client.get(answer_url(theirs)).content.decode()
    assert f"Is {employee_a.full_name} applying what they learnt?" in page
    invalid = director_a_client.post(answer_url(theirs), {"applying": "9"}, headers={"HX-Request": "true"})
    assert invalid.status_code == 422 and "<html" not in invalid.content.decode()
    assert 'aria-describedby="id_applying_error"' in invalid.content.decode()
    assert director_a_client.post(answer_url(theirs), {"applying": "3"}).status_code == 302


def test_the_service_refuses_a_second_answer(sent, employee_a):
    mine = sent[(employee_a.pk, "employee")]
    services.transfer_answer(follow_up=mine, applying=5)
    with pytest.raises(ValidationError, match="already been answered"):
        services.transfer_answer(follow_up=mine, applying=2)


@pytest.mark.parametrize("who", ["employee_b", "director_b", "clo_user", "hr_user"])
@pytest.mark.parametrize("htmx", [False, True])
def test_only_the_respondent_reaches_a_follow_up(client, sent, employee_a, request, who, htmx):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    headers = {"HX-Request": "true"} if htmx else {}
    for follow_up in (sent[(employee_a.pk, "employee")], sent[(employee_a.pk, "manager")]):
        assert client.get(answer_url(follow_up), headers=headers).status_code == 404
        assert client.post(answer_url(follow_up), {"applying": "3"}, headers=headers).status_code == 404
    assert not TransferFollowUp.objects.filter(answered_at__isnull=False).exists()


def test_the_employee_does_not_reach_their_managers_follow_up(employee_a_client, employee_a, sent):
    assert employee_a_client.get(answer_url(sent[(employee_a.pk, "manager")])).status_code == 404


def test_pending_lists_show_the_follow_ups_to_answer(employee_a, director_a, sent):
    mine = selectors.pending_feedback(employee_a.pk)
    assert [(p.kind, p.program) for p in mine] == [("transfer", "Leading teams")]
    theirs = selectors.pending_feedback(director_a.pk)
    assert [(p.kind, p.person) for p in theirs] == [("transfer", employee_a.full_name)]


# --- The list of unanswered follow-ups --------------------------------------------------------------------------


def test_the_learning_office_sees_every_unanswered_follow_up(clo_client, sent, employee_a, employee_b):
    services.transfer_answer(follow_up=sent[(employee_b.pk, "employee")], applying=4)
    page = clo_client.get(reverse("programs:follow_up_list")).content.decode()
    assert "3 follow-ups without an answer" in page
    assert employee_a.full_name in page and employee_b.full_name in page


def test_a_director_sees_only_their_units_follow_ups(director_a_client, sent, employee_a, employee_b):
    page = director_a_client.get(reverse("programs:follow_up_list")).content.decode()
    assert "2 follow-ups without an answer" in page
    assert employee_a.full_name in page and employee_b.full_name not in page
    partial = director_a_client.get(reverse("programs:follow_up_list"), headers={"HX-Request": "true"})
    assert "<html" not in partial.content.decode() and employee_a.full_name in partial.content.decode()


def test_the_outsider_director_does_not_see_unit_a(outsider_client, sent, employee_a, employee_b):
    page = outsider_client.get(reverse("programs:follow_up_list")).content.decode()
    assert employee_a.full_name not in page and employee_b.full_name in page


@pytest.mark.parametrize("who", ["employee_a", "hr_user"])
def test_the_list_is_not_for_employees_or_hr(client, sent, request, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    assert client.get(reverse("programs:follow_up_list")).status_code == 404
    assert client.get(reverse("programs:follow_up_list"), headers={"HX-Request": "true"}).status_code == 404


def test_anonymous_is_sent_to_log_in(client, sent, employee_a):
    for url in (reverse("programs:follow_up_list"), answer_url(sent[(employee_a.pk, "employee")])):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
