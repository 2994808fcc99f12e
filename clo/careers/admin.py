"""Careers in the admin: HR edits the horizontal career rules and people's grades here too; every change goes
through the services, which queue the re-evaluation of everyone."""

from __future__ import annotations

from django.contrib import admin

from clo.core.admin import ReadOnlyAdmin
from clo.careers.models import CareerEligibility, CareerEvaluationJob, CareerRule, PersonGrade, RecordPdfJob


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
