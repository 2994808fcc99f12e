"""The job row of an import: one uploaded file, its preview and its import (a status machine), and what the import
changed, record by record, for its undo."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
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
        UNDONE = "undone", _("Undone")

    class Mode(models.TextChoices):
        """What an employees file stands for (other kinds of data never deactivate anything)."""

        UPDATE = "update", _("Update the people in the file")
        REGISTER = "register", _("The file is the whole staff register")

    RUNNING = (Status.PENDING, Status.VALIDATING, Status.IMPORTING)

    kind = models.CharField(_("kind of data"), max_length=30)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.UPDATE)
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
    # The active records when the file was previewed: the share that needs a typed confirmation is measured on it.
    active_before = models.PositiveIntegerField(_("active before the import"), default=0)
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
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("undone by"),
    )
    # What the undo did: {"reactivated": n, "reverted": n, "deactivated": n, "kept": n}.
    undo_counts = models.JSONField(_("what the undo did"), default=dict, blank=True)

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
        return self.status in (self.Status.PREVIEWED, self.Status.DONE, self.Status.FAILED, self.Status.UNDONE)

    @property
    def percent(self) -> int:
        if self.status in (self.Status.PREVIEWED, self.Status.DONE, self.Status.UNDONE):
            return 100
        return int(100 * self.processed / self.total) if self.total else 0

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.PREVIEWED and self.error_count == 0

    @property
    def whole_register(self) -> bool:
        return self.mode == self.Mode.REGISTER

    @property
    def deactivation_threshold(self) -> int:
        """Deactivations above this number need the number typed to confirm the import
        (``settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT`` of the active records when previewed)."""
        return self.active_before * settings.CLO_IMPORTS_CONFIRM_DEACTIVATIONS_PERCENT // 100

    @property
    def needs_typed_confirmation(self) -> bool:
        return self.whole_register and int(self.counts.get("deactivate") or 0) > self.deactivation_threshold

    @property
    def undo_until(self) -> dt.datetime | None:
        """The end of the grace period of a finished import (``settings.CLO_IMPORTS_UNDO_DAYS`` after it)."""
        if self.finished_at is None:
            return None
        return self.finished_at + dt.timedelta(days=settings.CLO_IMPORTS_UNDO_DAYS)

    def undoable_at(self, moment: dt.datetime) -> bool:
        """A finished import that can still be undone at ``moment`` (its importer knows how)."""
        from clo.core.imports import registry

        importer = registry.get(self.kind)
        return (self.status == self.Status.DONE and importer is not None and importer.undoable
                and self.undo_until is not None and moment < self.undo_until)

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


class ImportChange(models.Model):
    """One record an import created, updated or deactivated, with the before and after of the fields it wrote
    (the audit trail's shape, ``{"field": [before, after]}``): what the undo restores."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DEACTIVATE = "deactivate", _("deactivated")

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes", verbose_name=_("import"))
    object_id = models.BigIntegerField(_("record"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    changes = models.JSONField(_("changes"), default=dict, blank=True, encoder=DjangoJSONEncoder)

    class Meta:
        verbose_name = _("change of an import")
        verbose_name_plural = _("changes of an import")
        constraints = [
            models.UniqueConstraint(fields=["job", "object_id"], name="imports_importchange_one_per_record",
                                    violation_error_message=_("An import changes a record once.")),
        ]

    def __str__(self) -> str:
        return f"{self.job_id} · {self.action} #{self.object_id}"
