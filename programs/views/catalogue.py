"""Views of the catalogue: the programs a person can take, a program's page (its competencies and sessions) and its
editing by the learning office, and a person's interest in a program. Everything outside a person's scope answers
404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core import exports
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.people import roles
from clo.people.access import learning_office_only
from programs import tables
from programs.forms.catalogue import CatalogueFilterForm, ProgramCompetencyFormSet, ProgramForm
from programs.models import Program, Session
from programs.selectors import catalogue as selectors
from programs.selectors import delivery as delivery_selectors
from programs.services import catalogue as services

CATALOGUE_PAGE_SIZE = 20


def _is_office(user) -> bool:
    return delivery_selectors.can_manage_sessions(user)


@require_safe
def catalogue(request):
    form = CatalogueFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    scope = roles.scope_of(request.user)
    programs = selectors.catalogue(
        employee_id=scope.employee_id, now=timezone.now(), text=filters.get("q", ""),
        modality=filters.get("modality", ""), gaps_only=filters.get("gaps", False),
        include_inactive=_is_office(request.user),
    )
    if (download := exports.export_response(
            request, lambda: tables.catalogue(programs, for_gaps=bool(scope.employee_id)))):
        return download
    page = Paginator(programs, CATALOGUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode(), "is_office": _is_office(request.user),
               "has_gaps": bool(scope.employee_id)}
    return page_or_partial(request, "programs/delivery/catalogue.html", "results", context)


def program_context(request, program: Program, *, errors: dict | None = None, notices: dict | None = None) -> dict:
    """The program, the competencies it develops (each with the viewer's open gap, if any) and its sessions (each
    with the viewer's enrolment and the outcome of a request just made)."""
    scope = roles.scope_of(request.user)
    office, now = _is_office(request.user), timezone.now()
    sessions = delivery_selectors.program_sessions(program.pk, now=now, upcoming_only=not office)
    mine = delivery_selectors.employee_enrolments_by_session(scope.employee_id, [s.pk for s in sessions])
    for session in sessions:
        session.mine = mine.get(session.pk)
        session.open = session.status == Session.Status.SCHEDULED and session.starts_at > now
        session.error, session.notice = (errors or {}).get(session.pk), (notices or {}).get(session.pk)
    gaps = selectors.program_gap_notes(program, scope.employee_id)
    developed = list(program.developed.select_related("competency").order_by("competency__code"))
    for pc in developed:
        pc.gap = gaps.get(pc.competency_id)
    listed = {s.pk for s in sessions}
    unlisted_errors = [message for pk, message in (errors or {}).items() if pk not in listed]
    return {"program": program, "sessions": sessions, "is_office": office, "developed": developed,
            "can_enrol": bool(scope.employee_id), "unlisted_errors": unlisted_errors,
            "completed_on": delivery_selectors.program_completed_on(scope.employee_id, program.pk),
            "interested": selectors.has_interest(scope.employee_id, program.pk),
            "open_sessions": any(session.open for session in sessions)}


@require_safe
def program_detail(request, pk: int):
    programs = Program.objects.all() if _is_office(request.user) else Program.objects.filter(active=True)
    program = get_object_or_404(programs.prefetch_related("prerequisites"), pk=pk)
    context = program_context(request, program)
    own = context["can_enrol"]
    if (download := exports.export_response(request, {
            "": lambda: tables.program_sessions(program, context["sessions"], own=own),
            "competencies": lambda: tables.program_competencies(program, context["developed"], own=own)})):
        return download
    return render(request, "programs/delivery/program_detail.html", context)


def _program_form(request, program: Program | None):
    form = ProgramForm(request.POST or None, instance=program)
    formset = ProgramCompetencyFormSet(request.POST or None, instance=program or Program(), prefix="competencies")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        competencies = [(f.cleaned_data["competency"], f.cleaned_data["level_reached"]) for f in formset.forms
                        if f.cleaned_data.get("competency") and not f.cleaned_data.get("DELETE")]
        try:
            saved = services.program_save(program=form.save(commit=False), competencies=competencies)
            form.instance = saved
            form.save_m2m()
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The program has been saved."))
            return redirect_after_post(request, reverse("programs:program_detail", args=[saved.pk]))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "formset": formset, "program": program}
    return page_or_partial(request, "programs/delivery/program_form.html", "form", context, status=status)


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def program_create(request):
    return _program_form(request, None)


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def program_edit(request, pk: int):
    return _program_form(request, get_object_or_404(Program, pk=pk))


@require_POST
def program_interest(request, pk: int):
    """Register (or, with ``withdraw``, withdraw) the person's interest in a program with no session for them."""
    scope = roles.scope_of(request.user)
    program = get_object_or_404(Program, pk=pk, active=True)
    if not scope.employee_id:
        raise Http404
    if request.POST.get("withdraw"):
        services.program_interest_withdraw(employee_id=scope.employee_id, program_id=program.pk)
        note = _("Your interest has been withdrawn.")
    else:
        services.program_interest_register(employee_id=scope.employee_id, program_id=program.pk)
        note = _("Your interest has been registered: the learning office counts it when it plans the sessions.")
    if not wants_partial(request):
        messages.success(request, note)
        return redirect("programs:program_detail", pk=program.pk)
    context = {**program_context(request, program), "interest_notice": note}
    return render(request, "programs/delivery/program_detail.html#sessions", context)
