"""The training record (*expedient formatiu*) as a tagged PDF (PDF/UA, like the learning plans), in the person's
language."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.text import slugify

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from clo.core import bulk_pdf, pdf
from clo.core.tasks import queue_on_commit

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from clo.careers.models import RecordPdfJob
    from clo.people.models import Employee, OrgUnit

TEMPLATE = "careers/record/pdf.html"


def record_language(employee: Employee) -> str:
    return employee.language or settings.LANGUAGE_CODE


def record_filename(employee: Employee) -> str:
    """"expedient-formatiu-soler-camps-pere-00123.pdf", in the language of the PDF (the person's)."""
    from clo.core.downloads import file_name

    with translation.override(record_language(employee)):
        title = gettext("Training record · %(name)s") % {"name": f"{employee.last_name} {employee.first_name}"}
    return file_name(f"{title} {employee.employee_number}", "pdf")


def record_html(employee: Employee) -> str:
    from clo.careers.selectors.record import record_context

    language = record_language(employee)
    with translation.override(language):
        context = record_context(employee)
    return pdf.render_html(TEMPLATE, context, language=language)


def record_pdf(employee: Employee, *, font_config=None) -> bytes:
    """The PDF of ``employee`` (loaded with unit and position)."""
    return pdf.html_to_pdf(record_html(employee), font_config=font_config)


# --- Bulk job (clo.core.bulk_pdf) ----------------------------------------------------------------------------------

JOB_LOCK_CLASS = 0x726563  # "rec": advisory lock (class, job id) held by the worker rendering the job (PostgreSQL)


def record_job_people(job: RecordPdfJob):
    """The people a job renders: the active staff of the unit's subtree (or of the organisation)."""
    from clo.people.models import Employee

    people = Employee.objects.active().filter(blocked_at__isnull=True)
    return people.in_units([job.unit.path]) if job.unit is not None else people


def _render(employee_id: int, fonts) -> tuple[bytes, dict] | None:
    from clo.people.models import Employee

    employee = Employee.objects.select_related("unit", "position").filter(pk=employee_id).first()
    return None if employee is None else (record_pdf(employee, font_config=fonts), {})


def _describe(employee_id: int) -> dict:
    from clo.people.models import Employee

    name = Employee.objects.filter(pk=employee_id).values_list("first_name", "last_name").first()
    return {"employee_id": employee_id, "employee": " ".join(name) if name else ""}


def record_job_zip_name(job: RecordPdfJob) -> str:
    """Deterministic: one zip per job, under the job's random folder (unguessable)."""
    scope = job.unit.code if job.unit is not None else "organisation"
    return f"{job.file_folder('training-records/jobs')}/training-records-{slugify(scope)}-{job.created_at:%Y%m%d}.zip"


def record_job_download_name(job: RecordPdfJob) -> str:
    from clo.core.downloads import file_name

    scope = job.unit.name if job.unit is not None else gettext("The whole organisation")
    return file_name(f"{gettext('Training records')} {scope} {job.created_at:%Y-%m-%d}", "zip")


def _task():
    from clo.careers.tasks import record_pdf_job_run

    return record_pdf_job_run


def _work_task():
    from clo.careers.tasks import record_pdf_job_work

    return record_pdf_job_work


def _bulk() -> bulk_pdf.BulkPdf:
    from clo.careers.models import RecordPdfJob

    return bulk_pdf.BulkPdf(
        model=RecordPdfJob, folder="training-records/jobs", lock_class=JOB_LOCK_CLASS, label="training record PDF",
        items=record_job_people, render=_render, describe=_describe,
        entry_name=lambda e: f"{slugify(e.unit.code) or 'unit'}/{record_filename(e)}", zip_name=record_job_zip_name,
        task=_task, work_task=_work_task, related=("unit",),
    )


def record_pdf_job_request(*, unit: OrgUnit | None = None, requested_by: User | None = None) -> RecordPdfJob:
    """HR asks for the records of a unit's subtree (or of the organisation): a pending job, queued on commit. Raises
    ``QueueUnavailable`` (after marking the job failed) when the broker cannot take it."""
    from clo.careers.models import RecordPdfJob

    with transaction.atomic():
        job = RecordPdfJob(unit=unit, requested_by=requested_by)
        job.full_clean()
        job.save()
        queue_on_commit(_task(), job.pk, release=lambda: RecordPdfJob.release_unqueued(job.pk))
    return job


def record_pdf_job_run(job_id: int) -> RecordPdfJob | None:
    return bulk_pdf.run(_bulk(), job_id)


def record_pdf_job_work(job_id: int) -> RecordPdfJob | None:
    """Render chunks of a running job with the other workers (``clo.core.bulk_pdf.work``)."""
    return bulk_pdf.work(_bulk(), job_id)


def record_pdf_job_chunks(job: RecordPdfJob) -> tuple[int, int]:
    """(chunks done, chunks) of a running job, for its page."""
    return bulk_pdf.chunk_progress(_bulk(), job)


def record_pdf_jobs_resume_lost() -> list[int]:
    return bulk_pdf.resume_lost(_bulk())
