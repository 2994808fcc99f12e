"""Shared infrastructure records: the audit trail (django-auditlog's entries, with the person each change is about)
and the runs of the data-retention job."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The mark, in ``additional_data``, of an entry about a record only its author may read (``clo.core.audit``).
CONFIDENTIAL = "confidential"


class AuditEntryQuerySet(models.QuerySet):
    def not_blocked(self) -> "AuditEntryQuerySet":
        return self.filter(blocked_at__isnull=True)

    def readable(self) -> "AuditEntryQuerySet":
        """What any page may show: not blocked, and not about a confidential record (``clo.core.audit``)."""
        return self.not_blocked().exclude(additional_data__has_key=CONFIDENTIAL)


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):
    """auditlog's manager, also recording the person a change is about (``clo.core.audit.person_of``)."""

    def log_create(self, instance, force_log: bool = False, **kwargs):
        if kwargs.get("changes") is not None or force_log:
            from clo.core.audit import is_confidential, person_of

            kwargs.setdefault("person_id", person_of(instance))
            if is_confidential(instance):
                kwargs["additional_data"] = {**(kwargs.get("additional_data") or {}), CONFIDENTIAL: True}
        return super().log_create(instance, force_log, **kwargs)

    def log_m2m_changes(self, changed_queryset, instance, operation, field_name, **kwargs):
        from clo.core.audit import person_of

        kwargs.setdefault("person_id", person_of(instance))
        return super().log_m2m_changes(changed_queryset, instance, operation, field_name, **kwargs)


class AuditEntry(AbstractLogEntry):
    """One change to a tracked record: who (``actor``), when (``timestamp``), what (``changes``: field → [before,
    after]). ``person_id`` is the employee the change is about (no foreign key: the entry outlives the person's
    record and is anonymised with it)."""

    person_id = models.BigIntegerField(_("person concerned"), null=True, blank=True)
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-timestamp", "-pk"]
        indexes = [
            # the audit page filtered by person, newest first; the right-of-access export of one person.
            models.Index(fields=["person_id", "-timestamp"], name="core_audit_person"),
            # the audit page filtered by kind of record, newest first.
            models.Index(fields=["content_type", "-timestamp"], name="core_audit_kind"),
            # the audit page filtered by who made the change.
            models.Index(fields=["actor", "-timestamp"], name="core_audit_actor"),
            # the retention job: entries not yet blocked, by age.
            models.Index(fields=["timestamp"], condition=Q(blocked_at__isnull=True), name="core_audit_unblocked"),
        ]


class RetentionRun(models.Model):
    """One run of the data-retention job and what it did: ``counts`` is {kind: {"blocked": n, "deleted": n,
    "anonymised": n}}."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.RUNNING)
    counts = models.JSONField(_("records changed by kind"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("data retention run")
        verbose_name_plural = _("data retention runs")
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["status"], condition=Q(status="running"), name="core_retentionrun_one_running",
                violation_error_message=_("A data retention run is already in progress."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def total(self) -> int:
        return sum(sum(per_kind.values()) for per_kind in self.counts.values())
