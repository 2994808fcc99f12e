"""Talent review campaigns, in the shape of gc-digital-talent's nomination event → nomination → decision: the
learning office opens a review for a unit subtree; directors rate the potential of their people on written level
definitions; performance is read from evidence when the rating is made (never typed in); HR calibrates both in a
session, and the 9-box reads only the calibrated values. Raw and calibrated values are kept in separate columns.

Potential ratings are personal data with a purpose (succession): the person never sees them, each read is logged
(``clo.core.audit.record_read``), and they are deleted past their retention period (``clo.core.retention``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _, pgettext_lazy


class Band(models.TextChoices):
    """The three bands of each axis of the 9-box."""

    LOW = "low", _("Low")
    MODERATE = "moderate", _("Moderate")
    HIGH = "high", _("High")


# The written definitions directors rate potential on.
POTENTIAL_DEFINITIONS = {
    Band.LOW: _("Performs well in the current role; no sign yet of wanting or being ready for a broader one within "
                "three years."),
    Band.MODERATE: _("Could take on a broader role or one more level of responsibility within two or three years, "
                     "with development."),
    Band.HIGH: _("Already takes on work beyond the role; could hold a critical or management position within one "
                 "or two years."),
}


class TalentReview(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open for ratings")
        CALIBRATING = "calibrating", _("In calibration")
        CLOSED = "closed", pgettext_lazy("review status", "Closed")

    name = models.CharField(_("name"), max_length=200)
    unit = models.ForeignKey("people.OrgUnit", on_delete=models.PROTECT, related_name="talent_reviews",
                             verbose_name=_("scope (unit and everything under it)"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("opened by"))
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("talent review")
        verbose_name_plural = _("talent reviews")
        ordering = ["-opened_at", "-pk"]

    def __str__(self) -> str:
        return self.name


class PotentialRatingQuerySet(models.QuerySet["PotentialRating"]):
    def shown(self) -> "PotentialRatingQuerySet":
        """Not past retention (a blocked rating is hidden from every page)."""
        return self.filter(blocked_at__isnull=True)


class PotentialRating(models.Model):
    """One person in one review: the director's raw potential, the performance band read from evidence at rating
    time, and HR's calibrated values (empty until the calibration session)."""

    review = models.ForeignKey(TalentReview, on_delete=models.CASCADE, related_name="ratings",
                               verbose_name=_("talent review"))
    employee = models.ForeignKey("people.Employee", on_delete=models.CASCADE, related_name="potential_ratings",
                                 verbose_name=_("person"))
    potential = models.CharField(_("potential (as rated)"), max_length=8, choices=Band.choices)
    performance = models.CharField(_("performance (from evidence)"), max_length=8, choices=Band.choices,
                                   blank=True)
    performance_percent_met = models.DecimalField(_("requirements met (%)"), max_digits=5, decimal_places=1,
                                                  null=True, blank=True)
    comment = models.TextField(_("reason"), blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name=_("rated by"))
    rated_at = models.DateTimeField(_("rated at"), default=timezone.now)
    calibrated_potential = models.CharField(_("potential (calibrated)"), max_length=8, choices=Band.choices,
                                            blank=True)
    calibrated_performance = models.CharField(_("performance (calibrated)"), max_length=8, choices=Band.choices,
                                              blank=True)
    calibrated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("calibrated by"))
    calibrated_at = models.DateTimeField(_("calibrated at"), null=True, blank=True)
    blocked_at = models.DateTimeField(
        _("blocked at"), null=True, blank=True, editable=False,
        help_text=_("Past its retention period: hidden from everyone but data protection until it is deleted."),
    )

    objects = PotentialRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("potential rating")
        verbose_name_plural = _("potential ratings")
        ordering = ["review", "employee"]
        constraints = [
            models.UniqueConstraint(
                fields=["review", "employee"], name="talent_potentialrating_once",
                violation_error_message=_("This person already has a rating in this review."),
            ),
            models.CheckConstraint(
                condition=(Q(calibrated_potential="") & Q(calibrated_performance=""))
                | (~Q(calibrated_potential="") & ~Q(calibrated_performance="")),
                name="talent_potentialrating_calibrated_both",
                violation_error_message=_("Calibration sets both potential and performance."),
            ),
        ]
        indexes = [
            # retention: the ratings past their period, by age.
            models.Index(fields=["rated_at"], name="talent_potrating_rated_at"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.employee}"
