"""Data retention: records past their retention period are first blocked, then, after a grace period, deleted or
anonymised. Monthly (Celery beat), set-based, safe to run twice: each step only touches the rows still due.

| kind | records | clock starts at | after the grace period |
|---|---|---|---|
| ``assessments`` | assessments and their ratings; talent reviews' potential ratings | submission (never submitted: the campaign's closing) | deleted (ratings with them) |
| ``feedback`` | satisfaction answers, transfer follow-up answers | submission / answer | deleted |
| ``read_logs`` | reads of evaluation pages; reads of levels, gaps and plans (with the people they name) | the read | deleted |
| ``audit`` | audit entries | the change | deleted |
| ``inactive_employees`` | an employee's identity (names, number, email, login) | first run that found them inactive | anonymised; their aggregates (levels, gaps, hours) stay |

A blocked record is hidden from every page but the data-protection role's counts. Periods are settings
(``RETENTION_DAYS``, in days, 0 keeps for ever) and ``RETENTION_GRACE_DAYS``. Each run writes a ``RetentionRun``
with the counts per kind. The models are reached by label (``apps.get_model``): this module sits below the apps.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

ANONYMOUS_NAME = "—"  # the first name of an anonymised employee (and the mark that they are)


@dataclass(frozen=True)
class Kind:
    key: str  # RETENTION_DAYS key
    code: str  # this record kind in the run's counts
    label: object
    model: str
    clock: str  # the date-time or date field the period counts from
    final: str  # "delete" or "anonymise"
    extra: Q = Q()
    fallback: str = ""  # a date the period counts from when ``clock`` is empty (a draft never submitted)


KINDS = (
    Kind("assessments", "assessments", _("Assessments and ratings"), "evaluations.Assessment", "submitted_at",
         "delete", fallback="campaign__closes_on"),
    Kind("assessments", "potential_ratings", _("Talent review potential ratings"), "talent.PotentialRating",
         "rated_at", "delete"),
    Kind("feedback", "satisfaction_answers", _("Satisfaction questionnaire answers"), "programs.ReactionResponse",
         "submitted_at", "delete"),
    Kind("feedback", "transfer_answers", _("Transfer follow-up answers"), "programs.TransferFollowUp", "answered_at",
         "delete"),
    Kind("read_logs", "read_logs", _("Reads of evaluation data"), "evaluations.AssessmentReadLog", "read_at",
         "delete"),
    Kind("read_logs", "personal_data_reads", _("Reads of levels, gaps and learning plans"), "core.PersonalDataRead",
         "read_at", "delete"),
    Kind("audit", "audit_entries", _("Audit entries"), "core.AuditEntry", "timestamp", "delete"),
    Kind("inactive_employees", "inactive_employees", _("Inactive employees' personal data"), "people.Employee",
         "inactive_since", "anonymise", Q(active=False)),
)
KIND_LABELS = {kind.code: kind.label for kind in KINDS}


def _model(kind: Kind):
    return apps.get_model(kind.model)


def _cutoff(kind: Kind, now: dt.datetime):
    days = settings.RETENTION_DAYS.get(kind.key, 0)
    if not days:
        return None
    moment = now - dt.timedelta(days=days)
    field = _model(kind)._meta.get_field(kind.clock)
    return timezone.localdate(moment) if field.get_internal_type() == "DateField" else moment


def _raw_delete(queryset) -> int:
    """One ``DELETE ... WHERE`` (no per-row signals: the run's row is the record of what was deleted)."""
    return queryset._raw_delete(queryset.db) or 0


def _delete(kind: Kind, due) -> int:
    if kind.model == "evaluations.Assessment":
        Rating = apps.get_model("evaluations.Rating")
        ReadLog = apps.get_model("evaluations.AssessmentReadLog")
        ids = due.values("pk")
        ReadLog.objects.filter(assessment__in=ids).update(assessment=None)
        _raw_delete(Rating.objects.filter(assessment__in=ids))
    if kind.model == "core.PersonalDataRead":
        _raw_delete(apps.get_model("core.PersonalDataReadSubject").objects.filter(read__in=due.values("pk")))
    return _raw_delete(due)


def _anonymise_employees(due) -> int:
    """Names, number, email and login of ``due`` employees replaced; what they are counted in stays."""
    Employee = apps.get_model("people.Employee")
    AuditEntry = apps.get_model("core.AuditEntry")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    ids = list(due.values_list("pk", flat=True))
    if not ids:
        return 0
    users = User.objects.filter(employee__in=ids)
    AuditEntry.objects.filter(actor__in=users.values("pk")).update(actor_email=None)
    users.update(
        username=Concat(Value("anonymised-"), Cast("pk", CharField())), first_name="", last_name="", email="",
        is_active=False, password="!",
    )
    AuditEntry.objects.filter(person_id__in=ids).update(
        object_repr=Concat(Value("#"), Cast("object_pk", CharField())), changes=None, changes_text="",
        serialized_data=None, remote_addr=None,
    )
    return Employee.objects.filter(pk__in=ids).update(
        first_name=ANONYMOUS_NAME, last_name=Concat(Value("#"), Cast("pk", CharField())),
        employee_number=Concat(Value("anon-"), Cast("pk", CharField())), email="", user=None,
        expected_retirement_date=None,
    )


def _mark_inactive(today: dt.date) -> None:
    """Start (or stop) the clock of inactive employees: the day a run first finds them inactive."""
    Employee = apps.get_model("people.Employee")
    Employee.objects.filter(active=False, inactive_since__isnull=True).update(inactive_since=today)
    Employee.objects.filter(active=True, inactive_since__isnull=False).exclude(first_name=ANONYMOUS_NAME).update(
        inactive_since=None, blocked_at=None
    )


def apply_retention(*, now: dt.datetime | None = None) -> dict[str, dict[str, int]]:
    """Block what is past its period, then delete or anonymise what has been blocked longer than the grace period.
    Returns {kind code: {"blocked": n, "deleted" or "anonymised": n}}."""
    now = now or timezone.now()
    grace = now - dt.timedelta(days=settings.RETENTION_GRACE_DAYS)
    counts: dict[str, dict[str, int]] = {}
    with transaction.atomic():
        _mark_inactive(timezone.localdate(now))
        for kind in KINDS:
            cutoff = _cutoff(kind, now)
            if cutoff is None:
                continue
            rows = _model(kind).objects.filter(kind.extra)
            past = Q(**{f"{kind.clock}__lt": cutoff})
            if kind.fallback:
                day = timezone.localdate(cutoff) if isinstance(cutoff, dt.datetime) else cutoff
                past |= Q(**{f"{kind.clock}__isnull": True, f"{kind.fallback}__lt": day})
            blocked = rows.filter(past, blocked_at__isnull=True).update(blocked_at=now)
            due = rows.filter(blocked_at__lte=grace)
            if kind.final == "delete":
                finished = _delete(kind, due)
            else:
                finished = _anonymise_employees(due.exclude(first_name=ANONYMOUS_NAME))
            counts[kind.code] = {"blocked": blocked, "deleted" if kind.final == "delete" else "anonymised": finished}
    return counts


def retention_run(*, now: dt.datetime | None = None):
    """The monthly job: claims a run row (one at a time), applies retention, records the counts."""
    from clo.core.models import RetentionRun

    now = now or timezone.now()
    # A run whose worker died stays "running": past Celery's hard time limit it is marked failed, so the next one
    # can start (its transaction was rolled back: nothing half-done to repair).
    lost = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    RetentionRun.objects.filter(status=RetentionRun.Status.RUNNING, started_at__lt=lost).update(
        status=RetentionRun.Status.FAILED, finished_at=now, error="interrupted (the worker was lost)"
    )
    try:
        with transaction.atomic():  # a savepoint: a refused claim leaves the caller's transaction usable
            run = RetentionRun.objects.create(started_at=now)
    except IntegrityError:
        logger.warning("data retention: a run is already in progress")
        return None
    try:
        counts = apply_retention(now=now)
    except Exception as error:
        RetentionRun.objects.filter(pk=run.pk).update(
            status=RetentionRun.Status.FAILED, finished_at=timezone.now(), error=str(error)[:2000]
        )
        raise
    RetentionRun.objects.filter(pk=run.pk).update(status=RetentionRun.Status.DONE, finished_at=timezone.now(),
                                                  counts=counts)
    run.refresh_from_db()
    logger.info("data retention: %s", counts)
    return run


def blocked_counts() -> list[dict]:
    """Records blocked now (waiting for deletion or anonymisation), per kind: ``[{"code", "label", "count"}]``."""
    rows = []
    for kind in KINDS:
        count = _model(kind).objects.filter(kind.extra, blocked_at__isnull=False)
        if kind.final == "anonymise":
            count = count.exclude(first_name=ANONYMOUS_NAME)
        rows.append({"code": kind.code, "label": kind.label, "count": count.count(),
                     "days": settings.RETENTION_DAYS.get(kind.key, 0)})
    return rows
