"""Admin for the training catalogue, sessions and enrolments, the annual plan and needs, and learning plans.

Program texts are translated (ca/es/en side by side). Enrolment decisions (capacity, waiting list) belong to the
services; this admin is the learning office's tool to correct data, and the database constraints still apply.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from clo.core.admin import ReadOnlyAdmin
from evaluations.gaps import services as gaps_services
from programs.models import (
    Attendance,
    CalendarFeed,
    Enrolment,
    LearningPlan,
    LearningPlanItem,
    NeedEvent,
    NeedsCampaign,
    PlanAction,
    PlanPdfJob,
    PlanProposal,
    ProposalItem,
    ProgramResultSnapshot,
    Program,
    ProgramCompetency,
    ProgramInterest,
    Session,
    SessionDay,
    TrainingNeed,
    TrainingPlan,
    UnitTraining,
)

_EMPLOYEE_SEARCH = ("employee__employee_number", "employee__first_name", "employee__last_name")
# A link typed without a scheme is an https one (Django 6's default, asked for now).
_HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class ProgramCompetencyInline(admin.TabularInline):
    model = ProgramCompetency
    extra = 0
    autocomplete_fields = ("competency",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program", "competency")


class SessionInline(admin.TabularInline):
    model = Session
    extra = 0
    fields = ("code", "starts_at", "ends_at", "place", "online_url", "trainer", "capacity", "status")
    formfield_overrides = _HTTPS_LINKS
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("program")


@admin.register(Program)
class ProgramAdmin(TranslationAdmin):
    list_display = ("code", "title", "modality", "hours", "cost", "cost_basis", "is_open", "active")
    list_filter = ("modality", "is_open", "active", "cost_basis")
    search_fields = ("code", "title_ca", "title_es", "title_en", "provider")
    autocomplete_fields = ("prerequisites",)
    inlines = (ProgramCompetencyInline, SessionInline)


@admin.register(ProgramCompetency)
class ProgramCompetencyAdmin(admin.ModelAdmin):
    list_display = ("program", "competency", "level_reached")
    list_filter = ("competency__framework",)
    search_fields = ("program__code", "program__title_ca", "competency__code", "competency__name_ca")
    autocomplete_fields = ("program", "competency")
    list_select_related = ("program", "competency")


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ("code", "program", "starts_at", "ends_at", "place", "capacity", "seats_taken", "status")
    list_filter = ("status", "program__modality")
    search_fields = ("code", "program__code", "program__title_ca", "place", "trainer")
    autocomplete_fields = ("program",)
    list_select_related = ("program",)
    date_hierarchy = "starts_at"
    formfield_overrides = _HTTPS_LINKS

    def get_queryset(self, request):
        holding = Q(enrolments__status__in=Enrolment.SEAT_HOLDING)
        return super().get_queryset(request).annotate(_seats_taken=Count("enrolments", filter=holding))

    @admin.display(description=_("seats taken"), ordering="_seats_taken")
    def seats_taken(self, obj: Session) -> int:
        return obj._seats_taken


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("employee", "session", "status", "requested_at", "decided_at", "completed_on", "hours_attended")
    list_filter = ("status",)
    search_fields = (*_EMPLOYEE_SEARCH, "session__code", "session__program__code")
    autocomplete_fields = ("session", "employee", "decided_by")
    list_select_related = ("employee", "session__program")
    date_hierarchy = "requested_at"

    # A completed enrolment certifies competencies: the gap engine follows every change made here.
    def save_model(self, request, obj: Enrolment, form, change: bool) -> None:
        previous = form.initial.get("employee") if change else None
        super().save_model(request, obj, form, change)
        for employee_id in {obj.employee_id, previous} - {None}:
            gaps_services.gaps_schedule_employee_refresh(employee_id, evidence_only=True)

    def delete_model(self, request, obj: Enrolment) -> None:
        employee_id = obj.employee_id
        super().delete_model(request, obj)
        gaps_services.gaps_schedule_employee_refresh(employee_id, evidence_only=True)


@admin.register(ProgramInterest)
class ProgramInterestAdmin(admin.ModelAdmin):
    list_display = ("employee", "program", "registered_at")
    search_fields = (*_EMPLOYEE_SEARCH, "program__code", "program__title")
    autocomplete_fields = ("employee", "program")
    list_select_related = ("employee", "program")
    date_hierarchy = "registered_at"


@admin.register(SessionDay)
class SessionDayAdmin(admin.ModelAdmin):
    list_display = ("session", "date", "hours")
    search_fields = ("session__code", "session__program__code")
    autocomplete_fields = ("session",)
    list_select_related = ("session__program",)
    date_hierarchy = "date"


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "day", "hours", "recorded_at")
    search_fields = tuple(f"enrolment__{name}" for name in _EMPLOYEE_SEARCH) + ("enrolment__session__code",)
    autocomplete_fields = ("enrolment", "day")
    list_select_related = ("enrolment__employee", "enrolment__session__program", "day__session__program")


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0
    fields = ("title", "program", "estimated_cost", "estimated_hours", "estimated_participants", "funding")
    autocomplete_fields = ("program",)
    show_change_link = True


@admin.register(TrainingPlan)
class TrainingPlanAdmin(admin.ModelAdmin):
    list_display = ("year", "title", "budget", "status", "approved_at")
    list_filter = ("status",)
    search_fields = ("title", "year")
    inlines = (PlanActionInline,)


@admin.register(PlanAction)
class PlanActionAdmin(admin.ModelAdmin):
    list_display = (
        "title", "plan", "program", "estimated_cost", "estimated_hours", "estimated_participants", "funding",
    )
    list_filter = ("plan", "funding")
    search_fields = ("title", "program__code", "program__title_ca")
    autocomplete_fields = ("program",)
    list_select_related = ("plan", "program")


class NeedEventInline(admin.TabularInline):
    """A need's history, as the services wrote it: read only."""

    model = NeedEvent
    extra = 0
    fields = ("at", "kind", "actor", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(TrainingNeed)
class TrainingNeedAdmin(admin.ModelAdmin):
    list_display = ("title", "unit", "submitted_by", "year", "priority", "status", "submitted_at")
    list_filter = ("status", "priority", "year", "preferred_modality")
    search_fields = ("title", "unit__code", "unit__name", "submitted_by__first_name", "submitted_by__last_name")
    autocomplete_fields = (
        "unit", "submitted_by", "competencies", "target_positions", "target_employees", "merged_into", "plan_action",
    )
    list_select_related = ("unit", "submitted_by")
    inlines = (NeedEventInline,)


@admin.register(NeedsCampaign)
class NeedsCampaignAdmin(admin.ModelAdmin):
    list_display = ("year", "opens_on", "deadline", "status", "reminder_sent_at")
    list_filter = ("status",)
    readonly_fields = ("opened_by", "reminder_sent_at")


@admin.register(NeedEvent)
class NeedEventAdmin(ReadOnlyAdmin):
    """The history of needs, written by the services only: shown, never added, changed or deleted by hand."""

    list_display = ("need", "kind", "actor", "at")
    list_filter = ("kind",)
    search_fields = ("need__title",)
    list_select_related = ("need", "actor")


class LearningPlanItemFormSet(BaseInlineFormSet):
    """Due dates against the plan's period as edited in the same page (the item's clean() sees the saved plan,
    or none yet when the plan is being created)."""

    def clean(self) -> None:
        super().clean()
        start, end = self.instance.period_start, self.instance.period_end
        if not (start and end):
            return
        for form in self.forms:
            data = getattr(form, "cleaned_data", {})
            due = data.get("due_date")
            if due and not data.get("DELETE") and not (start <= due <= end) and "due_date" not in form.errors:
                form.add_error("due_date", gettext(
                    "The due date must fall within the plan's period (%(start)s – %(end)s)."
                ) % {"start": start, "end": end})


class LearningPlanItemInline(admin.TabularInline):
    model = LearningPlanItem
    formset = LearningPlanItemFormSet
    extra = 0
    fields = ("kind", "program", "title", "competency", "target_level", "due_date", "status", "origin", "edited")
    autocomplete_fields = ("program", "competency")

    def get_queryset(self, request):
        # Each row's heading is the item's __str__: its title or its program.
        return super().get_queryset(request).select_related("program")


@admin.register(LearningPlan)
class LearningPlanAdmin(admin.ModelAdmin):
    list_display = ("employee", "period_start", "period_end", "status", "generated_at")
    list_filter = ("status",)
    search_fields = _EMPLOYEE_SEARCH
    autocomplete_fields = ("employee",)
    list_select_related = ("employee",)
    date_hierarchy = "period_start"
    inlines = (LearningPlanItemInline,)


@admin.register(LearningPlanItem)
class LearningPlanItemAdmin(admin.ModelAdmin):
    list_display = ("__str__", "plan", "kind", "competency", "target_level", "due_date", "status", "origin")
    list_filter = ("kind", "status", "origin")
    search_fields = ("title", "program__code", "plan__employee__last_name", "plan__employee__employee_number")
    autocomplete_fields = ("plan", "program", "competency")
    list_select_related = ("plan__employee", "program", "competency")


@admin.register(PlanPdfJob)
class PlanPdfJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are asked for on the learning plans pages and written by the worker."""

    list_display = ("pk", "unit", "as_of", "status", "done_count", "total", "created_at", "finished_at")
    list_filter = ("status",)
    list_select_related = ("unit",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ProgramResultSnapshot)
class ProgramResultSnapshotAdmin(ReadOnlyAdmin):
    """Read-only: training results (level 4) computed after each full gap analysis run."""

    list_display = ("program", "run", "completers", "comparison", "difference", "computed_at")
    list_select_related = ("program", "run")
    search_fields = ("program__code", "program__title")


@admin.register(UnitTraining)
class UnitTrainingAdmin(ReadOnlyAdmin):
    """Read-only: the training roll-up is written by the delivery services and the nightly rebuild."""

    list_display = ("unit", "subtree", "year", "hours", "completed", "closed", "seat_cost")
    list_filter = ("subtree", "year")
    search_fields = ("unit__code", "unit__name")
    list_select_related = ("unit",)


@admin.register(PlanProposal)
class PlanProposalAdmin(ReadOnlyAdmin):
    """Read-only: proposals are written by the optimiser's job and accepted on its page."""

    list_display = ("year", "status", "budget", "progress", "requested_by", "created_at")
    list_filter = ("status", "year")
    list_select_related = ("requested_by",)
    date_hierarchy = "created_at"


@admin.register(ProposalItem)
class ProposalItemAdmin(ReadOnlyAdmin):
    list_display = ("proposal", "program", "sessions", "seats", "cost", "value", "fixed", "accepted_at")
    list_filter = ("fixed",)
    search_fields = ("program__code", "program__title")
    list_select_related = ("proposal", "program")


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    """Read-only: a person makes, regenerates and revokes their feed on "My calendar"; the secret is never here."""

    list_display = ("employee", "created_at", "last_read_at")
    search_fields = ("employee__employee_number", "employee__last_name")
    list_select_related = ("employee",)
    exclude = ("token_hash",)


from programs import admin_feedback  # noqa: E402, F401  (training evaluation: its own module)
