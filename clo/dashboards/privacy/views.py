"""Audit trail (learning office and HR), right of access (each employee, their own data only) and the data
retention page (data-protection role). Anyone else gets a 404."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from clo.core import downloads, exports
from clo.core.htmx import page_or_partial
from clo.core.models import RetentionRun
from clo.dashboards import tables
from clo.dashboards.privacy import audit, my_data
from clo.dashboards.privacy.forms import AuditFilterForm
from clo.people import roles

AUDIT_PER_PAGE = 50
EXPORT_CHUNK = 2000


def _auditor(request) -> None:
    scope = roles.scope_of(request.user)
    if not (scope.has(roles.CLO) or scope.has(roles.HR) or request.user.is_superuser):
        raise Http404


def _audit_context(request):
    _auditor(request)
    form = AuditFilterForm(request.GET, kinds=audit.tracked_kinds())
    valid = form.is_valid()
    tab = "reads" if request.GET.get("tab") == "reads" else "changes"
    filters = form.filters()
    query = request.GET.copy()
    for name in ("page", "tab"):
        query.pop(name, None)
    return {"form": form, "tab": tab, "filters": filters, "filter_query": query.urlencode()}, valid


@never_cache
@require_safe
def audit_log(request):
    context, valid = _audit_context(request)
    rows = audit.reads(context["filters"]) if context["tab"] == "reads" else audit.changes(context["filters"])
    page = Paginator(rows, AUDIT_PER_PAGE).get_page(request.GET.get("page"))
    context.update(page=page, page_query=f"tab={context['tab']}&{context['filter_query']}")
    if context["tab"] == "changes":
        context["rows"] = audit.readable(page.object_list)
    else:
        context["rows"] = audit.readable_reads(page.object_list, context["filters"])
    return page_or_partial(request, "dashboards/privacy/audit.html", "results", context, status=200 if valid else 422)


def _chunks(queryset):
    last = None
    while True:
        chunk = queryset if last is None else queryset.filter(pk__lt=last)
        chunk = list(chunk[:EXPORT_CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _change_rows(filters):
    for chunk in _chunks(audit.changes(filters).order_by("-pk")):
        for row in audit.readable(chunk):
            e = row.entry
            yield [timezone.localtime(e.timestamp).replace(tzinfo=None), e.actor.get_username() if e.actor else "",
                   row.action, row.kind, row.record, row.person, audit.changes_text(row)]


def _read_rows(filters):
    after = None
    while chunk := list(audit.reads(filters, after=after)[:EXPORT_CHUNK]):
        for r in audit.readable_reads(chunk, filters):
            yield [timezone.localtime(r.at).replace(tzinfo=None), r.who, r.person, r.what]
        after = chunk[-1][2], chunk[-1][0], chunk[-1][1]


@never_cache
@require_safe
def audit_export(request, fmt: str):
    if fmt not in exports.FORMATS:
        raise Http404
    context, valid = _audit_context(request)
    if context["tab"] == "reads":
        table = exports.Table(_("Reads of personal data"), [_("When"), _("Reader"), _("Person whose data was read"),
                                                            _("Page")], _read_rows(context["filters"]))
    else:
        table = exports.Table(_("Audit trail"), [_("When"), _("Who"), _("Action"), _("Kind of record"), _("Record"),
                                                 _("Person concerned"), _("Before → after")],
                              _change_rows(context["filters"]))
    return exports.table_response(table, fmt)


def _own_employee_id(request) -> int:
    employee_id = roles.scope_of(request.user).employee_id
    if employee_id is None:
        raise Http404
    return employee_id


@never_cache
@require_safe
def my_data_page(request):
    employee, sections = my_data.personal_data(_own_employee_id(request))
    return render(request, "dashboards/privacy/my_data.html", {"employee": employee, "sections": sections})


DOWNLOADS = {
    "pdf": ("application/pdf", "pdf"),
    "json": ("application/json", "json"),
    "zip": ("application/zip", "zip"),
}


@never_cache
@require_safe
def my_data_download(request, fmt: str):
    if fmt not in DOWNLOADS:
        raise Http404
    employee, sections = my_data.personal_data(_own_employee_id(request))
    if fmt == "pdf":
        body = my_data.as_pdf(employee, sections, language=translation.get_language())
    elif fmt == "json":
        body = my_data.as_json(employee, sections)
    else:
        body = my_data.as_csv_zip(employee, sections)
    content_type, extension = DOWNLOADS[fmt]
    name = _("My data %(number)s %(date)s") % {"number": employee.employee_number,
                                                "date": timezone.localdate().isoformat()}
    return downloads.attachment(body, filename=downloads.file_name(name, extension), content_type=content_type)


@never_cache
@require_safe
def retention_page(request):
    from clo.core.retention import blocked_counts

    if not (roles.scope_of(request.user).has(roles.DATA_PROTECTION) or request.user.is_superuser):
        raise Http404
    if (download := exports.export_response(request, {
        "": lambda: tables.retention_runs(RetentionRun.objects.all()),
        "blocked": lambda: tables.retention_blocked(blocked_counts()),
    })):
        return download
    runs = list(RetentionRun.objects.all()[:24])
    for run in runs:
        run.lines = tables.retention_lines(run)
    context = {"runs": runs, "blocked": blocked_counts(), "grace_days": settings.RETENTION_GRACE_DAYS}
    return render(request, "dashboards/privacy/retention.html", context)
