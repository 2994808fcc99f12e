"""The training catalogue: programs, their modality and the competencies each develops."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Modality(models.TextChoices):
    FACE_TO_FACE = "face_to_face", _("Face-to-face")
    ONLINE = "online", _("Online")
    BLENDED = "blended", _("Blended")
    MENTORING = "mentoring", _("Mentoring")
    COACHING = "coaching", _("Coaching")
    COMMUNITY = "community", _("Community of practice")


class Program(models.Model):
    class CostBasis(models.TextChoices):
        PER_SEAT = "seat", _("Per seat")
        PER_SESSION = "session", _("Per session")

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    objectives = models.TextField(_("objectives"), blank=True)
    contents = models.TextField(_("contents"), blank=True)
    modality = models.CharField(_("modality"), max_length=14, choices=Modality.choices)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    provider = models.CharField(_("provider"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (€)"), max_digits=10, decimal_places=2, default=0)
    cost_basis = models.CharField(_("cost basis"), max_length=8, choices=CostBasis.choices, default=CostBasis.PER_SEAT)
    is_open = models.BooleanField(
        _("open enrolment"), default=False, help_text=_("Requests are approved without the director's decision.")
    )
    target_groups = models.JSONField(_("target civil-service groups"), default=list, blank=True)
    prerequisites = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="required_by", verbose_name=_("prerequisites")
    )
    competencies = models.ManyToManyField(
        "competencies.Competency", through="ProgramCompetency", related_name="programs", verbose_name=_("competencies")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="programs_program_hours_positive",
                violation_error_message=_("A program must last more than zero hours."),
            ),
            models.CheckConstraint(
                condition=Q(cost__gte=0),
                name="programs_program_cost_not_negative",
                violation_error_message=_("The cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ProgramCompetency(models.Model):
    """A program develops a competency up to a level; completing it certifies that level."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="developed", verbose_name=_("program"))
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, related_name="developed_by", verbose_name=_("competency")
    )
    level_reached = models.PositiveSmallIntegerField(_("level reached"))

    class Meta:
        verbose_name = _("competency developed")
        verbose_name_plural = _("competencies developed")
        constraints = [
            models.UniqueConstraint(
                fields=["program", "competency"],
                name="programs_programcompetency_unique",
                violation_error_message=_("This program already lists this competency."),
            ),
        ]
        indexes = [models.Index(fields=["competency", "level_reached"], name="programs_pc_comp_level")]

    def __str__(self) -> str:
        return f"{self.program.code} → {self.competency.code} {self.level_reached}"

    def clean(self) -> None:
        from competencies.validators import validate_level_in_scale

        validate_level_in_scale(self.competency_id, self.level_reached, field="level_reached", allow_zero=False)
