"""Pages of the annual plan's funding: the application (as the funding body's form asks it), the execution
follow-up and the justification at year end, with their XLSX and PDF; and an action's funding figures. The learning
office and HR read them; only the learning office changes an action's funding. Nobody else sees them (404)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clo.core import downloads, exports
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
from clo.core.pdf import render_pdf
from clo.people.access import learning_office_only
from clo.people.roles import scope_of
from programs import tables
from programs.forms.funding import PlanActionFundingForm, PlanFundingKindForm
from programs.models import PlanAction, TrainingPlan
from programs.selectors import funding as selectors
from programs.services import funding as services
from programs.views.annual_plan import _export_language, _plan_or_404
from programs.views.needs import refuse_method


def _pdf(request, plan: TrainingPlan, template: str, title, context: dict):
    language = _export_language(request)
    context = {**context, "plan": plan, "organisation_name": settings.CLO_ORGANISATION_NAME,
               "generated_at": timezone.localtime()}
    pdf = render_pdf(template, context, language=language)
    with translation.override(language):
        name = downloads.file_name(str(title) % {"year": plan.year}, "pdf")
    return downloads.attachment(pdf, filename=name, content_type="application/pdf")


def funding_application(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    report = selectors.application(plan)
    if (download := exports.export_response(request, lambda: tables.funding_application(plan, report))):
        return download
    context = {"plan": plan, "report": report, "can_edit": scope_of(request.user).is_learning_office}
    return page_or_partial(request, "programs/funding/application.html", "actions", context)


def funding_application_pdf(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    with translation.override(_export_language(request)):
        report = selectors.application(plan)  # the cells in the document's language
    return _pdf(request, plan, "programs/funding/application_pdf.html", gettext_lazy("Funding application %(year)s"),
                {"report": report})


def funding_execution(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    report = selectors.execution(plan, now=timezone.now())
    if (download := exports.export_response(request, lambda: tables.funding_execution(plan, report))):
        return download
    context = {"plan": plan, "report": report, "can_edit": scope_of(request.user).is_learning_office}
    return page_or_partial(request, "programs/funding/execution.html", "actions", context)


def funding_justification(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    report = selectors.justification(plan, now=timezone.now())
    if (download := exports.export_response(request, {
            "": lambda: tables.funding_execution(plan, report),
            "people": lambda: tables.funding_justification_people(
                plan, report, certificate_url=lambda e: _certificate_url(request, e))})):
        return download
    return page_or_partial(request, "programs/funding/justification.html", "actions", {"plan": plan, "report": report})


def _certificate_url(request, enrolment) -> str:
    return request.build_absolute_uri(reverse("programs:certificate", args=[enrolment.pk]))


def funding_justification_pdf(request, year: int):
    plan = _plan_or_404(request, year)
    if (refusal := refuse_method(request, "GET")):
        return refusal
    with translation.override(_export_language(request)):
        report = selectors.justification(plan, now=timezone.now())
    for row in report["rows"]:
        for enrolment in row.people:
            enrolment.certificate_url = _certificate_url(request, enrolment)
    return _pdf(request, plan, "programs/funding/justification_pdf.html", gettext_lazy("Funding justification %(year)s"),
                {"report": report})


@learning_office_only
def funding_action_edit(request, year: int, pk: int):
    plan = _plan_or_404(request, year)
    action = get_object_or_404(PlanAction.objects.select_related("program"), pk=pk, plan=plan)
    form = PlanActionFundingForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            data = form.cleaned_data
            services.plan_action_funding_update(
                action=action, planned_editions=data["planned_editions"], planned_by_group=form.by_group(),
                collective=data["collective"], granted_amount=data["granted_amount"],
                incurred_cost=data["incurred_cost"])
            messages.success(request, _("Funding of the action saved."))
            return redirect_after_post(request, reverse("programs:funding_execution", args=[year]))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if request.method == "POST" else 200
    context = {"plan": plan, "action": action, "form": form}
    return page_or_partial(request, "programs/funding/action_edit.html", "form", context, status=status)


@learning_office_only
def funding_plan_kind(request, year: int):
    plan = _plan_or_404(request, year)
    form = PlanFundingKindForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_funding_kind_update(plan=plan, kind=form.cleaned_data["funding_kind"],
                                              entities=form.cleaned_data["funding_entities"])
            messages.success(request, _("Kind of plan saved."))
            return redirect_after_post(request, reverse("programs:funding_application", args=[year]))
        except ValidationError as error:
            apply_errors(form, error)
    status = 422 if request.method == "POST" else 200
    context = {"plan": plan, "form": form, "minimum": TrainingPlan.UNITARY_MINIMUM_STAFF}
    return page_or_partial(request, "programs/funding/plan_kind.html", "form", context, status=status)
