"""The audit trail of assessments: ratings written in bulk (submission, validation) are recorded, with the actor
and the levels before and after, and the learning office reads them on the audit page."""

from __future__ import annotations

from django.urls import reverse

from clo.core.models import AuditEntry
from evaluations.models import Rating


def test_a_validation_that_changes_a_level_is_in_the_audit_trail_with_who_and_before_after(
        director_a_client, director_a, employee_a, submitted, frame, clo_user):
    w, t = frame.writing.pk, frame.teamwork.pk
    response = director_a_client.post(reverse("evaluations:assessment_validate", args=[submitted.pk]), {
        f"level_{w}": "3", f"reason_{w}": "Drafted the new ordinance alone", f"level_{t}": "3"})
    assert response.status_code == 302
    writing = Rating.objects.get(assessment=submitted, competency_id=w)
    entry = AuditEntry.objects.filter(content_type__model="rating", object_id=writing.pk,
                                      action=AuditEntry.Action.UPDATE).get()
    assert entry.actor == director_a.user and entry.person_id == employee_a.pk
    assert entry.changes["level"] == [2, 3]
    assert entry.changes["adjustment_reason"] == ["", "Drafted the new ordinance alone"]
    # The unchanged level is not an entry; the assessment's status change is (through its save()).
    updated = AuditEntry.objects.filter(content_type__model="rating", action=AuditEntry.Action.UPDATE)
    assert list(updated.values_list("object_id", flat=True)) == [writing.pk]
    status = AuditEntry.objects.filter(content_type__model="assessment", object_id=submitted.pk,
                                       changes__has_key="status").order_by("timestamp", "pk").last()
    assert status.changes["status"] == ["submitted", "validated"] and status.actor == director_a.user

    director_a_client.force_login(clo_user)
    html = director_a_client.get(reverse("audit_log"), {"person": employee_a.employee_number}).content.decode()
    assert "Drafted the new ordinance alone" in html
    assert "Submitted" in html and "Validated" in html  # the status' labels, not its stored values


def test_submitted_ratings_are_recorded_as_created_for_the_assessed_person(submitted, employee_a, frame):
    created = AuditEntry.objects.filter(content_type__model="rating", action=AuditEntry.Action.CREATE)
    assert created.count() == 2
    assert set(created.values_list("person_id", flat=True)) == {employee_a.pk}
    levels = sorted(entry.changes["level"][1] for entry in created)
    assert levels == [2, 3]
