"""Pages of assessment campaigns: campaigns and their progress, a person's assessments to answer and to validate,
the assessment form, the manager's validation and a person's results.

Who may see what is decided by the selectors and ``Assessment.objects.visible_to``: anybody else gets a 404 (the
page does not exist for them), GET or POST, full page or HTMX partial. Pages showing a person's assessment data are
never cached and every read of them is recorded (``AssessmentReadLog``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from clo.core import exports
from clo.core.catalan import of
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people import roles
from clo.people.access import learning_office_only
from evaluations import selectors, selectors_campaigns, services, tables
from evaluations.forms import AssessmentForm, CampaignForm, OpenCampaignForm, ValidationForm
from evaluations.models import Assessment, AssessmentCampaign, AssessmentReadLog

PENDING_PER_PAGE = 50


def _posted(request):
    """The submitted data of a POST (even an empty one, which must be validated too), None for a GET."""
    return request.POST if request.method == "POST" else None


def _record(request, *, employee_id: int, page: str, assessment_id: int | None = None) -> None:
    services.assessment_read_record(
        user=request.user, employee_id=employee_id, page=page, path=request.get_full_path(),
        assessment_id=assessment_id,
    )


# --- Campaigns ------------------------------------------------------------------------------------------------------


@require_safe
def campaign_list(request):
    scope = roles.scope_of(request.user)
    if not (scope.everything or scope.unit_paths):
        raise PermissionDenied
    campaigns = selectors.campaigns_visible_to(scope).order_by("-opens_on", "-pk")
    if (download := exports.export_response(request, lambda: tables.campaigns(campaigns))):
        return download
    page = Paginator(campaigns, 25).get_page(request.GET.get("page"))
    context = {"page": page, "can_create": scope.is_learning_office}
    return page_or_partial(request, "evaluations/campaign_list.html", "campaigns", context)


@learning_office_only
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    form = CampaignForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign has been created in draft. Open it when it is ready."))
            return redirect_after_post(request, reverse("evaluations:campaign_detail", args=[campaign.pk]))
    status = 422 if form.errors else 200
    return page_or_partial(request, "evaluations/campaign_form.html", "form", {"form": form}, status=status)


def _visible_campaign(scope: roles.Scope, pk: int) -> AssessmentCampaign:
    campaign = selectors.campaigns_visible_to(scope).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


@require_safe
def campaign_detail(request, pk: int):
    scope = roles.scope_of(request.user)
    campaign = _visible_campaign(scope, pk)
    paths = None if scope.everything else scope.unit_paths
    pending = selectors.pending_assessments(campaign, unit_paths=paths)
    progress = selectors.campaign_progress(campaign, unit_paths=paths)
    if (download := exports.export_response(request, {
        "": lambda: tables.campaign_pending(campaign, pending),
        "progress": lambda: tables.campaign_progress(campaign, progress),
    })):
        return download
    context = {
        "campaign": campaign, "progress": progress, "whole_campaign": paths is None,
        "page": Paginator(pending, PENDING_PER_PAGE).get_page(request.GET.get("page")),
        "can_open": scope.is_learning_office and campaign.status == AssessmentCampaign.Status.DRAFT,
        "can_manage": scope.is_learning_office, "scope": selectors_campaigns.campaign_scope(campaign),
    }
    return page_or_partial(request, "evaluations/campaign_detail.html", "pending", context)


@learning_office_only
@require_http_methods(["GET", "POST"])
def campaign_open(request, pk: int):
    """A confirmation page, then the opening: a POST without the tick opens nothing (it cannot be undone)."""
    scope = roles.scope_of(request.user)
    campaign = _visible_campaign(scope, pk)
    detail = reverse("evaluations:campaign_detail", args=[campaign.pk])
    if campaign.status != AssessmentCampaign.Status.DRAFT:
        messages.error(request, _("Only a campaign in draft can be opened."))
        return redirect_after_post(request, detail)
    form = OpenCampaignForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.campaign_open(campaign_id=campaign.pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, ngettext(
                "The campaign is open: %(count)d assessment created.",
                "The campaign is open: %(count)d assessments created.", created) % {"count": created})
        return redirect_after_post(request, detail)
    context = {"campaign": campaign, "form": form, "scope": selectors_campaigns.campaign_scope(campaign),
               "people": selectors_campaigns.campaign_people_count(campaign)}
    return page_or_partial(request, "evaluations/campaign_open.html", "form", context, status=422 if form.errors else 200)


# --- Assessments ----------------------------------------------------------------------------------------------------


@never_cache
@require_safe
def my_assessments(request):
    scope = roles.scope_of(request.user)
    me = scope.employee_id
    to_validate = selectors.assessments_to_validate(scope)
    if (download := exports.export_response(request, {
        "": lambda: tables.assessments_to_fill(selectors.assessments_to_fill(me) if me else []),
        "to-validate": lambda: tables.assessments_to_validate(to_validate),
        "given": lambda: tables.assessments_given(selectors.assessments_given(me, limit=None) if me else []),
    })):
        return download
    context = {
        "employee_id": me,
        "to_fill": selectors.assessments_to_fill(me) if me else [],
        "to_validate": Paginator(to_validate, 50).get_page(request.GET.get("page")),
        "given": selectors.assessments_given(me) if me else [],
        "peer_campaigns": selectors_campaigns.campaigns_to_pick_peers(scope),
    }
    return render(request, "evaluations/my_assessments.html", context)


def _visible_assessment(request, pk: int) -> Assessment:
    assessment = (
        Assessment.objects.visible_to(request.user).select_related("campaign", "employee__position", "assessor")
        .filter(pk=pk).first()
    )
    if assessment is None:
        raise Http404
    return assessment


@never_cache
@require_http_methods(["GET", "POST"])
def assessment_detail(request, pk: int):
    assessment = _visible_assessment(request, pk)
    scope = roles.scope_of(request.user)
    editable = assessment.assessor_id == scope.employee_id and assessment.status == Assessment.Status.DRAFT
    if request.method == "POST" and not editable:
        raise PermissionDenied
    if assessment.role != Assessment.Role.PEER:  # a peer reads only their own answer: no read of the person's data,
        # and a trace under the assessed person's name would tell who their peers are and when they answered
        _record(request, employee_id=assessment.employee_id, page=AssessmentReadLog.Page.ASSESSMENT, assessment_id=pk)
    rows = selectors.assessment_form_rows(assessment)
    submit = request.method == "POST" and "submit" in request.POST
    form = AssessmentForm(_posted(request), rows=rows, submit=submit) if editable else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            services.assessment_save(assessment_id=pk, answers=form.answers(), submit=submit)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Assessment submitted. Thank you.") if submit else _("Draft saved."))
            return redirect_after_post(request, reverse("evaluations:my_assessments" if submit else "evaluations:assessment_detail",
                                              args=[] if submit else [pk]))
    context = {"assessment": assessment, "rows": rows, "form": form,
               "can_validate": selectors.can_validate(scope, pk)}
    return page_or_partial(request, "evaluations/assessment.html", "form", context, status=422 if form and form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def assessment_validate(request, pk: int):
    assessment = _visible_assessment(request, pk)
    scope = roles.scope_of(request.user)
    if scope.employee_id is None or not selectors.can_validate(scope, pk):  # a validator is a person
        raise PermissionDenied
    _record(request, employee_id=assessment.employee_id, page=AssessmentReadLog.Page.VALIDATION, assessment_id=pk)
    form = ValidationForm(_posted(request), rows=selectors.assessment_form_rows(assessment))
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_validate(assessment_id=pk, validator_id=scope.employee_id, decisions=form.decisions())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Self-assessment %(of_name)s validated.") % {
                "of_name": of(assessment.employee)})
            return redirect_after_post(request, reverse("evaluations:my_assessments"))
    status = 422 if form.errors else 200
    return page_or_partial(request, "evaluations/validate.html", "form", {"assessment": assessment, "form": form}, status=status)


@never_cache
@require_safe
def employee_results(request, employee_id: int):
    employee = selectors.employee_readable(request.user, employee_id)
    if employee is None:
        raise Http404
    _record(request, employee_id=employee.pk, page=AssessmentReadLog.Page.RESULTS)  # a download is a read too
    blocks = selectors.employee_results(employee)
    if (download := exports.export_response(request, lambda: tables.employee_results(employee, blocks))):
        return download
    context = {"employee": employee, "latest": blocks[0] if blocks else None, "history": blocks[1:]}
    return render(request, "evaluations/results.html", context)
