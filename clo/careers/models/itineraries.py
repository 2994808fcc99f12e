"""Careers: itineraries. The learning office's ordered paths of programs that lead to a position family's
requirements, each step with the steps it needs first; and who follows which."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["Itinerary", "ItineraryEnrolment", "ItineraryStep"]


class Itinerary(models.Model):
    """An ordered path of programs toward the requirements of a position family (``Position.job_family``)."""

    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    job_family = models.CharField(_("job family it leads to"), max_length=100,
                                  help_text=_("The position family whose requirements the itinerary develops."))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("itinerary")
        verbose_name_plural = _("itineraries")
        ordering = ["job_family", "title"]

    def __str__(self) -> str:
        return self.title


class ItineraryStep(models.Model):
    """One program of an itinerary, in order; ``prerequisites`` are the earlier steps it needs completed first."""

    itinerary = models.ForeignKey(Itinerary, on_delete=models.CASCADE, related_name="steps",
                                  verbose_name=_("itinerary"))
    order = models.PositiveSmallIntegerField(_("order"))
    program = models.ForeignKey("programs.Program", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("program"))
    prerequisites = models.ManyToManyField("self", symmetrical=False, blank=True, related_name="+",
                                           verbose_name=_("needs first"))

    class Meta:
        verbose_name = _("itinerary step")
        verbose_name_plural = _("itinerary steps")
        ordering = ["itinerary", "order"]
        constraints = [
            models.UniqueConstraint(fields=["itinerary", "order"], name="careers_itinerarystep_order_unique",
                                    violation_error_message=_("This itinerary already has a step in this place.")),
            models.UniqueConstraint(fields=["itinerary", "program"], name="careers_itinerarystep_program_unique",
                                    violation_error_message=_("This program is already a step of the itinerary.")),
        ]

    def __str__(self) -> str:
        return f"{self.itinerary} · {self.order}"


class ItineraryEnrolment(models.Model):
    """A person follows an itinerary; ``completed_on`` once every step's program is completed."""

    itinerary = models.ForeignKey(Itinerary, on_delete=models.PROTECT, related_name="enrolments",
                                  verbose_name=_("itinerary"))
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="itinerary_enrolments",
                                 verbose_name=_("employee"))
    enrolled_at = models.DateTimeField(_("enrolled at"), default=timezone.now)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("itinerary enrolment")
        verbose_name_plural = _("itinerary enrolments")
        ordering = ["-enrolled_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["itinerary", "employee"], name="careers_itineraryenrolment_once",
                                    violation_error_message=_("This person already follows this itinerary.")),
        ]
        indexes = [
            # the badge sweep: the enrolments still open.
            models.Index(fields=["itinerary"], condition=Q(completed_on__isnull=True),
                         name="careers_itinerary_open"),
            models.Index(fields=["employee"], name="careers_itinerary_person"),
        ]

    def __str__(self) -> str:
        return f"{self.employee} · {self.itinerary}"
