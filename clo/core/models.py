"""Shared infrastructure records: the audit trail (django-auditlog's entries, with the person each change is about)
and the runs of the data-retention job."""

from __future__ import annotations

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# The mark, in ``additional_data``, of an entry about a record only its author may read (``clo.core.audit``).
CONFIDENTIAL = "confidential"


class AuditEntryQuerySet(models.QuerySet):
    def not_blocked(self) -> "AuditEntryQuerySet":
        return self.filter(blocked_at__isnull=True)

    def readable(self) -> "AuditEntryQuerySet":
        """What any page may show: not blocked, and not about a confidential record (``clo.core.audit``)."""
        return self.not_blocked().exclude(additional_data__has_key=CONFIDENTIAL)


class AuditEntryManager(LogEntryManager.from_queryset(AuditEntryQuerySet)):  # type: ignore[misc]
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


class PersonalDataRead(models.Model):
    """One read of people's levels, gaps or learning plans (a page, a list, a download, a PDF): who read it
    (``user``, ``username`` kept when the account goes), when, what, at which address, and whose data (``subjects``:
    one row per person). ``person_id`` repeats the person when there was exactly one, for the audit page.

    Written once per request by ``clo.core.audit.record_read``, set-based; reads of assessments have their own log
    (``evaluations.AssessmentReadLog``) and the audit page shows both."""

    class What(models.TextChoices):
        TEAM_GAPS = "team_gaps", _("Team gaps: the people with a gap")
        TEAM_GAPS_EXPORT = "team_gaps_export", _("Team gaps: the people with a gap (download)")
        EMPLOYEE_GAPS = "employee_gaps", _("A person's levels and gaps")
        EMPLOYEE_GAPS_EXPORT = "employee_gaps_export", _("A person's levels and gaps (download)")
        PLAN_LIST = "plan_list", _("Learning plans (list)")
        PLAN_LIST_EXPORT = "plan_list_export", _("Learning plans (download of the list)")
        PLAN = "plan", _("Learning plan")
        PLAN_EXPORT = "plan_export", _("Learning plan (download)")
        PLAN_PDF = "plan_pdf", _("Learning plan (PDF)")
        PLAN_PDFS = "plan_pdfs", _("Learning plans (PDFs in bulk)")
        EXPERTISE = "expertise", _("Expertise directory: the levels of the people listed")
        SUCCESSORS = "successors", _("Successor pool: fit and readiness")
        POTENTIAL = "potential", _("Talent review: potential ratings")
        TRAINING_RECORD = "training_record", _("Training record (PDF)")
        TRAINING_RECORDS = "training_records", _("Training records (PDFs in bulk)")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("reader")
    )
    username = models.CharField(_("reader's username"), max_length=150)
    what = models.CharField(_("what was read"), max_length=24, choices=What.choices)
    path = models.CharField(_("address"), max_length=300)
    subject_count = models.PositiveIntegerField(_("people whose data was read"), default=0)
    person_id = models.BigIntegerField(_("person whose data was read"), null=True, blank=True)
    read_at = models.DateTimeField(_("read at"), default=timezone.now)
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    class Meta:
        verbose_name = _("read of personal data")
        verbose_name_plural = _("reads of personal data")
        ordering = ["-read_at", "-pk"]
        indexes = [
            # the audit page's reads, newest first (and the retention job's reads by age).
            models.Index(fields=["-read_at"], name="core_pdread_read_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} · {self.get_what_display()} · {self.read_at:%Y-%m-%d %H:%M}"


class PersonalDataReadSubject(models.Model):
    """A person whose data a ``PersonalDataRead`` showed. ``person_id`` without a foreign key, as ``AuditEntry``'s:
    the log is kept (and anonymised) with the person's record."""

    read = models.ForeignKey(PersonalDataRead, on_delete=models.CASCADE, related_name="subjects",
                             verbose_name=_("read"))
    person_id = models.BigIntegerField(_("person whose data was read"))

    class Meta:
        verbose_name = _("person whose data was read")
        verbose_name_plural = _("people whose data was read")
        constraints = [
            models.UniqueConstraint(
                fields=["read", "person_id"], name="core_pdreadsubject_once",
                violation_error_message=_("A read names each person once."),
            ),
        ]
        indexes = [
            # audit and right of access: "who read this person's data", newest first.
            models.Index(fields=["person_id", "read"], name="core_pdreadsubject_person"),
        ]


class DataVersion(models.Model):
    """A counter per source of figures ("gaps", "people", "competencies", "programs"), raised once by every
    transaction that changes one of the source's tables, when it commits (``clo.core.db.VersionedTables``): a
    rendering that read the figures is still current while the counters it read are unchanged
    (``clo.core.versions``)."""

    source = models.CharField(max_length=40, primary_key=True)
    counter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.source} {self.counter}"


class DataVersionBump(models.Model):
    """A row per transaction that changed a versioned table, inserted by the tables' triggers and deleted at commit
    by the trigger that raises the counters (a deferred trigger runs at commit: the counters' rows are locked for
    the commit's last instant only, not for the whole transaction)."""

    id = models.BigAutoField(primary_key=True)


class BulkChunk(models.Model):
    """One slice of a bulk PDF job (``clo.core.bulk_pdf``): the items whose primary key lies in ``first_pk`` …
    ``last_pk``. Any worker takes the next pending chunk of a job (``SELECT … FOR UPDATE SKIP LOCKED``, then a
    session advisory lock on the chunk for as long as it renders it), so any number of workers render one job in
    parallel; the last one to finish assembles the zip. A chunk left ``running`` by a lost worker (nobody holds its
    lock) goes back to ``pending`` (``clo.core.bulk_pdf.resume_lost``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")

    kind = models.CharField(_("job kind"), max_length=60)  # the job model's label, e.g. "programs.planpdfjob"
    job_id = models.BigIntegerField(_("job"))  # no foreign key: the jobs of several apps share this table
    number = models.PositiveIntegerField(_("number"))
    first_pk = models.BigIntegerField(_("first item"))
    last_pk = models.BigIntegerField(_("last item"))
    size = models.PositiveIntegerField(_("items"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    done_count = models.PositiveIntegerField(_("items rendered"), default=0)
    failures = models.JSONField(_("items that failed"), default=list, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bulk job chunk")
        verbose_name_plural = _("bulk job chunks")
        constraints = [
            models.UniqueConstraint(fields=["kind", "job_id", "number"], name="core_bulkchunk_one_per_number",
                                    violation_error_message=_("A job has one chunk of each number.")),
            models.CheckConstraint(condition=Q(first_pk__lte=F("last_pk")), name="core_bulkchunk_range_ordered",
                                   violation_error_message=_("A chunk's first item comes before its last.")),
        ]
        indexes = [
            # The claim (next pending chunk of a job) and the progress (chunks done of a job's chunks).
            models.Index(fields=["kind", "job_id", "status", "number"], name="core_bulkchunk_claim_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.job_id} · {self.number}"
