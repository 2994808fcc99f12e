"""What the apps' admins share."""

from __future__ import annotations

from django.contrib import admin

from clo.core.models import CONFIDENTIAL


class ReadOnlyAdmin(admin.ModelAdmin):
    """Derived or logged data, written by the services, the workers or the database only: shown, never added,
    changed or deleted by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _register_audit_entries() -> None:
    """auditlog's own admin for the audit trail, without the entries about confidential records (a peer's answer in
    a 360° assessment: read by its rater only, ``clo.core.audit.is_confidential``), even for a superuser."""
    from auditlog.admin import LogEntryAdmin

    from clo.core.models import AuditEntry

    class AuditEntryAdmin(LogEntryAdmin):
        def get_queryset(self, request):
            return super().get_queryset(request).exclude(additional_data__has_key=CONFIDENTIAL)

    if admin.site.is_registered(AuditEntry):
        admin.site.unregister(AuditEntry)
    admin.site.register(AuditEntry, AuditEntryAdmin)


_register_audit_entries()
