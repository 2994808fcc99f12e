"""Timing of successor suggestions for ``bench_succession``: ``suggestion_timings()`` returns the p95 (and median)
of ``clo.talent.selectors.pools.best_fitting`` over the whole staff for the critical positions that have
requirements, and its ratio to a floor measured in the same run (the position's requirements read alone)."""

from __future__ import annotations

import time

from django.utils import timezone

from clo.demo.bench import percentile
from clo.people.models import Employee, Position
from clo.talent.selectors.pools import best_fitting, position_requirements


def _ms(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def suggestion_timings(*, positions: int = 20, repeats: int = 3) -> dict:
    today = timezone.localdate()
    ids = list(Position.objects.filter(is_critical=True, active=True, requirements__isnull=False)
               .distinct().order_by("pk").values_list("pk", flat=True)[:positions])
    targets = list(Position.objects.filter(pk__in=ids))
    floor, runs = [], []
    for _ in range(repeats):
        for position in targets:
            floor.append(_ms(lambda p=position: list(position_requirements(p.pk))))
            runs.append(_ms(lambda p=position: best_fitting(p, Employee.objects.active(), today=today)))
    floor_median = percentile(floor, 50)
    p95 = percentile(runs, 95)
    return {"positions": len(targets), "median_ms": round(percentile(runs, 50), 1), "p95_ms": round(p95, 1),
            "floor_median_ms": round(floor_median, 2),
            "p95_vs_floor": round(p95 / floor_median, 1) if floor_median else None}
