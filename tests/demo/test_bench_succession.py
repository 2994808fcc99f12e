"""``manage.py bench_succession`` seeds a small council, times the succession pages and prints one JSON line: each
view's median and p95, its queries, and its p95 as a ratio to the floor measured in the same run."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_succession_prints_every_view_against_the_floor(capsys):
    call_command("bench_succession", "--employees", "300", "--requests", "20")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["employees"] == 300 and figures["requests_per_view"] == 20
    views = figures["views"]
    floor = views.pop("floor")
    assert {"heatmap", "director_heatmap_partial", "bench_strength", "critical_positions"} <= set(views)
    for name, view in views.items():
        assert 0 < view["median_ms"] <= view["p95_ms"], name
        assert view["queries"] > 0, name
        assert view["p95_vs_floor"] == pytest.approx(view["p95_ms"] / floor["median_ms"], abs=0.051), name
