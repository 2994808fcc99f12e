"""The home page (a section per role) and the dashboards: the learning office's and the directors' boards, the people
behind a heatmap cell, one person's gaps, table exports, and the directors' inline enrolment decisions.

Every view is scoped: a unit outside the user's scope, or a dashboard of another role, is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils import translation
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core import downloads, exports
from clo.core.audit import record_read
from clo.core.htmx import page_or_partial, redirect_after_post, wants_partial
from clo.core.models import PersonalDataRead
from clo.core.tasks import QueueUnavailable
from clo.core.text import without_control_characters
from clo.core import board_cache, versions
from clo.dashboards import boards, selectors, tables
from clo.dashboards.forms import FilterForm, PeopleForm, ReportForm, requested_group, requested_id
from clo.dashboards.models import MonthlyReport, OrganisationWorkbook
from clo.dashboards.notices import home_notices
from clo.people import roles
from clo.people.access import learning_office_only
from clo.people import selectors as people
from clo.people.roles import scope_of
from competencies import selectors as competencies
from evaluations.gaps import selectors as gaps
from programs import selectors as programs


@require_safe
def home(request):
    sections = selectors.home_sections(scope_of(request.user), now=timezone.now(), today=timezone.localdate())
    if (team := sections.get("director", {}).get("largest_gaps")):  # a director's people with the largest gaps
        record_read(request, PersonalDataRead.What.TEAM_GAPS_EXPORT if exports.requested_format(request)
                    else PersonalDataRead.What.TEAM_GAPS, subjects=[person.pk for person in team])
    if (download := exports.export_response(request, tables.home_tables(sections))):
        return download
    notices = home_notices(scope_of(request.user), now=timezone.now(), today=timezone.localdate())
    return render(request, "dashboards/home.html", {"sections": sections, "notices": notices})


def _board_context(request, which: str):
    """Authorize, bind the filters and read the board of ``which`` (``clo`` or ``director``)."""
    scope = _authorize_board(request, which)
    place = boards.place_of(scope, requested_id(request.GET))
    rows = boards.board_rows(place, group=requested_group(request.GET))
    data = request.GET.copy()
    data.setdefault("unit", str(place.unit.pk))
    data.setdefault("year", str(timezone.localdate().year))
    form = FilterForm(data, units=place.choices, areas=boards.filter_choices(rows))
    valid = form.is_valid()
    filters = form.filters(unit_id=place.unit.pk)
    if which == "clo":
        board = boards.learning_office_board(place, rows, filters, now=timezone.now())
    else:
        board = boards.director_board(place, rows, filters, scope=scope, user=request.user)
    links = {  # a figure links to a page only when its reader can open that page (HR sees the board, not triage)
        "can_triage": programs.can_triage(request.user),
        "can_open_sessions": programs.can_manage_sessions(request.user),
    }
    return {"board": board, "form": form, "which": which, **links}, valid


def _authorize_board(request, which: str) -> roles.Scope:
    scope = scope_of(request.user)
    if which not in ("clo", "director") or not (scope.everything if which == "clo" else scope.has(roles.DIRECTOR)):
        raise Http404
    return scope


def _board_page(request, which: str):
    """The board from the cache while the data it reads are unchanged (``board_cache``); a director's board names
    the people whose requests wait for them, so it is kept per director."""
    scope = _authorize_board(request, which)
    template = f"dashboards/{which}.html"

    def fresh() -> board_cache.Rendered:
        context, valid = _board_context(request, which)
        html = render_to_string(f"{template}#board", {**context, **board_cache.csrf_context()}, request=request)
        return board_cache.Rendered(html, 200 if valid else 422, until=_sessions_until(context["board"]))

    parts = (request.path, board_cache.viewer_part(request, scope, personal=which == "director"),
             board_cache.filters_part(request))
    rendered = board_cache.cached(request, f"{which}-board", parts, fresh)
    if wants_partial(request):
        return HttpResponse(rendered.html, status=rendered.status)
    return render(request, template, {"board_html": mark_safe(rendered.html)}, status=rendered.status)  # noqa: S308 - our own rendering


def _sessions_until(board: boards.Board) -> float | None:
    """The board lists the next sessions: it holds until the first of them starts."""
    starts = [session.starts_at for session in board.sessions]
    return min(starts).timestamp() if starts else None


@require_safe
def clo_dashboard(request):
    return _board_page(request, "clo")


@require_safe
def director_dashboard(request):
    return _board_page(request, "director")


@require_safe
def critical_positions(request, which: str):
    """The critical positions of a board, loaded after it (HTMX) or as a page of their own (without JavaScript)."""
    scope = _authorize_board(request, which)
    if wants_partial(request):  # the partial a board loads: kept in the cache while the data it reads are unchanged
        parts = (which, board_cache.viewer_part(request, scope, personal=False), board_cache.filters_part(request))
        rendered = board_cache.cached(request, "critical-positions", parts, lambda: board_cache.Rendered(
            render_to_string("dashboards/critical.html#critical", _critical_context(request, scope, which),
                             request=request)), sources=("competencies", "gaps", "people"))
        return HttpResponse(rendered.html, status=rendered.status)
    return render(request, "dashboards/critical.html", _critical_context(request, scope, which))


def _critical_context(request, scope: roles.Scope, which: str) -> dict:
    place = boards.place_of(scope, requested_id(request.GET))
    form = FilterForm(request.GET, units=place.choices, areas=[])
    form.is_valid()
    filters = form.filters(unit_id=place.unit.pk)
    filters.area_id = requested_id(request.GET, "area")
    filters.framework_id = requested_id(request.GET, "framework")
    board = boards.Board(place=place, filters=filters, totals=boards.Figures(), heatmap=None, top_gaps=[],
                         critical_positions=boards.critical_positions(place, filters))
    return {"board": board, "which": which}


@require_safe
def board_export(request, which: str, table: str, fmt: str):
    board_tables = tables.DIRECTOR_TABLES if which == "director" else tables.BOARD_TABLES
    if which not in ("clo", "director") or table not in board_tables or fmt not in exports.FORMATS:
        raise Http404
    context, valid = _board_context(request, which)
    return exports.table_response(board_tables[table](context["board"]), fmt)


def _people_context(request):
    scope = scope_of(request.user)
    form = PeopleForm(request.GET)
    if not form.is_valid():
        raise Http404
    asked = form.cleaned_data
    place = boards.place_of(scope, asked["unit"])
    competency_id, area_id, own = asked["competency"], asked["area"], asked["own"]
    condition = gaps.competency_filter(area_id=area_id, competency_id=competency_id, kind=asked["kind"],
                                       framework_id=asked["framework"])
    pairs = gaps.gap_pairs(
        place.unit.path, competencies=condition, position_group=asked["group"],
        only_unit_id=place.unit.pk if own else None,
    )
    subject = competencies.area_or_competency(area_id=area_id, competency_id=competency_id)
    return {"place": place, "pairs": pairs, "subject": subject, "own": own, "query": request.GET.urlencode()}


@require_safe
def people_behind(request):
    context = _people_context(request)
    context["page"] = _people_page(request, context["pairs"])
    context["base_query"] = _without_page(request.GET)
    record_read(request, PersonalDataRead.What.TEAM_GAPS, subjects=[pair.employee_id for pair in context["page"]])
    return page_or_partial(request, "dashboards/people.html", "people", context)


def _people_page(request, pairs) -> Page:
    """The page of ``pairs`` asked for, from the board cache while the data it reads (the people, the requirements,
    the levels) are unchanged: it is the same for everyone allowed to ask for it (the scope was checked by
    ``_people_context``), so it is kept per query string. Reading it costs two queries on the ``Gap`` view, whose
    planning alone takes milliseconds (the page's is read without its related rows: ``gaps.page_of_pairs``)."""

    def compute() -> tuple[list, int, int]:
        return gaps.page_of_pairs(pairs, request.GET.get("page"), boards.PEOPLE_PER_PAGE)

    sources = ("competencies", "gaps", "people")
    rows, count, number = board_cache.kept(
        "people", (tuple(sorted(request.GET.lists())),), compute,
        counters=versions.current(sources) if versions.enabled() else ())
    return Page(rows, number, Paginator(range(count), boards.PEOPLE_PER_PAGE))


def _without_page(query) -> str:
    query = query.copy()
    query.pop("page", None)
    return query.urlencode()


@require_safe
def people_export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    pairs = _people_context(request)["pairs"]
    record_read(request, PersonalDataRead.What.TEAM_GAPS_EXPORT, subjects=pairs.values_list("employee_id"))
    return exports.table_response(tables.people(pairs), fmt)


@require_safe
def employee_gaps(request, employee_id: int):
    scope = scope_of(request.user)
    employee = people.employee_profile(employee_id)
    if employee is None or not (employee.pk == scope.employee_id or boards.within(scope, employee.unit.path)):
        raise Http404
    if not scope.everything and not scope.unit_paths:
        raise Http404
    rows = gaps.employee_gaps(employee.pk)
    record_read(request, PersonalDataRead.What.EMPLOYEE_GAPS_EXPORT if exports.requested_format(request)
                else PersonalDataRead.What.EMPLOYEE_GAPS, subjects=employee.pk)
    if (download := exports.export_response(request, lambda: tables.employee_gaps(employee, rows))):
        return download
    return render(request, "dashboards/employee.html", {"employee": employee, "gaps": rows})


@require_POST
def enrolment_decide(request, enrolment_id: int, decision: str):
    """A director approves or refuses a request from their board (the row comes back in place under HTMX)."""
    from programs.selectors import requests_awaiting
    from programs.services import delivery

    scope = scope_of(request.user)
    if not scope.has(roles.DIRECTOR) or decision not in ("approve", "reject"):
        raise Http404
    enrolment = get_object_or_404(requests_awaiting(request.user), pk=enrolment_id)
    error = None
    try:
        if decision == "approve":
            enrolment = delivery.enrolment_approve(enrolment=enrolment, by=request.user)
        else:
            reason = without_control_characters(request.POST.get("reason", ""), multiline=False)
            enrolment = delivery.enrolment_reject(enrolment=enrolment, by=request.user, reason=reason)
    except (ValidationError, PermissionDenied) as failure:
        error = " ".join(getattr(failure, "messages", None) or [str(failure)])
    if not request.htmx:
        if error:
            messages.error(request, error)
        else:
            messages.success(request, _("Decision recorded for %(person)s.") % {"person": enrolment.employee.full_name})
        return redirect(f"{reverse('dashboard_director')}#requests")
    context = {"row": enrolment, "error": error}
    return render(request, "dashboards/director.html#request-row", context, status=422 if error else 200)


# --- The monthly CLO reports (learning office only) ----------------------------------------------------------------


def _report_form(data=None) -> ReportForm:
    from clo.dashboards.reports import previous_month

    start, end = previous_month(timezone.localdate())
    return ReportForm(data, initial={"period_start": start, "period_end": end, "language": translation.get_language()})


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def reports(request):
    """The stored reports (polling while one is being generated) and the form to ask for one."""
    form = _report_form(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            from clo.dashboards.reports import monthly_report_request

            try:
                monthly_report_request(requested_by=request.user, **form.cleaned_data)
                messages.success(request, _("The report is being generated; it will appear in the list when ready."))
            except QueueUnavailable as exc:
                messages.error(request, str(exc))
            return redirect_after_post(request, reverse("dashboard_reports"))
        return page_or_partial(request, "dashboards/reports.html", "report-form",
                               {"form": form, **selectors.report_list()}, status=422)
    listed = selectors.report_list()
    if (download := exports.export_response(request, lambda: tables.reports(listed["reports"]))):
        return download
    return page_or_partial(request, "dashboards/reports.html", "report-list", {"form": form, **listed})


@learning_office_only
@require_safe
def report_download(request, report_id: int):
    report = get_object_or_404(MonthlyReport, pk=report_id, status=MonthlyReport.Status.DONE)
    with translation.override(report.language):  # the report's own language
        name = downloads.file_name(_("Monthly report %(start)s – %(end)s") % {
            "start": f"{report.period_start:%Y-%m-%d}", "end": f"{report.period_end:%Y-%m-%d}"}, "pdf")
    return downloads.private_file(report.file, filename=name, content_type="application/pdf")


# --- The organisation's data as one workbook (learning office only) ------------------------------------------------


@learning_office_only
@require_http_methods(["GET", "HEAD", "POST"])
def workbooks(request):
    """The workbooks prepared (polling while one is being built) and the button that asks for a new one."""
    from clo.dashboards.workbook import organisation_workbook_request

    if request.method == "POST":
        try:
            _workbook, created = organisation_workbook_request(requested_by=request.user,
                                                              language=translation.get_language())
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
        else:
            if created:
                messages.success(request, _("The workbook is being prepared; it will appear in the list when ready."))
            else:
                messages.info(request, _("A workbook is already being prepared: it will appear in the list when "
                                         "ready."))
        return redirect_after_post(request, reverse("dashboard_workbooks"))
    listed = selectors.workbook_list()
    if (download := exports.export_response(request, lambda: tables.workbooks(listed["workbooks"]))):
        return download
    return page_or_partial(request, "dashboards/workbooks.html", "workbook-list", listed)


@learning_office_only
@require_safe
def workbook_download(request, workbook_id: int):
    workbook = get_object_or_404(OrganisationWorkbook, pk=workbook_id, status=OrganisationWorkbook.Status.DONE)
    with translation.override(workbook.language):  # the workbook's own language
        name = downloads.file_name(_("Organisation data %(date)s") % {
            "date": f"{timezone.localtime(workbook.created_at):%Y-%m-%d %H%M}"}, "xlsx")
    return downloads.private_file(workbook.file, filename=name, content_type=exports.XLSX_TYPE)
