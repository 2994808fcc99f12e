"""``manage.py bench_dashboards`` seeds a small council, times every dashboard page and partial and prints one JSON
line: each view's median and p95, its queries, and its p95 as a ratio to the floor measured in the same run."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

from clo.core import versions

pytestmark = pytest.mark.django_db

VIEWS = {
    "clo_board", "clo_board_partial_filtered", "clo_board_group_partial", "clo_board_unit_area_partial", "clo_people",
    "clo_people_page_partial", "clo_employee", "clo_critical_positions_partial", "director_board",
    "director_board_partial", "director_people", "director_critical_positions_partial",
}


def test_bench_dashboards_prints_every_view_against_the_floor(capsys, settings):
    # In memory: a Redis that times out on a loaded machine (0.5 s) would turn a warm request into a miss.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "bench"}}
    call_command("bench_dashboards", "--employees", "300", "--requests", "50")
    lines = capsys.readouterr().out.strip().splitlines()
    figures = json.loads(lines[-1])
    assert figures["employees"] == 300 and figures["requests_per_view"] == 50
    views = figures["views"]
    floor = views.pop("floor")
    assert set(views) == VIEWS
    assert 0 < floor["median_ms"] <= floor["p95_ms"]
    for name, view in views.items():
        assert 0 < view["median_ms"] <= view["p95_ms"], name
        # the budget per page and partial (15), and the data versions a cached board is looked up with
        assert 0 < view["queries"] <= 16, name
        # the ratio is of the printed figures, to a rounding step
        assert view["p95_vs_floor"] == pytest.approx(view["p95_ms"] / floor["median_ms"], abs=0.051), name
        # warm: served from the board cache (boards, their partials, the people lists), or the same work again (one
        # person's gaps)
        assert 0 < view["warm_median_ms"] <= view["warm_p95_ms"], name
        assert view["warm_p95_vs_floor"] == pytest.approx(view["warm_p95_ms"] / floor["median_ms"], abs=0.051)
        if versions.enabled() and ("board" in name or "critical" in name or "people" in name):  # SQLite: no cache
            assert view["warm_queries"] < view["queries"], name
        else:
            assert view["warm_queries"] == view["queries"], name
