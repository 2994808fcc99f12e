"""``manage.py bench_careers`` seeds a small council, times the re-evaluation of everyone against the career rules
(and the careers pages) and prints one JSON line with ratios to floors measured in the same run."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_careers_prints_the_job_and_the_pages_against_their_floors(capsys):
    call_command("bench_careers", "--employees", "200", "--runs", "1", "--requests", "20")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["employees"] == 200 and figures["rules"] >= 2 and figures["people_evaluated"] > 0
    job = figures["re_evaluation"]
    assert 0 < job["median_s"] and 0 < job["floor_median_s"]
    # the seconds are printed to the millisecond: the ratio (of the unrounded times) lies within their rounding
    low = (job["median_s"] - 0.0005) / (job["floor_median_s"] + 0.0005)
    high = (job["median_s"] + 0.0005) / max(job["floor_median_s"] - 0.0005, 1e-9)
    assert low - 0.05 <= job["vs_floor"] <= high + 0.05  # the ratio itself to one decimal
    views = figures["views"]
    floor = views.pop("floor")
    assert set(views) == {"eligibility", "eligibility_partial", "director_eligibility", "my_career", "explorer",
                          "explorer_partial"}
    for name, view in views.items():
        assert 0 < view["median_ms"] <= view["p95_ms"] and view["queries"] > 0, name
        assert view["p95_vs_floor"] == pytest.approx(view["p95_ms"] / floor["median_ms"], abs=0.051), name
    explorer = figures["explorer"]
    assert explorer["target_ms"] == 200 and explorer["position"]
    assert explorer["p95_ms"] == views["explorer"]["p95_ms"] and explorer["queries"] == views["explorer"]["queries"]
    assert explorer["floor_median_ms"] == floor["median_ms"]
    assert explorer["p95_vs_floor"] == views["explorer"]["p95_vs_floor"]
