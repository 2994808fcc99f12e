"""``manage.py bench_expertise --employees N``: seed (or reuse) the demo council of N employees, then time the
expertise directory's search through the test client and the matching of a challenge project's 200 applicants, and
print ONE JSON line: per figure the median and p95 in milliseconds, the SQL queries of one run, and the p95 as a ratio
to the floor measured in the same run (the health check). Targets (issue 19): directory search p95 ≤ 150 ms and
project matching for 200 applicants ≤ 300 ms at 250 000 employees."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from clo.demo.bench import demo_of_size, bench_personas, time_call, time_views
from clo.demo.management.commands.bench_dashboards import HX

APPLICANTS = 200
BENCH_PROJECT = "Banc de proves: 200 candidatures"


class Command(BaseCommand):
    help = ("Benchmark the expertise directory's search and the matching of a challenge project's 200 applicants on "
            "the demo council of N employees and print one JSON line.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, required=True, help="size of the organisation")
        parser.add_argument("--requests", type=int, default=50, help="timed runs per figure (default 50, min 20)")
        parser.add_argument("--seed", type=int, default=42, help="random seed of the generated organisation")

    def handle(self, *args, employees: int, requests: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_expertise writes demo data; it does not run with DJANGO_ENV=production.")
        if requests < 20:
            raise CommandError("--requests must be at least 20.")
        from clo.people.models import Employee

        extra = demo_of_size(employees, seed)
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            result = self._measure(requests)
        print(json.dumps({"employees": Employee.objects.filter(active=True).count(), "vendor": connection.vendor,
                          "requests_per_view": requests, **extra, "views": result}))

    def _measure(self, requests: int) -> dict:
        from clo.talent.selectors.projects import ranked_applicants

        personas = bench_personas()
        competency_id, level = _searched_competency()
        project = _bench_project()
        search = f"/expertise/?competency={competency_id}&min_level={level}&where=council"
        views = {
            "floor": ("clo", "/healthz", {}),
            "directory_search": ("employee", search, {}),
            "directory_search_partial": ("employee", search, HX),
            "project_page_with_matching": ("clo", f"/projects/{project.pk}/", {}),
        }
        result = time_views(views, {"clo": personas.users["clo"], "employee": personas.users["employee"]}, requests)
        result["project_matching"] = time_call(lambda: ranked_applicants(project), requests,
                                                floor_ms=result["floor"]["median_ms"])
        result["project_matching"]["applicants"] = project.applications.count()
        return result


def _searched_competency() -> tuple[int, int]:
    """The competency with the most validated levels at 3 or more (the directory's heaviest search), and 3."""
    from django.db.models import Count

    from clo.talent.selectors.expertise import VALIDATED_SOURCES
    from evaluations.models import CurrentLevel

    row = (CurrentLevel.objects.filter(source__in=VALIDATED_SOURCES, level__gte=3).values("competency_id")
           .annotate(n=Count("pk")).order_by("-n", "competency_id").first())
    if row is None:
        raise CommandError("No validated level in the database: seed it first (seed_demo).")
    return row["competency_id"], 3


def _bench_project():
    """An open project of the whole council with two competencies required, two to learn and 200 applicants
    (made once, then reused)."""
    from django.utils import timezone

    from clo.people.models import Employee, OrgUnit
    from clo.talent.models import ChallengeProject, ProjectApplication
    from clo.talent.services.projects import approval_due_on, project_create
    from competencies.models import Competency, Framework

    project = ChallengeProject.objects.filter(title=BENCH_PROJECT).first()
    if project is not None:
        return project
    competencies = list(Competency.objects.filter(framework__status=Framework.Status.PUBLISHED).order_by("pk")[:4])
    today = timezone.localdate()
    project = project_create(
        title=BENCH_PROJECT, goal="Mesurar l'ordenació de les candidatures.",
        unit=OrgUnit.objects.filter(parent__isnull=True).order_by("pk").first(),
        starts_on=today + dt.timedelta(days=30), ends_on=today + dt.timedelta(days=120),
        weekly_hours=Decimal("3"), required=[(c, 2) for c in competencies[:2]],
        to_learn=[(c, 3) for c in competencies[2:]], owner=None)
    ChallengeProject.objects.filter(pk=project.pk).update(status=ChallengeProject.Status.OPEN)
    people = Employee.objects.filter(active=True).order_by("pk").values_list("pk", flat=True)[:APPLICANTS]
    now = timezone.now()
    ProjectApplication.objects.bulk_create(
        ProjectApplication(project=project, employee_id=pk, motivation="Banc de proves", applied_at=now,
                           due_on=approval_due_on(today)) for pk in people)
    return project
