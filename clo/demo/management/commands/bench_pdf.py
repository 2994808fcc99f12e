"""``manage.py bench_pdf``: time one typical two-page learning plan PDF through the project's path against bare
WeasyPrint on the same final HTML, then the bulk job on 200 plans (throughput and peak RSS); print ONE JSON line.

The synthetic data (an organisation of ``--plans`` people whose position requires six competencies, a catalogue
that closes each gap) is written inside a transaction that is rolled back at the end, and the zip goes to a
temporary media folder: the database and the media are left as they were.

``--workers 1,2`` measures the bulk job fanned out over real Celery worker processes instead (PostgreSQL and Redis:
``DATABASE_URL``, ``REDIS_URL``): for each count it starts that many workers (solo pool, on a queue of the run's
own), waits until they are ready, queues one job over the ``--plans`` plans and times it until its zip is stored;
the throughputs are printed as ratios to one worker's. The workers need the data committed: it is deleted at the
end.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.templatetags.static import static
from django.test import override_settings
from django.utils import timezone

COMPETENCIES = 6


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class _PeakRss:
    """Samples the process's resident memory every 20 ms while the block runs."""

    def __enter__(self):
        self.start = self.peak = _rss_mb()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.02):
            self.peak = max(self.peak, _rss_mb())

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss_mb())


class Rollback(Exception):
    pass


def _delete_tagged(tag: str) -> None:
    from clo.people.models import Employee, OrgUnit, Position
    from competencies.models import Area, Competency, Framework, Level, ProficiencyScale, Requirement
    from evaluations.models import CurrentLevel
    from programs.models import LearningPlan, PlanPdfJob, Program, ProgramCompetency, Session

    people = Employee.objects.filter(employee_number__startswith=f"B{tag}")
    with transaction.atomic():
        PlanPdfJob.objects.filter(unit__code=f"B-{tag}").delete()
        LearningPlan.objects.filter(employee__in=people).delete()
        CurrentLevel.objects.filter(employee__in=people).delete()
        people.delete()
        Session.objects.filter(code__endswith=f"-{tag}").delete()
        ProgramCompetency.objects.filter(program__code__endswith=f"-{tag}").delete()
        Program.objects.filter(code__endswith=f"-{tag}").delete()
        Requirement.objects.filter(position__code=f"BLT-{tag}").delete()
        Competency.objects.filter(code__endswith=f"-{tag}").delete()
        Area.objects.filter(code=f"BA-{tag}").delete()
        Framework.objects.filter(code=f"BENCH-{tag}").delete()
        Level.objects.filter(scale__code=f"bench-{tag}").delete()
        ProficiencyScale.objects.filter(code=f"bench-{tag}").delete()
        Position.objects.filter(code=f"BLT-{tag}").delete()
        OrgUnit.objects.filter(code=f"B-{tag}").delete()


class _BenchWorker:
    """A real Celery worker process (solo pool) on ``queue``, writing the job's files under ``media``; it counts the
    plans it rendered from its log."""

    def __init__(self, queue: str, media: str, number: int) -> None:
        env = {**os.environ, "CELERY_TASK_DEFAULT_QUEUE": queue, "MEDIA_ROOT": media, "PYTHONUNBUFFERED": "1",
               "DJANGO_SETTINGS_MODULE": "clo.settings", "BULK_PDF_CHUNK": str(settings.BULK_PDF_CHUNK)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "clo", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
             "-n", f"{queue}-{number}@%h"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None  # noqa: S101 - Popen with stdout=PIPE
        for line in self.process.stdout:
            self.lines.append(line)

    def wait_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while not any(" ready." in line for line in list(self.lines)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise CommandError("a worker did not start:\n" + "".join(self.lines[-30:]))
            time.sleep(0.1)

    def rendered(self) -> int:
        """Chunks this worker finished (from its log)."""
        return sum("bulk chunk done" in line for line in list(self.lines))

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)


class Command(BaseCommand):
    help = ("Benchmark learning plan PDFs: one plan through the project's path vs bare WeasyPrint on the same HTML "
            "(ratio, target ≤ 1.5), and the bulk job's throughput and peak RSS; prints one JSON line.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plans", type=int, default=200, help="plans rendered by the bulk job (default 200)")
        parser.add_argument("--repeat", type=int, default=9, help="timed renders of the single plan (median)")
        parser.add_argument("--workers", default="",
                            help="comma-separated worker counts, e.g. 1,2: the bulk job through real Celery workers")

    def handle(self, *args, plans: int, repeat: int, workers: str, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_pdf writes synthetic data; it does not run with DJANGO_ENV=production.")
        if plans < 1 or repeat < 1:
            raise CommandError("--plans and --repeat must be at least 1.")
        if workers:
            try:
                counts = [int(n) for n in workers.split(",")]
            except ValueError:
                raise CommandError("--workers takes worker counts separated by commas, e.g. 1,2.") from None
            if not counts or min(counts) < 1:
                raise CommandError("--workers takes worker counts of at least 1.")
            self.stdout.write(json.dumps(self._run_workers(plans, counts)))
            return
        result: dict = {}
        # DEBUG off: Django would otherwise keep every query's SQL in memory and blur the peak RSS.
        with tempfile.TemporaryDirectory(prefix="bench-pdf-") as media, \
                override_settings(MEDIA_ROOT=media, DEBUG=False):
            try:
                with transaction.atomic():
                    result = self._run(plans, repeat)
                    raise Rollback
            except Rollback:
                pass
        self.stdout.write(json.dumps(result))

    # --- Data ------------------------------------------------------------------------------------------------------

    def _world(self, plans: int):
        from clo.people import services as people_services
        from clo.people.models import Employee, Position
        from competencies.models import Area, Competency, Framework, Level, ProficiencyScale, Requirement
        from evaluations.models import CurrentLevel
        from programs.models import Modality, Program, ProgramCompetency, Session

        tag = uuid.uuid4().hex[:6].upper()
        scale = ProficiencyScale.objects.create(code=f"bench-{tag}", name="Escala de 4 nivells")
        Level.objects.bulk_create(Level(scale=scale, value=v, label=f"Nivell {v}") for v in range(1, 5))
        framework = Framework.objects.create(code=f"BENCH-{tag}", name="Marc de referència", scale=scale,
                                             status=Framework.Status.PUBLISHED)
        area = Area.objects.create(framework=framework, code=f"BA-{tag}", name="Competències transversals")
        unit = people_services.orgunit_create(code=f"B-{tag}", name="Servei d'Atenció Ciutadana", parent=None)
        position = Position.objects.create(code=f"BLT-{tag}", title="Tècnic/a d'atenció ciutadana", group="A2")
        starts = timezone.now() + dt.timedelta(days=20)
        competencies = []
        for i in range(COMPETENCIES):
            competency = Competency.objects.create(
                framework=framework, area=area, code=f"BC{i}-{tag}", kind="transversal",
                name=f"Competència transversal de l'administració pública número {i + 1}",
            )
            Requirement.objects.create(position=position, competency=competency, required_level=3 + i % 2,
                                       is_critical=i < 3, weight=1 + i % 3)
            program = Program.objects.create(
                code=f"BP{i}-{tag}", title=f"Curs d'especialització en gestió pública, mòdul {i + 1}",
                modality=Modality.FACE_TO_FACE, hours=Decimal(10 + i), cost=Decimal("150.00"),
            )
            ProgramCompetency.objects.create(program=program, competency=competency, level_reached=4)
            Session.objects.create(program=program, code=f"BS{i}-{tag}", starts_at=starts,
                                   ends_at=starts + dt.timedelta(hours=5), place="Sala de plens", capacity=30)
            competencies.append(competency)
        people = Employee.objects.bulk_create(
            Employee(employee_number=f"B{tag}{n:05d}", first_name="Montserrat", last_name=f"Puig i Serra {n}",
                     unit=unit, position=position, hire_date=dt.date(2010, 1, 1), language="ca")
            for n in range(plans)
        )
        CurrentLevel.objects.bulk_create(
            CurrentLevel(employee=p, competency=c, level=1 + (i % 2), source=CurrentLevel.Source.MANAGER,
                         assessed_on=dt.date(2026, 2, 1))
            for p in people for i, c in enumerate(competencies[::2])
        )
        return unit, people

    # --- Real workers ---------------------------------------------------------------------------------------------

    def _run_workers(self, plans: int, counts: list[int]) -> dict:
        from django.db import connection

        from programs.services import learning_plans

        if connection.vendor != "postgresql" or not settings.REDIS_URL:
            raise CommandError("--workers needs PostgreSQL (DATABASE_URL) and Redis (REDIS_URL): the workers are "
                               "separate processes.")
        today = timezone.localdate()
        with transaction.atomic():
            unit, people = self._world(plans)
            learning_plans.learning_plans_generate(employee_ids=[p.pk for p in people],
                                                   period_start=today - dt.timedelta(days=30),
                                                   period_end=today + dt.timedelta(days=335))
        runs: dict = {}
        try:
            with tempfile.TemporaryDirectory(prefix="bench-pdf-workers-") as media:
                for count in counts:
                    runs[str(count)] = self._timed_job(unit, count, media)
        finally:
            self._delete_world(unit, people)
        base = runs[str(counts[0])]["plans_per_s"]
        return {
            "workers": runs,
            "ratio_to_first": {n: round(run["plans_per_s"] / base, 2) for n, run in runs.items()},
            "plans": plans,
            "chunk": settings.BULK_PDF_CHUNK,
            "cpus": os.cpu_count(),
            "load_1min": round(os.getloadavg()[0], 2),
            "database": "postgresql",
        }

    def _timed_job(self, unit, count: int, media: str) -> dict:
        from programs import tasks
        from programs.models import PlanPdfJob

        queue = f"bench-pdf-{uuid.uuid4().hex[:8]}"
        processes = [_BenchWorker(queue, media, n) for n in range(count)]
        try:
            for process in processes:
                process.wait_ready()
            job = PlanPdfJob.objects.create(unit=unit, as_of=timezone.localdate())
            began = time.perf_counter()
            tasks.plan_pdf_job_run.apply_async(args=[job.pk], queue=queue)
            deadline = time.monotonic() + 3600
            while time.monotonic() < deadline:
                job.refresh_from_db()
                if job.finished:
                    break
                time.sleep(0.1)
            elapsed = time.perf_counter() - began
        finally:
            for process in processes:
                process.stop()
        shares = [process.rendered() for process in processes]
        return {"status": job.status, "plans_done": job.done_count, "failures": len(job.failures),
                "s": round(elapsed, 1), "plans_per_s": round(job.done_count / elapsed, 2),
                "chunks_per_worker": shares}

    def _delete_world(self, unit, people) -> None:
        """Remove the committed synthetic data (and the jobs of its unit), everything named after the run's tag."""
        _delete_tagged(unit.code.removeprefix("B-"))

    # --- Measures -----------------------------------------------------------------------------------------------

    def _run(self, plans: int, repeat: int) -> dict:
        from weasyprint import HTML

        from programs.models import LearningPlan, PlanPdfJob
        from programs.services import learning_plans
        from programs.services.learning_plans import pdfs as plan_pdfs

        today = timezone.localdate()
        unit, people = self._world(plans)
        start, end = today - dt.timedelta(days=30), today + dt.timedelta(days=335)
        learning_plans.learning_plans_generate(employee_ids=[p.pk for p in people], period_start=start,
                                               period_end=end)
        plan = plan_pdfs._plan_for_pdf(LearningPlan.objects.get(employee=people[0], period_start=start).pk)

        html = plan_pdfs.learning_plan_html(plan)
        css = Path(finders.find("css/pdf.css")).as_uri()
        bare_html = html.replace(static("css/pdf.css"), css)  # bare WeasyPrint reads the same stylesheet from disk
        if bare_html == html:
            raise CommandError("the PDF stylesheet link was not found in the plan's HTML")
        plan_pdfs.learning_plan_pdf(plan)  # warm-up: fonts, templates, translations
        HTML(string=bare_html).write_pdf()

        # Interleaved samples (project, bare, project, …) so that load from other processes hits both alike.
        project_samples, bare_samples = [], []
        for _ in range(repeat):
            began = time.perf_counter()
            project_bytes = len(plan_pdfs.learning_plan_pdf(plan_pdfs._plan_for_pdf(plan.pk)))
            project_samples.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            bare_bytes = len(HTML(string=bare_html).write_pdf())
            bare_samples.append((time.perf_counter() - began) * 1000)
        project_ms, bare_ms = statistics.median(project_samples), statistics.median(bare_samples)
        pages = len(HTML(string=bare_html).render().pages)

        job = PlanPdfJob.objects.create(unit=unit, as_of=today)
        with _PeakRss() as rss:
            began = time.perf_counter()
            job = plan_pdfs.plan_pdf_job_run(job.pk)
            bulk_s = time.perf_counter() - began
        return {
            "project_ms": round(project_ms, 1),
            "bare_ms": round(bare_ms, 1),
            "ratio": round(project_ms / bare_ms, 2),
            "project_min_ms": round(min(project_samples), 1),
            "bare_min_ms": round(min(bare_samples), 1),
            "pages": pages,
            "project_bytes": project_bytes,
            "bare_bytes": bare_bytes,
            "bulk_plans": job.done_count,
            "bulk_failures": len(job.failures),
            "bulk_status": job.status,
            "bulk_s": round(bulk_s, 1),
            "bulk_plans_per_s": round(job.done_count / bulk_s, 2),
            "bulk_rss_start_mb": round(rss.start, 1),
            "bulk_peak_rss_mb": round(rss.peak, 1),
            "bulk_rss_growth_mb": round(rss.peak - rss.start, 1),
            "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        }
