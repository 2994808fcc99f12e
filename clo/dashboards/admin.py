from django.contrib import admin

from clo.dashboards.models import MonthlyReport


@admin.register(MonthlyReport)
class MonthlyReportAdmin(admin.ModelAdmin):
    """Read-only: reports are asked for on the learning office's page or by the monthly job."""

    list_display = ("period_start", "period_end", "language", "status", "requested_by", "finished_at")
    list_filter = ("status", "language")
    readonly_fields = [field.name for field in MonthlyReport._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
