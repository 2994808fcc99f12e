"""Individual learning plans, their items and the bulk PDF jobs."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from clo.core.jobs import Job
from programs.models.catalogue import Program


class LearningPlan(models.Model):
    """An employee's learning plan for a period, generated from their gaps and edited by HR or the director."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", pgettext_lazy("plan status", "Active")
        CLOSED = "closed", pgettext_lazy("plan status", "Closed")

    employee = models.ForeignKey(
        "people.Employee", on_delete=models.CASCADE, related_name="learning_plans", verbose_name=_("employee")
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    goal = models.TextField(_("goal"), blank=True)
    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.DRAFT)
    generated_at = models.DateTimeField(_("generated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("learning plan")
        verbose_name_plural = _("learning plans")
        ordering = ["-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["employee", "period_start"],
                name="programs_learningplan_one_per_period",
                violation_error_message=_("This employee already has a plan starting on this date."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=F("period_start")),
                name="programs_learningplan_period_order",
                violation_error_message=_("The plan's period must end after it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.period_start:%Y}"


class LearningPlanItem(models.Model):
    class Kind(models.TextChoices):
        PROGRAM = "program", _("Training program")
        MENTORING = "mentoring", _("Mentoring")
        JOB_ROTATION = "job_rotation", _("Job rotation")
        CHALLENGE = "challenge", _("Challenge project")
        OTHER = "other", _("Other activity")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        RETIRED = "retired", _("Retired")

    class Origin(models.TextChoices):
        GENERATED = "generated", _("Generated from gaps")
        MANUAL = "manual", _("Added by a person")

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="items", verbose_name=_("plan"))
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices, default=Kind.PROGRAM)
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_items", verbose_name=_("program")
    )
    title = models.CharField(_("activity"), max_length=200, blank=True)
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("target competency"),
    )
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.PLANNED)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.MANUAL)
    edited = models.BooleanField(_("edited by a person"), default=False)
    critical = models.BooleanField(
        _("for a critical requirement"), default=False, db_default=False,
        help_text=_("Generated for a requirement the position marks as critical: listed first."),
    )

    class Meta:
        verbose_name = _("learning plan item")
        verbose_name_plural = _("learning plan items")
        ordering = ["plan", "due_date"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="program") & Q(program__isnull=False)) | (~Q(kind="program") & ~Q(title="")),
                name="programs_learningplanitem_what",
                violation_error_message=_("A program item needs a program; any other activity needs a title."),
            ),
            models.CheckConstraint(
                condition=Q(target_level__isnull=True) | Q(competency__isnull=False),
                name="programs_learningplanitem_level_needs_competency",
                violation_error_message=_("A target level needs a target competency."),
            ),
            # Regenerating a plan finds its own earlier suggestion (to keep, retire or bring back), never a twin.
            models.UniqueConstraint(
                fields=["plan", "competency", "program"], condition=Q(origin="generated"),
                name="programs_learningplanitem_generated_once",
                violation_error_message=_("This plan already suggests this program for this competency."),
            ),
        ]

    def __str__(self) -> str:
        return self.title or str(self.program)

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.due_date and self.plan_id:
            plan = self.plan
            if not (plan.period_start <= self.due_date <= plan.period_end):
                errors["due_date"] = _("The due date must fall within the plan's period (%(start)s – %(end)s).") % {
                    "start": plan.period_start, "end": plan.period_end,
                }
        if self.target_level is not None and self.competency_id:
            from competencies.validators import validate_level_in_scale

            try:
                validate_level_in_scale(self.competency_id, self.target_level, field="target_level", allow_zero=False)
            except ValidationError as exc:
                errors.update(exc.error_dict)
        if errors:
            raise ValidationError(errors)


class PlanPdfJob(Job):
    """A bulk render of learning plan PDFs into one zip, for a unit's subtree or the whole organisation.

    A status machine (``clo.core.jobs.Job``). The worker also claims a running row whose worker was lost as soon as
    nobody holds its lock (``programs.services.learning_plans.pdfs``); ``done_count`` of ``total`` is the progress the page
    polls; ``failures`` lists the plans that could not be rendered."""

    # CASCADE, not SET_NULL: a job whose unit was deleted must not turn into a job for the whole organisation.
    unit = models.ForeignKey(
        "people.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("unit"), help_text=_("The unit and every unit under it; empty for the whole organisation."),
    )
    as_of = models.DateField(_("plans in force on"))
    total = models.PositiveIntegerField(_("plans to render"), default=0)
    done_count = models.PositiveIntegerField(_("plans rendered"), default=0)
    failures = models.JSONField(_("plans that failed"), default=list, blank=True)
    file = models.FileField(_("zip file"), upload_to="learning-plans/jobs/", blank=True, max_length=255)

    class Meta:
        verbose_name = _("learning plan PDF job")
        verbose_name_plural = _("learning plan PDF jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done_count__lte=F("total")),
                name="programs_planpdfjob_progress_within_total",
                violation_error_message=_("A job cannot render more plans than it has."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | ~Q(file=""),
                name="programs_planpdfjob_done_has_file",
                violation_error_message=_("A finished job must have its zip file."),
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return (100 * self.done_count // self.total) if self.total else 0
