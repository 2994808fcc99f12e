"""Learning plan PDFs: one plan, and the bulk job that renders a unit's (or the organisation's) plans into a zip.

The bulk job is a status-machine row (``PlanPdfJob``): requested (pending) by HR, claimed by one worker with a guarded
UPDATE, rendered plan by plan into a zip written on a temporary local file (one PDF in memory at a time: memory stays
flat with the number of plans), then moved into place through Django's storage under a path that depends only on the
job. Running the task twice is harmless: the second claim changes no row and returns.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import logging
import os
import tempfile
import zipfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy

from clo.core import pdf
from programs.models import LearningPlan, PlanPdfJob

logger = logging.getLogger(__name__)

TEMPLATE = "programs/plans/pdf/plan.html"
CHUNK = 25


# --- One plan ------------------------------------------------------------------------------------------------------


def _plan_context(plan: LearningPlan) -> dict:
    from clo.core.charts import level_bars
    from programs import selectors_plans as sel

    active, _retired = sel.plan_items(plan)
    gaps = sel.plan_gaps(plan.employee_id)
    chart = level_bars(
        [(g.competency.name, g.current_level, g.required_level, g.scale_max) for g in gaps],
        title=str(gettext_lazy("Current and required levels")),
        current_label=str(gettext_lazy("Current level")),
        required_label=str(gettext_lazy("Required level")),
    ) if gaps else ""
    return {
        "plan": plan, "employee": plan.employee, "items": active, "gaps": gaps, "chart": chart,
        "progress": sel.plan_progress(active), "organisation_name": settings.CLO_ORGANISATION_NAME,
        "printed_on": timezone.localdate(),
    }


def plan_language(plan: LearningPlan) -> str:
    return plan.employee.language or settings.LANGUAGE_CODE


def plan_pdf_filename(plan: LearningPlan) -> str:
    employee = plan.employee
    name = slugify(f"{employee.last_name} {employee.first_name}") or "employee"
    return f"learning-plan-{plan.period_start:%Y}-{employee.employee_number}-{name}.pdf"


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


# --- Bulk job ----------------------------------------------------------------------------------------------------


def plan_pdf_job_request(*, unit=None, as_of: dt.date, requested_by=None) -> PlanPdfJob:
    """HR asks for the PDFs of a unit's subtree (or of the organisation, ``unit=None``): a pending job, queued on
    commit."""
    from programs.tasks import plan_pdf_job_run as task

    with transaction.atomic():
        job = PlanPdfJob(unit=unit, as_of=as_of, requested_by=requested_by)
        job.full_clean()
        job.save()
        task.delay_on_commit(job.pk)
    return job


def _stale_before() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


def _claim(job_id: int) -> bool:
    """pending → running (or a running row whose worker was lost) must change exactly one row."""
    claimable = Q(status=PlanPdfJob.Status.PENDING) | Q(status=PlanPdfJob.Status.RUNNING, started_at__lt=_stale_before())
    return PlanPdfJob.objects.filter(claimable, pk=job_id).update(
        status=PlanPdfJob.Status.RUNNING, started_at=timezone.now(), done_count=0, failures=[], error=""
    ) == 1


def job_zip_name(job: PlanPdfJob) -> str:
    """Deterministic: one zip per job."""
    scope = job.unit.code if job.unit_id else "organisation"
    return f"learning-plans/jobs/{job.pk}/learning-plans-{slugify(scope)}-{job.as_of:%Y%m%d}.zip"


def _entry_name(plan: LearningPlan) -> str:
    return f"{slugify(plan.employee.unit.code) or 'unit'}/{plan_pdf_filename(plan)}"


def _release_memory() -> None:
    """Give freed memory back to the system between chunks: WeasyPrint's native libraries (Pango, HarfBuzz) free
    many small blocks that glibc would otherwise keep, and the process would grow with the number of plans."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


def _render_into(archive: zipfile.ZipFile, job: PlanPdfJob, plans) -> None:
    fonts = pdf.font_configuration()  # one for the whole job: memory stays flat with the number of plans
    last = 0
    while True:
        ids = list(plans.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
        if not ids:
            return
        for plan_id in ids:
            plan = _plan_for_pdf(plan_id)
            failure = None
            if plan is not None:
                try:
                    data = learning_plan_pdf(plan, font_config=fonts)
                    archive.writestr(_entry_name(plan), data)
                    del data
                except Exception as exc:  # noqa: BLE001 - one bad plan must not sink the others; it is listed
                    logger.exception("learning plan PDF %s failed", plan_id)
                    failure = {"plan": plan_id, "employee": plan.employee.full_name, "error": str(exc)[:300]}
            update = {"done_count": F("done_count") + 1}
            if failure:
                job.failures.append(failure)
                update["failures"] = job.failures
            PlanPdfJob.objects.filter(pk=job.pk).update(**update)
        last = ids[-1]
        _release_memory()


def plan_pdf_job_run(job_id: int) -> PlanPdfJob | None:
    """Execute a job: claim, count, render every plan into a temporary zip, move it into place, mark it done.
    Returns None when the job is gone or someone else has it (safe to run twice)."""
    if not _claim(job_id):
        return None
    job = PlanPdfJob.objects.select_related("unit").get(pk=job_id)
    from programs import selectors_plans as sel

    plans = sel.plans_for_pdf_job(job)
    job.total = plans.count()
    PlanPdfJob.objects.filter(pk=job.pk).update(total=job.total)
    tmp = tempfile.NamedTemporaryFile(prefix=f"plan-pdfs-{job.pk}-", suffix=".zip", delete=False)
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            _render_into(archive, job, plans)
        tmp.close()
        name = job_zip_name(job)
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(tmp.name, "rb") as handle:
            stored = default_storage.save(name, File(handle))
        PlanPdfJob.objects.filter(pk=job.pk).update(
            status=PlanPdfJob.Status.DONE, file=stored, finished_at=timezone.now()
        )
    except Exception as exc:
        logger.exception("learning plan PDF job %s failed", job.pk)
        PlanPdfJob.objects.filter(pk=job.pk).update(
            status=PlanPdfJob.Status.FAILED, error=str(exc)[:1000] or exc.__class__.__name__,
            finished_at=timezone.now(),
        )
    finally:
        tmp.close()
        if os.path.exists(tmp.name):
            os.unlink(tmp.name)
    job.refresh_from_db()
    return job
