"""Talent review campaigns: the list (and opening one), a review's rating page for directors, HR's calibration
session and the 9-box. Potential ratings are read only by the people who rate or calibrate them, never by the
person rated; every page that shows them writes a read-log entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.translation import gettext as _

from clo.core.audit import record_read
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.models import PersonalDataRead
from clo.people.roles import DIRECTOR, scope_of
from clo.talent.forms.reviews import CalibrationForm, PotentialForm, ReviewOpenForm, ReviewStatusForm
from clo.talent.selectors import reviews as sel
from clo.talent.services import reviews as services


def _reviewer_or_404(request):
    scope = scope_of(request.user)
    if not (scope.everything or DIRECTOR in scope.roles):
        raise Http404
    return scope


def _review_or_404(request, review_id: int):
    _reviewer_or_404(request)
    review = sel.review_for(request.user, review_id)
    if review is None:
        raise Http404
    return review


def review_list(request):
    scope = _reviewer_or_404(request)
    form = None
    if scope.is_learning_office:
        form = ReviewOpenForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            review = services.talent_review_open(by=request.user, **form.cleaned_data)
            return redirect_after_post(request, reverse("talent:review_detail", args=[review.pk]))
    elif request.method == "POST":
        raise Http404
    if request.method not in ("GET", "HEAD", "POST"):
        return HttpResponseNotAllowed(["GET", "POST"])
    context = {"reviews": sel.reviews_visible_to(request.user)[:100], "form": form}
    return page_or_partial(request, "talent/reviews/list.html", "open-form", context,
                           status=422 if request.method == "POST" else 200)


def _detail_context(request, review, *, form=None, form_for=None) -> dict:
    people = list(sel.people_to_rate(review, request.user)[:500])
    ratings = {r.employee_id: r for r in sel.ratings_of(review, request.user)}
    record_read(request, PersonalDataRead.What.POTENTIAL, subjects=list(ratings))
    rows = [(person, ratings.get(person.pk), form if form_for == person.pk else PotentialForm(
        initial={"potential": getattr(ratings.get(person.pk), "potential", None)}, prefix=f"p{person.pk}"))
        for person in people]
    return {"review": review, "rows": rows, "definitions": sel.definitions(), "can_calibrate":
            sel.may_calibrate(request.user), "status_form": ReviewStatusForm()
            if scope_of(request.user).is_learning_office else None}


def review_detail(request, review_id: int):
    review = _review_or_404(request, review_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return page_or_partial(request, "talent/reviews/detail.html", "people", _detail_context(request, review))


def potential_rate(request, review_id: int, employee_id: int):
    review = _review_or_404(request, review_id)
    employee = sel.people_to_rate(review, request.user).filter(pk=employee_id).first()
    if employee is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = PotentialForm(request.POST, prefix=f"p{employee.pk}")
    if form.is_valid():
        try:
            services.potential_rate(review=review, employee=employee, by=request.user, **form.cleaned_data)
            messages.success(request, _("The rating was saved."))
            return redirect_after_post(request, reverse("talent:review_detail", args=[review.pk]))
        except ValidationError as error:
            apply_errors(form, error)
    return page_or_partial(request, "talent/reviews/detail.html", "people",
                           _detail_context(request, review, form=form, form_for=employee.pk), status=422)


def review_status(request, review_id: int):
    review = _review_or_404(request, review_id)
    if not scope_of(request.user).is_learning_office:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ReviewStatusForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("A review goes from open to calibration, then to closed."))
        services.talent_review_set_status(review=review, status=form.cleaned_data["status"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_after_post(request, reverse("talent:review_detail", args=[review.pk]))


def _calibration_context(request, review, *, form=None, form_for=None) -> dict:
    ratings = list(sel.ratings_of(review, request.user))
    record_read(request, PersonalDataRead.What.POTENTIAL, subjects=[r.employee_id for r in ratings])
    rows = [(r, form if form_for == r.pk else CalibrationForm(prefix=f"c{r.pk}", initial={
        "potential": r.calibrated_potential or r.potential, "performance": r.calibrated_performance or r.performance}))
        for r in ratings]
    return {"review": review, "rows": rows}


def calibration(request, review_id: int):
    review = _review_or_404(request, review_id)
    if not sel.may_calibrate(request.user):
        raise Http404
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    return page_or_partial(request, "talent/reviews/calibration.html", "ratings", _calibration_context(request, review))


def calibrate(request, review_id: int, rating_id: int):
    review = _review_or_404(request, review_id)
    rating = sel.ratings_of(review, request.user).filter(pk=rating_id).first() if sel.may_calibrate(
        request.user) else None
    if rating is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CalibrationForm(request.POST, prefix=f"c{rating.pk}")
    if form.is_valid():
        try:
            services.potential_calibrate(rating=rating, by=request.user, **form.cleaned_data)
            return redirect_after_post(request, reverse("talent:review_calibration", args=[review.pk]))
        except ValidationError as error:
            apply_errors(form, error)
    return page_or_partial(request, "talent/reviews/calibration.html", "ratings",
                           _calibration_context(request, review, form=form, form_for=rating.pk), status=422)


def nine_box(request, review_id: int):
    review = _review_or_404(request, review_id)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET"])
    ratings = list(sel.ratings_of(review, request.user))
    record_read(request, PersonalDataRead.What.POTENTIAL, subjects=[r.employee_id for r in ratings])
    return page_or_partial(request, "talent/reviews/nine_box.html", "box",
                           {"review": review, "box": sel.nine_box(ratings)})
