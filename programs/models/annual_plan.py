"""The annual training plan and its actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from programs.models.catalogue import Program


class TrainingPlan(models.Model):
    """The council's annual training plan (pla de formació)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", pgettext_lazy("plan status", "Approved")
        CLOSED = "closed", pgettext_lazy("plan status", "Closed")

    class FundingKind(models.TextChoices):
        """The funding body's two kinds of plan: *unitari*, one entity with at least ``UNITARY_MINIMUM_STAFF`` staff,
        or *agrupat*, several entities applying together (the organisation promotes it)."""

        UNITARY = "unitary", _("Unitary plan (one entity)")
        GROUPED = "grouped", _("Grouped plan (several entities)")

    UNITARY_MINIMUM_STAFF = 200

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    budget = models.DecimalField(_("available budget (€)"), max_digits=12, decimal_places=2, default=0)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("approved by"),
    )
    funding_kind = models.CharField(_("kind of plan"), max_length=8, choices=FundingKind.choices,
                                    default=FundingKind.UNITARY, db_default=FundingKind.UNITARY)
    # A grouped plan's other participating entities, beside the organisation: [{"name": ..., "staff": ...}]
    funding_entities = models.JSONField(_("participating entities"), default=list, db_default=[], blank=True)

    class Meta:
        verbose_name = _("annual training plan")
        verbose_name_plural = _("annual training plans")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(budget__gte=0),
                name="programs_trainingplan_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="programs_trainingplan_year_range",
                violation_error_message=_("The year must be between 2000 and 2100."),
            ),
            models.CheckConstraint(
                condition=Q(funding_kind__in=["unitary", "grouped"]),
                name="programs_trainingplan_funding_kind_valid",
                violation_error_message=_("A plan is unitary or grouped."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class PlanAction(models.Model):
    """An action of the annual plan: one or more accepted needs served by a program."""

    class Funding(models.TextChoices):
        OWN = "own", _("Own budget")
        AFEDAP = "afedap", _("AFEDAP grant")
        OTHER = "other", _("Other funding")

    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="actions", verbose_name=_("plan"))
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, null=True, blank=True, related_name="plan_actions", verbose_name=_("program")
    )
    title = models.CharField(_("title"), max_length=200)
    estimated_cost = models.DecimalField(_("estimated cost (€)"), max_digits=12, decimal_places=2, default=0)
    estimated_hours = models.DecimalField(_("estimated hours"), max_digits=7, decimal_places=1, default=0)
    estimated_participants = models.PositiveIntegerField(_("estimated participants"), default=0)
    funding = models.CharField(_("funding source"), max_length=8, choices=Funding.choices, default=Funding.OWN)
    # What the funding application asks (programs.selectors.funding) and what the follow-up compares.
    planned_editions = models.PositiveSmallIntegerField(_("planned editions"), default=1, db_default=1)
    planned_by_group = models.JSONField(
        _("planned participants by group"), default=dict, db_default={}, blank=True,
        help_text=_("Participants planned per civil-service group, e.g. {\"A1\": 5, \"C1\": 10}."),
    )
    collective = models.CharField(_("target collective"), max_length=120, blank=True, db_default="")
    granted_amount = models.DecimalField(
        _("granted amount (€)"), max_digits=12, decimal_places=2, default=0, db_default=0
    )
    incurred_cost = models.DecimalField(_("incurred cost (€)"), max_digits=12, decimal_places=2, default=0, db_default=0)

    class Meta:
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        ordering = ["plan", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_cost__gte=0) & Q(estimated_hours__gte=0),
                name="programs_planaction_estimates_not_negative",
                violation_error_message=_("Estimated cost and hours cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(granted_amount__gte=0) & Q(incurred_cost__gte=0),
                name="programs_planaction_funding_not_negative",
                violation_error_message=_("The granted amount and the incurred cost cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.title
