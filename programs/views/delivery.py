"""Views of training delivery: sessions, enrolment requests and decisions, attendance, training record and
certificates. Everything outside a person's scope answers 404."""

from __future__ import annotations

from django.contrib import messages
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core import downloads, exports
from clo.core.catalan import of
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post, wants_partial
from clo.core.pdf import render_pdf
from clo.people import roles
from clo.people.access import learning_office_only
from clo.people.models import Employee
from programs.selectors import delivery as selectors
from programs import tables
from programs.forms.delivery import AttendanceForm, RejectForm, SessionForm
from programs.models import Enrolment, Program, Session, SessionDay
from programs.services import delivery as services
from programs.views.catalogue import program_context


def _message(error: ValidationError) -> str:
    return " ".join(error.messages)


def _session_form(request, program: Program, session: Session | None):
    form = SessionForm(request.POST or None, instance=session or Session(program=program))
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.session_save(session=form.instance)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The session has been saved."))
            return redirect_after_post(request, reverse("programs:session_detail", args=[saved.pk]))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "program": program, "session": session}
    return page_or_partial(request, "programs/delivery/session_form.html", "form", context, status=status)


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def session_create(request, pk: int):
    return _session_form(request, get_object_or_404(Program, pk=pk), None)


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def session_edit(request, pk: int):
    session = get_object_or_404(Session.objects.select_related("program"), pk=pk)
    return _session_form(request, session.program, session)


@learning_office_only
@require_safe
def session_detail(request, pk: int):
    session = get_object_or_404(selectors.sessions_with_seats().select_related("program", "internal_trainer"), pk=pk)
    roster = selectors.session_roster(session.pk)
    if (download := exports.export_response(request, lambda: tables.session_roster(session, roster))):
        return download
    context = {"session": session, "roster": roster, "days": selectors.session_days(session.pk)}
    return render(request, "programs/delivery/session_detail.html", context)


# --- Enrolment requests ------------------------------------------------------------------------------------------


@require_POST
def enrolment_request(request, pk: int):
    scope = roles.scope_of(request.user)
    session = get_object_or_404(Session.objects.select_related("program"), pk=pk, program__active=True)
    if not scope.employee_id:
        raise Http404
    try:
        enrolment = services.enrolment_request(session=session, employee=Employee(pk=scope.employee_id))
    except ValidationError as error:
        context = program_context(request, session.program, errors={session.pk: _message(error)})
        return page_or_partial(request, "programs/delivery/program_detail.html", "sessions", context, status=422)
    notes = {Enrolment.Status.APPROVED: _("Your seat is confirmed."),
             Enrolment.Status.WAITLISTED: _("The session is full: you are on the waiting list."),
             Enrolment.Status.REQUESTED: _("Your request has been sent to your director for a decision.")}
    if not wants_partial(request):
        messages.success(request, notes[enrolment.status])
        return redirect("programs:program_detail", pk=session.program_id)
    context = program_context(request, session.program, notices={session.pk: notes[enrolment.status]})
    return render(request, "programs/delivery/program_detail.html#sessions", context)


@require_safe
def enrolment_requests(request):
    scope = roles.scope_of(request.user)
    if not (scope.everything or scope.has(roles.DIRECTOR)):
        raise Http404
    awaiting = selectors.requests_awaiting(request.user)
    if (download := exports.export_response(request, lambda: tables.enrolment_requests(awaiting))):
        return download
    requests = Paginator(awaiting, 50).get_page(request.GET.get("page"))
    return render(request, "programs/delivery/requests.html", {"page": requests})


def _decision_row(request, enrolment: Enrolment, *, form=None, error: str = "", status: int = 200):
    if not wants_partial(request):
        if error or form is not None and form.errors:
            page = Paginator(selectors.requests_awaiting(request.user), 50).get_page(1)
            context = {"page": page, "failed": enrolment.pk, "reject_form": form, "error": error}
            return render(request, "programs/delivery/requests.html", context, status=status)
        return redirect("programs:enrolment_requests")
    enrolment = (Enrolment.objects.select_related("employee__unit", "session__program")
                 .annotate(**selectors.request_figures()).get(pk=enrolment.pk))
    context = {"e": enrolment, "failed": enrolment.pk, "reject_form": form, "error": error}
    return render(request, "programs/delivery/requests.html#request_row", context, status=status)


@require_POST
def enrolment_approve(request, pk: int):
    enrolment = get_object_or_404(selectors.decidable_enrolments(request.user), pk=pk)
    try:
        enrolment = services.enrolment_approve(enrolment=enrolment, by=request.user)
    except ValidationError as error:
        return _decision_row(request, enrolment, error=_message(error), status=422)
    if not wants_partial(request):  # under HTMX the row itself says what happened
        note = (_("%(name)s has a seat.") if enrolment.status == Enrolment.Status.APPROVED
                else _("%(name)s is on the waiting list: the session is full."))
        messages.success(request, note % {"name": enrolment.employee.full_name})
    return _decision_row(request, enrolment)


@require_POST
def enrolment_reject(request, pk: int):
    enrolment = get_object_or_404(selectors.decidable_enrolments(request.user), pk=pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _decision_row(request, enrolment, form=form, status=422)
    try:
        enrolment = services.enrolment_reject(enrolment=enrolment, by=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        return _decision_row(request, enrolment, error=_message(error), status=422)
    if not wants_partial(request):
        messages.success(request, _("The request %(of_name)s has been refused.") % {
            "of_name": of(enrolment.employee.full_name)})
    return _decision_row(request, enrolment)


@require_POST
def enrolment_cancel(request, pk: int):
    scope = roles.scope_of(request.user)
    enrolment = get_object_or_404(selectors.visible_enrolments(request.user).select_related("employee"), pk=pk)
    if enrolment.employee_id != scope.employee_id and not selectors.decidable_enrolments(request.user).filter(
            pk=pk).exists():
        raise Http404
    try:
        services.enrolment_cancel(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, _("The enrolment has been cancelled."))
    return redirect(request.POST.get("next") if _safe_next(request) else "programs:my_training")


def _safe_next(request) -> bool:
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    return bool(target) and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure())


# --- Session management by the learning office -------------------------------------------------------------------

OFFICE_ACTIONS = {
    "confirm": (services.enrolment_confirm, gettext_lazy("%(name)s now holds a seat.")),
    "complete": (services.enrolment_complete,
                 gettext_lazy("%(name)s has completed the program; the competencies are certified.")),
    "no_show": (services.enrolment_no_show, gettext_lazy("%(name)s is marked as a no-show.")),
}


@learning_office_only
@require_POST
def enrolment_action(request, pk: int, action: str):
    enrolment = get_object_or_404(Enrolment.objects.select_related("employee"), pk=pk)
    service, note = OFFICE_ACTIONS[action]
    try:
        service(enrolment=enrolment)
    except ValidationError as error:
        messages.error(request, _message(error))
    else:
        messages.success(request, str(note) % {"name": enrolment.employee.full_name})
    return redirect("programs:session_detail", pk=enrolment.session_id)


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def attendance(request, pk: int, day_pk: int):
    day = get_object_or_404(SessionDay.objects.select_related("session__program"), pk=day_pk)
    if day.session_id != pk:  # compared here: SQLite cannot compare a foreign key with a number past 64 bits
        raise Http404
    attendees, recorded = selectors.day_attendance(day)
    if (download := exports.export_response(
            request, lambda: tables.attendance(day, attendees, recorded))):
        return download
    form = AttendanceForm(request.POST or None, day=day, attendees=attendees, recorded=recorded)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_record(day=day, hours=form.hours())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Attendance has been recorded."))
            return redirect_after_post(request, reverse("programs:session_detail", args=[pk]))
    status = 422 if request.method == "POST" else 200
    context = {"form": form, "day": day, "session": day.session}
    return page_or_partial(request, "programs/delivery/attendance.html", "form", context, status=status)


# --- Training record and certificates ----------------------------------------------------------------------------


@require_safe
def my_training(request):
    scope = roles.scope_of(request.user)
    if not scope.employee_id:
        raise Http404
    return training_record(request, scope.employee_id)


@require_safe
def training_record(request, employee_id: int):
    employee = get_object_or_404(Employee.objects.visible_to(request.user).select_related("unit", "position"),
                                 pk=employee_id)
    if (download := exports.export_response(request, {
            "": lambda: tables.training_enrolments(employee, selectors.training_enrolments(employee.pk)),
            "years": lambda: tables.training_years(employee, selectors.training_by_year(employee.pk))})):
        return download
    context = {"employee": employee, "years": selectors.training_by_year(employee.pk),
               "enrolments": selectors.training_enrolments(employee.pk),
               "is_self": employee.pk == roles.scope_of(request.user).employee_id, "now": timezone.now()}
    return render(request, "programs/delivery/training_record.html", context)


@require_safe
def certificate(request, pk: int):
    enrolment = get_object_or_404(
        selectors.visible_enrolments(request.user).select_related("employee__unit", "session__program"),
        pk=pk, status=Enrolment.Status.COMPLETED,
    )
    context = {**selectors.certificate_context(enrolment), "organisation_name": settings.CLO_ORGANISATION_NAME}
    pdf = render_pdf("programs/delivery/certificate_pdf.html", context,
                     language=enrolment.employee.language)
    with translation.override(enrolment.employee.language or settings.LANGUAGE_CODE):  # the document's language
        name = downloads.file_name(f"{_('Certificate of completion')} {enrolment.session.program.code}", "pdf")
    return downloads.attachment(pdf, filename=name, content_type="application/pdf")
