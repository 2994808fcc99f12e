"""Bulk invitations through a real Celery worker on Redis: the 1 200 employees of a demo-sized council with no login
get 1 200 emails, the job's page shows its progress on the way, and every invited employee has a login.

The worker is a separate process, so its emails go to files (Django's file-based backend) that the test counts.
Prints one JSON line with the time the job took (a figure, not an assertion)."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
from pathlib import Path

import pytest
from django.urls import reverse

from clo.accounts import invitations
from clo.accounts.models import Invitation, InvitationJob
from clo.people.models import Employee
from tests import factories as f
from tests.worker.conftest import own_broker, redis_server, workers  # noqa: F401 - fixtures

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
PEOPLE = 1200


def _messages_in(folder: Path) -> int:
    return sum(1 for path in folder.glob("*.log")
               for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("Message-ID:"))


def test_inviting_1200_people_sends_1200_emails_through_a_worker(workers, tmp_path, monkeypatch, on_postgresql,
                                                                  hr_user, org, client):
    outbox = tmp_path / "mail"
    outbox.mkdir()
    monkeypatch.setenv("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
    monkeypatch.setenv("EMAIL_FILE_PATH", str(outbox))
    monkeypatch.setenv("CLO_BASE_URL", "https://formacio.example")
    position = f.PositionFactory()
    units = [org.unit_a1, org.unit_b1, org.unit_a]
    Employee.objects.bulk_create([
        Employee(employee_number=f"D{i:05d}", first_name="Persona", last_name=f"Demo {i}", email=f"d{i}@vilamar.example",
                 unit=units[i % 3], position=position, hire_date=dt.date(2010, 1, 1),
                 language=("ca", "es", "en")[i % 3])
        for i in range(PEOPLE)
    ])
    worker = workers.start()

    started = time.monotonic()
    job = invitations.invitation_job_request(kind=InvitationJob.Kind.ALL, requested_by=hr_user)
    client.force_login(hr_user)
    seen: set[int] = set()
    deadline = started + 300
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (InvitationJob.Status.DONE, InvitationJob.Status.FAILED):
            break
        if job.status == InvitationJob.Status.RUNNING:
            page = client.get(reverse("accounts:invitation_job", args=[job.pk]), HTTP_HX_REQUEST="true")
            body = page.content.decode()
            assert page.status_code == 200 and "<html" not in body
            percent = int(re.search(r'<progress value="(\d+)"', body).group(1))
            assert percent == 100 or 'hx-trigger="every 1s"' in body  # the page polls until the job is finished
            seen.add(percent)
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    assert job.status == InvitationJob.Status.DONE, worker.output[-3000:]
    assert (job.total, job.done_count, job.sent_count, job.failures) == (PEOPLE, PEOPLE, PEOPLE, [])
    assert any(0 < percent < 100 for percent in seen), f"no progress seen between start and end: {sorted(seen)}"
    assert _messages_in(outbox) == PEOPLE  # HR (the persona) signs in already: not invited
    assert Employee.objects.filter(employee_number__startswith="D", user__username__startswith="D").count() == PEOPLE
    assert Invitation.objects.count() == PEOPLE
    page = client.get(reverse("accounts:invitation_job", args=[job.pk]))
    assert page.context["job"].percent == 100 and "hx-trigger" not in page.content.decode()  # polling stops
    print(json.dumps({"benchmark": "bulk_invitations", "people": PEOPLE, "seconds": round(elapsed, 2),
                      "emails_per_second": round(PEOPLE / elapsed, 1)}))
