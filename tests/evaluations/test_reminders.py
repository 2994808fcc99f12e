"""Deadline reminders: raters who have not answered get one email per campaign, 7 days and 1 day before the close,
in their language; a second run the same day sends nothing; the job is on the beat schedule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone, translation

from evaluations import services, tasks
from tests.evaluations.conftest import open_campaign, self_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(frame, director_a, employee_a, director_b, employee_b):
    return {"director_a": director_a, "employee_a": employee_a, "director_b": director_b, "employee_b": employee_b}


@pytest.mark.parametrize(("days_left", "sent"), [(7, True), (1, True), (5, False), (0, False), (8, False)])
def test_reminders_go_out_7_days_and_1_day_before_the_close(people, days_left, sent):
    open_campaign(days_left=days_left)
    assert services.assessment_reminders_send() == (4 if sent else 0)
    assert len(mail.outbox) == (4 if sent else 0)


def test_only_raters_who_have_not_answered_and_only_once_a_day(people, frame):
    campaign = open_campaign(days_left=7)
    employee_a = people["employee_a"]
    own = self_assessment(campaign, employee_a)
    services.assessment_save(assessment_id=own.pk, submit=True, answers={
        frame.writing.pk: services.Answer(2), frame.teamwork.pk: services.Answer(2)})
    assert tasks.assessment_reminders_send() == 3
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert employee_a.email not in recipients
    assert recipients == sorted(p.email for k, p in people.items() if k != "employee_a")
    assert tasks.assessment_reminders_send() == 0  # the same day again: nothing
    assert len(mail.outbox) == 3
    tomorrow = timezone.localdate() + dt.timedelta(days=6)  # the day before the close
    assert services.assessment_reminders_send(today=tomorrow) == 3


def test_the_reminder_speaks_the_raters_language_and_names_the_campaign_and_date(people):
    employee_a = people["employee_a"]
    employee_a.language = "es"
    employee_a.save(update_fields=["language"])
    campaign = open_campaign(days_left=1, name="Avaluació de competències 2026")
    services.assessment_reminders_send()
    message = next(m for m in mail.outbox if m.to == [employee_a.email])
    date = campaign.closes_on.strftime("%d/%m/%Y")
    assert date in message.subject
    assert "Avaluació de competències 2026" in message.body and "/assessments/" in message.body
    with translation.override("es"):
        assert message.subject == translation.gettext("Assessments to complete before %(date)s") % {"date": date}


def test_the_reminders_are_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["assessment-deadline-reminders"]
    assert entry["task"] == "evaluations.assessment_reminders_send"
    assert entry["task"] in {t for t in tasks.assessment_reminders_send.app.tasks}
