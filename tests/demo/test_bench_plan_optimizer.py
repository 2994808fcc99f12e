"""``manage.py bench_plan_optimizer`` seeds a small council, builds and solves next year's plan proposal as the job
does and prints one JSON line: times, the optimality gap, and the optimiser against the greedy and first come first
served of the same run."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_bench_plan_optimizer_prints_the_solve_against_its_baselines(capsys):
    call_command("bench_plan_optimizer", "--employees", "200", "--time-limit", "20")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert figures["employees"] == 200 and figures["groups"] > 0 and figures["programs"] > 0
    assert figures["message"] is None and figures["status"] in ("optimal", "time_limit")
    assert 0 <= figures["optimality_gap"] <= 0.01
    value = figures["weighted_gap_closed"]
    assert value["optimiser"] >= value["greedy"] > 0  # never worse than the greedy
    assert figures["ratio_optimiser_greedy"] == pytest.approx(value["optimiser"] / value["greedy"], abs=0.001)
    assert figures["cost"]["optimiser"] <= figures["budget"]
    assert figures["build_and_solve_s"] == pytest.approx(figures["build_s"] + figures["solve_s"], abs=0.011)
    assert figures["greedy_s"] is not None and figures["peak_rss_mb"] > 0
    assert 0 <= figures["groups_decided_outside_highs"] <= figures["groups"]
