"""Proposals of the annual-plan optimiser: a run (a job row with its inputs and figures) and the items it proposes,
which the learning office accepts, all or in part, into the plan."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from clo.core.jobs import Job
from programs.models.annual_plan import PlanAction
from programs.models.catalogue import Program


class PlanProposal(Job):
    """One run of the optimiser for a year's plan, with the inputs it was given and, once done, its figures beside
    the greedy and first-come baselines, the budget curve and the best actions left out (``result``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancel", _("Cancelled")

    status = models.CharField(_("status"), max_length=8, choices=Status.choices, default=Status.PENDING)
    year = models.PositiveSmallIntegerField(_("plan year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    budget = models.DecimalField(_("budget (€)"), max_digits=12, decimal_places=2,
                                 validators=[MinValueValidator(0)])
    budget_own = models.DecimalField(_("own budget (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                     validators=[MinValueValidator(0)])
    budget_afedap = models.DecimalField(_("AFEDAP grant (€)"), max_digits=12, decimal_places=2, null=True, blank=True,
                                        validators=[MinValueValidator(0)])
    budget_other = models.DecimalField(_("other funding (€)"), max_digits=12, decimal_places=2, null=True,
                                       blank=True, validators=[MinValueValidator(0)])
    need_bonus = models.PositiveSmallIntegerField(
        _("bonus for accepted needs (%)"), default=50, validators=[MaxValueValidator(1000)],
        help_text=_("How much more a gap is worth when an accepted need of its unit asks for it."),
    )
    critical_factor = models.DecimalField(_("criticality factor"), max_digits=4, decimal_places=1, default=2,
                                          validators=[MinValueValidator(1), MaxValueValidator(10)])
    hours_cap = models.PositiveSmallIntegerField(_("maximum training hours per person and year"), default=40,
                                                 validators=[MinValueValidator(1), MaxValueValidator(2000)])
    coverage = models.PositiveSmallIntegerField(
        _("minimum coverage per unit (%)"), default=0, validators=[MaxValueValidator(100)],
        help_text=_("The share of each unit's people with a gap that the plan must reach; 0 for none."),
    )
    time_limit = models.PositiveSmallIntegerField(_("time limit (seconds)"), default=30,
                                                  validators=[MinValueValidator(1), MaxValueValidator(600)])
    inputs_as_of = models.DateTimeField(_("inputs read at"), null=True, blank=True)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    cancel_requested = models.BooleanField(_("cancellation requested"), default=False)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("plan proposal")
        verbose_name_plural = _("plan proposals")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0), name="programs_planproposal_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
        ]
        # The proposals page lists a year's proposals, newest first.
        indexes = [models.Index(fields=["year", "-created_at"], name="programs_proposal_year")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.year}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED, self.Status.CANCELLED)


class ProposalItem(models.Model):
    """A program the proposal runs: its sessions and seats, its cost and how it is funded, the weighted gap it
    closes and for whom (``detail``); once accepted, the plan actions it became."""

    proposal = models.ForeignKey(PlanProposal, on_delete=models.CASCADE, related_name="items",
                                 verbose_name=_("proposal"))
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="+", verbose_name=_("program"))
    sessions = models.PositiveIntegerField(_("sessions"))
    seats = models.PositiveIntegerField(_("seats"))
    cost = models.DecimalField(_("cost (€)"), max_digits=12, decimal_places=2)
    value = models.FloatField(_("weighted gap closed"))
    funding = models.JSONField(_("funding"), default=dict)
    detail = models.JSONField(_("detail"), default=dict)
    fixed = models.BooleanField(_("already in the plan"), default=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("accepted by"))
    plan_actions = models.ManyToManyField(PlanAction, blank=True, related_name="proposal_items",
                                          verbose_name=_("plan actions"))

    class Meta:
        verbose_name = _("proposal item")
        verbose_name_plural = _("proposal items")
        ordering = ["proposal", "-value", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "program"], name="programs_proposalitem_unique",
                                    violation_error_message=_("The proposal already has this program.")),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id} · {self.program_id}"

    @property
    def per_unit(self) -> float | None:
        return float(self.cost) / self.value if self.value else None
