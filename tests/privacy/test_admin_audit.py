"""The audit entries and retention runs in Django's admin (read through auditlog's own admin)."""

from __future__ import annotations

from auditlog.context import set_actor
from django.urls import reverse

from clo.core.models import AuditEntry
from tests import factories as f


def test_the_admin_lists_audit_entries(client, db):
    admin = f.UserFactory(username="admin", is_staff=True, is_superuser=True)
    with set_actor(admin):
        employee = f.EmployeeFactory(first_name="Núria")
    client.force_login(admin)
    response = client.get(reverse("admin:core_auditentry_changelist"))
    assert response.status_code == 200 and "Núria" in response.content.decode()
    entry = AuditEntry.objects.get(person_id=employee.pk)
    assert client.get(reverse("admin:core_auditentry_change", args=[entry.pk])).status_code == 200
