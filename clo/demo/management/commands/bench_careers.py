"""``manage.py bench_careers --employees N``: seed (or reuse) the demo council of N employees, then time the
horizontal career's re-evaluation of everyone (the job a rule change queues) and its pages, and print ONE JSON line:
the job's median and best seconds over ``--runs``, as a ratio to a same-run floor (one set-based pass that every
evaluation must make: everyone's hours summed into a temporary table), the people evaluated, and per page the
median, p95, queries and p95 as a ratio to the health check, among them the career explorer of one person (the
employee persona) toward one target position (the active position with the most requirements in force), also
summed up on its own (``explorer``). Targets (issue 18): the job ≤ 60 s and the explorer's p95 ≤ 200 ms at
250 000."""

from __future__ import annotations

import json
import statistics
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings
from django.utils import timezone

from clo.demo.bench import demo_of_size, bench_personas, time_views
from clo.demo.management.commands.bench_dashboards import HX

FLOOR_SQL = ("CREATE TEMPORARY TABLE bench_careers_floor AS SELECT e.id, SUM(n.hours_attended) AS hours "
             "FROM people_employee e LEFT JOIN programs_enrolment n ON n.employee_id = e.id "
             "WHERE e.active GROUP BY e.id")


def _floor_s() -> float:
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(FLOOR_SQL)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_careers_floor")
    return elapsed


class Command(BaseCommand):
    help = ("Benchmark the horizontal career's re-evaluation job and pages on the demo council of N employees and "
            "print one JSON line.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, required=True, help="size of the organisation")
        parser.add_argument("--runs", type=int, default=3, help="timed re-evaluations (default 3)")
        parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30, min 20)")
        parser.add_argument("--seed", type=int, default=42, help="random seed of the generated organisation")

    def handle(self, *args, employees: int, runs: int, requests: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_careers writes demo data; it does not run with DJANGO_ENV=production.")
        if runs < 1 or requests < 20:
            raise CommandError("--runs must be at least 1 and --requests at least 20.")
        from clo.careers.models import CareerRule
        from clo.careers.services.grades import career_evaluate_all
        from clo.people.models import Employee

        extra = demo_of_size(employees, seed)
        if not CareerRule.objects.exists():
            raise CommandError("The database has no career rules: seed it with this version of seed_demo first.")
        today = timezone.localdate()
        floors, jobs, evaluated = [], [], 0
        for _ in range(runs):
            floors.append(_floor_s())
            started = time.perf_counter()
            evaluated = career_evaluate_all(today=today)
            jobs.append(time.perf_counter() - started)
        floor = statistics.median(floors)
        job = statistics.median(jobs)
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            pages = self._pages(requests)
        explorer, floor_page = pages["explorer"], pages["floor"]
        print(json.dumps({
            "employees": Employee.objects.filter(active=True).count(), "vendor": connection.vendor, **extra,
            "rules": CareerRule.objects.count(), "people_evaluated": evaluated, "runs": runs,
            "re_evaluation": {"median_s": round(job, 3), "best_s": round(min(jobs), 3),
                              "floor_median_s": round(floor, 3), "vs_floor": round(job / floor, 1) if floor else None,
                              "target_s": 60},
            "explorer": {"position": self._target_position().code, "p95_ms": explorer["p95_ms"],
                         "median_ms": explorer["median_ms"], "queries": explorer["queries"],
                         "floor_median_ms": floor_page["median_ms"], "p95_vs_floor": explorer["p95_vs_floor"],
                         "target_ms": 200},
            "requests_per_view": requests, "views": pages,
        }))

    def _target_position(self):
        """The explorer's target: the active position with the most requirements in force (the widest gap to
        compute), the first by code among equals."""
        from django.db.models import Count

        from clo.people.models import Position
        from competencies.selectors import requirements_in_force

        if not hasattr(self, "_position"):
            counts = (requirements_in_force().filter(position__active=True).values("position")
                      .annotate(n=Count("pk")).order_by("-n", "position__code"))
            first = counts.first()
            if first is None:
                raise CommandError("No active position has requirements: seed the database with seed_demo first.")
            self._position = Position.objects.get(pk=first["position"])
        return self._position

    def _pages(self, requests: int) -> dict:
        personas = bench_personas()
        views = {
            "floor": ("hr", "/healthz", {}),
            "eligibility": ("hr", "/careers/eligibility/", {}),
            "eligibility_partial": ("hr", "/careers/eligibility/?months=12", HX),
            "director_eligibility": ("director", "/careers/eligibility/", {}),
            "my_career": ("employee", "/careers/my-career/", {}),
            "explorer": ("employee", f"/careers/explorer/?position={self._target_position().pk}", {}),
            "explorer_partial": ("employee", f"/careers/explorer/?position={self._target_position().pk}", HX),
        }
        return time_views(views, personas.users, requests)
