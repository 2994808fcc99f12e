"""The embedded default of ``make run`` on a fresh machine: with no ``DATABASE_URL`` or ``REDIS_URL``, every migration
applies to a new SQLite file, the demo council is seeded into it and the learning office's dashboard opens; the
headcount counters SQLite's triggers keep match a count.

The rest of the suite runs on PostgreSQL (CI): this is the one place SQLite is exercised end to end, in child
processes with a clean environment (a migration SQLite cannot apply broke ``make run`` once while every other test
passed)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SMOKE = """
from django.contrib.auth import get_user_model
from django.test import Client
from django.test.utils import override_settings
client = Client()
client.force_login(get_user_model().objects.get(username="clo"))
with override_settings(ALLOWED_HOSTS=["testserver"]):
    for url in ("/", "/dashboards/learning-office/", "/healthz"):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    # The demo arrives with its figures (eager tasks): nobody has to press "Recalculate now" first.
    board = client.get("/dashboards/learning-office/").content.decode()
    for part in ('id="heatmap-table"', 'id="top-gaps-table"', 'id="chart-trend-table"', 'class="heatmap-frameworks"'):
        assert part in board, part
    assert "gaps-not-computed" not in board and "gaps-not-computed" not in client.get("/").content.decode()
    results = client.get("/dashboards/learning-office/training-results/").content.decode()
    assert 'id="training-results-table"' in results
print("dashboard ok")
"""

# The headcount triggers of SQLite (row-level) follow employees moved, deactivated, given another position, and a
# position moved to another group.
HEADCOUNT = """
from django.db import connection
from clo.people.models import Employee, Position, UnitHeadcount
def same():
    with connection.cursor() as cursor:
        cursor.execute('SELECT e.unit_id, p."group", COUNT(*) FROM people_employee e '
                       'JOIN people_position p ON p.id = e.position_id WHERE e.active GROUP BY e.unit_id, p."group"')
        counted = {(unit, group): n for unit, group, n in cursor.fetchall()}
    kept = {(unit, group): n for unit, group, n in UnitHeadcount.objects.values_list(
        "unit_id", "position_group", "active") if n}
    assert kept == counted, (len(kept), len(counted))
same()
first = Employee.objects.order_by("pk").first()
Employee.objects.filter(pk__in=list(Employee.objects.order_by("pk").values_list("pk", flat=True)[:40])).update(active=False)
same()
Employee.objects.filter(pk=Employee.objects.order_by("-pk").values("pk")[:1]).update(unit=first.unit)
same()
Employee.objects.filter(pk=first.pk).update(position=Employee.objects.order_by("-pk").first().position)
same()
Position.objects.filter(pk=first.position_id).update(group="AP" if first.position.group != "AP" else "A1")
same()
print("headcount ok")
"""


def _manage(env: dict, *args: str) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=600)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout + result.stderr


@pytest.fixture
def embedded_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_ENV") and not key.startswith("PYTEST")}
    env["SQLITE_PATH"] = str(tmp_path / "clo.sqlite3")
    return env


def test_a_fresh_sqlite_file_migrates_seeds_and_serves_the_dashboard(embedded_env):
    output = _manage(embedded_env, "migrate", "--no-input")
    assert "Error" not in output and "W0" not in output  # no error, and no system-check warning printed either
    assert "Seeded" in _manage(embedded_env, "seed_demo", "--if-empty")
    assert "dashboard ok" in _manage(embedded_env, "shell", "-c", SMOKE)
    assert "headcount ok" in _manage(embedded_env, "shell", "-c", HEADCOUNT)
    assert "migrations to apply" not in _manage(embedded_env, "migrate", "--check", "--no-input")
