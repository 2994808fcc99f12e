"""``manage.py bench_dashboards --employees N``: seed (or reuse) the demo council of N employees, then time each
dashboard view and partial through the test client (server-side render, ``--requests`` times each, after a warm-up)
and print ONE JSON line: per view the median and p95 in milliseconds, the p95 as a ratio to the floor and the SQL
queries of one request, cold (the board cache emptied before each request) and warm (``warm_*``: served from it).
The floor is the health check requested the same way in the same run: the middleware, the session and one database
round trip, what every page pays before its own work."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from clo.demo.bench import bench_personas, time_views

HX = {"HTTP_HX_REQUEST": "true"}



class Command(BaseCommand):
    help = (
        "Benchmark the dashboards: seeds the demo council of N employees if the database has no employees (reuses "
        "it if it has N; refuses otherwise), runs the gap analysis if no run is stored, then times every dashboard "
        "page and partial through the test client and prints one JSON line."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, required=True, help="size of the organisation")
        parser.add_argument("--requests", type=int, default=50, help="timed requests per view (default 50, min 50)")
        parser.add_argument("--seed", type=int, default=42, help="random seed of the generated organisation")
        parser.add_argument("--data", choices=["demo", "bench"], default="demo",
                            help="what to seed an empty database with: the demo council (seed_demo: programs, "
                                 "sessions, plans, needs too) or the gap engine's synthetic organisation (bench_gaps)")

    def handle(self, *args, employees: int, requests: int, seed: int, data: str, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_dashboards writes demo data; it does not run with DJANGO_ENV=production.")
        if requests < 50:
            raise CommandError("--requests must be at least 50.")
        from clo.people.models import Employee

        existing = Employee.objects.count()
        extra = {}
        if existing == 0:
            started = time.perf_counter()
            if data == "demo":
                call_command("seed_demo", employees=employees, seed=seed, verbosity=0)
            else:
                from clo.demo import benchdata

                benchdata.seed(employees=employees, seed=seed)
            extra["seed_s"] = round(time.perf_counter() - started, 1)
        elif abs(existing - employees) > max(employees // 20, 50):
            raise CommandError(f"The database holds {existing} employees, not about {employees}: use another "
                               "database, or seed_demo --reset --employees N first.")
        from evaluations.gaps import selectors as gaps
        from evaluations.gaps.services import gaps_full_run

        from programs.models import UnitTraining
        from programs.services.training_rollup import training_rollup_rebuild

        if not UnitTraining.objects.exists():  # a database seeded before the training roll-up existed
            started = time.perf_counter()
            training_rollup_rebuild()
            extra["training_rollup_s"] = round(time.perf_counter() - started, 1)
        if gaps.latest_run() is None:
            started = time.perf_counter()
            gaps_full_run(full_consolidation=True)
            extra["gap_run_s"] = round(time.perf_counter() - started, 1)
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            result = self._measure(requests)
        print(json.dumps({"employees": Employee.objects.filter(active=True).count(), "vendor": connection.vendor,
                          "requests_per_view": requests, **extra, "views": result}))

    def _measure(self, requests: int) -> dict:

        personas = bench_personas()
        clo, director, unit, person = (personas.users["clo"], personas.users["director"], personas.unit,
                                       personas.person)
        area = personas.area
        area_q = f"&area={area.pk}" if area else ""
        views = {
            "floor": ("clo", "/healthz", {}),
            "clo_board": ("clo", "/dashboards/learning-office/", {}),
            "clo_board_partial_filtered": ("clo", "/dashboards/learning-office/?kind=digital", HX),
            "clo_board_group_partial": ("clo", "/dashboards/learning-office/?group=A2", HX),
            "clo_board_unit_area_partial": ("clo", f"/dashboards/learning-office/?unit={unit.pk}{area_q}", HX),
            "clo_people": ("clo", f"/dashboards/people/?unit={unit.pk}{area_q}", {}),
            "clo_people_page_partial": ("clo", f"/dashboards/people/?unit={unit.pk}&page=2", HX),
            "clo_employee": ("clo", f"/dashboards/people/{person.pk}/", {}),
            "clo_critical_positions_partial": ("clo", "/dashboards/clo/critical-positions/", HX),
            "director_board": ("director", "/dashboards/director/", {}),
            "director_board_partial": ("director", "/dashboards/director/?kind=transversal", HX),
            "director_people": ("director", f"/dashboards/people/?unit={unit.pk}", {}),
            "director_critical_positions_partial": ("director", "/dashboards/director/critical-positions/", HX),
        }
        from django.core.cache import cache

        # Cold: the board cache emptied before each request (what the first viewer after a change waits for); warm:
        # the same request again, served from it (clo.core.board_cache).
        return time_views(views, {"clo": clo, "director": director}, requests, reset=cache.clear)
