"""The reminder a week before the campaign's deadline, to directors of units that submitted nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

from programs.services.needs import campaign_send_reminders
from programs.tasks import needs_send_reminders

pytestmark = pytest.mark.django_db


def test_only_directors_whose_units_submitted_nothing_are_reminded(campaign, make_need, director_a, director_b,
                                                                  settings):
    settings.CLO_BASE_URL = "https://formacio.ajuntament.example"
    make_need(status="submitted")  # unit A1, inside director A's area
    make_need(status="draft", unit=director_b.unit, submitted_by=director_b)  # a draft is not a submission
    sent = campaign_send_reminders(today=campaign.deadline - dt.timedelta(days=7))
    assert sent == 1
    (message,) = mail.outbox
    assert message.to == [director_b.email]
    assert director_b.unit.name in message.body
    assert "https://formacio.ajuntament.example/needs/new/" in message.body


def test_the_reminder_is_in_the_directors_language_and_sent_once(campaign, director_b):
    director_b.language = "en"
    director_b.save()
    day = campaign.deadline - dt.timedelta(days=6)
    assert campaign_send_reminders(today=day) == 1
    assert mail.outbox[0].subject.startswith(f"Training needs {campaign.year}: the deadline is")
    assert campaign_send_reminders(today=day) == 0  # claimed: a second run (or a second worker) sends nothing
    assert len(mail.outbox) == 1
    campaign.refresh_from_db()
    assert campaign.reminder_sent_at is not None


def test_no_reminder_earlier_than_a_week_before_or_after_the_deadline(campaign, director_b):
    assert campaign_send_reminders(today=campaign.deadline - dt.timedelta(days=8)) == 0
    assert campaign_send_reminders(today=campaign.deadline + dt.timedelta(days=1)) == 0
    assert mail.outbox == []


def test_a_director_without_an_email_is_skipped(campaign, director_b):
    director_b.email = ""
    director_b.save()
    director_b.user.email = ""
    director_b.user.save()
    assert campaign_send_reminders(today=campaign.deadline) == 0


def test_the_task_runs_every_morning_from_the_beat_schedule(campaign, director_b):
    entry = settings.CELERY_BEAT_SCHEDULE["needs-campaign-reminders"]
    assert entry["task"] == "programs.needs_send_reminders"
    assert entry["schedule"].hour == {8}
    # the task sends for "today": with a deadline six days away it sends
    campaign.deadline = timezone.localdate() + dt.timedelta(days=6)
    campaign.save()
    assert needs_send_reminders() == 1
    assert mail.outbox[0].to == [director_b.email]
