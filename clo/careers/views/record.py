"""The training record as PDF: a person's own, or one person's for their director, HR and the learning office; and
HR's bulk job (a unit's people, or everyone, in one zip). Every download is a read of personal data (competencies
certified) and is logged."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from clo.careers.forms.record import RecordJobForm
from clo.careers.models import RecordPdfJob
from clo.careers.selectors.grades import can_manage_rules, person_in_scope
from clo.careers.services import record as services
from clo.core import downloads
from clo.core.audit import record_read
from clo.core.htmx import page_or_partial, redirect_after_post
from clo.core.models import PersonalDataRead
from clo.core.tasks import QueueUnavailable
from clo.people.roles import scope_of


def _download(request, employee_id: int):
    employee = person_in_scope(request.user, employee_id)
    record_read(request, PersonalDataRead.What.TRAINING_RECORD, subjects=[employee.pk])
    return downloads.attachment(services.record_pdf(employee), filename=services.record_filename(employee),
                                content_type="application/pdf")


@require_safe
def my_record(request):
    scope = scope_of(request.user)
    if scope.employee_id is None:
        raise Http404
    return _download(request, scope.employee_id)


@require_safe
def record_pdf(request, employee_id: int):
    return _download(request, employee_id)


def _hr(request) -> None:
    if not can_manage_rules(scope_of(request.user)):
        raise Http404


@require_http_methods(["GET", "HEAD", "POST"])
def record_jobs(request):
    _hr(request)
    form = RecordJobForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = services.record_pdf_job_request(unit=form.cleaned_data["unit"], requested_by=request.user)
            return redirect_after_post(request, reverse("careers:record_job", args=[job.pk]))
        except QueueUnavailable as error:
            form.add_error(None, str(error))
    jobs = RecordPdfJob.objects.select_related("unit").order_by("-created_at", "-pk")[:20]
    return page_or_partial(request, "careers/record/jobs.html", "job-form", {"form": form, "jobs": jobs},
                           status=422 if form.is_bound else 200)


@require_safe
def record_job(request, job_id: int):
    _hr(request)
    job = get_object_or_404(RecordPdfJob.objects.select_related("unit"), pk=job_id)
    chunks = services.record_pdf_job_chunks(job) if job.status == RecordPdfJob.Status.RUNNING else (0, 0)
    return page_or_partial(request, "careers/record/job.html", "progress", {"job": job, "chunks": chunks})


@require_safe
def record_job_download(request, job_id: int):
    _hr(request)
    job = get_object_or_404(RecordPdfJob.objects.select_related("unit"), pk=job_id, status=RecordPdfJob.Status.DONE)
    record_read(request, PersonalDataRead.What.TRAINING_RECORDS,
                subjects=services.record_job_people(job).values_list("pk"))
    return downloads.private_file(job.file, filename=services.record_job_download_name(job),
                                  content_type="application/zip")
