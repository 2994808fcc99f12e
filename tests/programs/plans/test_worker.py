"""The bulk PDF job through a real Celery worker (a separate process) from Redis, on PostgreSQL: HR's request is
queued on commit, the worker claims the row, renders the plans and stores the zip where the web process finds it."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from programs.models import PlanPdfJob
from programs.services import learning_plans
from programs.services.learning_plans import pdfs as plan_pdfs
from tests import factories as f

ROOT = Path(__file__).resolve().parents[3]
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _require_services():
    missing = []
    if connection.vendor != "postgresql":
        missing.append("PostgreSQL (DATABASE_URL)")
    if not settings.REDIS_URL:
        missing.append("Redis (REDIS_URL)")
    if missing:
        message = "the worker test needs " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def _worker(queue: str, media: Path) -> subprocess.Popen:
    s = connection.settings_dict
    url = f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": settings.REDIS_URL, "DATABASE_POOL": "false",
           "MEDIA_ROOT": str(media)}
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "clo", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
         "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO", "-n", f"{queue}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def test_a_real_worker_renders_the_bulk_job_from_redis(org, employee_a, director_a, settings, tmp_path):
    _require_services()
    settings.MEDIA_ROOT = tmp_path
    competency = f.CompetencyFactory(name="Administrative writing")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    f.ProgramCompetencyFactory(program=f.ProgramFactory(title="Clear administrative writing"), competency=competency)
    today = timezone.localdate()
    learning_plans.learning_plans_generate(employee_ids=[employee_a.pk, director_a.pk],
                                           period_start=today - dt.timedelta(days=5),
                                           period_end=today + dt.timedelta(days=200))
    queue = f"test-{uuid.uuid4().hex[:8]}"
    from programs import tasks

    worker = _worker(queue, tmp_path)
    try:
        job = PlanPdfJob.objects.create(unit=org.unit_a, as_of=today)
        tasks.plan_pdf_job_run.apply_async(args=[job.pk], queue=queue)
        tasks.plan_pdf_job_run.apply_async(args=[job.pk], queue=queue)  # delivered twice: rendered once
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and worker.poll() is None:
            job.refresh_from_db()
            if job.finished:
                time.sleep(2)  # let the duplicate delivery run too
                break
            time.sleep(0.25)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    job.refresh_from_db()
    assert (job.status, job.total, job.done_count) == ("done", 2, 2), output
    assert output.count("programs.plan_pdf_job_run") >= 2 and "succeeded" in output, output
    with default_storage.open(job.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        assert len(archive.namelist()) == 2
    assert job.file.name == plan_pdfs.job_zip_name(job)
