"""Succession: the stored knowledge-at-risk figures (critical positions are ``people.Position`` rows, flagged by
``is_critical`` with a ``criticality``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class KnowledgeRisk(models.Model):
    """The knowledge at risk of one competency in a unit: its own people (``subtree`` false) or the unit and
    everything under it (``subtree`` true). Derived data, rewritten only by ``services.succession``; the definitions
    of the figures and of the score are in ``selectors.succession`` (module docstring).

    A row exists for a competency that some critical position requires (anywhere in the organisation) where the unit
    has an expert holder of it or an active holder of a critical position requiring it."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    subtree = models.BooleanField(_("unit and subunits"))
    competency = models.ForeignKey(
        "competencies.Competency", on_delete=models.CASCADE, related_name="+", verbose_name=_("competency")
    )
    criticality = models.PositiveSmallIntegerField(_("criticality"), default=0)  # 0: no critical position needs it
    experts = models.PositiveIntegerField(_("expert holders"), default=0)
    retiring_1 = models.PositiveIntegerField(_("retiring within 1 year"), default=0)
    retiring_3 = models.PositiveIntegerField(_("retiring within 3 years"), default=0)
    retiring_5 = models.PositiveIntegerField(_("retiring within 5 years"), default=0)
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("knowledge at risk")
        verbose_name_plural = _("knowledge at risk")
        constraints = [
            # also the heatmap's lookup: the rows of a few units (subtree), all competencies
            models.UniqueConstraint(fields=["unit", "subtree", "competency"], name="talent_knowledgerisk_unique",
                                    violation_error_message=_("This unit already has figures for this competency.")),
            models.CheckConstraint(
                condition=Q(retiring_1__lte=models.F("retiring_3"), retiring_3__lte=models.F("retiring_5"),
                            retiring_5__lte=models.F("experts")),
                name="talent_knowledgerisk_retiring_nested",
                violation_error_message=_("Retirements within a horizon cannot exceed those of a longer one."),
            ),
        ]
        indexes = [
            # the heatmap (selectors.succession.risk_map): the cells of a unit's children for the columns shown, and
            # the unit's own cells to rank; only the map's rows (subtree, at stake), so the scan does not read every
            # unit's cells of a competency (which grows with the organisation)
            models.Index(fields=["unit", "competency"], condition=Q(subtree=True, criticality__gt=0),
                         name="talent_knowledgerisk_map"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.competency_id}: {self.experts}"


class RetirementCount(models.Model):
    """How many active employees of a unit (its own people, ``subtree`` false, or the unit and everything under it,
    ``subtree`` true) in a position of a civil-service group expect to retire in a calendar year, from
    the figures' date (``as_of``) on: the bench strength's ten-year retirement map. Derived data, rewritten only by
    ``services.succession`` with the knowledge-at-risk figures (the same refreshes, the same nightly rebuild); rows
    exist for non-zero counts only, from ``as_of``'s year through ``RETIREMENT_YEARS`` years later."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    subtree = models.BooleanField(_("unit and subunits"))
    group = models.CharField(_("civil-service group"), max_length=2, blank=True)
    year = models.PositiveSmallIntegerField(_("year"))
    retiring = models.PositiveIntegerField(_("retiring"))
    as_of = models.DateField(_("as of"))

    class Meta:
        verbose_name = _("retirements per year")
        verbose_name_plural = _("retirements per year")
        constraints = [
            # also the bench-strength board's lookup: the rows of a unit (subtree) and of its children, ten years
            models.UniqueConstraint(fields=["unit", "subtree", "year", "group"], name="talent_retirementcount_unique",
                                    violation_error_message=_("This unit already has a count for this year and "
                                                              "group.")),
            models.CheckConstraint(condition=Q(retiring__gt=0), name="talent_retirementcount_positive",
                                   violation_error_message=_("Only years with retirements are stored.")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.group or '-'}/{self.year}: {self.retiring}"
