from django.contrib import admin

from clo.careers.models import Badge, Itinerary, ItineraryStep


class ItineraryStepInline(admin.TabularInline):
    model = ItineraryStep
    extra = 1
    autocomplete_fields = ("program",)
    filter_horizontal = ("prerequisites",)


@admin.register(Itinerary)
class ItineraryAdmin(admin.ModelAdmin):
    """The learning office defines itineraries here: the programs in order, each with the steps it needs first."""

    list_display = ("title", "job_family", "active")
    list_filter = ("active", "job_family")
    search_fields = ("title", "job_family")
    inlines = [ItineraryStepInline]


@admin.register(Badge)
class BadgeAdmin(admin.ModelAdmin):
    """Issued badges, read-only: they are issued by the completions and revoked from their page or by the sweep."""

    list_display = ("name", "employee", "kind", "issued_at", "revoked_at")
    list_filter = ("kind",)
    search_fields = ("name", "employee__last_name", "employee__employee_number")
    readonly_fields = [f.name for f in Badge._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
