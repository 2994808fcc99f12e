"""The imports pages, for HR and the learning office only (everyone else: 404, whatever the method)."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.core import downloads, exports, roles
from clo.core.exports import XLSX_TYPE
from clo.core.forms import requested_page
from clo.core.htmx import apply_errors, page_or_partial
from clo.core.imports import registry, services, tables, template_files
from clo.core.imports.forms import ConfirmForm, UploadForm
from clo.core.imports.models import ImportJob
from clo.core.tasks import QueueUnavailable
from clo.core.uploads import safe_name

ERRORS_PER_PAGE = 100
RECENT_JOBS = 20


def hr_or_learning_office(view):
    """Outermost: anyone else gets 404 whatever the method (before any 405), so the pages' existence is not told."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        granted = roles.group_roles(request.user)
        if not (request.user.is_superuser or roles.CLO in granted or roles.HR in granted):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


@hr_or_learning_office
@require_http_methods(["GET", "HEAD", "POST"])
def index(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_job_create(kind=form.cleaned_data["kind"], data=upload.read(),
                                             original_name=safe_name(upload.name), requested_by=request.user,
                                             mode=form.cleaned_data["mode"])
        except QueueUnavailable as exc:
            messages.error(request, str(exc))
            return redirect("imports:index")
        return redirect("imports:job", job_id=job.pk)
    importers = registry.all_importers()
    labels = {importer.kind: importer.label for importer in importers}
    every_job = ImportJob.objects.select_related("requested_by")
    if (download := exports.export_response(request, lambda: tables.jobs(every_job, labels))):
        return download
    jobs = list(every_job[:RECENT_JOBS])
    for job in jobs:
        job.kind_label = labels.get(job.kind, job.kind)
    context = {"form": form, "importers": importers, "jobs": jobs}
    return page_or_partial(request, "imports/index.html", "upload-form", context,
                           status=422 if request.method == "POST" else 200)


def _page(request, count: int) -> int:
    pages = max((count - 1) // ERRORS_PER_PAGE + 1, 1)
    return min(requested_page(request.GET), pages)


def _render_job(request, job: ImportJob, *, confirm_form: ConfirmForm | None = None, status: int = 200):
    """The import's page (its status partial for HTMX): progress, counts, the confirmation, the undo, the errors."""
    page = _page(request, len(job.errors))
    start = (page - 1) * ERRORS_PER_PAGE
    context = {
        "job": job, "importer": registry.get(job.kind), "processed": services.progress_of(job),
        "errors": job.messages()[start:start + ERRORS_PER_PAGE], "page": page,
        "has_previous": page > 1, "has_next": start + ERRORS_PER_PAGE < len(job.errors),
        "errors_hidden": job.error_count - len(job.errors),
        "confirm_form": confirm_form or ConfirmForm(job=job), "can_undo": job.undoable_at(timezone.now()),
    }
    return page_or_partial(request, "imports/job.html", "job-status", context, status=status)


@hr_or_learning_office
@require_safe
def job_detail(request, job_id: int):
    job = get_object_or_404(ImportJob.objects.select_related("requested_by", "undone_by"), pk=job_id)
    if (download := exports.export_response(request, lambda: tables.job_errors(job))):
        return download
    return _render_job(request, job)


@hr_or_learning_office
@require_POST
def job_confirm(request, job_id: int):
    job = get_object_or_404(ImportJob.objects.select_related("requested_by", "undone_by"), pk=job_id)
    form = ConfirmForm(request.POST, job=job)
    form.is_valid()
    try:
        confirmed = services.import_job_confirm(job, confirmation=form.cleaned_data.get("confirmation", ""))
    except ValidationError as exc:  # the number of people it deactivates was not typed: nothing is written
        apply_errors(form, exc)
        return _render_job(request, job, confirm_form=form, status=422)
    except QueueUnavailable as exc:
        messages.error(request, str(exc))
        return redirect("imports:job", job_id=job.pk)
    if not confirmed:
        messages.error(request, _("This import cannot be confirmed: it has rows in error, or it was confirmed "
                                  "already."))
    return redirect("imports:job", job_id=job.pk)


@hr_or_learning_office
@require_http_methods(["GET", "HEAD", "POST"])
def job_undo(request, job_id: int):
    """GET: what the undo restores, and the button; POST: undo it (refused with the reason once too late)."""
    job = get_object_or_404(ImportJob.objects.select_related("requested_by"), pk=job_id)
    if request.method == "POST":
        try:
            services.import_job_undo(job_id=job.pk, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The import was undone."))
        return redirect("imports:job", job_id=job.pk)
    if not job.undoable_at(timezone.now()):
        messages.error(request, _("This import can no longer be undone."))
        return redirect("imports:job", job_id=job.pk)
    counts = dict(job.changes.values("action").annotate(count=Count("pk")).values_list("action", "count"))
    return render(request, "imports/undo.html", {"job": job, "importer": registry.get(job.kind), "counts": counts})


@hr_or_learning_office
@require_safe
def template_download(request, kind: str, fmt: str):
    importer = registry.get(kind)
    if importer is None or fmt not in ("csv", "xlsx"):
        raise Http404
    if fmt == "csv":
        body, content_type = template_files.template_csv(importer), "text/csv; charset=utf-8"
    else:
        body, content_type = template_files.template_xlsx(importer), XLSX_TYPE
    return downloads.attachment(body, filename=f"clo-{kind}.{fmt}", content_type=content_type)
