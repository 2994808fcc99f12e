"""The status machine of a generated file (learning plan PDFs, the monthly report, the organisation workbook): a row
someone asks for, that a worker claims, writes and marks done or failed."""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def stale_before() -> dt.datetime:
    """A row still running since before this moment has outlived Celery's hard time limit: its worker was lost."""
    return timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


# Stored in English, like an exception's message (each job's page says in the person's language what to do).
NOT_QUEUED = "The job could not be queued because the task queue was not available."
LOST = "The job stopped without finishing (its worker or its message was lost)."


def new_file_token() -> str:
    """A random token (128 bits) for the folder a job's file is stored under: nobody finds a file by guessing its
    name from an id or a date."""
    return secrets.token_hex(16)


def status_field(status: type[models.TextChoices]) -> models.CharField:
    """The ``status`` column; a job whose statuses need their own labels declares its ``Status`` and this field again
    (an enumeration with members cannot be extended)."""
    return models.CharField(_("status"), max_length=8, choices=status.choices, default=status.PENDING)  # type: ignore[attr-defined]


class Job(models.Model):
    """pending → running → done / failed. The worker claims the row with a guarded UPDATE (``claim``: exactly one row
    changes, so two workers never write the same file), then marks it ``complete`` or ``fail``s it with the error."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = status_field(Status)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    error = models.TextField(_("error"), blank=True)
    # The job's files live under a folder named after it (``file_folder``): fixed for the job (a job resumed or
    # rendered again writes to the same place), unguessable to anybody else. Private files are only served by views
    # that check who asks, never under MEDIA_URL; this is the second lock.
    file_token = models.CharField(_("file token"), max_length=32, default=new_file_token, editable=False)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    def file_folder(self, prefix: str) -> str:
        """The storage folder of this job's files: ``prefix``, then the job's random token."""
        return f"{prefix.rstrip('/')}/{self.file_token}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def lost(self) -> bool:
        """Unfinished past Celery's hard time limit: a running row's worker was killed, or a pending row's message
        never came (Redis restarted empty). Nothing will finish it; a new request must not wait for it."""
        if self.status == self.Status.RUNNING:
            return self.started_at is not None and self.started_at < stale_before()
        return self.status == self.Status.PENDING and self.created_at < stale_before()

    @classmethod
    def claim(cls, pk: int, *, owner_gone: bool = False, **reset) -> bool:
        """pending → running, or a running row whose worker was lost (``owner_gone``: the caller knows it, e.g. it holds
        the job's lock; otherwise, started before ``stale_before``). True when this caller got the row; ``reset`` are
        the progress fields to start again from."""
        orphan = Q(status=cls.Status.RUNNING)
        if not owner_gone:
            orphan &= Q(started_at__lt=stale_before())
        return cls.objects.filter(Q(status=cls.Status.PENDING) | orphan, pk=pk).update(  # type: ignore[attr-defined]  # the concrete job's manager
            status=cls.Status.RUNNING, started_at=timezone.now(), error="", **reset
        ) == 1

    @classmethod
    def complete(cls, pk: int, **fields) -> None:
        """running → done, with the stored file (a check constraint wants it) and the final figures."""
        cls.objects.filter(pk=pk).update(status=cls.Status.DONE, finished_at=timezone.now(), **fields)  # type: ignore[attr-defined]  # the concrete job's manager

    @classmethod
    def release_unqueued(cls, pk: int) -> None:
        """pending → failed, for a job the broker could not take (``clo.core.tasks.queue_on_commit``): it
        does not hold its slot, and the person who asked can ask again."""
        cls.fail(pk, NOT_QUEUED, only_if=cls.Status.PENDING)

    @classmethod
    def fail(cls, pk: int, error: str | BaseException, *, only_if: str | None = None) -> None:
        """→ failed, with the error (an exception's message, or its class when it has none); only from the status
        ``only_if`` when given, so a row another process has moved on is left alone."""
        if isinstance(error, BaseException):
            error = str(error)[:1000] or error.__class__.__name__
        rows = cls.objects.filter(pk=pk)  # type: ignore[attr-defined]  # the concrete job's manager
        if only_if is not None:
            rows = rows.filter(status=only_if)
        rows.update(status=cls.Status.FAILED, error=error, finished_at=timezone.now())
