"""The audit trail: which models are tracked (django-auditlog, one JSON diff per change, the actor taken from the
request by its middleware), and which person each change is about.

Every ``save()`` and ``delete()`` of a tracked model writes a ``core.AuditEntry`` through auditlog's signals.
Bulk writes (``QuerySet.update``, ``bulk_create``, raw SQL) send no signal: the services that change tracked data
in bulk call ``record_bulk_change`` with what they changed (see README, "Audit and data protection").

This module imports no model at import time: settings read ``TRACKED_MODELS`` from it.
"""

from __future__ import annotations

from collections.abc import Iterable

# django-auditlog's AUDITLOG_INCLUDE_TRACKING_MODELS: the people, requirements, ratings, imported levels, needs,
# plans, enrolments.
TRACKED_MODELS = (
    {"model": "people.Employee"},
    {"model": "people.OrgUnit", "exclude_fields": ["path", "depth"], "m2m_fields": ["heads"]},
    {"model": "people.Position"},
    {"model": "competencies.Requirement"},
    {"model": "evaluations.Assessment", "exclude_fields": ["reminded_on"]},
    {"model": "evaluations.Rating"},
    {"model": "evaluations.Evidence"},
    {"model": "programs.TrainingNeed", "m2m_fields": ["competencies", "target_positions", "target_employees"]},
    {"model": "programs.LearningPlan"},
    {"model": "programs.LearningPlanItem"},
    {"model": "programs.Enrolment"},
)

# How to reach the person a change is about, from an instance of each tracked model ("a.b": instance.a.b).
PERSON_OF = {
    "people.employee": "pk",
    "evaluations.assessment": "employee_id",
    "evaluations.rating": "assessment.employee_id",
    "evaluations.evidence": "employee_id",
    "programs.enrolment": "employee_id",
    "programs.learningplan": "employee_id",
    "programs.learningplanitem": "plan.employee_id",
    "programs.trainingneed": "submitted_by_id",
}


def person_of(instance) -> int | None:
    """The id of the employee a change of ``instance`` is about (``None`` for units, positions, requirements)."""
    path = PERSON_OF.get(instance._meta.label_lower)
    if path is None:
        return None
    value = instance
    try:
        for attribute in path.split("."):
            value = getattr(value, attribute)
    except Exception:  # noqa: BLE001 - a parent already gone: the entry is still written, without a person
        return None
    return value


def is_confidential(instance) -> bool:
    """Whether ``instance`` is a record only its author may read (its model's ``audit_confidential()``, e.g. a peer's
    answer in a 360° assessment): its audit entries are written like any other, marked, and shown on no page
    (``AuditEntry.objects.readable()``, the admin, the right-of-access export)."""
    check = getattr(instance, "audit_confidential", None)
    return bool(check()) if callable(check) else False


def record_bulk_change(model, *, changes: dict[int, dict], person_ids: dict[int, int] | None = None,
                       action: str = "update", confidential: Iterable[int] = ()) -> int:
    """Write one audit entry per object changed by a bulk write that auditlog cannot see (``QuerySet.update``,
    ``bulk_create``, ``bulk_update``).

    ``changes`` maps object id → auditlog's shape, ``{"field": [before, after]}``; ``person_ids`` maps object id →
    employee id; ``action`` is "create", "update" or "delete"; ``confidential`` the ids of objects only their author
    may read (``is_confidential``). One INSERT for all the entries; the actor is the request's user (auditlog's
    middleware) when there is one."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder

    from clo.core.models import CONFIDENTIAL, AuditEntry

    if not changes:
        return 0
    content_type, label, actor, context = _bulk_context(model)
    person_ids = person_ids or {}
    confidential = set(confidential)
    actions = {"create": AuditEntry.Action.CREATE, "update": AuditEntry.Action.UPDATE,
               "delete": AuditEntry.Action.DELETE}
    entries = [
        AuditEntry(
            content_type=content_type, object_pk=str(object_id), object_id=object_id,
            object_repr=f"{label} #{object_id}", action=actions[action],
            changes=json.loads(json.dumps(diff, cls=DjangoJSONEncoder)), actor=actor,
            actor_email=getattr(actor, "email", None) or None, remote_addr=context.get("remote_addr"),
            person_id=person_ids.get(object_id),
            additional_data={"bulk": True, **({CONFIDENTIAL: True} if object_id in confidential else {})},
        )
        for object_id, diff in changes.items()
    ]
    AuditEntry.objects.bulk_create(entries, batch_size=1000)
    return len(entries)


def _bulk_context(model):
    """What every entry of a bulk write shares: the model's content type and label (in the site's language), the
    actor and the request's address."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.db.models.signals import pre_save
    from django.utils import translation

    from clo.core.models import AuditEntry

    # auditlog fills the actor and address of an entry on pre_save, only while a request (its middleware) or
    # ``set_actor`` is active: ask it once, with an unsaved probe, rather than reading its context variable.
    probe = AuditEntry()
    pre_save.send(sender=AuditEntry, instance=probe, raw=False, using=None, update_fields=None)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: one language whoever made the change
        label = str(model._meta.verbose_name)
    return ContentType.objects.get_for_model(model), label, probe.actor, {"remote_addr": probe.remote_addr}


def record_bulk_change_from(model, *, query: str, params: Iterable = ()) -> int:
    """``record_bulk_change`` for changes already in the database (an import's staging table): one
    ``INSERT … SELECT`` of one entry per row of ``query``, which selects ``object_id``, ``action`` ("create",
    "update" or "delete"), ``changes`` (JSON, auditlog's shape) and ``person_id``, in the order of the entries.
    Nothing is read into Python, however many rows. Returns the entries written."""
    from django.db import connection
    from django.utils import timezone

    from clo.core.models import AuditEntry

    content_type, label, actor, context = _bulk_context(model)
    postgres = connection.vendor == "postgresql"
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    json_value = "CAST(%s AS jsonb)" if postgres else "%s"
    address = "CAST(%s AS inet)" if postgres else "%s"
    sql = (
        f"INSERT INTO {table} (content_type_id, object_pk, object_id, object_repr, action, changes_text, changes, "
        "actor_id, actor_email, remote_addr, timestamp, additional_data, person_id) "
        "SELECT %s, CAST(c.object_id AS varchar(255)), c.object_id, %s || CAST(c.object_id AS varchar(255)), "
        "CASE c.action WHEN 'create' THEN %s WHEN 'delete' THEN %s ELSE %s END, '', c.changes, "
        f"%s, %s, {address}, %s, {json_value}, c.person_id FROM ({query}) AS c"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [
            content_type.pk, f"{label} #", AuditEntry.Action.CREATE, AuditEntry.Action.DELETE,
            AuditEntry.Action.UPDATE, getattr(actor, "pk", None), getattr(actor, "email", None) or None,
            context.get("remote_addr"), timezone.now(), '{"bulk": true}', *params,
        ])
        return cursor.rowcount


# --- Reads of personal data ----------------------------------------------------------------------------------------

SUBJECTS_BATCH = 5000


def record_read(request, what: str, *, subjects) -> int:
    """Record that ``request``'s user read ``what`` (a ``PersonalDataRead.What``) about ``subjects``: one entry for
    the request, with one subject row per person. Returns how many people it names (0: nothing written).

    ``subjects`` is an employee id, an iterable of ids (a page on screen: one INSERT for its rows), or a queryset
    of one column of ids (a download of the whole list: one ``INSERT ... SELECT``, however many people, nothing
    read into Python). A request writes one entry whatever it shows: 2 queries for ids, 3 for a queryset."""
    from django.db import connection, models
    from django.db.models import OuterRef, Subquery

    from clo.core.models import PersonalDataRead, PersonalDataReadSubject

    user = request.user
    entry = PersonalDataRead(user=user if user.is_authenticated else None, username=user.get_username(), what=what,
                             path=request.get_full_path()[:300])
    if not isinstance(subjects, models.QuerySet):
        ids = sorted({int(subjects)} if isinstance(subjects, int) else {int(s) for s in subjects})
        if not ids:
            return 0
        entry.subject_count, entry.person_id = len(ids), ids[0] if len(ids) == 1 else None
        entry.save()
        PersonalDataReadSubject.objects.bulk_create(
            [PersonalDataReadSubject(read=entry, person_id=i) for i in ids], batch_size=SUBJECTS_BATCH)
        return len(ids)
    entry.save()
    sql, params = subjects.order_by().distinct().query.sql_with_params()
    table = connection.ops.quote_name(PersonalDataReadSubject._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} (read_id, person_id) SELECT %s, ids.* FROM ({sql}) ids",
                       [entry.pk, *params])
        count = cursor.rowcount
    if not count:
        entry.delete()
        return 0
    one = PersonalDataReadSubject.objects.filter(read=OuterRef("pk")).values("person_id")[:1]
    PersonalDataRead.objects.filter(pk=entry.pk).update(
        subject_count=count, person_id=Subquery(one) if count == 1 else None)
    return count
