"""``manage.py bench_load`` runs a real gunicorn against the test database, signs in one user of each role, replays
their mix of pages and then /healthz under the same concurrency, and prints one JSON line with each view's
throughput and p95 and the mix's throughput as a ratio to /healthz's."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command

# gunicorn's processes read what the seed committed; real server processes, like the worker tests: not re-run on
# the test clocks (their clock is the machine's)
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_bench_load_replays_every_role_and_reports_against_the_floor(capsys, on_postgresql):
    call_command("seed_demo", employees=200, seed=7, verbosity=0)
    call_command("bench_load", "--workers", "2", "--users", "4", "--seconds", "3")
    figures = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert (figures["workers"], figures["users"]) == (2, 4)
    assert figures["errors"] == {}, figures["errors"]  # every page answered 200 to its role
    views = figures["views"]
    assert {name.split("_")[0] for name in views} == {"clo", "hr", "director", "employee"}
    assert {"clo_board", "director_board", "director_need_form", "employee_catalogue", "clo_critical_positions"} \
        <= set(views)
    assert figures["floor"]["per_s"] > 0 and figures["mix"]["per_s"] > 0
    assert figures["mix"]["vs_floor"] == pytest.approx(figures["mix"]["per_s"] / figures["floor"]["per_s"], rel=0.05)
    assert figures["mix"]["worst_p95_ms"] == max(view["p95_ms"] for view in views.values())
