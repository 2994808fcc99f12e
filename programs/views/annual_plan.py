"""Pages of the annual training plan (pla de formació): the plan and its actions, budget, approval, and its export
to PDF and XLSX. The learning office and HR read it; only the learning office changes it. Nobody else sees it."""

from __future__ import annotations

from io import BytesIO

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from clo.core import downloads, exports
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.pdf import render_pdf
from clo.people.access import learning_office_only
from clo.people.roles import scope_of
from programs.selectors import annual_plan as selectors
from programs import tables
from programs.forms.annual_plan import PlanActionForm, PlanForm
from programs.models import PlanAction, TrainingPlan
from programs.services import annual_plan as services
from programs.views.needs import refuse_method


def _plan_or_404(request, year: int) -> TrainingPlan:
    if not scope_of(request.user).everything:
        raise Http404
    return get_object_or_404(TrainingPlan, year=year)


def _plan_context(request, plan: TrainingPlan) -> dict:
    return {"plan": plan, "actions": selectors.plan_actions_with_interest(plan),
            "totals": selectors.plan_totals(plan),
            "can_edit": scope_of(request.user).is_learning_office and plan.status == TrainingPlan.Status.DRAFT}


def plan_list(request):
    if not scope_of(request.user).everything:
        raise Http404
    if (refusal := refuse_method(request, "GET")):
        return refusal
    plans = selectors.plans()
    if (download := exports.export_response(request, lambda: tables.training_plans(plans))):
        return download
    return page_or_partial(request, "programs/plan/list.html", "plans", {"plans": plans})


def plan_detail(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    if (download := exports.export_response(request, {
            "": lambda: tables.plan_actions(plan, selectors.plan_actions(plan)),
            "budget": lambda: tables.plan_budget(plan, selectors.plan_totals(plan))})):
        return download
    return render_plan(request, plan)


def render_plan(request, plan, status=200, **extra):
    return page_or_partial(request, "programs/plan/detail.html", "summary", {**_plan_context(request, plan), **extra},
                           status=status)


@learning_office_only
def plan_edit(request, year: int):
    plan = _plan_or_404(request, year)
    form = PlanForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_update(plan=plan, title=form.cleaned_data["title"], budget=form.cleaned_data["budget"])
            messages.success(request, _("Plan saved."))
            return redirect_after_post(request, reverse("programs:training_plan_detail", args=[year]))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "programs/plan/edit.html", "form", {"plan": plan, "form": form}, status=status)


@learning_office_only
def plan_action_edit(request, year: int, pk: int):
    plan = _plan_or_404(request, year)
    action = get_object_or_404(PlanAction, pk=pk, plan=plan)
    form = PlanActionForm(request.POST or None, instance=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_update(action=action, fields=form.cleaned_data)
            messages.success(request, _("Action saved."))
            return redirect_after_post(request, reverse("programs:training_plan_detail", args=[year]))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if request.method == "POST" else 200
    context = {"plan": plan, "action": action, "form": form}
    return page_or_partial(request, "programs/plan/action_edit.html", "form", context, status=status)


@learning_office_only
def plan_approve(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "POST")):
        return refusal
    try:
        services.plan_approve(plan=plan, actor=request.user, now=timezone.now())
    except ValidationError as error:
        plan.refresh_from_db()
        return render_plan(request, plan, status=422, approve_errors=error.messages)
    messages.success(request, _("The %(year)s plan is approved.") % {"year": year})
    return redirect_after_post(request, reverse("programs:training_plan_detail", args=[year]))


def _export_language(request) -> str:
    language = request.GET.get("lang") or translation.get_language()
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _plan_file_name(year: int, extension: str, language: str) -> str:
    """"pla-de-formació-2027.pdf", in the language of the document."""
    with translation.override(language):
        return downloads.file_name(_("Training plan %(year)s") % {"year": year}, extension)


def plan_pdf(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    context = {**_plan_context(request, plan), "organisation_name": settings.CLO_ORGANISATION_NAME,
               "generated_at": timezone.localtime()}
    language = _export_language(request)
    pdf = render_pdf("programs/plan/pdf.html", context, language=language)
    return downloads.attachment(pdf, filename=_plan_file_name(year, "pdf", language), content_type="application/pdf")


def plan_xlsx(request, year: int):
    from programs.plan_export import plan_workbook

    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    with translation.override(_export_language(request)):
        workbook = plan_workbook(plan, selectors.plan_actions(plan), selectors.plan_totals(plan))
    buffer = BytesIO()
    workbook.save(buffer)
    return downloads.attachment(buffer.getvalue(), filename=_plan_file_name(year, "xlsx", _export_language(request)),
                                content_type=exports.XLSX_TYPE)
