"""``manage.py bench_api --employees N``: the staff-register sync through the REST API against the CSV import of
the same rows, in the same run, and the BI endpoints' time per page of 1 000 rows.

Prints one JSON line: the CSV import of N employees (``engine.run`` on the file's bytes: the floor), then, the same
employees removed, the API sync of the same rows (a change set opened, its pages of 1 000 rows sent as JSON, one
commit) through Django's whole request stack (middleware, token, rate limit, audit; the in-process test client, no
socket), their ratio, and for each BI list its pages walked with the cursor: p50 and p95 per page. Then the xAPI
ingestion: ``--statements`` "completed" statements of the synced employees for an online program, taken in pages of
``CLO_XAPI_BATCH`` as a pull takes them (``xapi_take``, no LRS in between: its HTTP time is the LRS's), each one a
completed enrolment with its hours and its gaps; statements per second, and again for the same statements (already
seen: nothing changes), then the bench's enrolments are removed.

Like ``bench_imports`` it creates a whole staff: it refuses a database with active employees of its own unless
``--force``. Use an empty database of its own, e.g. ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/clo_bench_api``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import time
import uuid
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone

PREFIX = "BA"
PAGE = 1000
COLUMNS = ["employee_number", "first_name", "last_name", "email", "unit_code", "position_code", "manager_number",
           "employment_type", "hire_date", "expected_retirement_date", "language"]


def _rows(count: int) -> list[list[str]]:
    return [[f"{PREFIX}{i:06d}", "Núria", f"Peña i Adrià {i}", f"bench{i}@ajuntament.example", "BENCH", "BENCH",
             f"{PREFIX}{i // 10 * 10:06d}" if i % 10 else "", "career", "2015-03-01", "2045-03-01", "ca"]
            for i in range(count)]


def _p(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000, 1)


class Command(BaseCommand):
    help = "Benchmark the REST API: sync vs CSV import, BI pages (one JSON line)."

    def add_arguments(self, parser):
        parser.add_argument("--employees", type=int, default=10_000)
        parser.add_argument("--force", action="store_true", help="run even if the database has other employees")
        parser.add_argument("--statements", type=int, default=1000,
                            help="xAPI statements to ingest (at most --employees; 0: none)")

    def handle(self, *args, employees: int, force: bool, statements: int, **options):
        from django.contrib.auth import get_user_model

        from clo.api import services as api_services
        from clo.core.imports import engine, registry
        from clo.people import services
        from clo.people.models import Employee, OrgUnit, Position

        if not 1 <= employees <= 250_000:
            raise CommandError("--employees must be between 1 and 250 000")
        if not 0 <= statements <= employees:
            raise CommandError("--statements must be between 0 and --employees")
        others = Employee.objects.active().exclude(employee_number__startswith=PREFIX).count()
        if others and not force:
            raise CommandError(f"{others} other active employees exist: use an empty database (or --force)")
        OrgUnit.objects.filter(code="BENCH").first() or services.orgunit_create(code="BENCH", name="Bench")
        Position.objects.get_or_create(code="BENCH", defaults={"title": "Bench", "group": "C1"})
        self._clear()
        rows = _rows(employees)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";")
        writer.writerow(COLUMNS)
        writer.writerows(rows)
        importer = registry.get("employees")
        assert importer is not None

        started = time.perf_counter()
        engine.run(importer, buffer.getvalue().encode(), "bench.csv")
        csv_s = time.perf_counter() - started
        self._clear()

        user, _ = get_user_model().objects.get_or_create(username="bench-api")
        _token, secret = api_services.api_token_create(
            name="bench", scopes=["register:write", "figures:read", "training:read"], created_by=user,
            expires_at=timezone.now() + dt.timedelta(hours=1))
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", HTTP_HOST="localhost")
        with override_settings(CLO_API_REQUESTS_PER_MINUTE=10_000_000):
            started = time.perf_counter()
            opened = client.post("/api/v1/register/change-sets", {}, content_type="application/json")
            set_id = opened.json()["id"]
            for number, first in enumerate(range(0, employees, PAGE), start=1):
                page = [dict(zip(COLUMNS, row)) for row in rows[first:first + PAGE]]
                answer = client.post(f"/api/v1/register/change-sets/{set_id}/pages",
                                     {"kind": "employees", "number": number, "rows": page},
                                     content_type="application/json")
                if answer.status_code != 201:
                    raise CommandError(answer.content.decode()[:500])
            committed = client.post(f"/api/v1/register/change-sets/{set_id}/commit", {},
                                    content_type="application/json")
            sync_s = time.perf_counter() - started
            if committed.status_code != 200:
                raise CommandError(committed.content.decode()[:500])
            pages = {name: self._walk(client, f"/api/v1/{path}") for name, path in (
                ("register_employees", "register/employees"), ("headcounts", "figures/headcounts"),
                ("gaps", "figures/gaps"), ("training", "training/units"), ("needs", "figures/needs"))}
        result = {
            "benchmark": "api", "vendor": connection.vendor, "employees": employees,
            "csv_import_s": round(csv_s, 3), "api_sync_s": round(sync_s, 3),
            "ratio_sync_to_csv": round(sync_s / csv_s, 2),
            "created": committed.json()["result"]["counts"]["employees"]["create"],
            "bi_pages": {name: {"pages": len(times), "p50_ms": _p(times, 0.5), "p95_ms": _p(times, 0.95)}
                         for name, times in pages.items()},
        }
        if statements:
            result["xapi"] = self._xapi(statements)
        self.stdout.write(json.dumps(result))

    @staticmethod
    def _xapi(count: int) -> dict:
        from django.conf import settings

        from clo.api.xapi.models import XapiActivity, XapiStatement
        from clo.api.xapi.services import COMPLETED, xapi_take
        from programs.models import Attendance, Enrolment, Modality, Program, Session, SessionDay

        program, _ = Program.objects.get_or_create(code="BENCH-XAPI", defaults={
            "title": "Bench online course", "modality": Modality.ONLINE, "hours": Decimal("2.0")})
        iri = "https://lms.example/course/bench-xapi"
        XapiActivity.objects.get_or_create(iri=iri, defaults={"program": program})
        moment = timezone.now().isoformat()
        run = uuid.uuid4()
        page = [{"id": str(uuid.uuid5(run, str(i))), "actor": {"mbox": f"mailto:bench{i}@ajuntament.example"},
                 "verb": {"id": COMPLETED}, "object": {"id": iri}, "timestamp": moment, "stored": moment,
                 "result": {"duration": "PT2H"}} for i in range(count)]
        batch = settings.CLO_XAPI_BATCH
        timings = []
        for _round in range(2):  # new statements, then the same again (already seen)
            started, kept = time.perf_counter(), 0
            for first in range(0, count, batch):
                kept += xapi_take(endpoint="bench", statements=page[first:first + batch])
            timings.append((time.perf_counter() - started, kept))
        (new_s, kept), (seen_s, again) = timings
        completed = XapiStatement.objects.filter(activity__program=program,
                                                 status=XapiStatement.Status.MATCHED).count()
        with connection.cursor() as cursor:  # the bench's records (no signals: nothing to audit)
            for table, where in (
                    (XapiStatement._meta.db_table, "activity_id IN (SELECT id FROM api_xapiactivity WHERE program_id = %s)"),
                    (Attendance._meta.db_table, "day_id IN (SELECT d.id FROM programs_sessionday d JOIN programs_session s "
                                                "ON s.id = d.session_id WHERE s.program_id = %s)"),
                    (Enrolment._meta.db_table, "session_id IN (SELECT id FROM programs_session WHERE program_id = %s)"),
                    (SessionDay._meta.db_table, "session_id IN (SELECT id FROM programs_session WHERE program_id = %s)"),
                    (Session._meta.db_table, "program_id = %s")):
                cursor.execute(f"DELETE FROM {table} WHERE {where}", [program.pk])
        return {"statements": count, "kept": kept, "completed_enrolments": completed, "ingest_s": round(new_s, 3),
                "statements_per_s": round(count / new_s, 1), "kept_again": again,
                "already_seen_per_s": round(count / seen_s, 1)}

    @staticmethod
    def _walk(client: Client, url: str) -> list[float]:
        times, cursor = [], ""
        while True:
            started = time.perf_counter()
            answer = client.get(url, {"limit": PAGE, **({"cursor": cursor} if cursor else {})})
            times.append(time.perf_counter() - started)
            cursor = answer.json()["next_cursor"]
            if not cursor:
                return times

    @staticmethod
    def _clear() -> None:
        with connection.cursor() as cursor:  # the previous run's employees (no signals: nothing to audit)
            cursor.execute("DELETE FROM people_employee WHERE employee_number LIKE %s", [f"{PREFIX}%"])
