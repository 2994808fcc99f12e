"""Learning plan PDFs: one plan, and the bulk job that renders a unit's (or the organisation's) plans into a zip.

The bulk job is a status-machine row (``PlanPdfJob``) run by the bulk PDF engine (``clo.core.bulk_pdf``, shared with
the training records of ``clo.careers``): claimed by one worker, split into chunks that any number of workers render
plan by plan into parts, zipped into place by whoever finishes the last chunk, resumed when a worker was lost. This module says which plans, how each is rendered and named.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from clo.core import bulk_pdf, pdf
from clo.core.tasks import QueueUnavailable, queue_on_commit  # noqa: F401 - QueueUnavailable: interface
from programs.models import LearningPlan, PlanPdfJob

if TYPE_CHECKING:
    from django.contrib.auth.models import User

logger = logging.getLogger(__name__)

TEMPLATE = "programs/plans/pdf/plan.html"
CHUNK = 25


# --- One plan ------------------------------------------------------------------------------------------------------


def _plan_context(plan: LearningPlan) -> dict:
    from clo.core.charts import level_bars
    from programs.selectors import learning_plans as sel

    active, _retired = sel.plan_items(plan)
    gaps = sel.gap_resources(sel.plan_gaps(plan.employee_id))  # the page's resources per gap, printed too
    uncovered = sel.plan_gap_coverage(plan, gaps, active)
    chart = level_bars(
        [(g.competency.name, None if g.not_assessed else g.current_level, g.required_level, g.scale_max)
         for g in gaps],
        title=str(gettext_lazy("Current and required levels")),
        current_label=str(gettext_lazy("Current level")),
        required_label=str(gettext_lazy("Required level")),
        not_assessed_label=str(gettext_lazy("Not assessed")),
        axis_label=str(gettext_lazy("Levels from 0 to %(maximum)s (grey: each competency's own scale)")),
    ) if gaps else ""
    return {
        "plan": plan, "employee": plan.employee, "items": active, "gaps": gaps, "chart": chart, "uncovered": uncovered,
        "with_resources": [gap for gap in gaps if gap.resources],
        "progress": sel.plan_progress(active), "organisation_name": settings.CLO_ORGANISATION_NAME,
        "printed_on": timezone.localdate(),
    }


def plan_language(plan: LearningPlan) -> str:
    return plan.employee.language or settings.LANGUAGE_CODE


def plan_pdf_filename(plan: LearningPlan) -> str:
    """"pla-d-aprenentatge-2027-soler-camps-pere-00123.pdf", in the language of the PDF (the person's)."""
    from clo.core.downloads import file_name

    employee = plan.employee
    with translation.override(plan_language(plan)):
        title = gettext("Learning plan %(year)s · %(name)s") % {
            "year": f"{plan.period_start:%Y}", "name": f"{employee.last_name} {employee.first_name}"}
    return file_name(f"{title} {employee.employee_number}", "pdf")


def job_download_name(job: PlanPdfJob) -> str:
    """The zip's name as the person who downloads it reads it: "plans-d-aprenentatge-àrea-de-serveis-2027-01-31.zip"."""
    from clo.core.downloads import file_name

    scope = job.unit.name if job.unit_id else gettext("The whole organisation")
    return file_name(f"{gettext('Learning plans')} {scope} {job.as_of:%Y-%m-%d}", "zip")


def _plan_for_pdf(plan_id: int) -> LearningPlan | None:
    from django.db.models import Prefetch

    from programs.models import LearningPlanItem

    items = LearningPlanItem.objects.select_related("program", "competency").order_by("-critical", "due_date", "pk")
    return (
        LearningPlan.objects.select_related("employee__unit", "employee__position")
        .prefetch_related(Prefetch("items", queryset=items))
        .filter(pk=plan_id).first()
    )


def learning_plan_html(plan: LearningPlan) -> str:
    """The final HTML of a plan's PDF, in the employee's language (Catalan by default)."""
    language = plan_language(plan)
    from django.utils import translation

    with translation.override(language):
        context = _plan_context(plan)
    return pdf.render_html(TEMPLATE, context, language=language)


def learning_plan_pdf(plan: LearningPlan, *, font_config=None) -> bytes:
    """The plan's PDF (``plan`` loaded with employee, unit, position and items, as ``plan_for_page`` does). A batch
    passes one ``font_config`` for all its plans (``clo.core.pdf.font_configuration``)."""
    return pdf.html_to_pdf(learning_plan_html(plan), font_config=font_config)


# --- Bulk job (clo.core.bulk_pdf) ----------------------------------------------------------------------------------

JOB_LOCK_CLASS = 0x706466  # "pdf": advisory lock (class, job id) held by the worker rendering the job (PostgreSQL)
LOST = bulk_pdf.LOST
NOT_QUEUED = "The job could not be queued because the task queue was not available."


def plan_pdf_job_request(*, unit=None, as_of: dt.date, requested_by: User | None = None) -> PlanPdfJob:
    """HR asks for the PDFs of a unit's subtree (or of the organisation, ``unit=None``): a pending job, queued on
    commit. Raises ``QueueUnavailable`` (after marking the job failed) when the broker cannot take it."""
    from programs.tasks import plan_pdf_job_run as task

    with transaction.atomic():
        job = PlanPdfJob(unit=unit, as_of=as_of, requested_by=requested_by)
        job.full_clean()
        job.save()
        queue_on_commit(task, job.pk, release=partial(_release_unqueued, job.pk))
    return job


def _release_unqueued(job_id: int) -> None:
    PlanPdfJob.fail(job_id, NOT_QUEUED, only_if=PlanPdfJob.Status.PENDING)


def job_zip_name(job: PlanPdfJob) -> str:
    """Deterministic: one zip per job, under the job's random folder (unguessable)."""
    scope = job.unit.code if job.unit_id else "organisation"
    return f"{job.file_folder('learning-plans/jobs')}/learning-plans-{slugify(scope)}-{job.as_of:%Y%m%d}.zip"


def _part_name(job: PlanPdfJob, plan_id: int) -> str:
    return BULK.part_name(job, plan_id)


def _entry_name(plan: LearningPlan) -> str:
    return f"{slugify(plan.employee.unit.code) or 'unit'}/{plan_pdf_filename(plan)}"


def _render(plan_id: int, fonts) -> tuple[bytes, dict] | None:
    plan = _plan_for_pdf(plan_id)
    if plan is None:  # gone since the job counted it
        return None
    return learning_plan_pdf(plan, font_config=fonts), {}


def _describe(plan_id: int) -> dict:
    name = LearningPlan.objects.filter(pk=plan_id).values_list("employee__first_name", "employee__last_name").first()
    return {"plan": plan_id, "employee": " ".join(name) if name else ""}


def _plans(job: PlanPdfJob):
    from programs.selectors import learning_plans as sel

    return sel.plans_for_pdf_job(job)


def _task():
    from programs.tasks import plan_pdf_job_run

    return plan_pdf_job_run


def _work_task():
    from programs.tasks import plan_pdf_job_work

    return plan_pdf_job_work


BULK = bulk_pdf.BulkPdf(
    model=PlanPdfJob, folder="learning-plans/jobs", lock_class=JOB_LOCK_CLASS, label="learning plan PDF",
    items=_plans, render=lambda pk, fonts: _render(pk, fonts), describe=_describe,
    entry_name=lambda plan: _entry_name(plan), zip_name=job_zip_name, task=_task, work_task=_work_task,
    related=("employee__unit",),
)


def plan_pdf_job_run(job_id: int) -> PlanPdfJob | None:
    """Execute a job (``clo.core.bulk_pdf.run``); None when the job is gone, finished, or another worker has it."""
    return bulk_pdf.run(BULK, job_id)


def plan_pdf_job_work(job_id: int) -> PlanPdfJob | None:
    """Render chunks of a running job with the other workers (``clo.core.bulk_pdf.work``); the job once this call
    assembled its zip, None otherwise."""
    return bulk_pdf.work(BULK, job_id)


def plan_pdf_job_chunks(job: PlanPdfJob) -> tuple[int, int]:
    """(chunks done, chunks) of a running job, for its page."""
    return bulk_pdf.chunk_progress(BULK, job)


def plan_pdf_jobs_resume_lost() -> list[int]:
    """Queue again the jobs whose worker or message was lost (``clo.core.bulk_pdf.resume_lost``)."""
    return bulk_pdf.resume_lost(BULK)
