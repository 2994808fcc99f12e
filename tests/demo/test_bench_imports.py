"""``bench_imports`` prints its one JSON line at a small size, for the employees, the training records and the
positions (every row created, then found unchanged by the re-import, with the floor's ratio and the peak RSS), and
the floors leave nothing behind them (rolled back)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from clo.people.models import Employee
from programs.models import Enrolment, Session

pytestmark = pytest.mark.django_db


def _run(**options) -> dict:
    out = StringIO()
    call_command("bench_imports", stdout=out, **options)
    return json.loads(out.getvalue().strip().splitlines()[-1])


def test_bench_imports_measures_the_employees_and_the_training_records():
    employees = _run(rows=40)
    assert (employees["kind"], employees["created"], employees["reimport_unchanged"]) == ("employees", 40, 40)
    assert employees["ratio"] > 0 and employees["peak_rss_mb"] > 0

    training = _run(kind="training", rows=60)  # twelve people, five courses each
    assert (training["kind"], training["people"], training["created"], training["reimport_unchanged"]) == (
        "training", 12, 60, 60)
    assert training["ratio"] > 0 and training["peak_rss_mb"] >= training["rss_start_mb"] > 0
    assert Enrolment.objects.count() == 60  # the import's, and none of the floors'
    assert Session.objects.filter(program__code__startswith="BT").count() == 20
    assert Employee.objects.filter(employee_number__startswith="BI").count() == 40  # the first run's, reused


def test_bench_imports_measures_the_positions_with_their_audit_entries():
    from clo.core.models import AuditEntry
    from clo.people.models import Position

    first = _run(kind="positions", rows=30)
    assert (first["kind"], first["created"], first["reimport_unchanged"]) == ("positions", 30, 30)
    assert first["ratio"] > 0 and first["peak_rss_mb"] >= first["rss_start_mb"] > 0
    again = _run(kind="positions", rows=30)  # the previous run's positions go first
    assert again["created"] == 30 and Position.objects.filter(code__startswith="BP").count() == 30  # no floor's
    assert AuditEntry.objects.filter(content_type__model="position", additional_data__bulk=True).count() == 30
