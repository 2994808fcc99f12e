"""``manage.py bench_pdf``: time one typical two-page learning plan PDF through the project's path against bare
WeasyPrint on the same final HTML, then the bulk job on 200 plans (throughput and peak RSS); print ONE JSON line.

The synthetic data (an organisation of ``--plans`` people whose position requires six competencies, a catalogue
that closes each gap) is written inside a transaction that is rolled back at the end, and the zip goes to a
temporary media folder: the database and the media are left as they were.
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
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


class Command(BaseCommand):
    help = ("Benchmark learning plan PDFs: one plan through the project's path vs bare WeasyPrint on the same HTML "
            "(ratio, target ≤ 1.5), and the bulk job's throughput and peak RSS; prints one JSON line.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--plans", type=int, default=200, help="plans rendered by the bulk job (default 200)")
        parser.add_argument("--repeat", type=int, default=9, help="timed renders of the single plan (median)")

    def handle(self, *args, plans: int, repeat: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_pdf writes synthetic data; it does not run with DJANGO_ENV=production.")
        if plans < 1 or repeat < 1:
            raise CommandError("--plans and --repeat must be at least 1.")
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
