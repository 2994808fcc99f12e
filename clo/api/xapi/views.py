"""The learning office's learning-records pages: which LMS activity is which program, and the review list of the
statements clo could not take by itself (anyone else: 404, whatever the method)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clo.api.xapi import selectors, services
from clo.api.xapi.forms import ActivityForm, MatchForm
from clo.api.xapi.models import XapiActivity, XapiStatement
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.people.access import learning_office_only

TEMPLATE = "api/xapi/records.html"


def _page(request, partial: str, *, form=None, status: int = 200, errors: dict | None = None):
    return page_or_partial(request, TEMPLATE, partial, {
        "form": form or ActivityForm(), "activities": selectors.activities_for_page(),
        "review": selectors.review_list(), "pending": selectors.review_count(), "cursor": selectors.last_pull(),
        "errors": errors or {}}, status=status)


def _reviewed(request, message: str):
    """After a review decision: the review list again (only it, for htmx), or a redirect to the page."""
    if wants_partial(request):
        return _page(request, "review")
    messages.success(request, message)
    return redirect_after_post(request, reverse("api:xapi_records"))


@learning_office_only
@require_GET
def records(request):
    return _page(request, "review")


@learning_office_only
@require_POST
def activity_add(request):
    form = ActivityForm(request.POST)
    if form.is_valid():
        try:
            services.activity_map(**form.cleaned_data)
            messages.success(request, _("The activity is mapped to its program."))
            return redirect_after_post(request, reverse("api:xapi_records"))
        except ValidationError as error:
            apply_errors(form, error)
    return _page(request, "activities", form=form, status=422)


@learning_office_only
@require_POST
def activity_remove(request, activity_id: int):
    try:
        services.activity_unmap(activity=get_object_or_404(XapiActivity, pk=activity_id))
        messages.success(request, _("The mapping is removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_after_post(request, reverse("api:xapi_records"))


@learning_office_only
@require_POST
def statement_match(request, statement_id: int):
    statement = get_object_or_404(XapiStatement, pk=statement_id)
    form = MatchForm(request.POST)
    if form.is_valid():
        try:
            services.statement_match(statement=statement, employee=form.cleaned_data["employee"], by=request.user)
            return _reviewed(request, _("The learning record completed the enrolment."))
        except ValidationError as error:
            apply_errors(form, error)
    return _page(request, "review", status=422, errors={statement.pk: form.errors})


@learning_office_only
@require_POST
def statement_dismiss(request, statement_id: int):
    statement = get_object_or_404(XapiStatement, pk=statement_id)
    try:
        services.statement_dismiss(statement=statement, by=request.user)
    except ValidationError as error:
        return _page(request, "review", status=422, errors={statement.pk: {"__all__": error.messages}})
    return _reviewed(request, _("The learning record is dismissed."))
