"""Pages of the needs-detection campaign: a director's needs (list, form, submission), the learning office's
triage (more information, reject, accept, merge) and the campaigns.

Access: a need is found through ``TrainingNeed.objects.visible_to(user)``, so a director of another unit gets 404
for every URL of it; the triage and campaign pages answer 404 to anyone but the learning office.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core import downloads, exports, uploads
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people.access import learning_office_only
from clo.people.roles import DIRECTOR, scope_of
from programs.selectors import catalogue as selectors_catalogue
from programs.selectors import needs as selectors
from programs import tables
from programs.forms.needs import (
    AcceptForm,
    CampaignForm,
    MergeForm,
    MoreInfoForm,
    NeedFilterForm,
    NeedForm,
    NeedPrefillForm,
    ReasonForm,
    TriageFilterForm,
)
from programs.models import NeedsCampaign, TrainingNeed
from programs.services import needs as services
from programs.services import annual_plan as plan_services

PAGE_SIZE = 25


# --- access (shared with the plan views) ---------------------------------------------------------------------
def can_write_needs(user) -> bool:
    scope = scope_of(user)
    return scope.employee_id is not None and (scope.has(DIRECTOR) or scope.is_learning_office)


def refuse_method(request, method: str):
    """405 for a method the view does not take; checked after access, so an outsider gets 404 whatever the
    method."""
    allowed = ["GET", "HEAD"] if method == "GET" else [method]
    return None if request.method in allowed else HttpResponseNotAllowed(allowed)


def _need_or_404(request, pk: int) -> TrainingNeed:
    need = selectors.need_for_page(request.user, pk)
    if need is None:
        raise Http404
    return need


def _editable(request, need: TrainingNeed) -> bool:
    """A draft (or a need sent back) is changed by whoever wrote it or a director above its unit."""
    scope = scope_of(request.user)
    if need.status not in services.EDITABLE or scope.employee_id is None:
        return False
    return need.submitted_by_id == scope.employee_id or any(need.unit.path.startswith(p) for p in scope.unit_paths)


# --- a director's needs ---------------------------------------------------------------------------------------
def need_list(request):
    scope = scope_of(request.user)
    if not (scope.everything or scope.has(DIRECTOR)):
        raise PermissionDenied
    if (refusal := refuse_method(request, "GET")):
        return refusal
    form = NeedFilterForm(request.GET)
    filters = {"status": form.value("status", ""), "q": form.value("q", "")}
    needs = selectors.needs_list(request.user, **filters)
    if (download := exports.export_response(request, lambda: tables.needs(needs))):
        return download
    page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "filters": filters, "statuses": TrainingNeed.Status.choices,
               "campaign": selectors.open_campaign(today=timezone.localdate()),
               "can_create": can_write_needs(request.user), "is_office": scope_of(request.user).is_learning_office}
    return page_or_partial(request, "programs/needs/list.html", "results", context)


def _need_form_response(request, form, need=None, status=200):
    context = {"form": form, "need": need, "campaign": selectors.open_campaign(today=timezone.localdate())}
    return page_or_partial(request, "programs/needs/form.html", "form", context, status=status)


def _save_need(request, form, need):
    """Save the form through the services; submit too when asked. Returns the need, or None with form errors."""
    data = form.cleaned_data
    fields = {k: data.get(k) for k in services.NEED_FIELDS}
    targets = {"competencies": data["competencies"], "positions": data["target_positions"],
               "employees": data["target_employees"], "attachment": data.get("attachment") or None}
    try:
        if need is None:
            campaign = selectors.open_campaign(today=timezone.localdate())
            if campaign is None:
                raise ValidationError(_("No needs-detection campaign is open: needs cannot be drafted now."))
            need = services.need_create(actor=request.user, submitted_by_id=scope_of(request.user).employee_id,
                                        year=campaign.year, fields=fields, **targets)
        else:
            need = services.need_update(need=need, actor=request.user, fields=fields,
                                        remove_attachment=data.get("remove_attachment", False), **targets)
        if "_submit" in request.POST:
            need = services.need_submit(need=need, actor=request.user, today=timezone.localdate())
    except ValidationError as error:
        apply_errors(form, error)
        return None
    return need


def _need_form_view(request, need=None):
    if request.method != "POST":
        initial = NeedPrefillForm(request.GET).initial_need() if need is None else None
        return _need_form_response(request, NeedForm(instance=need, user=request.user, initial=initial), need)
    form = NeedForm(request.POST, request.FILES, instance=need, user=request.user,
                    for_submission="_submit" in request.POST)
    if "_search" in request.POST:  # a search within the form's lists: show it again as typed
        form.hide_errors()
        return _need_form_response(request, form, need)
    saved = _save_need(request, form, need) if form.is_valid() else None
    if saved is None:
        return _need_form_response(request, form, need, status=422)
    submitted = saved.status == TrainingNeed.Status.SUBMITTED
    messages.success(request, _("Need submitted to the learning office.") if submitted else _("Draft saved."))
    return redirect_after_post(request, reverse("programs:need_detail", args=[saved.pk]))


def need_create(request):
    if not can_write_needs(request.user):
        raise PermissionDenied
    return _need_form_view(request)


def need_edit(request, pk: int):
    need = _need_or_404(request, pk)
    if not _editable(request, need):
        raise Http404
    return _need_form_view(request, need)


def need_detail(request, pk: int):
    need = _need_or_404(request, pk)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    if (download := exports.export_response(request, lambda: tables.need_history(need))):
        return download
    office = scope_of(request.user).is_learning_office and need.status in TrainingNeed.TRIAGEABLE
    context = {"need": need, "editable": _editable(request, need), "triage": office,
               "reject_form": ReasonForm(prefix="reject"), "info_form": MoreInfoForm(prefix="info")}
    return render(request, "programs/needs/detail.html", context)


def need_submit(request, pk: int):
    need = _need_or_404(request, pk)
    if not _editable(request, need):
        raise Http404
    if (refusal := refuse_method(request, "POST")):
        return refusal
    try:
        services.need_submit(need=need, actor=request.user, today=timezone.localdate())
        messages.success(request, _("Need submitted to the learning office."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect_after_post(request, reverse("programs:need_detail", args=[pk]))


def need_attachment(request, pk: int):
    need = _need_or_404(request, pk)
    if not need.attachment:
        raise Http404
    if (refusal := refuse_method(request, "GET")):
        return refusal
    return downloads.private_file(need.attachment, filename=uploads.display_name(need.attachment.name))


# --- triage by the learning office -----------------------------------------------------------------------------
def _decision(request, pk: int, form_class, service, partial: str, done: str):
    need = _need_or_404(request, pk)
    if (refusal := refuse_method(request, "POST")):
        return refusal
    form = form_class(request.POST, prefix=partial)
    if form.is_valid():
        try:
            service(need=need, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, done)
            return redirect_after_post(request, reverse("programs:need_detail", args=[pk]))
        except ValidationError as error:
            apply_errors(form, error)
    context = {"need": need, "triage": True, "editable": False, "reject_form": ReasonForm(prefix="reject"),
               "info_form": MoreInfoForm(prefix="info"), f"{partial}_form": form}
    return page_or_partial(request, "programs/needs/detail.html", partial, context, status=422)


@learning_office_only
def need_reject(request, pk: int):
    return _decision(request, pk, ReasonForm, services.need_reject, "reject", _("Need rejected; the director can "
                                                                                  "read the reason."))


@learning_office_only
def need_request_info(request, pk: int):
    return _decision(request, pk, MoreInfoForm, services.need_request_info, "info",
                     _("Need sent back to the director for more information."))


@learning_office_only
def need_accept(request, pk: int):
    need = get_object_or_404(TrainingNeed.objects.select_related("unit"), pk=pk)
    if need.status not in TrainingNeed.TRIAGEABLE:
        raise Http404
    form = AcceptForm(request.POST or None, need=need)
    if request.method == "POST" and form.is_valid():
        try:
            action = plan_services.need_accept(need=need, actor=request.user, **form.service_arguments())
            messages.success(request, _("Need accepted into the plan, action “%(action)s”.") % {"action": action})
            return redirect_after_post(request, reverse("programs:need_detail", args=[pk]))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "programs/needs/accept.html", "form", {"need": need, "form": form}, status=status)


@learning_office_only
def triage(request):
    if (refusal := refuse_method(request, "GET")):
        return refusal
    year = TriageFilterForm(request.GET).value("year")
    queue = selectors.triage_queue(year=year)
    if (download := exports.export_response(request, lambda: tables.triage(queue))):
        return download
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_or_partial(request, "programs/needs/triage.html", "queue",
                           {"page": page, "year_param": str(year or ""), "merge_form": None,
                            "demand": selectors_catalogue.interest_demand})  # called by the full page only


@learning_office_only
def needs_merge(request):
    if (refusal := refuse_method(request, "POST")):
        return refusal
    form = MergeForm(request.POST, queue=selectors.triage_queue())
    if form.is_valid():
        try:
            target = services.needs_merge(target=form.cleaned_data["target"], others=form.cleaned_data["needs"],
                                          actor=request.user)
            messages.success(request, _("Needs merged into “%(title)s”.") % {"title": target.title})
            return redirect_after_post(request, reverse("programs:need_detail", args=[target.pk]))
        except ValidationError as error:
            apply_errors(form, error)
    page = Paginator(selectors.triage_queue(), PAGE_SIZE).get_page(request.POST.get("page"))
    context = {"page": page, "year_param": "", "merge_form": form, "ticked": request.POST.getlist("needs"),
               "target_value": request.POST.get("target", ""), "demand": selectors_catalogue.interest_demand}
    return page_or_partial(request, "programs/needs/triage.html", "queue", context, status=422)


# --- campaigns ------------------------------------------------------------------------------------------------
@learning_office_only
def campaign_list(request):
    if (download := exports.export_response(
            request, lambda: tables.campaigns(selectors.campaigns_with_counts()))):
        return download
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_open(actor=request.user, **form.cleaned_data)
            messages.success(request, _("Campaign %(year)s opened.") % {"year": campaign.year})
            return redirect_after_post(request, reverse("programs:campaign_list"))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if request.method == "POST" else 200
    context = {"campaigns": selectors.campaigns_with_counts(), "form": form}
    return page_or_partial(request, "programs/needs/campaigns.html", "form", context, status=status)


@learning_office_only
def campaign_close(request, pk: int):
    campaign = get_object_or_404(NeedsCampaign, pk=pk, status=NeedsCampaign.Status.OPEN)
    if (refusal := refuse_method(request, "POST")):
        return refusal
    services.campaign_close(campaign=campaign)
    messages.success(request, _("Campaign %(year)s closed.") % {"year": campaign.year})
    return redirect_after_post(request, reverse("programs:campaign_list"))
