"""Admin for assessment campaigns, assessments with their ratings, imported evidence, and consolidated current levels.

Peers' assessments and their ratings are not in the admin at all, for a superuser either: a peer's answer is read by
its rater only (``Assessment.objects.visible_to``), and by everybody else as the figures released when the campaign
closed. A campaign's status changes on its pages only (opening creates the assessments, closing releases the peers'
results), and a closed campaign's threshold no longer changes.

The gap analysis' own tables (current levels, runs, unit roll-ups, trend points) are written by the engine only
(``evaluations.gaps``): the admin shows them read-only. ``Gap`` is a database view with a composite primary key,
which Django's admin cannot register; the dashboards are where gaps are read.
"""

from __future__ import annotations

from django.contrib import admin

from clo.core.admin import ReadOnlyAdmin

from evaluations.gaps import services as gaps_services
from evaluations.models import (
    Assessment,
    AssessmentCampaign,
    AssessmentReadLog,
    CurrentLevel,
    Evidence,
    GapRun,
    GapTrendPoint,
    PeerResult,
    Rating,
    UnitAreaGap,
    UnitCompetencyGap,
    UnitGap,
    UnitGroupCompetencyGap,
)

class RefreshesGaps(admin.ModelAdmin):
    """Evidence edited here (ratings, assessments, imported levels) reaches the gap engine: the employees concerned
    are re-consolidated and their roll-ups refreshed once the change commits."""

    def employees_of(self, obj) -> set[int]:
        return {obj.employee_id}

    def _refresh(self, employee_ids) -> None:
        for employee_id in sorted({e for e in employee_ids if e}):
            gaps_services.gaps_schedule_employee_refresh(employee_id, evidence_only=True)

    def save_model(self, request, obj, form, change: bool) -> None:
        before = self.employees_of(self.model.objects.get(pk=obj.pk)) if change else set()
        super().save_model(request, obj, form, change)
        self._refresh(before | self.employees_of(obj))

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        self._refresh(self.employees_of(form.instance))

    def delete_model(self, request, obj) -> None:
        employees = self.employees_of(obj)
        super().delete_model(request, obj)
        self._refresh(employees)

    def delete_queryset(self, request, queryset) -> None:
        employees = set().union(*(self.employees_of(obj) for obj in queryset)) if queryset else set()
        super().delete_queryset(request, queryset)
        self._refresh(employees)


_EMPLOYEE_SEARCH = ("employee__employee_number", "employee__first_name", "employee__last_name")


@admin.register(AssessmentCampaign)
class AssessmentCampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "status", "opens_on", "closes_on", "period_start", "period_end")
    list_filter = ("status", "kind")
    search_fields = ("name",)
    date_hierarchy = "opens_on"
    autocomplete_fields = ("units",)
    filter_horizontal = ("frameworks",)

    def get_readonly_fields(self, request, obj=None):
        closed = obj is not None and obj.status == AssessmentCampaign.Status.CLOSED
        return ("status", "peers_released_at", *(("kind", "peer_anonymity_threshold") if closed else ()))


class RatingInline(admin.TabularInline):
    model = Rating
    extra = 0
    fields = ("competency", "level", "evidence", "comment", "original_level", "adjustment_reason")
    autocomplete_fields = ("competency",)

    def get_queryset(self, request):
        # Each row's heading is the rating's __str__, which names the competency.
        return super().get_queryset(request).select_related("competency")


@admin.register(Assessment)
class AssessmentAdmin(RefreshesGaps):
    list_display = ("employee", "role", "assessor", "status", "campaign", "submitted_at", "validated_at")
    list_filter = ("status", "role", "campaign")
    search_fields = (*_EMPLOYEE_SEARCH, "assessor__first_name", "assessor__last_name", "campaign__name")
    autocomplete_fields = ("campaign", "employee", "assessor", "validated_by")
    list_select_related = ("employee", "assessor", "campaign")
    inlines = (RatingInline,)

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(role=Assessment.Role.PEER)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role":  # no peer's assessment is written here either
            kwargs["choices"] = [c for c in Assessment.Role.choices if c[0] != Assessment.Role.PEER]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Rating)
class RatingAdmin(RefreshesGaps):
    list_display = ("assessment", "competency", "level", "original_level")
    list_filter = ("competency__framework",)
    search_fields = (
        "assessment__employee__employee_number", "assessment__employee__last_name", "competency__code",
    )
    autocomplete_fields = ("assessment", "competency")
    list_select_related = ("assessment__employee", "competency")

    def get_queryset(self, request):
        return super().get_queryset(request).exclude(assessment__role=Assessment.Role.PEER)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assessment":
            kwargs["queryset"] = Assessment.objects.exclude(role=Assessment.Role.PEER)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def employees_of(self, obj) -> set[int]:
        return {obj.assessment.employee_id}


@admin.register(Evidence)
class EvidenceAdmin(RefreshesGaps):
    """Imported levels: each piece its own row. The gap engine derives the current level from them (and from the
    ratings and trainings); a piece outranked today takes over again when the one above it expires."""

    list_display = ("employee", "competency", "level", "source", "evidenced_on", "expires_on", "reference")
    list_filter = ("source", "competency__framework")
    search_fields = (*_EMPLOYEE_SEARCH, "competency__code", "reference")
    autocomplete_fields = ("employee", "competency")
    list_select_related = ("employee", "competency")
    date_hierarchy = "evidenced_on"


@admin.register(CurrentLevel)
class CurrentLevelAdmin(ReadOnlyAdmin):
    """Derived by the gap engine from all the evidence: shown, never edited (an imported level is ``Evidence``)."""

    list_display = ("employee", "competency", "level", "source", "assessed_on", "expires_on")
    list_filter = ("source", "competency__framework")
    search_fields = (*_EMPLOYEE_SEARCH, "competency__code")
    autocomplete_fields = ("employee", "competency")
    list_select_related = ("employee", "competency")
    date_hierarchy = "assessed_on"


@admin.register(PeerResult)
class PeerResultAdmin(ReadOnlyAdmin):
    """The peers' figures released when a campaign closed: aggregates of at least its anonymity threshold of
    answers, fixed since (``services_campaigns.peer_results_release``)."""

    list_display = ("campaign", "employee", "competency", "mean", "answers")
    list_filter = ("campaign",)
    search_fields = (*_EMPLOYEE_SEARCH, "competency__code")
    list_select_related = ("campaign", "employee", "competency")


@admin.register(AssessmentReadLog)
class AssessmentReadLogAdmin(ReadOnlyAdmin):
    """The audit trail of reads of assessment pages: written by the views, never edited."""

    list_display = ("read_at", "username", "page", "employee", "assessment", "path")
    list_filter = ("page",)
    search_fields = ("username", *_EMPLOYEE_SEARCH)
    list_select_related = ("employee", "assessment__employee")
    date_hierarchy = "read_at"


@admin.register(GapRun)
class GapRunAdmin(ReadOnlyAdmin):
    list_display = (
        "id", "status", "trigger", "requested_by", "requested_at", "started_at", "finished_at", "as_of",
        "employees", "pairs", "levels_changed", "rollups_changed",
    )
    list_filter = ("status", "trigger", "full_consolidation")
    list_select_related = ("requested_by",)
    date_hierarchy = "requested_at"


_FIGURES = (
    "people", "people_with_gap", "requirements", "requirements_met", "not_assessed", "gap_sum", "critical_gaps",
)


@admin.register(UnitCompetencyGap)
class UnitCompetencyGapAdmin(ReadOnlyAdmin):
    list_display = ("unit", "subtree", "competency", *_FIGURES)
    list_filter = ("subtree",)
    search_fields = ("unit__code", "unit__name", "competency__code")
    list_select_related = ("unit", "competency")


@admin.register(UnitGroupCompetencyGap)
class UnitGroupCompetencyGapAdmin(ReadOnlyAdmin):
    list_display = ("unit", "subtree", "position_group", "competency", *_FIGURES)
    list_filter = ("subtree", "position_group")
    search_fields = ("unit__code", "unit__name", "competency__code")
    list_select_related = ("unit", "competency")


@admin.register(UnitAreaGap)
class UnitAreaGapAdmin(ReadOnlyAdmin):
    list_display = ("unit", "subtree", "area", *_FIGURES)
    list_filter = ("subtree",)
    search_fields = ("unit__code", "unit__name", "area__code")
    list_select_related = ("unit", "area")


@admin.register(UnitGap)
class UnitGapAdmin(ReadOnlyAdmin):
    list_display = ("unit", "subtree", *_FIGURES)
    list_filter = ("subtree",)
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit",)


@admin.register(GapTrendPoint)
class GapTrendPointAdmin(ReadOnlyAdmin):
    list_display = ("as_of", "run", *_FIGURES)
    list_select_related = ("run",)
    date_hierarchy = "as_of"
