"""The job row of an import: one uploaded file, its preview and its import (a status machine)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext as gettext_now
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        VALIDATING = "validating", _("Checking the file")
        PREVIEWED = "previewed", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    kind = models.CharField(_("kind of data"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    file = models.FileField(_("file"), upload_to="imports/", max_length=255)
    original_name = models.CharField(_("file name"), max_length=200)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("requested by"),
    )
    total = models.PositiveIntegerField(_("rows"), default=0)
    processed = models.PositiveIntegerField(_("rows processed"), default=0)
    # {"create": n, "update": n, "unchanged": n, "deactivate": n}: the preview's, then the import's own counts.
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    # The first errors ({"row", "column", "message" (English message id), "params"}) and their total.
    errors = models.JSONField(_("rows in error"), default=list, blank=True)
    error_count = models.PositiveIntegerField(_("rows in error (count)"), default=0)
    # What the import would deactivate (employees absent from the file): the first few, for the preview.
    deactivations = models.JSONField(_("to deactivate"), default=list, blank=True)
    # Why the job failed: an English message id (translated when shown) and, apart, the technical detail.
    failure = models.CharField(_("reason of the failure"), max_length=300, blank=True)
    failure_detail = models.TextField(_("details of the failure"), blank=True)
    failure_params = models.JSONField(_("parameters of the reason"), default=dict, blank=True)
    # Values read as one of a column's codes though written otherwise ("Funcionària de carrera" → career), for the
    # preview: {column: [[as written, code, rows], ...]}.
    readings = models.JSONField(_("values read as codes"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    previewed_at = models.DateTimeField(_("previewed at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(processed__lte=F("total")),
                name="imports_importjob_progress_within_total",
                violation_error_message=_("Progress cannot exceed the number of rows."),
            ),
        ]
        indexes = [
            # the imports page: the latest jobs first.
            models.Index(fields=["-created_at"], name="imports_importjob_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} · {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.PREVIEWED, self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status in (self.Status.PREVIEWED, self.Status.DONE):
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED and self.error_count == 0

    def messages(self) -> list[dict]:
        """The stored errors with their message in the current language (shown escaped by the templates)."""
        shown = []
        for error in self.errors:
            try:
                message = gettext_now(error["message"]) % error.get("params", {})
            except (KeyError, TypeError, ValueError):
                message = gettext_now(error["message"])
            shown.append({"row": error["row"], "column": error["column"], "message": message})
        return shown

    def readings_display(self) -> list[dict]:
        return [{"column": column, "value": value, "code": code, "rows": rows}
                for column, values in sorted(self.readings.items()) for value, code, rows in values]

    def failure_display(self) -> str:
        if self.failure and self.failure_params:
            try:
                return gettext_now(self.failure) % self.failure_params
            except (KeyError, TypeError, ValueError):
                pass
        return gettext_now(self.failure) if self.failure else ""
