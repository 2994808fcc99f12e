"""Derived figures: level-4 results of each program and the training roll-up of the units."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models.catalogue import Program


class ProgramResultSnapshot(models.Model):
    """Level 4 (results) of one program, computed after a full gap run (``programs.services.results``): the mean
    change in the targeted competencies' gaps of its completers and of the comparison group (holders of the same
    positions who never attended). Stored so the CLO's dashboard reads it in one query; derived data, recomputed
    after every full run."""

    program = models.ForeignKey(
        Program, on_delete=models.CASCADE, related_name="result_snapshots", verbose_name=_("program")
    )
    run = models.ForeignKey(
        "evaluations.GapRun", on_delete=models.CASCADE, related_name="+", verbose_name=_("gap analysis run")
    )
    completers = models.PositiveIntegerField(_("completers"), default=0)
    comparison = models.PositiveIntegerField(_("comparison group size"), default=0)
    completers_change = models.DecimalField(
        _("mean gap change of the completers"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    comparison_change = models.DecimalField(
        _("mean gap change of the comparison group"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    difference = models.DecimalField(
        _("difference"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Completers' change minus the comparison group's: negative when the program closed more of the "
                    "gap than no program did."),
    )
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("program result snapshot")
        verbose_name_plural = _("program result snapshots")
        ordering = ["run", "difference", "program"]
        constraints = [
            # Also the index of the dashboard's query "snapshots of the latest run that has any".
            models.UniqueConstraint(
                fields=["run", "program"], name="programs_resultsnapshot_once_per_run",
                violation_error_message=_("This program already has results for this gap analysis run."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.program_id} · run {self.run_id} · {self.difference}"


class UnitTraining(models.Model):
    """Training figures of one year (sessions starting in it, local time) for the people of one position group in a
    unit (``subtree`` false) or in its whole subtree (true), kept by ``services.training_rollup`` so the dashboards
    add up a few rows instead of scanning the year's enrolments. ``hours``, ``completed`` and ``closed`` count
    active employees (by their current unit and position); ``seat_cost`` counts every seat paid (per-seat programs,
    attended or completed), whoever held it."""

    unit = models.ForeignKey("people.OrgUnit", on_delete=models.CASCADE, related_name="+", verbose_name=_("unit"))
    subtree = models.BooleanField(_("whole subtree"))
    year = models.PositiveSmallIntegerField(_("year"))
    position_group = models.CharField(_("civil-service group"), max_length=2)
    hours = models.DecimalField(_("hours attended"), max_digits=12, decimal_places=1, default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    closed = models.PositiveIntegerField(_("closed"), default=0)
    seat_cost = models.DecimalField(_("cost of the seats (€)"), max_digits=14, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("training figures of a unit")
        verbose_name_plural = _("training figures of units")
        constraints = [
            # also the index of the dashboards' read (unit, subtree, year[, group]).
            models.UniqueConstraint(fields=["unit", "subtree", "year", "position_group"],
                                    name="programs_unittraining_one_per_year",
                                    violation_error_message=_("These figures already exist.")),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} · {self.year} · {self.position_group} · {'subtree' if self.subtree else 'own'}"
