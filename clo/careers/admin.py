"""Careers in the admin: HR edits the horizontal career rules and people's grades here too; every change goes
through the services, which queue the re-evaluation of everyone."""

from __future__ import annotations

from django.contrib import admin

from clo.core.admin import ReadOnlyAdmin
from clo.careers.models import (
    Badge,
    CareerEligibility,
    CareerEvaluationJob,
    CareerRule,
    Itinerary,
    ItineraryStep,
    PersonGrade,
    RecordPdfJob,
)


@admin.register(CareerRule)
class CareerRuleAdmin(admin.ModelAdmin):
    list_display = ("group", "grade", "measure", "amount", "period_years", "min_years", "needs_evaluation")
    list_filter = ("group", "measure")

    def save_model(self, request, obj, form, change) -> None:
        from clo.careers.services.grades import career_rule_save

        career_rule_save(rule=obj, requested_by=request.user)

    def delete_model(self, request, obj) -> None:
        from clo.careers.services.grades import career_rule_delete

        career_rule_delete(rule=obj, requested_by=request.user)

    def delete_queryset(self, request, queryset) -> None:
        from clo.careers.services.grades import career_evaluation_request

        queryset.delete()
        career_evaluation_request(requested_by=request.user)


@admin.register(PersonGrade)
class PersonGradeAdmin(admin.ModelAdmin):
    list_display = ("employee", "grade", "since")
    list_select_related = ("employee",)
    raw_id_fields = ("employee",)
    search_fields = ("employee__employee_number", "employee__last_name")

    def save_model(self, request, obj, form, change) -> None:
        from clo.careers.services.grades import career_evaluation_request, person_grade_set

        person_grade_set(employee_id=obj.employee_id, grade=obj.grade, since=obj.since)
        career_evaluation_request(requested_by=request.user)


@admin.register(CareerEligibility)
class CareerEligibilityAdmin(ReadOnlyAdmin):
    """Read-only: written by the re-evaluation job."""

    list_display = ("employee", "rule", "grade", "training", "years_met_on", "evaluated", "meets_training")
    list_select_related = ("employee", "rule")


@admin.register(CareerEvaluationJob)
class CareerEvaluationJobAdmin(ReadOnlyAdmin):
    """Read-only: asked for by a rule's change, written by the worker."""

    list_display = ("pk", "status", "rule_count", "total", "created_at", "finished_at")
    list_filter = ("status",)


@admin.register(RecordPdfJob)
class RecordPdfJobAdmin(ReadOnlyAdmin):
    """Read-only: asked for on the training records page, written by the worker."""

    list_display = ("pk", "unit", "status", "done_count", "total", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("unit",)


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
