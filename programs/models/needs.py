"""Needs detection: the yearly campaign, the training needs directors submit and their history."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models.catalogue import Modality
from programs.models.annual_plan import PlanAction

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User


class NeedsCampaign(models.Model):
    """The yearly needs-detection campaign (detecció de necessitats formatives) for next year's plan."""

    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("campaign status", "Open")
        CLOSED = "closed", pgettext_lazy("campaign status", "Closed")

    year = models.PositiveSmallIntegerField(_("plan year"), unique=True)
    opens_on = models.DateField(_("opens on"))
    deadline = models.DateField(_("deadline"))
    instructions = models.TextField(_("instructions for directors"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("opened by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("needs-detection campaign")
        verbose_name_plural = _("needs-detection campaigns")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gte=F("opens_on")),
                name="programs_needscampaign_deadline_after_opening",
                violation_error_message=_("The deadline cannot come before the opening date."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="programs_needscampaign_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
        ]
        indexes = [
            # the daily reminder job: open campaigns whose reminder is not sent yet.
            models.Index(fields=["status", "deadline"], name="programs_campaign_reminder"),
        ]

    def __str__(self) -> str:
        return str(self.year)


# Attachments of a need: PDF, office documents, images, plain text (checked again by content in the form).
NEED_ATTACHMENT_EXTENSIONS = [
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp", "txt", "csv", "png", "jpg", "jpeg",
]


class TrainingNeedQuerySet(models.QuerySet):
    def visible_to(self, user: User | AnonymousUser) -> "TrainingNeedQuerySet":
        """Needs of the units the user may see: all for the learning office and HR, a director's subtrees."""
        from clo.people import roles

        scope = roles.scope_of(user)
        if scope.everything:
            return self
        if not scope.unit_paths:
            return self.none()
        condition = Q()
        for path in scope.unit_paths:
            condition |= Q(unit__path__startswith=path)
        return self.filter(condition)


class TrainingNeed(models.Model):
    """A training need a director submits for a unit (needs detection, the first step of the cycle)."""

    class Priority(models.TextChoices):
        HIGH = "high", _("High")
        MEDIUM = "medium", _("Medium")
        LOW = "low", _("Low")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFO = "more_info", _("More information requested")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged into another need")

    # Waiting for the learning office's decision (submitted, or sent back for more information): the triage queue,
    # the statuses the office may decide on, and the "needs awaiting triage" figure.
    TRIAGEABLE = (Status.SUBMITTED, Status.MORE_INFO)

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="training_needs", verbose_name=_("unit"))
    submitted_by = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="training_needs", verbose_name=_("submitted by")
    )
    year = models.PositiveSmallIntegerField(_("plan year"))
    title = models.CharField(_("title"), max_length=200)
    competencies = models.ManyToManyField("competencies.Competency", blank=True, verbose_name=_("competencies"))
    target_positions = models.ManyToManyField("people.Position", blank=True, verbose_name=_("target positions"))
    target_employees = models.ManyToManyField(
        "people.Employee", blank=True, related_name="+", verbose_name=_("target people")
    )
    estimated_participants = models.PositiveIntegerField(_("estimated participants"), default=1)
    priority = models.CharField(_("priority"), max_length=8, choices=Priority.choices, default=Priority.MEDIUM)
    preferred_modality = models.CharField(_("preferred modality"), max_length=14, choices=Modality.choices, blank=True)
    desired_period = models.CharField(_("desired period"), max_length=100, blank=True)
    strategic_objective = models.CharField(_("strategic objective"), max_length=200, blank=True)
    justification = models.TextField(_("justification"), blank=True)
    attachment = models.FileField(
        _("attachment"), upload_to="needs/%Y/", blank=True,
        validators=[FileExtensionValidator(NEED_ATTACHMENT_EXTENSIONS)],
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    status_reason = models.TextField(_("reason"), blank=True)
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_needs", verbose_name=_("merged into")
    )
    plan_action = models.ForeignKey(
        PlanAction, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs", verbose_name=_("plan action")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    objects = TrainingNeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("training need")
        verbose_name_plural = _("training needs")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_participants__gte=1),
                name="programs_trainingneed_participants_positive",
                violation_error_message=_("Estimate at least one participant."),
            ),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(status_reason=""),
                name="programs_trainingneed_rejection_reason",
                violation_error_message=_("A rejected need must say why."),
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(merged_into__isnull=False),
                name="programs_trainingneed_merged_target",
                violation_error_message=_("A merged need must point to the need it was merged into."),
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("id")),
                name="programs_trainingneed_not_merged_into_self",
                violation_error_message=_("A need cannot be merged into itself."),
            ),
        ]
        indexes = [models.Index(fields=["status", "year"], name="programs_need_triage")]

    def __str__(self) -> str:
        return self.title


class NeedEvent(models.Model):
    """One change in a training need's life, with who made it and when (the need's history)."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Draft created")
        EDITED = "edited", _("Edited")
        SUBMITTED = "submitted", _("Submitted")
        MORE_INFO = "more_info", _("More information requested")
        ACCEPTED = "accepted", _("Accepted into the plan")
        REJECTED = "rejected", _("Rejected")
        MERGED = "merged", _("Merged into another need")
        ABSORBED = "absorbed", _("Other needs merged into this one")

    need = models.ForeignKey(TrainingNeed, on_delete=models.CASCADE, related_name="events", verbose_name=_("need"))
    kind = models.CharField(_("change"), max_length=10, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("need history entry")
        verbose_name_plural = _("need history entries")
        ordering = ["at", "pk"]
        indexes = [
            # the need's page: its history in order.
            models.Index(fields=["need", "at"], name="programs_needevent_need"),
        ]

    def __str__(self) -> str:
        return f"{self.need_id} · {self.kind}"
