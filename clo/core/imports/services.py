"""Writes of the imports: the job's status machine (pending → validating → previewed → importing → done/failed).

Small CSV files (up to ``settings.CLO_IMPORTS_INLINE_ROWS`` rows) are previewed and imported in the request; larger
ones, and every XLSX workbook, by Celery tasks. A workbook is never parsed in the request: what it costs to read is
not told by its size or its rows (a few hundred kilobytes may hold millions of texts), and a web worker cannot be
interrupted half-way through openpyxl, while the job is bounded by ``parsing``'s limits and the task's time limit.
The tasks take the job's id and are safe to run twice: the preview claims the job with a guarded
UPDATE, and the import locks the job row in the same transaction as the data it writes, so a second run waits and
then finds it done, and a worker lost half-way leaves nothing written and the job still ``importing`` for the retry.

An employees file updates the people in it (``ImportJob.Mode.UPDATE``, the default) or is the whole staff register
(``REGISTER``: the active employees absent from it are deactivated). Deactivating more than
``CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT`` of the active staff is confirmed only by typing how many people go;
the import never deactivates more than the confirmed preview showed. What an import wrote is kept record by record
(``ImportChange``), and for ``CLO_IMPORTS_UNDO_DAYS`` it can be undone (``import_job_undo``), in the request whatever
the import's size (set-based writes).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from contextlib import nullcontext
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from clo.core.imports import engine, parsing, registry
from clo.core.imports.models import ImportChange, ImportJob
from clo.core.jobs import stale_before
from clo.core.tasks import queue_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

MAX_STORED_ERRORS = 1000
PROGRESS_TTL = 3600

DATABASE_FAILURE = gettext_noop("The database refused the import; nothing was written.")
ROWS_IN_ERROR = gettext_noop("The file has rows in error; nothing was written.")
UNEXPECTED = gettext_noop("The import stopped with an unexpected error; nothing was written.")
NOT_QUEUED = gettext_noop("The file could not be checked: the task queue is not available. Upload it again later.")
UNEXPECTED_PREVIEW = gettext_noop("The file could not be checked because of an unexpected error; upload it again.")
MORE_DEACTIVATIONS = gettext_noop(
    "The file would now deactivate more employees than its preview showed; nothing was written. Upload it again to "
    "check it."
)


def _opener(job: ImportJob):
    """A function that opens the job's file anew: the engine reads it as it checks it, never whole."""
    return lambda: job.file.storage.open(str(job.file.name), "rb")


def stored_name(original: str, data: bytes = b"") -> str:
    """A generated storage name; only the extension of the person's file name (or of its content) is kept."""
    extension = ".xlsx" if parsing.is_xlsx(data[:4], original) else ".csv"
    return f"{timezone.localdate():%Y/%m}/{uuid.uuid4().hex}{extension}"  # under the field's "imports/"


def import_job_create(*, kind: str, data: bytes, original_name: str, requested_by: User | None = None,
                      mode: str = ImportJob.Mode.UPDATE) -> ImportJob:
    """Store the uploaded file and record a pending job; preview it now (small file) or queue its preview.
    ``mode``: an update of the records in the file, or the whole register (for the importers that have one)."""
    importer = registry.get(kind)
    if importer is None:
        raise ValueError(f"unknown import kind {kind!r}")
    if not importer.whole_register:
        mode = ImportJob.Mode.UPDATE
    job = ImportJob(kind=kind, original_name=original_name[:200], requested_by=requested_by, mode=mode,
                    total=parsing.count_rows(data, original_name))
    job.file.save(stored_name(original_name, data), ContentFile(data), save=False)
    job.save()
    if _inline(job):
        import_job_preview(job.pk)
    else:
        from clo.core.imports.tasks import import_job_preview as task

        # Redis down: the job says so (failed) and QueueUnavailable reaches the view, which tells the person.
        queue_on_commit(task, job.pk, release=lambda: _fail(job.pk, NOT_QUEUED))
    job.refresh_from_db()
    return job


def _inline(job: ImportJob) -> bool:
    """Whether the job is read in the request: a small CSV only (see the module's note on workbooks)."""
    return not parsing.is_xlsx(b"", job.file.name) and job.total <= settings.CLO_IMPORTS_INLINE_ROWS  # type: ignore[arg-type]


def _progress_key(job_id: int) -> str:
    return f"imports:job:{job_id}:processed"


def progress_of(job: ImportJob) -> int:
    """Rows processed: written to the row while validating (outside any transaction), to the cache while
    importing (the import's transaction would hide it from the page that polls)."""
    if job.status == ImportJob.Status.IMPORTING:
        return min(int(cache.get(_progress_key(job.pk)) or 0), job.total)
    return job.processed


def _claim_preview(job_id: int) -> bool:
    stale = Q(status=ImportJob.Status.VALIDATING, started_at__lt=stale_before())
    claimable = Q(status=ImportJob.Status.PENDING) | stale
    return ImportJob.objects.filter(claimable, pk=job_id).update(
        status=ImportJob.Status.VALIDATING, started_at=timezone.now(), processed=0
    ) == 1


def _plan_fields(plan: registry.Plan) -> dict:
    ordered = sorted(plan.errors, key=lambda e: (e.row, e.column))
    return {
        "total": plan.total, "counts": plan.counts(), "error_count": len(ordered),
        "errors": [error.as_dict() for error in ordered[:MAX_STORED_ERRORS]],
        "deactivations": plan.deactivated, "active_before": plan.active,
    }


def import_job_preview(job_id: int) -> ImportJob | None:
    """The dry run of a pending job: counts and errors stored on the job (previewed), or why the file could not be
    read (failed). None when the job is gone or someone else has it."""
    if not _claim_preview(job_id):
        return None
    job = ImportJob.objects.get(pk=job_id)
    importer = registry.get(job.kind)

    def progress(done: int) -> None:
        ImportJob.objects.filter(pk=job_id).update(processed=min(done, job.total))

    def counted(rows: int) -> None:  # a workbook's rows are known once it is read
        job.total = rows
        ImportJob.objects.filter(pk=job_id).update(total=rows)

    try:
        plan = engine.preview(importer, _opener(job), job.original_name, progress=progress, counted=counted,  # type: ignore[arg-type]
                              whole_register=job.whole_register)
    except parsing.UnreadableFile as exc:
        _fail(job_id, exc.message, failure_detail=exc.detail[:1000], failure_params=exc.params)
    except Exception as exc:  # noqa: BLE001 - the job must not stay "validating"; the traceback goes to the log
        logger.exception("import %s: the preview failed", job_id)
        _fail(job_id, UNEXPECTED_PREVIEW, failure_detail=f"{exc.__class__.__name__}: {exc}"[:1000])
    else:
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.PREVIEWED, processed=plan.total, previewed_at=timezone.now(), **_plan_fields(plan),
            readings=plan.readings,
        )
    return ImportJob.objects.get(pk=job_id)


def confirmation_matches(job: ImportJob, typed: str) -> bool:
    """The typed confirmation names the number of people the import deactivates ("1200", "1.200", "desactivar
    1 200 persones")."""
    wanted = str(int(job.counts.get("deactivate") or 0))
    joined = re.sub(r"(?<=\d)[.,\s\u00a0\u202f'’](?=\d{3}(?!\d))", "", typed or "")
    return wanted in re.findall(r"\d+", joined)


def import_job_confirm(job: ImportJob, *, confirmation: str = "") -> bool:
    """The person confirmed the preview: previewed (without errors) → importing, once. Runs the import now for a
    small file, else queues it. False when the job was not ready (or was confirmed already). Raises
    ``ValidationError`` (on ``confirmation``) when the import deactivates more than the share that needs the number
    typed and ``confirmation`` does not name it."""
    if job.needs_typed_confirmation and not confirmation_matches(job, confirmation):
        raise ValidationError({"confirmation": _(
            "Type the number of employees this import deactivates (%(count)s) to confirm it."
        ) % {"count": job.counts.get("deactivate")}})
    claimed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.PREVIEWED, error_count=0).update(
        status=ImportJob.Status.IMPORTING, started_at=timezone.now(), processed=0
    ) == 1
    if not claimed:
        return False
    if _inline(job):
        import_job_run(job.pk)
    else:
        from clo.core.imports.tasks import import_job_run as task

        def release() -> None:  # not queued: back to the preview, to be confirmed again later
            ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.IMPORTING).update(
                status=ImportJob.Status.PREVIEWED)

        queue_on_commit(task, job.pk, release=release)
    return True


def import_job_run(job_id: int) -> ImportJob | None:
    """Write a confirmed job, all or nothing. None when the job is gone or not (or no longer) importing."""
    importer = None
    try:
        with transaction.atomic():
            job = ImportJob.objects.select_for_update().filter(pk=job_id, status=ImportJob.Status.IMPORTING).first()
            if job is None:
                return None
            importer = registry.get(job.kind)
            cache.set(_progress_key(job_id), 0, PROGRESS_TTL)

            def progress(done: int) -> None:
                cache.set(_progress_key(job_id), done, PROGRESS_TTL)

            with _acting(job.requested_by):  # the audit trail names who asked for the import, even in a worker
                plan = engine.run(importer, _opener(job), job.original_name, progress=progress,  # type: ignore[arg-type]
                                  whole_register=job.whole_register, job_id=job_id,
                                  deactivate_at_most=int(job.counts.get("deactivate") or 0))
            _remember(job_id, plan.changes)
            _forget_expired(keep=job_id)
            fields = _plan_fields(plan)
            ImportJob.objects.filter(pk=job_id).update(
                status=ImportJob.Status.DONE, processed=plan.total, finished_at=timezone.now(), **fields
            )
    except engine.ImportRefused as refused:
        _fail(job_id, ROWS_IN_ERROR, **_plan_fields(refused.plan))
    except engine.MoreDeactivations as refused:
        _fail(job_id, MORE_DEACTIVATIONS, **_plan_fields(refused.plan))
    except DatabaseError as exc:
        logger.exception("import %s: the database refused it", job_id)
        _fail(job_id, DATABASE_FAILURE, failure_detail=(str(exc).splitlines() or [exc.__class__.__name__])[0][:1000])
    except Exception as exc:  # noqa: BLE001 - the job must say it failed; the traceback goes to the log
        logger.exception("import %s failed", job_id)
        _fail(job_id, UNEXPECTED, failure_detail=f"{exc.__class__.__name__}: {exc}"[:1000])
    finally:
        cache.delete(_progress_key(job_id))
    return ImportJob.objects.filter(pk=job_id).first()


def _remember(job_id: int, changes: dict) -> None:
    """What the import wrote, for its undo (in the import's transaction)."""
    ImportChange.objects.bulk_create(
        (ImportChange(job_id=job_id, object_id=object_id, action=action, changes=diff)
         for object_id, (action, diff) in changes.items()),
        batch_size=2000,
    )


def _forget_expired(*, keep: int) -> None:
    """The before-images of the imports that can no longer be undone (past the grace period, or undone) hold
    personal data for nothing: deleted by the next import (``keep``: that import's own)."""
    cutoff = timezone.now() - dt.timedelta(days=settings.CLO_IMPORTS_UNDO_DAYS)
    expired = Q(job__finished_at__lt=cutoff) | ~Q(job__status=ImportJob.Status.DONE)
    ImportChange.objects.filter(expired).exclude(job_id=keep).delete()


def import_job_undo(*, job_id: int, by: User | None = None) -> ImportJob:
    """Undo a finished import within its grace period (``CLO_IMPORTS_UNDO_DAYS``): its importer restores what it
    wrote (``Importer.undo``), in one transaction, in the audit trail under ``by``; the job becomes ``undone``.
    Raises ``ValidationError`` with the reason when it cannot be undone (any more)."""
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job_id)
        importer = registry.get(job.kind)
        if job.status != ImportJob.Status.DONE or importer is None or not importer.undoable:
            raise ValidationError(_("This import cannot be undone: only a finished import of employees can."))
        if not job.undoable_at(timezone.now()):
            raise ValidationError(_("This import can no longer be undone: the %(days)s days in which it could "
                                    "be undone are over.") % {"days": settings.CLO_IMPORTS_UNDO_DAYS})
        changes = job.changes.order_by("pk").values_list("object_id", "action", "changes")
        with _acting(by):
            counts = importer.undo(changes.iterator(chunk_size=2000))  # type: ignore[arg-type]
        job.status, job.undone_at, job.undone_by, job.undo_counts = ImportJob.Status.UNDONE, timezone.now(), by, counts
        job.save(update_fields=["status", "undone_at", "undone_by", "undo_counts"])
    return job


def _acting(user: User | None):
    from auditlog.context import set_actor

    return set_actor(user) if user is not None else nullcontext()


def _fail(job_id: int, failure: str, **fields) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=ImportJob.Status.FAILED, failure=failure, finished_at=timezone.now(), **fields
    )

