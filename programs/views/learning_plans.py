"""Views of learning plans: the list of people and their plans, one plan (see, edit, generate, PDF), and HR's bulk
PDF jobs. Everything outside a person's scope answers 404; an employee who tries to edit their own plan gets 403."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core import downloads, exports
from clo.core.audit import record_read
from clo.core.htmx import page_or_partial, wants_partial
from clo.core.models import PersonalDataRead
from clo.people import roles
from clo.people.access import learning_office_only
from programs.selectors import learning_plans as sel
from programs import tables
from programs.forms.learning_plans import (
    GapToPlanForm,
    GenerateForm,
    GenerateUnitForm,
    ItemAddForm,
    ItemEditForm,
    PdfJobForm,
    PlanSearchForm,
    UncoveredGapsForm,
)
from programs.models import LearningPlanItem, PlanPdfJob
from programs.services import learning_plans as services
from programs.services import annual_plan
from programs.services.learning_plans import pdfs as plan_pdfs
from programs.views.needs import can_write_needs

PAGE = "programs/plans/plan.html"


def _plan_or_404(request, plan_id: int):
    plan = sel.plan_for_page(plan_id, request.user)
    if plan is None:
        raise Http404
    return plan


def _editable_plan(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    if not sel.can_edit_plan(request.user, plan):
        raise PermissionDenied
    return plan


def _plan_context(request, plan, *, add_form=None) -> dict:
    active, retired = sel.plan_items(plan)
    gaps = sel.plan_gaps(plan.employee_id)
    return {
        "plan": plan, "employee": plan.employee, "items": active, "retired": retired,
        "progress": sel.plan_progress(active), "gaps": sel.gap_resources(gaps),
        "uncovered": sel.plan_gap_coverage(plan, gaps, active),
        "can_edit": sel.can_edit_plan(request.user, plan),
        "add_form": add_form or ItemAddForm(plan=plan),
    }


# --- The list ----------------------------------------------------------------------------------------------------


@require_safe
def plan_list(request):
    if not sel.can_manage_plans(request.user):
        employee_id = roles.scope_of(request.user).employee_id
        if employee_id is None:
            raise Http404
        plans = sel.employee_plans(employee_id)
        if len(plans) == 1:  # a list of one is a needless click: straight to the plan (its page logs the read)
            return redirect("programs:plan_detail", plans[0].pk)
        record_read(request, PersonalDataRead.What.PLAN_LIST, subjects=employee_id)
        return render(request, "programs/plans/mine.html", {"plans": plans})
    data = request.GET.copy()
    data.setdefault("year", str(timezone.localdate().year))
    form = PlanSearchForm(data, units=sel.units_for_plans(request.user))
    year = form.value("year", timezone.localdate().year)
    employees = sel.search_employees(sel.employees_for_plans(request.user), q=form.value("q", ""),
                                     unit=form.value("unit"))  # the people shown, and those exported
    if exports.requested_format(request):
        record_read(request, PersonalDataRead.What.PLAN_LIST_EXPORT, subjects=employees.values_list("pk"))
    if (download := exports.export_response(request, lambda: tables.learning_plans(
            sel.all_plans_for_year(employees, year=year), year=year))):
        return download
    page = form.value("page", 1)
    people, has_next = sel.plans_for_year(employees, year=year, page=page)
    record_read(request, PersonalDataRead.What.PLAN_LIST, subjects=[person.pk for person in people])
    q, unit = form.value("q", ""), form.value("unit")
    context = {
        "people": people, "year": year, "page": page, "has_next": has_next, "form": form,
        "filters": urlencode({k: v for k, v in (("year", year), ("q", q), ("unit", unit.pk if unit else "")) if v}),
        "filters_used": bool(q or unit), "can_generate": sel.can_generate_plans(request.user),
        "unit_form": GenerateUnitForm() if sel.can_run_bulk_pdfs(request.user) else None,
    }
    return page_or_partial(request, "programs/plans/list.html", "people", context)


@require_POST
def plans_generate_units(request):
    if not sel.can_run_bulk_pdfs(request.user):
        raise Http404
    form = GenerateUnitForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect("programs:plan_list")
    unit = form.cleaned_data["unit"]
    services.learning_plans_request_generation(unit_id=unit.pk if unit else None, year=form.cleaned_data["year"])
    messages.success(request, _("The plans are being generated; they will appear in the list in a few moments."))
    return redirect(f"{reverse('programs:plan_list')}?year={form.cleaned_data['year']}")


@require_POST
def plan_generate(request, employee_id: int):
    employee = get_object_or_404(sel.employees_for_plans(request.user), pk=employee_id)
    if not sel.can_generate_plans(request.user) or employee.pk == roles.scope_of(request.user).employee_id:
        raise Http404
    form = GenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors.get("year", [])))
        return redirect("programs:plan_list")
    plan = services.learning_plan_generate(employee_id=employee.pk, year=form.cleaned_data["year"])
    messages.success(request, _("The plan was generated from the current gaps; items edited by a person were kept."))
    return redirect("programs:plan_detail", plan_id=plan.pk)


# --- One plan ------------------------------------------------------------------------------------------------------


@require_safe
def plan_detail(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    record_read(request, PersonalDataRead.What.PLAN_EXPORT if exports.requested_format(request)
                else PersonalDataRead.What.PLAN, subjects=plan.employee_id)
    if (download := exports.export_response(request, {
            "": lambda: tables.plan_items(plan, sel.plan_items(plan)[0]),
            "gaps": lambda: tables.plan_gaps(plan, _gaps_with_coverage(plan))})):
        return download
    return page_or_partial(request, PAGE, "plan-body", _plan_context(request, plan))


def _gaps_with_coverage(plan) -> list:
    gaps = sel.plan_gaps(plan.employee_id)
    sel.plan_gap_coverage(plan, gaps, sel.plan_items(plan)[0])
    return gaps


@require_POST
def plan_item_add(request, plan_id: int):
    plan = _editable_plan(request, plan_id)
    form = ItemAddForm(request.POST, plan=plan)
    if form.is_valid():
        services.learning_plan_item_add(plan=plan, **form.cleaned_data)
        if not wants_partial(request):
            messages.success(request, _("The activity was added to the plan."))
            return redirect("programs:plan_detail", plan_id=plan.pk)
        plan = _plan_or_404(request, plan_id)
        return page_or_partial(request, PAGE, "plan-body", _plan_context(request, plan))
    return page_or_partial(request, PAGE, "plan-body", _plan_context(request, plan, add_form=form), status=422)


@require_http_methods(["GET", "HEAD", "POST"])
def plan_item_edit(request, plan_id: int, item_id: int):
    plan = _editable_plan(request, plan_id)
    item = get_object_or_404(LearningPlanItem.objects.select_related("program", "competency", "plan"), pk=item_id,
                             plan=plan)
    form = ItemEditForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        services.learning_plan_item_update(item=item, **{f: form.cleaned_data[f] for f in form.changed_data})
        messages.success(request, _("The plan was updated."))
        return redirect("programs:plan_detail", plan_id=plan.pk)
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "programs/plans/item_edit.html", "item-form",
                   {"plan": plan, "item": item, "form": form}, status=status)


@require_POST
def plan_item_done(request, plan_id: int, item_id: int):
    plan = _editable_plan(request, plan_id)
    item = get_object_or_404(LearningPlanItem, pk=item_id, plan=plan)
    try:
        services.learning_plan_item_mark_done(item=item)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    if not wants_partial(request):
        return redirect("programs:plan_detail", plan_id=plan.pk)
    return page_or_partial(request, PAGE, "plan-body", _plan_context(request, _plan_or_404(request, plan_id)))


@require_safe
def plan_pdf(request, plan_id: int):
    plan = _plan_or_404(request, plan_id)
    record_read(request, PersonalDataRead.What.PLAN_PDF, subjects=plan.employee_id)
    return downloads.attachment(plan_pdfs.learning_plan_pdf(plan), filename=plan_pdfs.plan_pdf_filename(plan),
                                content_type="application/pdf")


# --- Gaps the catalogue does not cover ---------------------------------------------------------------------------

UNCOVERED_PAGE_SIZE = 25


@learning_office_only
@require_safe
def uncovered_gaps(request):
    form = UncoveredGapsForm(request.GET, units=sel.units_for_plans(request.user))
    unit = form.value("unit")
    rows = sel.uncovered_gaps(unit=unit)
    if (download := exports.export_response(
            request, lambda: tables.uncovered_gaps(sel.uncovered_gap_rows(list(rows), unit=unit)))):
        return download
    page = form.value("page", 1)
    offset = (page - 1) * UNCOVERED_PAGE_SIZE
    shown = list(rows[offset:offset + UNCOVERED_PAGE_SIZE + 1])
    context = {
        "rows": sel.uncovered_gap_rows(shown[:UNCOVERED_PAGE_SIZE], unit=unit),
        "has_next": len(shown) > UNCOVERED_PAGE_SIZE,
        "page": page, "form": form, "unit": unit, "next_year": timezone.localdate().year + 1,
        "filters": urlencode({"unit": unit.pk} if unit else {}),
        "can_propose_needs": can_write_needs(request.user),
    }
    return page_or_partial(request, "programs/plans/uncovered.html", "gaps", context)


@learning_office_only
@require_POST
def uncovered_gap_to_plan(request):
    form = GapToPlanForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("programs:uncovered_gaps")
    data = form.cleaned_data
    try:
        action = annual_plan.plan_action_for_uncovered_gap(
            year=data["year"], competency=data["competency"], required_level=data["required_level"],
            participants=data["participants"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("programs:uncovered_gaps")
    messages.success(request, _("“%(title)s” was added to the %(year)s training plan: give it a program, its cost "
                                "and its hours there.") % {"title": action.title, "year": data["year"]})
    return redirect("programs:training_plan_detail", year=data["year"])


# --- Bulk PDFs -------------------------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def pdf_jobs(request):
    if not sel.can_run_bulk_pdfs(request.user):
        raise Http404
    if (download := exports.export_response(
            request, lambda: tables.pdf_jobs(sel.recent_pdf_jobs()))):
        return download
    form = PdfJobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = plan_pdfs.plan_pdf_job_request(requested_by=request.user, **form.cleaned_data)
        except plan_pdfs.QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("programs:pdf_jobs")
        return redirect("programs:pdf_job_detail", job_id=job.pk)
    status = 422 if request.method == "POST" else 200
    return page_or_partial(request, "programs/plans/pdf_jobs.html", "job-form",
                   {"form": form, "jobs": sel.recent_pdf_jobs()}, status=status)


@require_safe
def pdf_job_detail(request, job_id: int):
    if not sel.can_run_bulk_pdfs(request.user):
        raise Http404
    job = get_object_or_404(PlanPdfJob.objects.select_related("unit"), pk=job_id)
    chunks = plan_pdfs.plan_pdf_job_chunks(job) if job.status == PlanPdfJob.Status.RUNNING else (0, 0)
    return page_or_partial(request, "programs/plans/pdf_job.html", "progress", {"job": job, "chunks": chunks})


@require_safe
def pdf_job_download(request, job_id: int):
    if not sel.can_run_bulk_pdfs(request.user):
        raise Http404
    job = get_object_or_404(PlanPdfJob.objects.select_related("unit"), pk=job_id, status=PlanPdfJob.Status.DONE)
    # the people whose plans the zip holds: those the job rendered (in force on its date), as the job selects them
    record_read(request, PersonalDataRead.What.PLAN_PDFS,
                subjects=sel.plans_for_pdf_job(job).values_list("employee_id"))
    return downloads.private_file(job.file, filename=plan_pdfs.job_download_name(job),
                                  content_type="application/zip")
