"""Assessment campaigns, assessments and ratings, and each employee's consolidated current level."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AssessmentCampaign(models.Model):
    class Kind(models.TextChoices):
        SELF_MANAGER = "self_manager", _("Self and manager")
        MANAGER = "manager", _("Manager only")
        FULL_360 = "360", _("360° (self, manager and peers)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.SELF_MANAGER)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    frameworks = models.ManyToManyField("competencies.Framework", blank=True, verbose_name=_("frameworks"))
    units = models.ManyToManyField(
        "people.OrgUnit", blank=True, verbose_name=_("units in scope"), help_text=_("With their whole subtrees.")
    )
    peer_anonymity_threshold = models.PositiveSmallIntegerField(
        _("peer anonymity threshold"), default=3,
        help_text=_("Peer results are shown only as an aggregate of at least this many answers."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment campaign")
        verbose_name_plural = _("assessment campaigns")
        ordering = ["-opens_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="evaluations_campaign_period_order",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="evaluations_campaign_dates_order",
                violation_error_message=_("The campaign cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(peer_anonymity_threshold__gte=2),
                name="evaluations_campaign_anonymity_min",
                violation_error_message=_("The peer anonymity threshold must be at least 2."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Assessment(models.Model):
    class Role(models.TextChoices):
        SELF = "self", _("Self-assessment")
        MANAGER = "manager", _("Manager")
        PEER = "peer", _("Peer")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        VALIDATED = "validated", _("Validated")

    campaign = models.ForeignKey(
        AssessmentCampaign, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments",
        verbose_name=_("campaign"),
    )
    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="assessments", verbose_name=_("assessed employee")
    )
    assessor = models.ForeignKey(
        "people.Employee", on_delete=models.PROTECT, related_name="assessments_given", verbose_name=_("assessor")
    )
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    validated_at = models.DateTimeField(_("validated at"), null=True, blank=True)
    validated_by = models.ForeignKey(
        "people.Employee", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("validated by"),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "employee", "assessor", "role"],
                name="evaluations_assessment_unique_rater",
                violation_error_message=_("This person already assesses this employee in this campaign."),
            ),
            models.CheckConstraint(
                condition=(Q(role="self") & Q(assessor=F("employee"))) | (~Q(role="self") & ~Q(assessor=F("employee"))),
                name="evaluations_assessment_self_is_self",
                violation_error_message=_("Only a self-assessment has the employee as assessor, and it must."),
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False),
                name="evaluations_assessment_submitted_dated",
                violation_error_message=_("A submitted assessment needs its submission date."),
            ),
        ]
        indexes = [models.Index(fields=["employee", "role", "status"], name="eval_assessment_employee")]

    def __str__(self) -> str:
        return f"{self.employee} · {self.get_role_display()}"


class Rating(models.Model):
    """One competency rated in one assessment. Level 0 means "not demonstrated"."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="ratings", verbose_name=_("assessment"))
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="ratings", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    evidence = models.TextField(_("evidence"), blank=True)
    comment = models.TextField(_("comment"), blank=True)
    original_level = models.PositiveSmallIntegerField(
        _("level before adjustment"), null=True, blank=True,
        help_text=_("Set when the manager adjusted the self-assessed level while validating."),
    )
    adjustment_reason = models.TextField(_("reason for the adjustment"), blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "competency"],
                name="evaluations_rating_unique_competency",
                violation_error_message=_("This competency is already rated in this assessment."),
            ),
            models.CheckConstraint(
                condition=Q(original_level__isnull=True) | ~Q(adjustment_reason=""),
                name="evaluations_rating_adjustment_reason",
                violation_error_message=_("An adjusted level needs a reason."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.competency.code} = {self.level}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from competencies.selectors import level_in_scale_error

        error = level_in_scale_error(self.competency_id, self.level, allow_zero=True)
        if error:
            raise ValidationError({"level": error})


class CurrentLevel(models.Model):
    """An employee's consolidated level in a competency, as the gap engine reads it."""

    class Source(models.TextChoices):
        MANAGER = "manager", _("Manager rating")
        SELF = "self", _("Self-assessment")
        AVERAGE = "average", _("Average of self and manager")
        TRAINING = "training", _("Completed training")
        IMPORT = "import", _("Imported record")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="current_levels", verbose_name=_("employee")
    )
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.CASCADE, related_name="current_levels", verbose_name=_("competency")
    )
    level = models.PositiveSmallIntegerField(_("level"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    assessed_on = models.DateField(_("assessed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        verbose_name = _("current level")
        verbose_name_plural = _("current levels")
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "competency"],
                name="evaluations_currentlevel_unique",
                violation_error_message=_("This employee already has a current level in this competency."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=F("assessed_on")),
                name="evaluations_currentlevel_expiry_after",
                violation_error_message=_("The expiry date must come after the assessment date."),
            ),
        ]
        indexes = [
            # gap engine: current levels joined by competency for every employee of a position.
            models.Index(fields=["competency", "employee"], name="evaluations_cl_comp_emp"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.competency.code} = {self.level}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from competencies.selectors import level_in_scale_error

        error = level_in_scale_error(self.competency_id, self.level, allow_zero=True)
        if error:
            raise ValidationError({"level": error})
