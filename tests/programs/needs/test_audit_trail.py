"""A merge changes the merged needs in bulk: each one's change of status is in the audit trail."""

from __future__ import annotations

from clo.core.models import AuditEntry
from programs.services import needs as services


def test_merged_needs_are_in_the_audit_trail(make_need, director_b, org, clo_user):
    keep = make_need(status="submitted")
    duplicate = make_need(status="submitted", unit=org.unit_b1, submitted_by=director_b, title="Writing letters")
    services.needs_merge(target=keep, others=[keep, duplicate], actor=clo_user)
    entry = AuditEntry.objects.filter(content_type__model="trainingneed", object_id=duplicate.pk,
                                      changes__has_key="merged_into").get()
    assert entry.changes == {"status": ["submitted", "merged"], "merged_into": [None, keep.pk]}
    assert entry.person_id == director_b.pk
