"""The bulk PDF job: many people's PDFs rendered into one zip by a status-machine row (``clo.core.jobs.Job`` with
``total``, ``done_count``, ``failures`` and ``file``). Learning plans (``programs``) and training records
(``clo.careers``) describe their job with a ``BulkPdf`` and share everything else here.

The job's task (``run``) claims the row with a guarded UPDATE, under a PostgreSQL advisory lock on the job, and
splits the items into chunks of ``BULK_PDF_CHUNK`` consecutive primary keys (``clo.core.models.BulkChunk``). It queues helper
tasks (``BulkPdf.work_task``) and then works on the chunks itself, like every helper: any worker takes the next
pending chunk (``SELECT … FOR UPDATE SKIP LOCKED`` and a session advisory lock on the chunk), renders its items one
PDF at a time into parts stored under the job, and takes the next, so any number of workers render one job in
parallel with nothing shared but the claim. Whoever finishes the last chunk takes the job's lock again and streams
the parts into the zip (a temporary local file, moved into place through Django's storage under a path that depends
only on the job). Memory stays flat with the number of items in every worker.

Running a task twice is harmless: the second claim changes no row. A chunk whose worker was lost (``running``, its
lock free) goes back to ``pending`` and the job is queued again (``resume_lost``: at worker start-up and every 5
minutes); only the items whose part is not there yet are rendered again, and each item is in the zip exactly once.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import logging
import os
import tempfile
import time
import zipfile
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone

from clo.core import pdf
from clo.core.jobs import stale_before
from clo.core.models import BulkChunk

logger = logging.getLogger(__name__)

CHUNK = 25  # items read at a time when the zip is assembled
HELPERS = 63  # at most this many helper tasks queued per job: up to 64 workers render one job together
CHUNK_LOCK_CLASS = 0x63686B  # "chk": advisory lock (class, chunk id) held by the worker rendering a chunk
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
    task: Callable[[], Any]  # the Celery task that runs a job (``run``)
    work_task: Callable[[], Any]  # the Celery task that renders a job's chunks (``work``)
    related: tuple[str, ...] = ()  # select_related of the items, for their entry names

    @property
    def kind(self) -> str:
        return self.model._meta.label_lower

    def chunks(self, job_id: int):
        return BulkChunk.objects.filter(kind=self.kind, job_id=job_id)

    def parts_dir(self, job) -> str:
        return f"{job.file_folder(self.folder)}/parts"

    def part_name(self, job, item_id: int) -> str:
        """Each item's PDF is stored on its own first, under a name that depends only on the job and the item: a job
        resumed after its worker was lost renders only the items that are not there yet."""
        return f"{self.parts_dir(job)}/{item_id}.pdf"


def resume_window() -> dt.timedelta:
    """A job whose worker was lost is resumed if it was requested (or last made progress) within three hard time
    limits; a job that kills its worker every time is marked failed after that."""
    return 3 * dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def work_budget() -> float:
    """Seconds a task renders chunks before it hands the rest to a task of its own (queued again): a job of any size
    stays within Celery's time limits."""
    return settings.CELERY_TASK_SOFT_TIME_LIMIT / 2


@contextmanager
def _advisory_lock(first: int, second: int):
    """A session advisory lock, taken if free; yields whether it was. Released by the server as soon as the worker's
    connection is gone (killed worker): holding it proves that a ``running`` row is an orphan. Elsewhere (SQLite,
    the embedded default) always True; staleness goes by time."""
    held = _try_lock(first, second)
    try:
        yield held
    finally:
        if held:
            _unlock(first, second)


def job_lock(spec: BulkPdf, job_id: int):
    """Try to become the one process planning or assembling the job; yields whether it succeeded (a context
    manager)."""
    return _advisory_lock(spec.lock_class, job_id)


def chunk_lock(chunk_id: int):
    return _advisory_lock(CHUNK_LOCK_CLASS, chunk_id)


def _try_lock(first: int, second: int) -> bool:
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [first, second])
        return cursor.fetchone()[0]


def _unlock(first: int, second: int) -> None:
    if connection.vendor != "postgresql":
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [first, second])
    except DatabaseError:  # the connection is gone, and its lock with it
        logger.warning("advisory lock (%s, %s) not released, connection lost", first, second)


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


# --- Planning: the job's chunks ------------------------------------------------------------------------------------


def _plan(spec: BulkPdf, job) -> int:
    """Split the job's items into chunks of ``BULK_PDF_CHUNK`` consecutive primary keys and count them (inside the claim's
    transaction: a job is running with its chunks, or pending without). Returns the number of chunks."""
    rows: list[BulkChunk] = []
    batch: list[int] = []
    pks = spec.items(job).order_by("pk").values_list("pk", flat=True)
    total = 0
    for pk in pks.iterator(chunk_size=5000):
        batch.append(pk)
        total += 1
        if len(batch) == settings.BULK_PDF_CHUNK:
            rows.append(_chunk_row(spec, job, len(rows), batch))
            batch = []
    if batch:
        rows.append(_chunk_row(spec, job, len(rows), batch))
    BulkChunk.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    spec.model.objects.filter(pk=job.pk).update(total=total, done_count=0, failures=[])
    return len(rows)


def _chunk_row(spec: BulkPdf, job, number: int, pks: list[int]) -> BulkChunk:
    return BulkChunk(kind=spec.kind, job_id=job.pk, number=number, first_pk=pks[0], last_pk=pks[-1], size=len(pks))


def _started_by_a_live_worker(job) -> bool:
    """Elsewhere than PostgreSQL (no advisory locks), a running job started within Celery's hard time limit is taken
    to be its worker's still."""
    return connection.vendor != "postgresql" and not (job.started_at and job.started_at < stale_before())


def _requeue_lost_chunks(spec: BulkPdf, job_id: int) -> int:
    """Chunks left ``running`` by a lost worker (nobody holds their lock; elsewhere than PostgreSQL, claimed before
    Celery's hard time limit) go back to ``pending``, and what they had counted is taken off the job's progress.
    Returns how many."""
    running = spec.chunks(job_id).filter(status=BulkChunk.Status.RUNNING)
    if connection.vendor != "postgresql":
        running = running.filter(claimed_at__lt=stale_before())
    requeued = 0
    for chunk_id in running.values_list("pk", flat=True):
        if not _try_lock(CHUNK_LOCK_CLASS, chunk_id):
            continue  # its worker is alive
        try:
            with transaction.atomic():
                chunk = BulkChunk.objects.select_for_update().filter(pk=chunk_id, status=BulkChunk.Status.RUNNING).first()
                if chunk is None:
                    continue
                BulkChunk.objects.filter(pk=chunk_id).update(status=BulkChunk.Status.PENDING, done_count=0,
                                                             failures=[], claimed_at=None)
                spec.model.objects.filter(pk=job_id).update(done_count=F("done_count") - chunk.done_count)
                requeued += 1
        finally:
            _unlock(CHUNK_LOCK_CLASS, chunk_id)
    return requeued


def _queue_helpers(spec: BulkPdf, job_id: int, count: int) -> None:
    from clo.core.tasks import queue_on_commit

    for _ in range(min(count, HELPERS)):
        queue_on_commit(spec.work_task(), job_id)


def run(spec: BulkPdf, job_id: int):
    """Execute a job: claim and plan it (or take it up again after its worker was lost), queue helpers for its
    chunks, render chunks like any helper, and assemble the zip if this process finished the last one. Returns the
    job once finished here, None when it is gone, finished, another worker has it, or a helper finishes it."""
    with job_lock(spec, job_id) as held:
        if not held:
            return None
        job = spec.model.objects.filter(pk=job_id).first()
        if job is None or job.finished:
            return None
        chunks = spec.chunks(job_id)
        if job.status == spec.model.Status.PENDING:
            with transaction.atomic():
                if not spec.model.claim(job_id, done_count=0, failures=[]):
                    return None
                planned = _plan(spec, job)
        elif not chunks.exists():  # running, and its lock is free: taken up again, or a job of the former engine
            if _started_by_a_live_worker(job):
                return None
            with transaction.atomic():
                planned = _plan(spec, job)
        else:
            _requeue_lost_chunks(spec, job_id)
            planned = chunks.count()
        if planned == 0:
            return _assemble(spec, spec.model.objects.get(pk=job_id))
        pending = chunks.filter(status=BulkChunk.Status.PENDING).count()
    _queue_helpers(spec, job_id, pending - 1)
    return work(spec, job_id)


def _claim_chunk(spec: BulkPdf, job_id: int) -> BulkChunk | None:
    """The next pending chunk of the job, now ``running`` and locked by this process (``_unlock`` it after);
    concurrent workers skip the rows another one is claiming. None when no chunk is pending."""
    with transaction.atomic():
        candidates = spec.chunks(job_id).filter(status=BulkChunk.Status.PENDING).order_by("number")
        if connection.vendor == "postgresql":
            candidates = candidates.select_for_update(skip_locked=True)
        for chunk in candidates[:8]:
            if not _try_lock(CHUNK_LOCK_CLASS, chunk.pk):  # being put back by ``_requeue_lost_chunks``
                continue
            try:
                BulkChunk.objects.filter(pk=chunk.pk).update(status=BulkChunk.Status.RUNNING,
                                                             claimed_at=timezone.now())
            except BaseException:
                _unlock(CHUNK_LOCK_CLASS, chunk.pk)
                raise
            return chunk
    return None


def work(spec: BulkPdf, job_id: int):
    """A helper's task: render the job's pending chunks one after the other until none is left (or for
    ``work_budget`` seconds, then queue itself again), then assemble the zip if they are all done. Returns the job
    if this call finished it."""
    began = time.monotonic()
    fonts = None
    running = spec.model.objects.filter(pk=job_id, status=spec.model.Status.RUNNING)
    while True:
        job = running.first()
        if job is None:
            return None
        if time.monotonic() - began > work_budget():
            _queue_helpers(spec, job_id, 1)
            return None
        chunk = _claim_chunk(spec, job_id)
        if chunk is None:
            break
        try:
            if fonts is None:  # one per task: memory stays flat with the number of items
                fonts = pdf.font_configuration()
            _render_chunk(spec, job, chunk, fonts)
        except Exception as exc:
            logger.exception("%s job %s failed in chunk %s", spec.label, job_id, chunk.number)
            spec.model.fail(job_id, exc, only_if=spec.model.Status.RUNNING)
            return None
        finally:
            _unlock(CHUNK_LOCK_CLASS, chunk.pk)
        _release_memory()
    return finish(spec, job_id)


def _render_chunk(spec: BulkPdf, job, chunk: BulkChunk, fonts) -> None:
    """Render every item of the chunk that has no complete part yet (one PDF in memory at a time) and count
    progress on the chunk and the job together (a chunk put back takes its count off the job exactly)."""
    items = (spec.items(job).filter(pk__gte=chunk.first_pk, pk__lte=chunk.last_pk)
             .select_related(*spec.related).order_by("pk"))
    failures: list[dict] = []
    for light in items:
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
        update: dict[str, Any] = {"done_count": F("done_count") + 1}
        if failure:
            failures.append(failure)
            update["failures"] = failures
        with transaction.atomic():
            BulkChunk.objects.filter(pk=chunk.pk).update(**update)
            # Items that appeared in the chunk's range since the job was planned are rendered too: the total follows.
            spec.model.objects.filter(pk=job.pk).update(done_count=F("done_count") + 1,
                                                        total=Greatest(F("total"), F("done_count") + 1))
    with transaction.atomic():
        BulkChunk.objects.filter(pk=chunk.pk).update(status=BulkChunk.Status.DONE)
        if failures:
            _collect_failures(spec, job.pk)
    logger.info("%s job %s: bulk chunk done (%s)", spec.label, job.pk, chunk.number)


def _collect_failures(spec: BulkPdf, job_id: int) -> None:
    """The job's failures: its chunks', in item order (the job's row locked: workers finish chunks together)."""
    spec.model.objects.select_for_update().filter(pk=job_id).first()
    failures = [f for listed in spec.chunks(job_id).order_by("number").values_list("failures", flat=True)
                for f in listed]
    spec.model.objects.filter(pk=job_id).update(failures=failures)


def chunk_progress(spec: BulkPdf, job) -> tuple[int, int]:
    """(chunks done, chunks) of a running job, for its page; (0, 0) once it is finished (its chunks are gone)."""
    from django.db.models import Count, Q

    figures = spec.chunks(job.pk).aggregate(total=Count("pk"), done=Count("pk", filter=Q(status=BulkChunk.Status.DONE)))
    return figures["done"], figures["total"]


# --- The zip ---------------------------------------------------------------------------------------------------------


def finish(spec: BulkPdf, job_id: int):
    """Assemble the zip if every chunk of the running job is done and nobody else is assembling it; returns the job
    if this call finished it."""
    with job_lock(spec, job_id) as held:
        if not held:
            return None
        job = spec.model.objects.filter(pk=job_id, status=spec.model.Status.RUNNING).first()
        chunks = spec.chunks(job_id)
        if job is None or not chunks.exists() or chunks.exclude(status=BulkChunk.Status.DONE).exists():
            return None
        return _assemble(spec, job)


def _items_in_order(spec: BulkPdf, items):
    """The items in primary-key order, ``CHUNK`` at a time, with what the zip entry names need."""
    last = 0
    while True:
        chunk = list(items.filter(pk__gt=last).select_related(*spec.related).order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


def _zip_parts(spec: BulkPdf, archive: zipfile.ZipFile, job, items) -> None:
    """Every rendered item once, in primary-key order, read back one at a time."""
    for item in _items_in_order(spec, items):
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


def _assemble(spec: BulkPdf, job):
    """Zip the parts on a temporary local file, move it into place, mark the job done (the caller holds the job's
    lock); the chunks and parts are deleted once the zip is stored."""
    tmp = tempfile.NamedTemporaryFile(prefix=f"pdfs-{job.pk}-", suffix=".zip", delete=False)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            _zip_parts(spec, archive, job, spec.items(job))
        tmp.close()
        name = spec.zip_name(job)
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(tmp.name, "rb") as handle:
            stored = default_storage.save(name, File(handle))
        with transaction.atomic():
            _collect_failures(spec, job.pk)
            spec.model.complete(job.pk, file=stored)
            spec.chunks(job.pk).delete()
        _delete_parts(spec, job)
    except Exception as exc:
        logger.exception("%s job %s failed", spec.label, job.pk)
        spec.model.fail(job.pk, exc)
    finally:
        tmp.close()
        if os.path.exists(tmp.name):
            os.unlink(tmp.name)
    return spec.model.objects.get(pk=job.pk)


# --- Lost workers ----------------------------------------------------------------------------------------------------


def _busy(spec: BulkPdf, job_id: int) -> bool:
    """Whether a live worker holds the job (planning or assembling) or one of its chunks."""
    if connection.vendor != "postgresql":
        return False
    with job_lock(spec, job_id) as held:
        if not held:
            return True
    running = spec.chunks(job_id).filter(status=BulkChunk.Status.RUNNING).values_list("pk", flat=True)
    for chunk_id in running:
        if not _try_lock(CHUNK_LOCK_CLASS, chunk_id):
            return True
        _unlock(CHUNK_LOCK_CLASS, chunk_id)
    return False


def _last_progress(spec: BulkPdf, job) -> dt.datetime:
    latest = spec.chunks(job.pk).exclude(claimed_at=None).order_by("-claimed_at").values_list("claimed_at", flat=True)
    return max(job.created_at, latest.first() or job.created_at)


def resume_lost(spec: BulkPdf) -> list[int]:
    """Queue again the jobs whose workers were lost and the pending ones whose message may have been lost (Redis
    restarted empty); the worker at start-up and a beat job call this. A running job's chunks whose worker is gone go
    back to pending first; while a live worker renders one of its chunks, the job is left to it. Jobs with no progress
    within ``resume_window`` are marked failed instead. Returns the ids queued."""
    model, task = spec.model, spec.task()
    now = timezone.now()
    queued = []
    unfinished = model.objects.filter(status__in=[model.Status.PENDING, model.Status.RUNNING])
    for job in unfinished.only("pk", "status", "created_at", "started_at", "file_token"):
        if job.status == model.Status.PENDING and job.created_at > now - QUEUE_GRACE:
            continue
        if job.status == model.Status.RUNNING:
            if _started_by_a_live_worker(job):
                continue
            requeued = _requeue_lost_chunks(spec, job.pk)
            if _busy(spec, job.pk):
                if requeued:  # live workers go on; the chunks put back get a helper of their own
                    _queue_helpers(spec, job.pk, requeued)
                continue
        if _last_progress(spec, job) < now - resume_window():
            model.fail(job.pk, LOST, only_if=job.status)
            continue
        task.delay(job.pk)
        queued.append(job.pk)
    if queued:
        logger.warning("%s job(s) %s queued again (worker or message lost)", spec.label, queued)
    return queued
