"""Pages of running an assessment campaign: change it, close it, its progress per unit, and the choice of each
person's peers in a 360° campaign.

Who may do what is checked before anything else, whatever the method: anybody else gets a 404 (the page does not
exist for them), GET or POST, full page or HTMX partial; a wrong method for an allowed person gets a 405.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from clo.core import exports
from clo.core.catalan import of
from clo.core.forms import SearchForm, valid_ids
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.people import roles
from evaluations import selectors_campaigns as selectors
from evaluations import tables
from evaluations import services_campaigns as services
from evaluations.forms import CampaignEditForm, PeersForm
from evaluations.models import AssessmentCampaign
from evaluations.selectors import DONE, campaigns_visible_to
from evaluations.services import PEERS_PER_PERSON
from evaluations.views import _posted

UNITS_PER_PAGE = 50
PEOPLE_PER_PAGE = 50


def _campaign(request, pk: int, *, office_only: bool = False, methods=("GET", "HEAD")):
    """The campaign if the user may see it (and is the learning office, when ``office_only``); Http404 otherwise.
    Returns (scope, campaign, 405 response or None)."""
    scope = roles.scope_of(request.user)
    if office_only and not scope.is_learning_office:
        raise Http404
    campaign = campaigns_visible_to(scope).filter(pk=pk).first() if scope.everything or scope.unit_paths else None
    if campaign is None:
        raise Http404
    refused = None if request.method in methods else HttpResponseNotAllowed(methods)
    return scope, campaign, refused


def _detail(campaign: AssessmentCampaign) -> str:
    return reverse("evaluations:campaign_detail", args=[campaign.pk])


def campaign_edit(request, pk: int):
    scope, campaign, refused = _campaign(request, pk, office_only=True, methods=("GET", "HEAD", "POST"))
    if refused:
        return refused
    if campaign.status == AssessmentCampaign.Status.CLOSED:
        messages.error(request, _("A closed campaign can no longer be changed."))
        return redirect_after_post(request, _detail(campaign))
    form = CampaignEditForm(_posted(request), instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(campaign_id=campaign.pk, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The campaign has been changed."))
            return redirect_after_post(request, _detail(campaign))
    context = {"form": form, "campaign": campaign}
    return page_or_partial(request, "evaluations/campaign_edit.html", "form", context, status=422 if form.errors else 200)


def campaign_close(request, pk: int):
    scope, campaign, refused = _campaign(request, pk, office_only=True, methods=("POST",))
    if refused:
        return refused
    try:
        unanswered = services.campaign_close(campaign_id=campaign.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, ngettext(
            "The campaign is closed: it accepts no more answers. %(count)d assessment was left unanswered and is "
            "marked as not submitted.",
            "The campaign is closed: it accepts no more answers. %(count)d assessments were left unanswered and are "
            "marked as not submitted.", unanswered) % {"count": unanswered})
    return redirect_after_post(request, _detail(campaign))


def campaign_units(request, pk: int):
    scope, campaign, refused = _campaign(request, pk)
    if refused:
        return refused
    paths = None if scope.everything else scope.unit_paths
    progress = selectors.campaign_progress_by_unit(campaign, unit_paths=paths)
    if (download := exports.export_response(request, lambda: tables.campaign_units(campaign, progress))):
        return download
    rows = Paginator(progress, UNITS_PER_PAGE)
    context = {"campaign": campaign, "page": rows.get_page(request.GET.get("page")), "whole_campaign": paths is None}
    return page_or_partial(request, "evaluations/campaign_units.html", "units", context)


def _peer_campaign(request, pk: int, methods=("GET", "HEAD")):
    """A 360° campaign (in draft too: peers can be chosen before it opens) where the user may choose somebody's
    peers: the learning office and HR see every one; a manager or head of unit, those with their people in scope."""
    scope = roles.scope_of(request.user)
    campaign = AssessmentCampaign.objects.filter(pk=pk, kind=AssessmentCampaign.Kind.FULL_360).first()
    if campaign is None or not (scope.everything or selectors.peer_pickable_people(campaign, scope).exists()):
        raise Http404
    return scope, campaign, None if request.method in methods else HttpResponseNotAllowed(methods)


def campaign_peers(request, pk: int):
    scope, campaign, refused = _peer_campaign(request, pk)
    if refused:
        return refused
    people = selectors.peer_pickable_people(campaign, scope)
    if (download := exports.export_response(request, lambda: tables.campaign_peers(campaign, people))):
        return download
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    context = {"campaign": campaign, "page": page, "limit": PEERS_PER_PERSON}
    return page_or_partial(request, "evaluations/campaign_peers.html", "people", context)


def peers_choose(request, pk: int, employee_id: int):
    scope, campaign, refused = _peer_campaign(request, pk, methods=("GET", "HEAD", "POST"))
    employee = selectors.may_pick_peers(campaign, scope, employee_id)
    if employee is None:
        raise Http404
    if refused:
        return refused
    query = SearchForm(request.GET).value("q", "")
    current = selectors.current_peers(campaign, employee.pk)
    chosen = [a.assessor for a in current] or (
        selectors.suggested_peers(employee) if campaign.status == AssessmentCampaign.Status.DRAFT else [])
    results = [p for p in selectors.peer_candidates(query, exclude_id=employee.pk) if p.pk not in {c.pk for c in chosen}]
    posted = valid_ids(request.POST.getlist("peers")) if request.method == "POST" else []
    if request.method == "POST":
        chosen = selectors.employees_named(posted)
    form = PeersForm(_posted(request), people=[*chosen, *results])
    if request.method == "POST" and campaign.status == AssessmentCampaign.Status.CLOSED:
        form.add_error(None, _("A closed campaign can no longer be changed."))
    elif request.method == "POST" and form.is_valid():
        try:
            added, removed = services.peers_set(campaign_id=campaign.pk, employee_id=employee.pk,
                                                peer_ids=form.cleaned_data["peers"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The peers %(of_name)s have been saved: %(added)d added, %(removed)d "
                                        "removed.") % {"of_name": of(employee.full_name), "added": added, "removed": removed})
            return redirect_after_post(request, reverse("evaluations:peers_choose", args=[campaign.pk, employee.pk]))
    checked = set(posted) if request.method == "POST" else {p.pk for p in chosen}
    context = {"campaign": campaign, "employee": employee, "form": form, "chosen": chosen, "results": results,
               "checked": checked, "query": query, "limit": PEERS_PER_PERSON,
               "answered": sum(a.status in DONE for a in current), "peer_total": len(current),  # how many, never who
               "suggested": not current, "closed": campaign.status == AssessmentCampaign.Status.CLOSED}
    partial = "candidates" if request.method == "GET" and "q" in request.GET else "form"
    return page_or_partial(request, "evaluations/peers.html", partial, context, status=422 if form.errors else 200)
