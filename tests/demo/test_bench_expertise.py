"""``manage.py bench_expertise`` seeds a small council, times the expertise directory's search and the matching of a
challenge project's 200 applicants, and prints one JSON line with each figure's p95 as a ratio to the same-run floor."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_expertise_prints_the_search_and_the_matching_against_the_floor(capsys):
    call_command("bench_expertise", "--employees", "300", "--requests", "20")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["employees"] == 300 and figures["requests_per_view"] == 20
    views = figures["views"]
    floor = views.pop("floor")
    assert {"directory_search", "directory_search_partial", "project_matching"} <= set(views)
    assert views["project_matching"]["applicants"] == 200
    assert views["project_matching"]["queries"] <= 2
    for name, view in views.items():
        assert 0 < view["median_ms"] <= view["p95_ms"], name
        assert view["queries"] > 0, name
        assert view["p95_vs_floor"] == pytest.approx(view["p95_ms"] / floor["median_ms"], abs=0.051), name
