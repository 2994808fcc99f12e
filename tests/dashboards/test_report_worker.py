"""The monthly CLO report through a real Celery worker (a separate process) from Redis, on PostgreSQL: the beat job,
delivered twice, asks for the previous month's report once; the report task, delivered twice, renders it once and
stores the PDF where the web process finds it."""

from __future__ import annotations

import signal
import subprocess
import time
import uuid

import pypdf
import pytest
from django.core.files.storage import default_storage

from clo.dashboards import reports, tasks
from clo.dashboards.models import MonthlyReport
from tests.programs.plans.test_worker import _require_services, _worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait(condition, worker, seconds=120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and worker.poll() is None and not condition():
        time.sleep(0.25)


def test_a_real_worker_makes_the_previous_months_report_once(org, clo_user, employee_a, settings, tmp_path):
    _require_services()
    settings.MEDIA_ROOT = tmp_path
    queue = f"test-{uuid.uuid4().hex[:8]}"
    worker = _worker(queue, tmp_path)
    try:
        for _ in range(2):  # the beat job delivered twice
            tasks.monthly_report.apply_async(kwargs={"today": "2026-11-01"}, queue=queue)
        _wait(lambda: MonthlyReport.objects.exists(), worker)
        time.sleep(2)  # let the duplicate delivery run too
        report = MonthlyReport.objects.get()
        for _ in range(2):  # the report task delivered twice
            tasks.monthly_report_run.apply_async(args=[report.pk], queue=queue)
        _wait(lambda: MonthlyReport.objects.get().finished, worker)
        time.sleep(2)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    report = MonthlyReport.objects.get()
    assert (str(report.period_start), str(report.period_end), report.language) == ("2026-10-01", "2026-10-31", "ca")
    assert report.status == "done", (report.error, output)
    assert output.count("dashboards.monthly_report_run") >= 2 and "succeeded" in output, output
    assert report.file.name == reports.report_file_name(report)
    with default_storage.open(report.file.name, "rb") as handle:
        reader = pypdf.PdfReader(handle)
        assert reader.trailer["/Root"]["/Lang"] == "ca"
        assert "Ajuntament de Vilamar" in reader.pages[0].extract_text()
