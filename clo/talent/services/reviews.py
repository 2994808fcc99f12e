"""Writes of talent reviews: open a review, rate a person's potential (performance read from evidence at that
moment, never typed), move the review to calibration and close it, calibrate a rating."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.people.models import Employee, OrgUnit
from clo.talent.models import PotentialRating, TalentReview
from clo.talent.models.reviews import Band
from clo.talent.selectors.reviews import performance_band, performance_from_evidence


@transaction.atomic
def talent_review_open(*, name: str, unit: OrgUnit, by) -> TalentReview:
    review = TalentReview(name=name.strip(), unit=unit, opened_by=by)
    review.full_clean()
    review.save()
    return review


@transaction.atomic
def talent_review_set_status(*, review: TalentReview, status: str) -> TalentReview:
    order = [TalentReview.Status.OPEN, TalentReview.Status.CALIBRATING, TalentReview.Status.CLOSED]
    if status not in order or order.index(status) != order.index(review.status) + 1:
        raise ValidationError(_("A review goes from open to calibration, then to closed."))
    review.status = status
    review.save(update_fields=["status"])
    return review


@transaction.atomic
def potential_rate(*, review: TalentReview, employee: Employee, potential: str, comment: str = "",
                   by) -> PotentialRating:
    """The director's raw potential for ``employee`` (a new rating or a change while the review is open), with the
    performance band read from the evidence now."""
    if review.status != TalentReview.Status.OPEN:
        raise ValidationError(_("This review no longer takes ratings."))
    if potential not in Band.values:
        raise ValidationError({"potential": _("Choose one of the potential levels.")})
    percent = performance_from_evidence([employee.pk])[employee.pk]
    rating = PotentialRating.objects.select_for_update().filter(review=review, employee=employee).first()
    rating = rating or PotentialRating(review=review, employee=employee)
    rating.potential, rating.comment, rating.rated_by, rating.rated_at = potential, comment, by, timezone.now()
    rating.performance = performance_band(percent)
    rating.performance_percent_met = None if percent is None else Decimal(str(round(percent, 1)))
    rating.full_clean()
    rating.save()
    return rating


@transaction.atomic
def potential_calibrate(*, rating: PotentialRating, potential: str, performance: str, by) -> PotentialRating:
    """HR's calibrated values, kept beside the raw ones (which stay as rated)."""
    if rating.review.status != TalentReview.Status.CALIBRATING:
        raise ValidationError(_("Ratings are calibrated while the review is in calibration."))
    errors = {}
    if potential not in Band.values:
        errors["potential"] = _("Choose one of the potential levels.")
    if performance not in Band.values:
        errors["performance"] = _("Choose one of the performance levels.")
    if errors:
        raise ValidationError(errors)
    rating.calibrated_potential, rating.calibrated_performance = potential, performance
    rating.calibrated_by, rating.calibrated_at = by, timezone.now()
    rating.full_clean()
    rating.save(update_fields=["calibrated_potential", "calibrated_performance", "calibrated_by", "calibrated_at"])
    return rating
