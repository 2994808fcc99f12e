"""Careers: grades (the horizontal career, *carrera horitzontal*, TREBEP art. 16-17).

HR keeps the council's rules per civil-service group and grade (``CareerRule``): the accredited training (hours or
credits) within a period, the minimum years in the grade below, and optionally a favourable evaluation. Each
person's grade and since when is a ``PersonGrade`` (no row: the entry grade 0 since their hire date). Whenever a rule
changes, one set-based job (``CareerEvaluationJob``, ``clo.careers.services.grades.career_evaluation_run``) rewrites
``CareerEligibility``: one stored row per person that a rule covers, which every page and export reads.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from clo.core.jobs import Job
from clo.people.models import Position

__all__ = ["CareerEligibility", "CareerEvaluationJob", "CareerRule", "PersonGrade", "RecordPdfJob"]

class CareerRule(models.Model):
    """What it takes to reach ``grade`` in ``group`` from the grade below."""

    class Measure(models.TextChoices):
        HOURS = "hours", _("Hours of accredited training")
        CREDITS = "credits", _("Credits of accredited training")

    group = models.CharField(_("civil-service group"), max_length=2, choices=Position.Group.choices)
    grade = models.PositiveSmallIntegerField(
        _("grade"), validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The grade this rule gives access to, from the grade below it."),
    )
    measure = models.CharField(_("measured in"), max_length=8, choices=Measure.choices, default=Measure.HOURS)
    amount = models.DecimalField(_("training required"), max_digits=7, decimal_places=1,
                                 validators=[MinValueValidator(Decimal("0"))])
    period_years = models.PositiveSmallIntegerField(
        _("period (years)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text=_("The training counts if it was done within this many years before the evaluation."),
    )
    min_years = models.PositiveSmallIntegerField(
        _("minimum years in the grade"), default=5, validators=[MaxValueValidator(40)],
    )
    needs_evaluation = models.BooleanField(
        _("needs a favourable evaluation"), default=False,
        help_text=_("A manager assessment validated within the period."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("career rule")
        verbose_name_plural = _("career rules")
        ordering = ["group", "grade"]
        constraints = [
            models.UniqueConstraint(fields=["group", "grade"], name="careers_careerrule_one_per_group_grade",
                                    violation_error_message=_("This group already has a rule for this grade.")),
            models.CheckConstraint(condition=Q(amount__gte=0) & Q(period_years__gte=1) & Q(grade__gte=1),
                                   name="careers_careerrule_positive",
                                   violation_error_message=_("The grade, the period and the training required must "
                                                             "be positive.")),
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.grade}"


class PersonGrade(models.Model):
    """A person's grade and since when (no row: grade 0 since they were hired)."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="career_grade",
                                    verbose_name=_("employee"))
    grade = models.PositiveSmallIntegerField(_("grade"), default=0, validators=[MaxValueValidator(20)])
    since = models.DateField(_("in the grade since"))

    class Meta:
        verbose_name = _("person's grade")
        verbose_name_plural = _("people's grades")
        constraints = [
            models.CheckConstraint(condition=Q(grade__lte=20), name="careers_persongrade_grade_range",
                                   violation_error_message=_("A grade goes from 0 to 20.")),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id}: {self.grade}"


class CareerEligibility(models.Model):
    """The stored result of the last evaluation of one person against the rule of their next grade. Written only by
    ``career_evaluation_run`` (all rows at once); the pages, the export and the person's progress read it."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="career_eligibility",
                                    verbose_name=_("employee"))
    rule = models.ForeignKey(CareerRule, on_delete=models.CASCADE, related_name="+", verbose_name=_("rule"))
    grade = models.PositiveSmallIntegerField(_("current grade"))
    grade_since = models.DateField(_("in the grade since"))
    training = models.DecimalField(_("training within the period"), max_digits=9, decimal_places=1)
    years_met_on = models.DateField(_("minimum years reached on"))
    evaluated = models.BooleanField(_("favourable evaluation"), null=True)
    meets_training = models.BooleanField(_("training met"))
    evaluated_on = models.DateField(_("evaluated on"))

    class Meta:
        verbose_name = _("career eligibility")
        verbose_name_plural = _("career eligibility")
        indexes = [
            # HR's list "eligible now or within N months": the people whose training (and evaluation) is met, by the
            # day they reach the minimum years (selectors.grades.eligible_people).
            models.Index(fields=["years_met_on"], condition=Q(meets_training=True), name="careers_eligibility_ready"),
        ]

    def __str__(self) -> str:
        return f"{self.employee_id} → {self.rule}"


class CareerEvaluationJob(Job):
    """One re-evaluation of everyone against the rules (after a rule changes): a status machine that a worker
    claims; ``total`` is the number of people evaluated once done."""

    total = models.PositiveIntegerField(_("people evaluated"), default=0)
    done_count = models.PositiveIntegerField(_("rules applied"), default=0)
    rule_count = models.PositiveIntegerField(_("rules"), default=0)

    class Meta:
        verbose_name = _("career re-evaluation")
        verbose_name_plural = _("career re-evaluations")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(done_count__lte=F("rule_count")),
                                   name="careers_careerevaluationjob_progress_within_total",
                                   violation_error_message=_("A job cannot apply more rules than it has.")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return (100 * self.done_count // self.rule_count) if self.rule_count else 0


class RecordPdfJob(Job):
    """HR's bulk render of training records (one PDF per active person of a unit's subtree, or of the organisation)
    into one zip, by the bulk PDF engine (``clo.core.bulk_pdf``); ``done_count`` of ``total`` is the progress the page
    polls, ``failures`` the records that could not be rendered."""

    # CASCADE, not SET_NULL: a job whose unit was deleted must not turn into a job for the whole organisation.
    unit = models.ForeignKey(
        "people.OrgUnit", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("unit"), help_text=_("The unit and every unit under it; empty for the whole organisation."),
    )
    total = models.PositiveIntegerField(_("records to render"), default=0)
    done_count = models.PositiveIntegerField(_("records rendered"), default=0)
    failures = models.JSONField(_("records that failed"), default=list, blank=True)
    file = models.FileField(_("zip file"), upload_to="training-records/jobs/", blank=True, max_length=255)

    class Meta:
        verbose_name = _("training record PDF job")
        verbose_name_plural = _("training record PDF jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(done_count__lte=F("total")),
                                   name="careers_recordpdfjob_progress_within_total",
                                   violation_error_message=_("A job cannot render more records than it has.")),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="careers_recordpdfjob_done_has_file",
                                   violation_error_message=_("A finished job must have its zip file.")),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_status_display()}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return (100 * self.done_count // self.total) if self.total else 0
