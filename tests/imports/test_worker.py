"""A large import through a real Celery worker (a separate process) on Redis: the preview and, once confirmed, the
import run there; the page's figures come from the job row the worker wrote."""

from __future__ import annotations

import time
import uuid

import pytest
from django.utils import translation

from clo.core.imports import services, tasks
from clo.core.imports.models import ImportJob
from clo.people.models import Employee
from tests import factories as f
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row
from tests.worker.test_real_worker import _require_services, _start_worker, _stop

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(job_id: int, status: str, worker, seconds: float = 90) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ImportJob.objects.get(pk=job_id)
        if job.status in (status, ImportJob.Status.FAILED) or worker.poll() is not None:
            return job
        time.sleep(0.25)
    return ImportJob.objects.get(pk=job_id)


def test_a_large_import_is_previewed_and_imported_by_a_real_worker(org, settings, tmp_path, monkeypatch):
    _require_services()
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))  # the worker reads the uploaded file there too
    settings.CLO_IMPORTS_INLINE_ROWS = 10
    f.PositionFactory(code="LT1")
    queue = f"test-imports-{uuid.uuid4().hex[:8]}"
    for task in (tasks.import_job_preview, tasks.import_job_run):
        monkeypatch.setattr(task, "delay", lambda job_id, task=task: task.apply_async((job_id,), queue=queue))
    worker = _start_worker(queue)
    try:
        data = csv_bytes(EMPLOYEE_HEADER, [employee_row(f"W{i:04d}", hire="01/03/2015") for i in range(300)], sep=";")
        job = services.import_job_create(kind="employees", data=data, original_name="plantilla.csv")
        assert job.status == ImportJob.Status.PENDING  # queued, not run in the request
        job = _wait_for(job.pk, ImportJob.Status.PREVIEWED, worker)
        if job.status != ImportJob.Status.PREVIEWED:
            pytest.fail(f"{job.status} {job.failure_detail}\n{_stop(worker)}")
        assert job.counts["create"] == 300 and not Employee.objects.filter(employee_number="W0000").exists()
        assert services.import_job_confirm(job)
        job = _wait_for(job.pk, ImportJob.Status.DONE, worker)
    finally:
        output = _stop(worker)
    assert job.status == ImportJob.Status.DONE, output
    assert Employee.objects.filter(employee_number__startswith="W").count() == 300
    assert "imports.import_job_run" in output and "succeeded" in output, output


def test_a_hostile_workbook_is_refused_by_the_worker_which_stays_up(org, settings, tmp_path, monkeypatch):
    """Even a one-row workbook is read by the worker, not the request; a workbook of millions of tiny shared texts
    is refused there with its message, and the same worker goes on to read the next file."""
    from tests.imports.helpers import UNIT_HEADER, workbook_zip, xlsx_bytes
    from tests.imports.test_limits import tiny_texts

    _require_services()
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    queue = f"test-imports-{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(tasks.import_job_preview, "delay",
                        lambda job_id: tasks.import_job_preview.apply_async((job_id,), queue=queue))
    worker = _start_worker(queue)
    try:
        hostile = services.import_job_create(kind="units", data=workbook_zip(shared=tiny_texts(3_000_000)),
                                             original_name="unitats.xlsx")
        assert hostile.status == ImportJob.Status.PENDING
        hostile = _wait_for(hostile.pk, ImportJob.Status.FAILED, worker)
        good = services.import_job_create(kind="units", data=xlsx_bytes(UNIT_HEADER, [["W1", "Unitat W", "", "A"]]),
                                          original_name="unitats.xlsx")
        assert good.status == ImportJob.Status.PENDING  # one row, yet not read in the request
        good = _wait_for(good.pk, ImportJob.Status.PREVIEWED, worker)
        alive = worker.poll() is None
    finally:
        output = _stop(worker)
    assert hostile.status == ImportJob.Status.FAILED, output
    with translation.override("en"):
        assert hostile.failure_display().startswith("The workbook cannot be read safely: a part of it expands")
    assert alive and good.status == ImportJob.Status.PREVIEWED and good.counts["create"] == 1, output
