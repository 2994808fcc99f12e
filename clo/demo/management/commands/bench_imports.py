"""``manage.py bench_imports --rows N``: the employees import of N rows, against a floor measured in the same run.

Prints one JSON line: the preview (parse + validate + compare), the import (the same, then the writes, in one
transaction), a re-import of the same file (everything unchanged, nothing written), the floor — a plain
``bulk_create`` of the same N employees already built as objects (no file, no checks; built and sent 2 000 at a
time, as ``bulk_create`` sends them, so that the floor's own objects do not swell the process), rolled back — and,
on PostgreSQL, a ``COPY`` of the same rows (rolled back too), the ratio import / floor, and the process's peak RSS.
The file is written to a temporary file and read from there, as an import job reads the uploaded file.

It imports a whole staff, so every other employee would be deactivated: it refuses to run on a database with
active employees of its own unless ``--force``. Use an empty database of its own, e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/clo_bench_imports``.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import resource
import tempfile
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

PREFIX = "BI"
FLOOR_BATCH = 2000


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Command(BaseCommand):
    help = "Benchmark the employees import (one JSON line)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--force", action="store_true", help="run even if the database has other employees")

    def handle(self, *args, rows: int, force: bool, **options):
        from clo.core.imports import engine, registry
        from clo.people import services
        from clo.people.models import Employee, OrgUnit, Position

        if rows < 1 or rows > 250_000:
            raise CommandError("--rows must be between 1 and 250 000")
        others = Employee.objects.active().exclude(employee_number__startswith=PREFIX).count()
        if others and not force:
            raise CommandError(f"{others} other active employees would be deactivated: use an empty database "
                               "(or --force)")
        unit = OrgUnit.objects.filter(code="BENCH").first() or services.orgunit_create(code="BENCH", name="Bench")
        position, _ = Position.objects.get_or_create(code="BENCH", defaults={"title": "Bench", "group": "C1"})
        with connection.cursor() as cursor:  # the previous run's employees (no signals: nothing to audit)
            cursor.execute("DELETE FROM people_employee WHERE employee_number LIKE %s", [f"{PREFIX}%"])

        header = [c.name for c in registry.get("employees").columns]  # type: ignore[union-attr]
        importer = registry.get("employees")
        assert importer is not None  # registered by clo.people
        with tempfile.NamedTemporaryFile(suffix=".csv") as file:
            with open(file.name, "w", encoding="cp1252", newline="") as text:
                writer = csv.writer(text, delimiter=";")
                writer.writerow(header)
                for i in range(rows):
                    manager = f"{PREFIX}{i // 10 * 10:06d}" if i % 10 else ""
                    writer.writerow([f"{PREFIX}{i:06d}", "Núria", f"Peña i Adrià {i}", f"bench{i}@ajuntament.example",
                                     "BENCH", "BENCH", manager, "career", "01/03/2015", "01/03/2045", "ca"])

            def data():
                return open(file.name, "rb")  # noqa: SIM115 - the engine opens it, reads it and closes it

            started = time.perf_counter()
            plan = engine.preview(importer, data, "bench.csv")
            preview_s = time.perf_counter() - started
            if plan.errors:
                raise CommandError(f"the benchmark file has errors: {plan.errors[:3]}")

            floor_s = self._floor(rows, unit, position)
            copy_s = self._copy(rows, unit, position) if connection.vendor == "postgresql" else None

            started = time.perf_counter()
            done = engine.run(importer, data, "bench.csv")
            import_s = time.perf_counter() - started
            started = time.perf_counter()
            again = engine.run(importer, data, "bench.csv")
            reimport_s = time.perf_counter() - started

        result = {
            "benchmark": "imports", "vendor": connection.vendor, "rows": rows,
            "preview_s": round(preview_s, 3), "import_s": round(import_s, 3), "reimport_s": round(reimport_s, 3),
            "rows_per_s": round(rows / import_s), "preview_rows_per_s": round(rows / preview_s),
            "floor_bulk_create_s": round(floor_s, 3), "floor_copy_s": round(copy_s, 3) if copy_s else None,
            "ratio": round(import_s / floor_s, 2), "created": done.create, "reimport_unchanged": again.unchanged,
            "peak_rss_mb": _peak_rss_mb(),
        }
        self.stdout.write(json.dumps(result))

    def _objects(self, start, stop, unit, position):
        from clo.people.models import Employee

        return [Employee(employee_number=f"F{i:06d}", first_name="Núria", last_name=f"Peña i Adrià {i}",
                         email=f"bench{i}@ajuntament.example", unit=unit, position=position, employment_type="career",
                         hire_date=dt.date(2015, 3, 1), expected_retirement_date=dt.date(2045, 3, 1), language="ca")
                for i in range(start, stop)]

    def _floor(self, rows, unit, position) -> float:
        """A plain bulk_create of the same rows (objects built beforehand, outside the clock: 2 000 at a time, the
        batches bulk_create sends anyway), rolled back."""
        from clo.people.models import Employee

        elapsed = 0.0
        with transaction.atomic():
            for start in range(0, rows, FLOOR_BATCH):
                objects = self._objects(start, min(start + FLOOR_BATCH, rows), unit, position)
                started = time.perf_counter()
                Employee.objects.bulk_create(objects, batch_size=FLOOR_BATCH)
                elapsed += time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    def _copy(self, rows, unit, position) -> float:
        """PostgreSQL COPY of the same rows, rolled back."""
        columns = ("employee_number", "first_name", "last_name", "email", "unit_id", "position_id", "employment_type",
                   "hire_date", "expected_retirement_date", "language", "active")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(f"COPY people_employee ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(rows):
                    copy.write_row((f"C{i:06d}", "Núria", f"Peña i Adrià {i}", f"bench{i}@ajuntament.example", unit.pk,
                                    position.pk, "career", "2015-03-01", "2045-03-01", "ca", True))
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed
