"""The assessment deadline reminders through a real Celery worker (a separate process) from Redis, on PostgreSQL:
the beat job delivered twice emails each rater who has not answered once, in their language, and nobody who has.
The worker writes its emails with Django's file-based backend into a temporary directory (the test's locmem outbox is
not visible across processes)."""

from __future__ import annotations

import datetime as dt
import email
import signal
import subprocess
import time
import uuid
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.utils import timezone

from evaluations import services, tasks
from evaluations.models import Assessment
from tests.evaluations.conftest import open_campaign, self_assessment
from tests.programs.plans.test_worker import _require_services, _worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _messages(directory: Path) -> list[email.message.Message]:
    """Every message the file-based backend wrote (several per file, each followed by a line of 79 dashes)."""
    found = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_text().split("-" * 79):
            if chunk.strip():
                found.append(email.message_from_string(chunk.lstrip("\n")))
    return found


def _stop(worker: subprocess.Popen) -> str:
    worker.send_signal(signal.SIGTERM)
    try:
        output, _ = worker.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    return output


def test_a_real_worker_sends_each_reminder_once(frame, clo_user, hr_user, director_a, employee_a, director_b,
                                                employee_b, tmp_path, monkeypatch):
    _require_services()
    campaign = open_campaign(days_left=7)  # closes in a week: the first reminder is due today
    services.assessment_save(assessment_id=self_assessment(campaign, employee_a).pk, submit=True,
                             answers={frame.writing.pk: services.Answer(3), frame.teamwork.pk: services.Answer(2)})
    employee_b.language = "es"
    employee_b.save(update_fields=["language"])
    waiting = list(Assessment.objects.filter(campaign=campaign, status="draft").select_related("assessor"))
    assert len(waiting) == 5

    mail = tmp_path / "mail"
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    monkeypatch.setenv("EMAIL_FILE_PATH", str(mail))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = _worker(queue, tmp_path)
    try:
        for _ in range(2):  # the beat job delivered twice (or two beats)
            tasks.assessment_reminders_send.apply_async(queue=queue)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            if not Assessment.objects.filter(campaign=campaign, status="draft", reminded_on__isnull=True).exists():
                break
            time.sleep(0.25)
        time.sleep(3)  # let the second delivery run too
    finally:
        output = _stop(worker)

    assert output.count("evaluations.assessment_reminders_send") >= 2 and "succeeded" in output, output
    messages = _messages(mail)
    recipients = sorted(message["To"] for message in messages)
    assert recipients == sorted(a.assessor.email for a in waiting), output  # each once, nobody who answered
    assert employee_a.email not in recipients
    today = timezone.localdate()
    closes = (today + dt.timedelta(days=7)).strftime("%d/%m/%Y")
    subjects = {message["To"]: str(make_header(decode_header(message["Subject"]))) for message in messages}
    assert subjects[employee_b.email] == f"Evaluaciones por completar antes del {closes}"  # her language
    assert subjects[director_a.email] == f"Avaluacions per completar abans del {closes}"
    assert all(a.reminded_on == today for a in Assessment.objects.filter(campaign=campaign, status="draft"))
