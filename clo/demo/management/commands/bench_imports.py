"""``manage.py bench_imports --rows N [--kind employees|training|positions]``: an import of N rows, against a floor measured in
the same run.

``--kind employees`` (the default): the staff register.

Prints one JSON line: the preview (parse + validate + compare), the import (the same, then the writes, in one
transaction), a re-import of the same file (everything unchanged, nothing written), the floor — a plain
``bulk_create`` of the same N employees already built as objects (no file, no checks; built and sent 2 000 at a
time, as ``bulk_create`` sends them, so that the floor's own objects do not swell the process), rolled back — and,
on PostgreSQL, a ``COPY`` of the same rows (rolled back too), the ratio import / floor, and the process's peak RSS.
The file is written to a temporary file and read from there, as an import job reads the uploaded file.

It imports a whole staff, so every other employee would be deactivated: it refuses to run on a database with
active employees of its own unless ``--force``. Use an empty database of its own, e.g.
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/clo_bench_imports``.

``--kind training``: historic training records, one row per person per course (N / 5 people of its own, ``BI…``,
created beforehand if missing, each with five courses of its own catalogue, ``BT0``…``BT4``, on four start dates
each). The same figures, against a floor that is a plain ``bulk_create`` of the same N enrolments (their sessions
made beforehand, outside the clock), and a ``COPY``. It deactivates nobody; a previous run's records are deleted
first. ``rss_start_mb`` is the process's peak before the file is read (Django, the setup): what the import adds
is the difference.

``--kind positions``: the job catalogue, N positions of its own (``BP…``, in the benchmark's unit), each written with
its audit entry. The same figures, against a plain ``bulk_create`` of the same N positions and a ``COPY`` (both
rolled back); a previous run's positions (and their audit entries) are deleted first. It shows that the small
importers stream too: the peak RSS does not grow with the file.

Peak RSS is the whole process's (measured with ``DEBUG`` off, as in production), so each kind is measured in a
process of its own.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import resource
import tempfile
import time
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import override_settings

PREFIX = "BI"
FLOOR_BATCH = 2000
COURSES = 5  # training records: each person did five courses
STARTS = 4  # ... each course on one of four start dates (20 historic sessions)



def _timed(importer, path: str, rows: int, floors: Callable[[], tuple[float, float | None]]) -> dict:
    """The same measure for every kind: the file's preview, then the floors (``floors()``: bulk_create, and COPY or
    None), then the import and a re-import of the same file, each timed; the figures of the JSON line."""
    from clo.core.imports import engine

    def data():
        return open(path, "rb")  # noqa: SIM115 - the engine opens it, reads it and closes it

    started = time.perf_counter()
    plan = engine.preview(importer, data, "bench.csv")
    preview_s = time.perf_counter() - started
    if plan.errors:
        raise CommandError(f"the benchmark file has errors: {plan.errors[:3]}")
    floor_s, copy_s = floors()
    started = time.perf_counter()
    done = engine.run(importer, data, "bench.csv")
    import_s = time.perf_counter() - started
    started = time.perf_counter()
    again = engine.run(importer, data, "bench.csv")
    reimport_s = time.perf_counter() - started
    return {
        "preview_s": round(preview_s, 3), "import_s": round(import_s, 3), "reimport_s": round(reimport_s, 3),
        "rows_per_s": round(rows / import_s), "preview_rows_per_s": round(rows / preview_s),
        "floor_bulk_create_s": round(floor_s, 3), "floor_copy_s": round(copy_s, 3) if copy_s else None,
        "ratio": round(import_s / floor_s, 2), "created": done.create, "reimport_unchanged": again.unchanged,
    }

def _written_and_timed(kind: str, cells: Iterable[list], rows: int, floors: Callable[[], tuple[float, float | None]],
                       *, encoding: str = "utf-8") -> dict:
    """The file of the importer ``kind`` (its header, then ``cells``: each row's), written to a temporary file and
    read from there, as an import job reads the uploaded file; then ``_timed``."""
    from clo.core.imports import registry

    importer = registry.get(kind)
    assert importer is not None  # registered by its app
    with tempfile.NamedTemporaryFile(suffix=".csv") as file:
        with open(file.name, "w", encoding=encoding, newline="") as text:
            writer = csv.writer(text, delimiter=";")
            writer.writerow([column.name for column in importer.columns])
            writer.writerows(cells)
        return _timed(importer, file.name, rows, floors)


def _peak_rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


class Command(BaseCommand):
    help = "Benchmark an import: the employees (the staff register) or the training records (one JSON line)."

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000)
        parser.add_argument("--kind", choices=["employees", "training", "positions"], default="employees")
        parser.add_argument("--force", action="store_true", help="run even if the database has other employees")

    def handle(self, *args, rows: int, kind: str, force: bool, **options):
        if rows < 1 or rows > 250_000:
            raise CommandError("--rows must be between 1 and 250 000")
        # DEBUG off, as in production: Django would otherwise keep the last 9 000 statements' SQL (the floor's
        # bulk_create sends 2 000 rows in each) and blur the peak RSS.
        with override_settings(DEBUG=False):
            if kind == "training":
                self._training(rows)
            elif kind == "positions":
                self._positions(rows)
            else:
                self._employees(rows, force)

    def _employees(self, rows: int, force: bool) -> None:
        from clo.people import services
        from clo.people.models import Employee, OrgUnit, Position

        others = Employee.objects.active().exclude(employee_number__startswith=PREFIX).count()
        if others and not force:
            raise CommandError(f"{others} other active employees would be deactivated: use an empty database "
                               "(or --force)")
        unit = OrgUnit.objects.filter(code="BENCH").first() or services.orgunit_create(code="BENCH", name="Bench")
        position, _ = Position.objects.get_or_create(code="BENCH", defaults={"title": "Bench", "group": "C1"})
        with connection.cursor() as cursor:  # the previous run's employees (no signals: nothing to audit)
            self._delete_training(cursor)
            cursor.execute("DELETE FROM people_employee WHERE employee_number LIKE %s", [f"{PREFIX}%"])

        def cells():
            for i in range(rows):
                manager = f"{PREFIX}{i // 10 * 10:06d}" if i % 10 else ""
                yield [f"{PREFIX}{i:06d}", "Núria", f"Peña i Adrià {i}", f"bench{i}@ajuntament.example", "BENCH",
                       "BENCH", manager, "career", "01/03/2015", "01/03/2045", "ca"]

        def floors() -> tuple[float, float | None]:
            return (self._floor(rows, unit, position),
                    self._copy(rows, unit, position) if connection.vendor == "postgresql" else None)

        timed = _written_and_timed("employees", cells(), rows, floors, encoding="cp1252")
        result = {"benchmark": "imports", "kind": "employees", "vendor": connection.vendor, "rows": rows, **timed,
                  "peak_rss_mb": _peak_rss_mb()}
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

    # --- Positions ------------------------------------------------------------------------------------------------

    def _positions(self, rows: int) -> None:
        from django.contrib.contenttypes.models import ContentType

        from clo.core.models import AuditEntry
        from clo.people import services
        from clo.people.models import OrgUnit, Position

        unit = OrgUnit.objects.filter(code="BENCH").first() or services.orgunit_create(code="BENCH", name="Bench")
        with connection.cursor() as cursor:  # the previous run's positions and their audit entries
            cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE content_type_id = %s AND object_id IN "
                           "(SELECT id FROM people_position WHERE code LIKE %s)",
                           [ContentType.objects.get_for_model(Position).pk, "BP%"])
            cursor.execute("DELETE FROM people_position WHERE code LIKE %s", ["BP%"])
        rss_start = _peak_rss_mb()

        def floors() -> tuple[float, float | None]:
            return (self._positions_floor(rows, unit),
                    self._positions_copy(rows, unit) if connection.vendor == "postgresql" else None)

        timed = _written_and_timed("positions", ([f"BP{i:06d}", f"Tècnic/a {i}", "A2", "Educació", "BENCH", "no", "",
                                                  ""] for i in range(rows)), rows, floors)
        result = {"benchmark": "imports", "kind": "positions", "vendor": connection.vendor, "rows": rows, **timed,
                  "rss_start_mb": rss_start, "peak_rss_mb": _peak_rss_mb()}
        self.stdout.write(json.dumps(result))

    @staticmethod
    def _positions_floor(rows: int, unit) -> float:
        """A plain bulk_create of the same positions (built outside the clock, 2 000 at a time), rolled back."""
        from clo.people.models import Position

        elapsed = 0.0
        with transaction.atomic():
            for start in range(0, rows, FLOOR_BATCH):
                objects = [Position(code=f"FP{i:06d}", title=f"Tècnic/a {i}", group="A2", job_family="Educació",
                                    unit=unit) for i in range(start, min(start + FLOOR_BATCH, rows))]
                started = time.perf_counter()
                Position.objects.bulk_create(objects, batch_size=FLOOR_BATCH)
                elapsed += time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    @staticmethod
    def _positions_copy(rows: int, unit) -> float:
        """PostgreSQL COPY of the same positions, rolled back."""
        columns = ("code", "title", '"group"', "job_family", "unit_id", "is_critical", "critical_reason", "active")
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            with cursor.copy(f"COPY people_position ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(rows):
                    copy.write_row((f"CP{i:06d}", f"Tècnic/a {i}", "A2", "Educació", unit.pk, False, "", True))
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed

    # --- Training records -----------------------------------------------------------------------------------------

    @staticmethod
    def _delete_training(cursor) -> None:
        """The previous run's training records and historic sessions (of the benchmark's own programs)."""
        sessions = "SELECT s.id FROM programs_session s JOIN programs_program p ON p.id = s.program_id WHERE p.code LIKE %s"
        cursor.execute(f"DELETE FROM programs_enrolment WHERE session_id IN ({sessions})", ["BT%"])
        cursor.execute(f"DELETE FROM programs_session WHERE id IN ({sessions})", ["BT%"])

    @staticmethod
    def _start(course: int, slot: int) -> dt.date:
        return dt.date(2024, 1 + course * 2, 1 + slot * 7)

    def _record(self, i: int, people: int) -> tuple[int, int, dt.date, dt.date, bool]:
        """Row ``i`` of the training file: (person, course, start, end, completed)."""
        person, course = i % people, i // people
        start = self._start(course, person % STARTS)
        return person, course, start, start + dt.timedelta(days=2), person % 3 != 0

    def _training(self, rows: int) -> None:
        from clo.people import services
        from clo.people.models import Employee, OrgUnit, Position
        from programs.models import Modality, Program

        people = -(-rows // COURSES)
        unit = OrgUnit.objects.filter(code="BENCH").first() or services.orgunit_create(code="BENCH", name="Bench")
        position, _ = Position.objects.get_or_create(code="BENCH", defaults={"title": "Bench", "group": "C1"})
        programs = [Program.objects.get_or_create(code=f"BT{course}", defaults={
            "title": f"Bench {course}", "modality": Modality.ONLINE, "hours": 7})[0] for course in range(COURSES)]
        with connection.cursor() as cursor:
            self._delete_training(cursor)
        for start in range(0, people, FLOOR_BATCH):  # the people, when a previous run did not leave them
            Employee.objects.bulk_create(
                [Employee(employee_number=f"{PREFIX}{i:06d}", first_name="Núria", last_name=f"Peña {i}", unit=unit,
                          position=position, hire_date=dt.date(2015, 3, 1))
                 for i in range(start, min(start + FLOOR_BATCH, people))], ignore_conflicts=True)
        rss_start = _peak_rss_mb()

        def cells():
            for i in range(rows):
                person, course, start, end, completed = self._record(i, people)
                yield [f"{PREFIX}{person:06d}", f"BT{course}", f"{start:%d/%m/%Y}", f"{end:%d/%m/%Y}", "7,5",
                       "sí" if completed else "no"]

        timed = _written_and_timed("training", cells(), rows, lambda: self._training_floors(rows, people, programs))
        result = {"benchmark": "imports", "kind": "training", "vendor": connection.vendor, "rows": rows,
                  "people": people, **timed, "rss_start_mb": rss_start, "peak_rss_mb": _peak_rss_mb()}
        self.stdout.write(json.dumps(result))

    def _training_floors(self, rows: int, people: int, programs) -> tuple[float, float | None]:
        """A plain bulk_create of the same enrolments (their sessions created and the objects built outside the
        clock, 2 000 at a time), then on PostgreSQL a COPY of them; each rolled back."""
        from clo.people.models import Employee
        from programs.imports import HISTORIC_PLACE, _day_end, _day_start, historic_session_code
        from programs.models import Enrolment, Session

        def sessions() -> dict[tuple[int, dt.date], int]:
            made = {}
            for course, program in enumerate(programs):
                for slot in range(STARTS):
                    start = self._start(course, slot)
                    made[(course, start)] = Session.objects.create(
                        program=program, code=historic_session_code(program.code, start),
                        starts_at=_day_start(start), ends_at=_day_end(start + dt.timedelta(days=2)),
                        place=HISTORIC_PLACE, capacity=people, status=Session.Status.FINISHED).pk
            return made

        def batches(session_ids):
            for first in range(0, rows, FLOOR_BATCH):
                records = [self._record(i, people) for i in range(first, min(first + FLOOR_BATCH, rows))]
                ids = dict(Employee.objects.filter(employee_number__in=[
                    f"{PREFIX}{person:06d}" for person, *_rest in records]).values_list("employee_number", "id"))
                yield [(session_ids[(course, start)], ids[f"{PREFIX}{person:06d}"],
                        "completed" if completed else "attended", end if completed else None)
                       for person, course, start, end, completed in records]

        floor = 0.0
        with transaction.atomic():
            for batch in batches(sessions()):
                objects = [Enrolment(session_id=session, employee_id=employee, status=status, completed_on=on,
                                     hours_attended=Decimal("7.5")) for session, employee, status, on in batch]
                started = time.perf_counter()
                Enrolment.objects.bulk_create(objects, batch_size=FLOOR_BATCH)
                floor += time.perf_counter() - started
            transaction.set_rollback(True)
        if connection.vendor != "postgresql":
            return floor, None
        copied = 0.0
        with transaction.atomic(), connection.cursor() as cursor:
            for batch in batches(sessions()):
                started = time.perf_counter()
                with cursor.copy("COPY programs_enrolment (session_id, employee_id, status, completed_on, "
                                 "hours_attended, requested_at, decision_reason) FROM STDIN") as copy:
                    for session, employee, status, on in batch:
                        copy.write_row((session, employee, status, on, "7.5", "2026-01-01T00:00:00+00:00", ""))
                copied += time.perf_counter() - started
            transaction.set_rollback(True)
        return floor, copied
