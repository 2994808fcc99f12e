"""``manage.py bench_succession --employees N``: seed (or reuse) the demo council of N employees, make sure the
knowledge-at-risk figures are stored, then time the succession pages through the test client and print ONE JSON
line: per view the median and p95 in milliseconds, the p95 as a ratio to the same-run floor (the health check) and
the SQL queries of one request. Every view is timed cold (the cache emptied before each request: the first viewer
after a change) and warm (``warm_*``: served from the cache while the data are unchanged; the same as cold for the
pages that are not cached). ``successor_suggestions`` times the selector alone (the critical position with the most
requirements), ``successor_pool`` the page that shows them. Targets (issue 17): heatmap and bench-strength board
p95 ≤ 150 ms, successor suggestions for one position ≤ 500 ms, at 250 000."""

from __future__ import annotations

import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings

from clo.demo.bench import demo_of_size, bench_personas, time_call, time_views
from clo.demo.management.commands.bench_dashboards import HX


class Command(BaseCommand):
    help = ("Benchmark the succession pages (knowledge-at-risk heatmap, bench-strength board) on the demo council "
            "of N employees and print one JSON line.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--employees", type=int, required=True, help="size of the organisation")
        parser.add_argument("--requests", type=int, default=50, help="timed requests per view (default 50, min 20)")
        parser.add_argument("--seed", type=int, default=42, help="random seed of the generated organisation")

    def handle(self, *args, employees: int, requests: int, seed: int, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_succession writes demo data; it does not run with DJANGO_ENV=production.")
        if requests < 20:
            raise CommandError("--requests must be at least 20.")
        from clo.people.models import Employee
        from clo.talent.models import KnowledgeRisk
        from clo.talent.services.succession import knowledge_risk_rebuild

        extra = demo_of_size(employees, seed)
        if not KnowledgeRisk.objects.exists():
            started = time.perf_counter()
            knowledge_risk_rebuild()
            extra["knowledge_risk_rebuild_s"] = round(time.perf_counter() - started, 1)
        with override_settings(ALLOWED_HOSTS=["testserver"], SECURE_SSL_REDIRECT=False):
            result = self._measure(requests)
        print(json.dumps({"employees": Employee.objects.filter(active=True).count(), "vendor": connection.vendor,
                          "requests_per_view": requests, **extra, "views": result}))

    def _measure(self, requests: int) -> dict:
        from django.core.cache import cache
        from django.db.models import Count

        from clo.people.models import Position
        from clo.talent.selectors.pools import suggested_successors

        personas = bench_personas()
        unit = personas.unit
        position = (Position.objects.filter(is_critical=True, active=True).annotate(n=Count("requirements"))
                    .order_by("-n", "code").first())
        if position is None:
            raise CommandError("No critical position in the database: seed it first (seed_demo).")
        views = {
            "floor": ("clo", "/healthz", {}),
            "heatmap": ("clo", "/succession/knowledge-at-risk/", {}),
            "heatmap_partial": ("clo", "/succession/knowledge-at-risk/?horizon=1", HX),
            "heatmap_unit_partial": ("clo", f"/succession/knowledge-at-risk/?unit={unit.pk}", HX),
            "director_heatmap_partial": ("director", "/succession/knowledge-at-risk/", HX),
            "bench_strength": ("clo", "/succession/bench-strength/", {}),
            "bench_strength_partial": ("clo", "/succession/bench-strength/", HX),
            "bench_strength_unit_partial": ("clo", f"/succession/bench-strength/?unit={unit.pk}", HX),
            "critical_positions": ("clo", "/succession/positions/", {}),
            "critical_positions_page_partial": ("clo", "/succession/positions/?page=2", HX),
            "successor_pool": ("clo", f"/succession/positions/{position.pk}/successors/", {}),
        }
        clo = personas.users["clo"]
        result = time_views(views, {"clo": clo, "director": personas.users["director"]}, requests,
                            reset=cache.clear)
        result["successor_suggestions"] = time_call(lambda: suggested_successors(position, clo), requests,
                                                    floor_ms=result["floor"]["median_ms"])
        result["successor_suggestions"]["position_requirements"] = position.n
        return result
