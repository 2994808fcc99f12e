"""Admin of training evaluation (Kirkpatrick): the learning office's tool to correct data; the questionnaires and the
daily jobs write through ``programs.services.feedback``, and the database constraints still apply here."""

from __future__ import annotations

from django.contrib import admin

from clo.core.admin import ReadOnlyAdmin
from programs.models import LearningResult, ReactionHour, ReactionInvitation, ReactionResponse, TransferFollowUp

_ENROLMENT = ("enrolment__employee", "enrolment__session__program")
_ENROLMENT_SEARCH = ("enrolment__session__code", "enrolment__session__program__code")


@admin.register(ReactionInvitation)
class ReactionInvitationAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "created_at", "sent_at")
    search_fields = _ENROLMENT_SEARCH
    raw_id_fields = ("enrolment",)
    list_select_related = _ENROLMENT


@admin.register(ReactionResponse)
class ReactionResponseAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "usefulness", "trainer", "organisation", "applicability", "submitted_at")
    search_fields = _ENROLMENT_SEARCH
    raw_id_fields = ("enrolment",)
    list_select_related = _ENROLMENT
    date_hierarchy = "submitted_at"


@admin.register(ReactionHour)
class ReactionHourAdmin(ReadOnlyAdmin):
    """The answers added up per hour (UTC), kept by the database's triggers: a read of the satisfaction figures."""

    list_display = ("hour", "answers", "usefulness", "trainer", "organisation", "applicability")
    date_hierarchy = "hour"


@admin.register(LearningResult)
class LearningResultAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "pre_score", "post_score", "passed", "recorded_at")
    list_filter = ("passed",)
    search_fields = _ENROLMENT_SEARCH
    raw_id_fields = ("enrolment", "recorded_by")
    list_select_related = _ENROLMENT


@admin.register(TransferFollowUp)
class TransferFollowUpAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "respondent_role", "respondent", "due_on", "sent_at", "answered_at", "applying")
    list_filter = ("respondent_role",)
    search_fields = _ENROLMENT_SEARCH
    raw_id_fields = ("enrolment", "respondent")
    list_select_related = (*_ENROLMENT, "respondent")
    date_hierarchy = "due_on"
