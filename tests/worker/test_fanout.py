"""Bulk PDF jobs fanned out over real Celery workers (separate processes on the test database, a Redis server of the
test's own): two workers render the chunks of one job together, the page shows the chunks done, the zip holds each
plan once; a worker killed in the middle of a chunk leaves a chunk that is put back and rendered again."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from clo.core import bulk_pdf
from clo.core.models import BulkChunk
from programs.services.learning_plans import pdfs as plan_pdfs
from tests import factories as f
from tests.worker.processes import backend_gone, require_postgresql, wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

SLOW = "programs.services.learning_plans.pdfs:learning_plan_pdf="
HTMX = {"HTTP_HX_REQUEST": "true"}


def _plans(org, n):
    today = timezone.localdate()
    return [
        f.LearningPlanFactory(employee=f.EmployeeFactory(unit=org.unit_a1), period_start=today - dt.timedelta(days=5),
                              period_end=today + dt.timedelta(days=200))
        for _ in range(n)
    ]


def _zip_names(job) -> list[str]:
    with default_storage.open(job.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        names = archive.namelist()
        assert all(archive.read(name).startswith(b"%PDF") for name in names)
    return names


@pytest.fixture
def small_chunks(settings, monkeypatch, tmp_path):
    """Chunks of two plans, in this process and in the workers it starts; files under a folder of the test's own."""
    monkeypatch.setenv("BULK_PDF_CHUNK", "2")
    settings.BULK_PDF_CHUNK = 2
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_two_workers_render_the_chunks_of_one_job_and_the_zip_holds_each_plan_once(
        org, workers, small_chunks, hr_client, english):
    require_postgresql()
    plans = _plans(org, 8)
    first = workers.start(media=small_chunks, slow=SLOW + "0.6")
    second = workers.start(media=small_chunks, slow=SLOW + "0.6")
    job = plan_pdfs.plan_pdf_job_request(unit=org.unit_a, as_of=timezone.localdate())  # to our Redis on commit
    url = reverse("programs:pdf_job_detail", args=[job.pk])

    seen = []

    def parts_shown():
        seen.append(hr_client.get(url, **HTMX).content.decode())
        return " of 4 parts done" in seen[-1] and seen[-1]
    try:
        page = wait_for(parts_shown, timeout=60, message="the page never showed the job's chunks")
    except BaseException:
        print(seen[-1], first.output, second.output)
        raise
    assert "of 8 plans" in page and 'hx-trigger="every 1s"' in page  # the plans done, still polling

    def finished():
        job.refresh_from_db()
        return job.finished
    wait_for(finished, timeout=120, message="the job never finished\n" + first.output + second.output)

    assert (job.status, job.total, job.done_count, job.failures) == ("done", 8, 8, []), first.output
    # Both workers rendered plans, and no plan was rendered twice.
    assert first.saw("SLOW") >= 1 and second.saw("SLOW") >= 1, (first.output, second.output)
    assert first.saw("SLOW") + second.saw("SLOW") == 8
    assert sorted(_zip_names(job)) == sorted(plan_pdfs._entry_name(plan) for plan in plans)
    assert not BulkChunk.objects.filter(job_id=job.pk).exists()  # the chunks are tidied with the parts
    finished_page = hr_client.get(url, **HTMX).content.decode()
    assert "8 of 8 plans" in finished_page and "parts done" not in finished_page and "hx-trigger" not in finished_page


def test_a_chunk_whose_worker_was_killed_is_put_back_and_the_zip_is_complete(org, workers, small_chunks):
    require_postgresql()
    plans = _plans(org, 6)
    first = workers.start(media=small_chunks, slow=SLOW + "1.5")
    job = plan_pdfs.plan_pdf_job_request(unit=org.unit_a, as_of=timezone.localdate())

    def mid_chunk():  # the first chunk done, the second begun
        job.refresh_from_db()
        return job.done_count >= 3 and job.status == "running"
    wait_for(mid_chunk, timeout=60, message="the worker never made progress\n" + first.output)
    first.kill()
    running = list(BulkChunk.objects.filter(job_id=job.pk, status="running").values_list("pk", flat=True))
    assert len(running) == 1, first.output
    rendered_before = first.saw("SLOW")

    wait_for(lambda: backend_gone("{fn}(%s, %s)", [bulk_pdf.CHUNK_LOCK_CLASS, running[0]]), timeout=30,
             message="the killed worker's chunk lock was never released")
    second = workers.start(media=small_chunks, slow=SLOW + "0")  # puts the chunk back at start-up, then renders

    def finished():
        job.refresh_from_db()
        return job.finished
    wait_for(finished, timeout=90, message="the resumed job never finished\n" + second.output)

    assert (job.status, job.total, job.done_count, job.failures) == ("done", 6, 6, []), second.output
    assert sorted(_zip_names(job)) == sorted(plan_pdfs._entry_name(plan) for plan in plans)
    # The killed worker's finished parts were kept: only what it had not finished was rendered again.
    assert second.saw("SLOW") <= 6 - 3 and rendered_before + second.saw("SLOW") <= 6 + 1
