"""Learning plan PDFs: one plan, and the bulk job that renders a unit's (or the organisation's) plans into a zip.

The bulk job is a status-machine row (``PlanPdfJob``): requested (pending) by HR, claimed by one worker with a guarded
UPDATE (and, on PostgreSQL, an advisory lock that lives as long as the worker's connection), rendered plan by plan
into parts stored under the job (one PDF in memory at a time: memory stays flat with the number of plans), zipped on a
temporary local file and moved into place through Django's storage under a path that depends only on the job.
Running the task twice is harmless: the second claim changes no row and returns. A job whose worker was lost is
queued again (``plan_pdf_jobs_resume_lost``: at worker start-up and every 5 minutes) and renders only the plans
whose part is not there yet: each plan is in the zip exactly once.
"""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import logging
import os
import tempfile
import zipfile
from contextlib import contextmanager
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_lazy

from clo.core import pdf
from clo.core.jobs import stale_before
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
    gaps = sel.plan_gaps(plan.employee_id)
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


# --- Bulk job ----------------------------------------------------------------------------------------------------

JOB_LOCK_CLASS = 0x706466  # "pdf": advisory lock (class, job id) held by the worker rendering the job (PostgreSQL)
QUEUE_GRACE = dt.timedelta(minutes=2)  # a pending job younger than this still has its message on the way
# Stored in English (the job page shows its own message for a failed job).
LOST = "The job stopped without finishing (its worker was lost) and was not resumed in time."
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


def resume_window() -> dt.timedelta:
    """A job whose worker was lost is resumed if it was requested within three hard time limits; a job that kills
    its worker every time is marked failed after that."""
    return 3 * dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@contextmanager
def _job_lock(job_id: int):
    """Try to become the one process rendering the job; yields whether it succeeded. On PostgreSQL a session advisory
    lock, released by the server as soon as the worker's connection is gone (killed worker): holding it proves that
    a ``running`` row is an orphan. Elsewhere (SQLite, the embedded default) always True; staleness goes by time."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [JOB_LOCK_CLASS, job_id])
        held = cursor.fetchone()[0]
    try:
        yield held
    finally:
        if held:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [JOB_LOCK_CLASS, job_id])
            except DatabaseError:  # the connection is gone, and its lock with it
                logger.warning("learning plan PDF job %s: lock not released, connection lost", job_id)


def job_zip_name(job: PlanPdfJob) -> str:
    """Deterministic: one zip per job, under the job's random folder (unguessable)."""
    scope = job.unit.code if job.unit_id else "organisation"
    return f"{job.file_folder('learning-plans/jobs')}/learning-plans-{slugify(scope)}-{job.as_of:%Y%m%d}.zip"


def _parts_dir(job: PlanPdfJob) -> str:
    return f"{job.file_folder('learning-plans/jobs')}/parts"


def _part_name(job: PlanPdfJob, plan_id: int) -> str:
    """Each plan's PDF is stored on its own first, under a name that depends only on the job and the plan: a job
    resumed after its worker was lost renders only the plans that are not there yet."""
    return f"{_parts_dir(job)}/{plan_id}.pdf"


def _part_complete(name: str) -> bool:
    """A part a lost worker was writing may be cut short: a complete PDF ends with its %%EOF marker."""
    if not default_storage.exists(name):
        return False
    size = default_storage.size(name)
    with default_storage.open(name, "rb") as handle:
        handle.seek(max(0, size - 32))
        return b"%%EOF" in handle.read()


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


def _chunks(plans):
    """The plans in primary-key order, ``CHUNK`` at a time, with what the zip entry names need."""
    last = 0
    while True:
        chunk = list(plans.filter(pk__gt=last).select_related("employee__unit").order_by("pk")[:CHUNK])
        if not chunk:
            return
        yield chunk
        last = chunk[-1].pk


def _render_parts(job: PlanPdfJob, plans) -> None:
    """Render every plan that has no complete part yet (one PDF in memory at a time) and count progress."""
    fonts = pdf.font_configuration()  # one for the whole job: memory stays flat with the number of plans
    for chunk in _chunks(plans):
        for light in chunk:
            part = _part_name(job, light.pk)
            failure = None
            if not _part_complete(part):
                plan = _plan_for_pdf(light.pk)
                if plan is not None:
                    try:
                        data = learning_plan_pdf(plan, font_config=fonts)
                        if default_storage.exists(part):  # cut short by a lost worker
                            default_storage.delete(part)
                        default_storage.save(part, ContentFile(data))
                        del data
                    except Exception as exc:  # noqa: BLE001 - one bad plan must not sink the others; it is listed
                        logger.exception("learning plan PDF %s failed", light.pk)
                        failure = {"plan": light.pk, "employee": plan.employee.full_name, "error": str(exc)[:300]}
            update = {"done_count": F("done_count") + 1}
            if failure:
                job.failures.append(failure)
                update["failures"] = job.failures
            PlanPdfJob.objects.filter(pk=job.pk).update(**update)
        _release_memory()


def _zip_parts(archive: zipfile.ZipFile, job: PlanPdfJob, plans) -> None:
    """Every rendered plan once, in primary-key order, read back one at a time."""
    for chunk in _chunks(plans):
        for plan in chunk:
            part = _part_name(job, plan.pk)
            if default_storage.exists(part):
                with default_storage.open(part, "rb") as handle:
                    archive.writestr(_entry_name(plan), handle.read())


def _delete_parts(job: PlanPdfJob) -> None:
    directory = _parts_dir(job)
    try:
        _dirs, files = default_storage.listdir(directory)
    except (FileNotFoundError, NotImplementedError):
        return
    for name in files:
        default_storage.delete(f"{directory}/{name}")
    try:
        os.rmdir(default_storage.path(directory))
    except (NotImplementedError, OSError):  # not a local storage, or not empty: nothing to tidy
        pass


def plan_pdf_job_run(job_id: int) -> PlanPdfJob | None:
    """Execute a job: claim, count, render the plans not rendered yet, zip them into place, mark it done.
    Returns None when the job is gone, finished, or another worker has it (safe to run twice, and to run again after
    its worker was lost: the plans already rendered are not rendered again)."""
    with _job_lock(job_id) as held:
        # On PostgreSQL holding the lock proves a running row's worker is gone; the plans it already rendered are
        # kept (``_render_parts`` skips them), only the progress starts again.
        owner_gone = connection.vendor == "postgresql"
        if not held or not PlanPdfJob.claim(job_id, owner_gone=owner_gone, done_count=0, failures=[]):
            return None
        _execute(PlanPdfJob.objects.select_related("unit").get(pk=job_id))
    job = PlanPdfJob.objects.get(pk=job_id)
    return job


def _execute(job: PlanPdfJob) -> None:
    from programs.selectors import learning_plans as sel

    plans = sel.plans_for_pdf_job(job)
    job.total = plans.count()
    PlanPdfJob.objects.filter(pk=job.pk).update(total=job.total)
    tmp = tempfile.NamedTemporaryFile(prefix=f"plan-pdfs-{job.pk}-", suffix=".zip", delete=False)
    try:
        _render_parts(job, plans)
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_STORED) as archive:
            _zip_parts(archive, job, plans)
        tmp.close()
        name = job_zip_name(job)
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(tmp.name, "rb") as handle:
            stored = default_storage.save(name, File(handle))
        PlanPdfJob.complete(job.pk, file=stored)
        _delete_parts(job)
    except Exception as exc:
        logger.exception("learning plan PDF job %s failed", job.pk)
        PlanPdfJob.fail(job.pk, exc)
    finally:
        tmp.close()
        if os.path.exists(tmp.name):
            os.unlink(tmp.name)


def _owner_gone(job: PlanPdfJob) -> bool:
    if connection.vendor != "postgresql":
        return job.started_at is not None and job.started_at < stale_before()
    with _job_lock(job.pk) as held:
        return held


def plan_pdf_jobs_resume_lost() -> list[int]:
    """Queue again the jobs whose worker was lost (``running``, nobody holds their lock) and the pending ones whose
    message may have been lost (Redis restarted empty); the worker at start-up and a beat job call this. Jobs older
    than ``resume_window`` are marked failed instead. Returns the ids queued."""
    from programs.tasks import plan_pdf_job_run as task

    now = timezone.now()
    queued = []
    unfinished = PlanPdfJob.objects.filter(status__in=[PlanPdfJob.Status.PENDING, PlanPdfJob.Status.RUNNING])
    for job in unfinished.only("pk", "status", "created_at", "started_at"):
        if job.status == PlanPdfJob.Status.PENDING and job.created_at > now - QUEUE_GRACE:
            continue
        if job.status == PlanPdfJob.Status.RUNNING and not _owner_gone(job):
            continue
        if job.created_at < now - resume_window():
            PlanPdfJob.fail(job.pk, LOST, only_if=job.status)
            continue
        task.delay(job.pk)
        queued.append(job.pk)
    if queued:
        logger.warning("learning plan PDF job(s) %s queued again (worker or message lost)", queued)
    return queued
