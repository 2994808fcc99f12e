"""The expertise directory: who chooses to appear, as what, and the record of their consent (issue: team learning).

The directory shows a person only while their listing says so; it is built from validated levels (never a
self-rating alone), and it shows nothing about anyone else, not even how many."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ExpertiseListing(models.Model):
    """A person's choice to appear in the expertise directory, and what they share there."""

    employee = models.OneToOneField("people.Employee", on_delete=models.CASCADE, related_name="expertise_listing",
                                    verbose_name=_("employee"))
    listed = models.BooleanField(_("appears in the directory"), default=False)
    as_mentor = models.BooleanField(_("available as a mentor"), default=False)
    as_trainer = models.BooleanField(_("available as an internal trainer"), default=False)
    as_adviser = models.BooleanField(_("available to advise colleagues"), default=False)
    note = models.CharField(_("what I can help with"), max_length=300, blank=True)
    hidden_competencies = models.ManyToManyField(
        "competencies.Competency", blank=True, related_name="+", verbose_name=_("competencies not shown"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("expertise listing")
        verbose_name_plural = _("expertise listings")
        constraints = [
            models.CheckConstraint(
                condition=Q(listed=False) | Q(as_mentor=True) | Q(as_trainer=True) | Q(as_adviser=True),
                name="talent_expertiselisting_listed_available",
                violation_error_message=_("To appear in the directory, say how colleagues can count on you: as a "
                                          "mentor, a trainer or an adviser."),
            ),
        ]
        indexes = [
            # The directory's search: the listed people only, a small share of the staff.
            models.Index(fields=["employee"], condition=Q(listed=True), name="talent_expertise_listed"),
        ]

    def __str__(self) -> str:
        return str(self.employee)


class ExpertiseConsent(models.Model):
    """Each time a person joins or leaves the directory: the record of their consent."""

    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("employee"))
    given = models.BooleanField(_("consent given"))
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("expertise directory consent")
        verbose_name_plural = _("expertise directory consents")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["employee", "-at"], name="talent_expertiseconsent_person")]

    def __str__(self) -> str:
        return f"{self.employee} {'+' if self.given else '-'} {self.at:%Y-%m-%d}"
