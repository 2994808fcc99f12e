"""Pages of the annual-plan optimiser (learning office only; anyone else gets 404): the proposals and a new one, a
proposal beside its baselines with its budget curve and explanations, accepting items into the plan, cancelling a
run, and two proposals compared."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.tasks import QueueUnavailable
from clo.people.access import learning_office_only
from programs.forms.optimiser import AcceptForm, CompareForm, ProposalForm
from programs.models import PlanProposal, TrainingPlan
from programs.selectors import optimiser as selectors
from programs.services import optimiser as services
from programs.views.needs import refuse_method


def _initial() -> dict:
    year = timezone.localdate().year + 1
    plan = TrainingPlan.objects.filter(year=year).first()
    return {"year": year, "budget": plan.budget if plan else None}


@learning_office_only
def proposal_list(request):
    form = ProposalForm(request.POST or None, initial=_initial())
    if request.method == "POST" and form.is_valid():
        try:
            proposal = services.proposal_request(actor=request.user, **form.cleaned_data)
            return redirect_after_post(request, reverse("programs:proposal_detail", args=[proposal.pk]))
        except (ValidationError, QueueUnavailable) as error:
            apply_errors(form, error if isinstance(error, ValidationError) else ValidationError(str(error)))
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "programs/optimiser/list.html", "new", {
        "form": form, "proposals": selectors.proposals()[:50], "compare": CompareForm()}, status=status)


@learning_office_only
def proposal_detail(request, pk: int):
    if (refusal := refuse_method(request, "GET")):
        return refusal
    proposal = selectors.proposal_with_items(pk)
    context = {**selectors.proposal_page(proposal), "accept": AcceptForm(proposal=proposal)}
    return page_or_partial(request, "programs/optimiser/detail.html", "status", context)


@learning_office_only
def proposal_cancel(request, pk: int):
    if (refusal := refuse_method(request, "POST")):
        return refusal
    proposal = get_object_or_404(PlanProposal, pk=pk)
    services.proposal_cancel(proposal=proposal)
    messages.info(request, _("The proposal will stop at the solver's next check, with the best plan found so far."))
    return redirect_after_post(request, reverse("programs:proposal_detail", args=[pk]))


@learning_office_only
def proposal_accept(request, pk: int):
    if (refusal := refuse_method(request, "POST")):
        return refusal
    proposal = selectors.proposal_with_items(pk)
    form = AcceptForm(request.POST, proposal=proposal)
    if form.is_valid():
        try:
            actions = services.proposal_accept(proposal=proposal, item_ids=[i.pk for i in form.cleaned_data["items"]],
                                               actor=request.user, now=timezone.now())
            messages.success(request, _("Actions added to the %(year)s plan: %(count)s.")
                             % {"count": len(actions), "year": proposal.year})
            return redirect_after_post(request, reverse("programs:proposal_detail", args=[pk]))
        except ValidationError as error:
            apply_errors(form, error)
    return page_or_partial(request, "programs/optimiser/detail.html", "items",
                           {**selectors.proposal_page(proposal), "accept": form}, status=422)


@learning_office_only
def proposal_compare(request):
    if (refusal := refuse_method(request, "GET")):
        return refusal
    form = CompareForm(request.GET or None)
    rows = selectors.proposals_compared(form.cleaned_data["first"], form.cleaned_data["second"]) \
        if form.is_valid() else []
    return page_or_partial(request, "programs/optimiser/compare.html", "table", {"form": form, "rows": rows},
                           status=422 if request.GET and not form.is_valid() else 200)
