"""Successor pools of critical positions (``people.Position.is_critical``).

A person's fit to a position is their weighted gap to its requirements: for each requirement, max(required −
current level, 0) times its weight, summed and divided by the sum of the weights (``GapRatios.weighted_gap``'s
definition, read from the gap engine's stored current levels). A readiness category is the first of HR's list, by
``max_weighted_gap``, whose bound the gap does not exceed; the category without a bound takes the rest.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class ReadinessCategory(models.Model):
    """One step of HR's readiness list ("ready now", "ready in 1–2 years"…), named in the three languages."""

    name_ca = models.CharField(_("name (Catalan)"), max_length=80)
    name_es = models.CharField(_("name (Spanish)"), max_length=80, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    max_weighted_gap = models.DecimalField(
        _("highest weighted gap"), max_digits=4, decimal_places=2, null=True, blank=True,
        help_text=_("People whose weighted gap to the position is at most this value fall in this category. Leave "
                    "it empty for the last category, which takes everybody else."),
    )
    counts_as_ready_now = models.BooleanField(
        _("counts as ready now"), default=False,
        help_text=_("Successors in this category count as ready now in the bench strength."),
    )

    class Meta:
        verbose_name = _("readiness category")
        verbose_name_plural = _("readiness categories")
        ordering = [models.F("max_weighted_gap").asc(nulls_last=True)]
        constraints = [
            models.UniqueConstraint(
                fields=["max_weighted_gap"], name="talent_readinesscategory_one_per_bound",
                violation_error_message=_("Another category already ends at this weighted gap."),
            ),
            models.UniqueConstraint(
                fields=["counts_as_ready_now"], condition=Q(max_weighted_gap__isnull=True),
                name="talent_readinesscategory_one_open",
                violation_error_message=_("Only one category can be without a highest weighted gap."),
            ),
            models.CheckConstraint(
                condition=Q(max_weighted_gap__isnull=True) | Q(max_weighted_gap__gte=0),
                name="talent_readinesscategory_bound_positive",
                violation_error_message=_("The highest weighted gap cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        language = (translation.get_language() or "ca")[:2]
        return getattr(self, f"name_{language}", "") or self.name_ca


class SuccessorQuerySet(models.QuerySet["Successor"]):
    def visible_to(self, user) -> "SuccessorQuerySet":
        """Successors of positions in the user's subtree (everything for HR and the learning office)."""
        from clo.people.roles import scope_of

        scope = scope_of(user)
        if scope.everything:
            return self
        condition = Q(pk__in=[])
        for path in scope.unit_paths:
            condition |= Q(position__unit__path__startswith=path)
        return self.filter(condition)


class Successor(models.Model):
    """A person nominated (and then confirmed) to succeed in a critical position."""

    class Status(models.TextChoices):
        NOMINATED = "nominated", _("Nominated")
        CONFIRMED = "confirmed", _("Confirmed")

    position = models.ForeignKey("people.Position", on_delete=models.CASCADE, related_name="successors",
                                 verbose_name=_("position"))
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="successions",
                                 verbose_name=_("successor"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NOMINATED)
    rank = models.PositiveSmallIntegerField(_("rank"), default=1)
    is_emergency = models.BooleanField(_("emergency successor"), default=False)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("nominated by"))
    nominated_at = models.DateTimeField(_("nominated at"), default=timezone.now)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    learning_plan = models.ForeignKey("programs.LearningPlan", on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("development plan"))

    objects = SuccessorQuerySet.as_manager()

    class Meta:
        verbose_name = _("successor")
        verbose_name_plural = _("successors")
        ordering = ["position", "rank", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "employee"], name="talent_successor_once",
                violation_error_message=_("This person is already in the position's successor pool."),
            ),
            models.UniqueConstraint(
                fields=["position"], condition=Q(is_emergency=True), name="talent_successor_one_emergency",
                violation_error_message=_("The position already has an emergency successor."),
            ),
            models.CheckConstraint(
                condition=Q(rank__gte=1), name="talent_successor_rank_positive",
                violation_error_message=_("The rank must be 1 or more."),
            ),
        ]
        indexes = [
            # bench strength: the confirmed successors of many positions at once (ready_now_successors).
            models.Index(fields=["position", "employee"], condition=Q(status="confirmed"),
                         name="talent_successor_confirmed"),
        ]

    def __str__(self) -> str:
        return f"{self.position} ← {self.employee}"
