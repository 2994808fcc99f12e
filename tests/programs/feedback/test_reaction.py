"""Level 1 (reaction): the attendee's satisfaction questionnaire — who may answer, once only, the daily invitation
job, the pending list, and reports that never show fewer than three answers or anyone's name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from programs import selectors
from programs.selectors import feedback as selectors_feedback
from programs.models import Enrolment, ReactionInvitation, ReactionResponse, Session
from programs.services import feedback as services
from tests import factories as f
from tests.programs.feedback.conftest import SCORES, attendee, ended_session

pytestmark = pytest.mark.django_db

GOOD = {"usefulness": 4, "trainer": 5, "organisation": 3, "applicability": 4}


def answer_url(enrolment) -> str:
    return reverse("programs:reaction_answer", args=[enrolment.pk])


# --- Service ---------------------------------------------------------------------------------------------------------


def test_an_attendee_answers_once_and_a_second_answer_is_refused(course):
    services.reaction_submit(enrolment=course.mine, scores=GOOD, comment="  Useful.  ")
    with pytest.raises(ValidationError, match="already answered this questionnaire"):
        services.reaction_submit(enrolment=course.mine, scores={**GOOD, "trainer": 1})
    response = ReactionResponse.objects.get()
    assert (response.trainer, response.comment) == (5, "Useful.")


def test_the_database_keeps_one_answer_per_enrolment_and_scores_from_1_to_5(course):
    ReactionResponse.objects.create(enrolment=course.mine, submitted_at=timezone.now(), **GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReactionResponse.objects.create(enrolment=course.mine, submitted_at=timezone.now(), **GOOD)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReactionResponse.objects.create(enrolment=course.other, submitted_at=timezone.now(), **{**GOOD, "trainer": 6})


@pytest.mark.parametrize("status", ["requested", "approved", "waitlisted", "no_show", "cancelled", "rejected"])
def test_only_attendees_may_answer(course, status):
    Enrolment.objects.filter(pk=course.mine.pk).update(status=status, decision_reason="No seats.")
    course.mine.refresh_from_db()
    with pytest.raises(ValidationError, match="Only the people who attended"):
        services.reaction_submit(enrolment=course.mine, scores=GOOD)
    assert not ReactionResponse.objects.exists()


def test_the_questionnaire_opens_when_the_session_ends_and_closes_after_60_days(course):
    Session.objects.filter(pk=course.session.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1),
                                                        ends_at=timezone.now() + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="opens when the session has ended"):
        services.reaction_submit(enrolment=course.mine, scores=GOOD)
    Session.objects.filter(pk=course.session.pk).update(starts_at=timezone.now() - dt.timedelta(days=61, hours=3),
                                                        ends_at=timezone.now() - dt.timedelta(days=61))
    with pytest.raises(ValidationError, match="is closed"):
        services.reaction_submit(enrolment=course.mine, scores=GOOD)
    assert not ReactionResponse.objects.exists()


# --- Views: who may answer -----------------------------------------------------------------------------------------


def test_the_form_offers_labelled_scales_and_records_the_answer(employee_a_client, course):
    page = employee_a_client.get(answer_url(course.mine))
    assert page.status_code == 200
    html = page.content.decode()
    assert "How useful was the training for your work?" in html
    assert "5 — Very high" in html and "1 — Very low" in html
    assert html.count('type="radio"') == 20
    assert page["Cache-Control"].startswith("max-age=0")  # never_cache

    response = employee_a_client.post(answer_url(course.mine), SCORES)
    assert response.status_code == 302 and response.url == reverse("programs:my_feedback")
    answer = ReactionResponse.objects.get(enrolment=course.mine)
    assert (answer.usefulness, answer.trainer, answer.organisation, answer.applicability) == (4, 5, 3, 4)
    assert "your answers have been recorded" in employee_a_client.get(response.url).content.decode()


def test_answering_twice_is_refused_with_a_clear_message(employee_a_client, course):
    employee_a_client.post(answer_url(course.mine), SCORES)
    again = employee_a_client.post(answer_url(course.mine), {**SCORES, "trainer": "1"})
    assert again.status_code == 422
    assert "You have already answered this questionnaire: answers cannot be changed." in again.content.decode()
    page = employee_a_client.get(answer_url(course.mine)).content.decode()
    assert "already answered" in page and 'type="radio"' not in page
    assert ReactionResponse.objects.get().trainer == 5


def test_a_missing_rating_comes_back_next_to_its_question_in_the_htmx_partial(employee_a_client, course):
    data = {k: v for k, v in SCORES.items() if k != "trainer"}
    response = employee_a_client.post(answer_url(course.mine), data, headers={"HX-Request": "true"})
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and 'id="questionnaire"' in html
    assert 'id="id_trainer_error"' in html and "Choose a value from 1 to 5." in html
    assert 'aria-describedby="id_trainer_error"' in html
    assert not ReactionResponse.objects.exists()


def test_htmx_success_answers_with_a_redirect(employee_a_client, course):
    response = employee_a_client.post(answer_url(course.mine), SCORES, headers={"HX-Request": "true"})
    assert response.status_code == 200 and response["HX-Redirect"] == reverse("programs:my_feedback")
    assert ReactionResponse.objects.count() == 1


@pytest.mark.parametrize("who", ["employee_b", "director_a", "director_b", "clo_user", "hr_user"])
@pytest.mark.parametrize("htmx", [False, True])
def test_nobody_else_reaches_an_attendees_questionnaire(client, course, request, who, htmx):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    headers = {"HX-Request": "true"} if htmx else {}
    assert client.get(answer_url(course.mine), headers=headers).status_code == 404
    assert client.post(answer_url(course.mine), SCORES, headers=headers).status_code == 404
    assert not ReactionResponse.objects.exists()


def test_a_person_who_did_not_attend_gets_404(employee_a_client, course):
    Enrolment.objects.filter(pk=course.mine.pk).update(status=Enrolment.Status.NO_SHOW)
    assert employee_a_client.get(answer_url(course.mine)).status_code == 404
    assert employee_a_client.post(answer_url(course.mine), SCORES).status_code == 404


def test_anonymous_is_sent_to_log_in(client, course):
    for response in (client.get(answer_url(course.mine)), client.post(answer_url(course.mine), SCORES),
                     client.get(reverse("programs:my_feedback"))):
        assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_before_the_session_ends_the_page_says_so(employee_a_client, course):
    Session.objects.filter(pk=course.session.pk).update(starts_at=timezone.now() - dt.timedelta(hours=1),
                                                        ends_at=timezone.now() + dt.timedelta(hours=1))
    page = employee_a_client.get(answer_url(course.mine)).content.decode()
    assert "The questionnaire opens when the session has ended." in page and 'type="radio"' not in page


# --- Pending list (the employee's home page reads programs.selectors.pending_feedback) ---------------------------


def test_pending_questionnaires_until_answered(employee_a_client, employee_a, course):
    future = f.SessionFactory(program=course.program)  # not ended: nothing to answer yet
    attendee(future, employee_a, status=Enrolment.Status.APPROVED)
    pending = selectors.pending_feedback(employee_a.pk)
    assert [(p.kind, p.program, p.url) for p in pending] == [
        ("reaction", "Clear administrative writing", answer_url(course.mine))
    ]
    page = employee_a_client.get(reverse("programs:my_feedback")).content.decode()
    assert "Clear administrative writing" in page and answer_url(course.mine) in page
    employee_a_client.post(answer_url(course.mine), SCORES)
    assert selectors.pending_feedback(employee_a.pk) == []
    page = employee_a_client.get(reverse("programs:my_feedback")).content.decode()
    assert "You have no questionnaire to answer." in page


def test_pending_list_is_only_for_employees(clo_client):
    assert selectors.pending_feedback(None) == []


# --- The daily invitation job --------------------------------------------------------------------------------------


def test_attendees_of_ended_sessions_are_invited_once(course, employee_a, employee_b):
    upcoming = f.SessionFactory(program=course.program)
    attendee(upcoming, status=Enrolment.Status.APPROVED)  # not ended
    attendee(course.session, status=Enrolment.Status.NO_SHOW)  # did not come
    assert services.reaction_send_invitations() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([employee_a.email, employee_b.email])
    message = next(m for m in mail.outbox if m.to == [employee_a.email])
    assert answer_url(course.mine) in message.body
    assert "Clear administrative writing" in message.subject
    assert services.reaction_send_invitations() == 0  # the second run of the day, or of the next day
    assert len(mail.outbox) == 2
    assert ReactionInvitation.objects.filter(sent_at__isnull=False).count() == 2


def test_the_invitation_speaks_the_attendees_language(course, employee_a, employee_b):
    type(employee_a).objects.filter(pk=employee_a.pk).update(language="ca")
    type(employee_b).objects.filter(pk=employee_b.pk).update(language="en")
    services.reaction_send_invitations()
    message = next(m for m in mail.outbox if m.to == [employee_a.email])
    assert "Oficina de formació i desenvolupament" in message.body
    other = next(m for m in mail.outbox if m.to != [employee_a.email])
    assert "Learning and development office" in other.body  # employee_b's language is English


def test_the_beat_schedule_runs_both_jobs_daily(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"programs.feedback_send_reaction_invitations", "programs.feedback_send_transfer_follow_ups"} <= tasks


def test_the_task_calls_the_service(course):
    from programs.tasks import feedback_send_reaction_invitations

    assert feedback_send_reaction_invitations() == 2
    assert feedback_send_reaction_invitations() == 0


# --- Reports: aggregates only, never fewer than three answers, never names --------------------------------------


def answer(enrolment, **scores):
    return ReactionResponse.objects.create(enrolment=enrolment, submitted_at=timezone.now(), **{**GOOD, **scores})


def test_satisfaction_summary_hides_means_below_three_answers(course):
    answer(course.mine, usefulness=2)
    answer(course.other, usefulness=4)
    sessions = Session.objects.filter(pk=course.session.pk)
    summary = selectors.satisfaction_summary(sessions)
    assert summary["answers"] == 2 and summary["shown"] is False and summary["mean"] is None
    answer(attendee(course.session), usefulness=3)
    summary = selectors.satisfaction_summary(sessions)
    assert summary["shown"] is True
    assert summary["usefulness"] == pytest.approx(3.0)
    # mean of the four means: usefulness 3, trainer 5, organisation 3, applicability 4
    assert float(summary["mean"]) == pytest.approx(3.75)
    assert selectors.satisfaction_summary(start=timezone.now() + dt.timedelta(days=1))["answers"] == 0


def test_the_program_page_shows_no_breakdown_below_three_answers(clo_client, course):
    answer(course.mine, comment="The trainer was late.")
    answer(course.other, comment="Great examples.")
    url = reverse("programs:program_evaluation", args=[course.program.pk])
    page = clo_client.get(url).content.decode()
    assert "Too few answers to show (at least 3)." in page
    assert "The trainer was late." not in page and "Great examples." not in page


def test_the_program_page_shows_aggregates_and_comments_but_no_names(clo_client, course, employee_a, employee_b):
    answer(course.mine, trainer=2, comment="The trainer was late.")
    answer(course.other, trainer=3)
    answer(attendee(course.session, f.EmployeeFactory(first_name="Oriol", last_name="Casals Mas")), trainer=4)
    page = clo_client.get(reverse("programs:program_evaluation", args=[course.program.pk])).content.decode()
    assert "Too few answers" not in page
    assert "3.00" in page  # the trainer's mean: (2 + 3 + 4) / 3
    assert "The trainer was late." in page
    for name in (employee_a.full_name, employee_b.full_name, "Oriol"):
        assert name not in page


def test_the_evaluation_index_lists_programs_with_their_satisfaction(clo_client, course):
    for enrolment in (course.mine, course.other, attendee(course.session)):
        answer(enrolment, usefulness=5, trainer=5, organisation=5, applicability=5)
    quiet = f.ProgramFactory(title="Spreadsheets for everyone")
    attendee(ended_session(quiet))
    page = clo_client.get(reverse("programs:evaluation_index")).content.decode()
    assert "Clear administrative writing" in page and "5.00" in page
    assert "Spreadsheets for everyone" in page and "too few answers" in page


@pytest.mark.parametrize("url_name", ["evaluation_index", "program_evaluation"])
@pytest.mark.parametrize("who", ["employee_a", "director_a", "director_b", "hr_user"])
def test_reports_are_for_the_learning_office_only(client, course, request, url_name, who):
    person = request.getfixturevalue(who)
    client.force_login(getattr(person, "user", person))
    args = [course.program.pk] if url_name == "program_evaluation" else []
    url = reverse(f"programs:{url_name}", args=args)
    assert client.get(url).status_code == 404
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_a_sessions_few_answers_cannot_be_told_by_difference(clo_client, course):
    for enrolment in (course.mine, course.other, attendee(course.session)):
        answer(enrolment, usefulness=4, trainer=4, organisation=4, applicability=4)
    lonely = attendee(ended_session(course.program, days_ago=5))
    answer(lonely, usefulness=1, trainer=1, organisation=1, applicability=1)
    total, _sessions = selectors_feedback.program_satisfaction(course.program.pk)
    assert (total["answers"], total["hidden"], total["mean"]) == (3, 1, Decimal("4.00"))
    page = clo_client.get(reverse("programs:program_evaluation", args=[course.program.pk])).content.decode()
    assert "The total leaves out 1 answer of sessions with too few answers" in page
    index = clo_client.get(reverse("programs:evaluation_index")).content.decode()
    assert "4.00" in index and "3.25" not in index  # (3 × 4 + 1) / 4 would give the lonely answer away
