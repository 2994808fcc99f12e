"""The audit trail: which models are tracked (django-auditlog, one JSON diff per change, the actor taken from the
request by its middleware), and which person each change is about.

Every ``save()`` and ``delete()`` of a tracked model writes a ``core.AuditEntry`` through auditlog's signals.
Bulk writes (``QuerySet.update``, ``bulk_create``, raw SQL) send no signal: the services that change tracked data
in bulk call ``record_bulk_change`` with what they changed (see README, "Audit and data protection").

This module imports no model at import time: settings read ``TRACKED_MODELS`` from it.
"""

from __future__ import annotations

from collections.abc import Iterable

# django-auditlog's AUDITLOG_INCLUDE_TRACKING_MODELS: the people, requirements, ratings, needs, plans, enrolments.
TRACKED_MODELS = (
    {"model": "people.Employee"},
    {"model": "people.OrgUnit", "exclude_fields": ["path", "depth"], "m2m_fields": ["heads"]},
    {"model": "people.Position"},
    {"model": "competencies.Requirement"},
    {"model": "evaluations.Assessment", "exclude_fields": ["reminded_on"]},
    {"model": "evaluations.Rating"},
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

    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.serializers.json import DjangoJSONEncoder
    from django.db.models.signals import pre_save
    from django.utils import translation

    from clo.core.models import CONFIDENTIAL, AuditEntry

    if not changes:
        return 0
    # auditlog fills the actor and address of an entry on pre_save, only while a request (its middleware) or
    # ``set_actor`` is active: ask it once, with an unsaved probe, rather than reading its context variable.
    probe = AuditEntry()
    pre_save.send(sender=AuditEntry, instance=probe, raw=False, using=None, update_fields=None)
    actor, context = probe.actor, {"remote_addr": probe.remote_addr}
    content_type = ContentType.objects.get_for_model(model)
    person_ids = person_ids or {}
    confidential = set(confidential)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: one language whoever made the change
        label = str(model._meta.verbose_name)
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
