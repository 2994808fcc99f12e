"""The bulk PDF job: many people's PDFs rendered into one zip by a status-machine row (``clo.core.jobs.Job`` with
``total``, ``done_count``, ``failures`` and ``file``). Learning plans (``programs``) and training records
(``clo.careers``) describe their job with a ``BulkPdf`` and share everything else here.

The row is claimed by one worker with a guarded UPDATE (and, on PostgreSQL, an advisory lock that lives as long as
the worker's connection), rendered item by item into parts stored under the job (one PDF in memory at a time: memory
stays flat with the number of items), zipped on a temporary local file and moved into place through Django's storage
under a path that depends only on the job. Running the task twice is harmless: the second claim changes no row and
returns. A job whose worker was lost is queued again (``resume_lost``: at worker start-up and every 5 minutes) and
renders only the items whose part is not there yet: each item is in the zip exactly once.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import logging
import os
import tempfile
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.models import F
from django.utils import timezone

from clo.core import pdf
from clo.core.jobs import stale_before

logger = logging.getLogger(__name__)

CHUNK = 25
QUEUE_GRACE = dt.timedelta(minutes=2)  # a pending job younger than this still has its message on the way
# Stored in English (the job page shows its own message for a failed job).
LOST = "The job stopped without finishing (its worker was lost) and was not resumed in time."


@dataclass(frozen=True)
class BulkPdf:
    """What differs from one bulk PDF job to another."""

    model: Any  # the job's model
    folder: str  # storage prefix of the jobs' files
    lock_class: int  # first key of the job's PostgreSQL advisory lock
    label: str  # in the logs
    items: Callable[[Any], Any]  # job -> the queryset of its items (pk order is applied here)
    render: Callable[[int, Any], tuple[bytes, dict] | None]  # (item pk, fonts) -> (PDF, failure description) or None
    describe: Callable[[int], dict]  # item pk -> what a failure names when the item could not even be loaded
    entry_name: Callable[[Any], str]  # item (with ``related``) -> its path in the zip
    zip_name: Callable[[Any], str]  # job -> the zip's storage name
    task: Callable[[], Any]  # the Celery task that runs a job
    related: tuple[str, ...] = ()  # select_related of the items, for their entry names

    def parts_dir(self, job) -> str:
        return f"{job.file_folder(self.folder)}/parts"

    def part_name(self, job, item_id: int) -> str:
        """Each item's PDF is stored on its own first, under a name that depends only on the job and the item: a job
        resumed after its worker was lost renders only the items that are not there yet."""
        return f"{self.parts_dir(job)}/{item_id}.pdf"


def resume_window() -> dt.timedelta:
    """A job whose worker was lost is resumed if it was requested within three hard time limits; a job that kills
    its worker every time is marked failed after that."""
    return 3 * dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@contextmanager
def job_lock(spec: BulkPdf, job_id: int):
    """Try to become the one process rendering the job; yields whether it succeeded. On PostgreSQL a session advisory
    lock, released by the server as soon as the worker's connection is gone (killed worker): holding it proves that
    a ``running`` row is an orphan. Elsewhere (SQLite, the embedded default) always True; staleness goes by time."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [spec.lock_class, job_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [spec.lock_class, job_id])
            except DatabaseError:  # the connection is gone, and its lock with it
                logger.warning("%s job %s: lock not released, connection lost", spec.label, job_id)


def _part_complete(name: str) -> bool:
    """A part a lost worker was writing may be cut short: a complete PDF ends with its %%EOF marker."""
    if not default_storage.exists(name):
        return False
    size = default_storage.size(name)
    with default_storage.open(name, "rb") as handle:
        handle.seek(max(0, size - 32))
        return b"%%EOF" in handle.read()


def _release_memory() -> None:
    """Give freed memory back to the system between chunks: WeasyPrint's native libraries (Pango, HarfBuzz) free
    many small blocks that glibc would otherwise keep, and the process would grow with the number of items."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _chunks(spec: BulkPdf, items):
    """The items in primary-key order, ``CHUNK`` at a time, with what the zip entry names need."""
    last = 0
    while True:
        chunk = list(items.filter(pk__gt=last).select_related(*spec.related).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _render_parts(spec: BulkPdf, job, items) -> None:
    """Render every item that has no complete part yet (one PDF in memory at a time) and count progress."""
    fonts = pdf.font_configuration()  # one for the whole job: memory stays flat with the number of items
    for chunk in _chunks(spec, items):
        for light in chunk:
            part = spec.part_name(job, light.pk)
            failure = None
            if not _part_complete(part):
                try:
                    rendered = spec.render(light.pk, fonts)
                    if rendered is not None:
                        if default_storage.exists(part):  # cut short by a lost worker
                            default_storage.delete(part)
                        default_storage.save(part, ContentFile(rendered[0]))
                        del rendered
                except Exception as exc:  # noqa: BLE001 - one bad item must not sink the others; it is listed
                    logger.exception("%s %s failed", spec.label, light.pk)
                    failure = {**spec.describe(light.pk), "error": str(exc)[:300]}
            update = {"done_count": F("done_count") + 1}
            if failure:
                job.failures.append(failure)
                update["failures"] = job.failures
            spec.model.objects.filter(pk=job.pk).update(**update)
        _release_memory()


def _zip_parts(spec: BulkPdf, archive: zipfile.ZipFile, job, items) -> None:
    """Every rendered item once, in primary-key order, read back one at a time."""
    for chunk in _chunks(spec, items):
        for item in chunk:
            part = spec.part_name(job, item.pk)
            if default_storage.exists(part):
                with default_storage.open(part, "rb") as handle:
                    archive.writestr(spec.entry_name(item), handle.read())


def _delete_parts(spec: BulkPdf, job) -> None:
    directory = spec.parts_dir(job)
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        default_storage.delete(f"{directory}/{name}")
    try:
        os.rmdir(default_storage.path(directory))
    except (NotImplementedError, OSError):  # not a local storage, or not empty: nothing to tidy
        pass


def run(spec: BulkPdf, job_id: int):
    """Execute a job: claim, count, render the items not rendered yet, zip them into place, mark it done.
    Returns None when the job is gone, finished, or another worker has it (safe to run twice, and to run again after
    its worker was lost: the items already rendered are not rendered again)."""
    with job_lock(spec, job_id) as held:
        # On PostgreSQL holding the lock proves a running row's worker is gone; the items it already rendered are
        # kept (``_render_parts`` skips them), only the progress starts again.
        owner_gone = connection.vendor == "postgresql"
        if not held or not spec.model.claim(job_id, owner_gone=owner_gone, done_count=0, failures=[]):
            return None
        _execute(spec, spec.model.objects.get(pk=job_id))
    return spec.model.objects.get(pk=job_id)


def _execute(spec: BulkPdf, job) -> None:
    items = spec.items(job)
    job.total = items.count()
    spec.model.objects.filter(pk=job.pk).update(total=job.total)
    tmp = tempfile.NamedTemporaryFile(prefix=f"pdfs-{job.pk}-", suffix=".zip", delete=False)
    try:
        _render_parts(spec, job, items)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            _zip_parts(spec, archive, job, items)
        tmp.close()
        name = spec.zip_name(job)
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(tmp.name, "rb") as handle:
            stored = default_storage.save(name, File(handle))
        spec.model.complete(job.pk, file=stored)
        _delete_parts(spec, job)
    except Exception as exc:
        logger.exception("%s job %s failed", spec.label, job.pk)
        spec.model.fail(job.pk, exc)
    finally:
        tmp.close()
        if os.path.exists(tmp.name):
            os.unlink(tmp.name)


def _owner_gone(spec: BulkPdf, job) -> bool:
    if connection.vendor != "postgresql":
        return job.started_at is not None and job.started_at < stale_before()
    with job_lock(spec, job.pk) as held:
        return held


def resume_lost(spec: BulkPdf) -> list[int]:
    """Queue again the jobs whose worker was lost (``running``, nobody holds their lock) and the pending ones whose
    message may have been lost (Redis restarted empty); the worker at start-up and a beat job call this. Jobs older
    than ``resume_window`` are marked failed instead. Returns the ids queued."""
    model, task = spec.model, spec.task()
    now = timezone.now()
    queued = []
    unfinished = model.objects.filter(status__in=[model.Status.PENDING, model.Status.RUNNING])
    for job in unfinished.only("pk", "status", "created_at", "started_at", "file_token"):
        if job.status == model.Status.PENDING and job.created_at > now - QUEUE_GRACE:
            continue
        if job.status == model.Status.RUNNING and not _owner_gone(spec, job):
            continue
        if job.created_at < now - resume_window():
            model.fail(job.pk, LOST, only_if=job.status)
            continue
        task.delay(job.pk)
        queued.append(job.pk)
    if queued:
        logger.warning("%s job(s) %s queued again (worker or message lost)", spec.label, queued)
    return queued
