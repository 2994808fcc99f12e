"""The training records import reads its file a chunk at a time (``programs.imports.CHUNK`` rows; 500 here, so that
a file of 1 200 rows crosses three chunks) into a staging table, and checks, compares and writes from there in SQL:
a row in error in a later chunk still means nothing is written, named at its row; a record repeated in another
chunk is seen; the audit trail has one entry per enrolment written, about its employee."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection

from clo.core.imports import engine, writes
from clo.core.models import AuditEntry
from clo.people.models import Employee
from programs import imports as programs_imports
from programs.models import Enrolment, Session
from tests import factories as f
from tests.imports.helpers import csv_bytes, errors_of, preview, run

pytestmark = pytest.mark.django_db

HEADER = ["employee_number", "program_code", "start_date", "end_date", "hours", "completed"]
PEOPLE = 600
ROWS = 2 * PEOPLE  # three chunks of 500: rows 2-501, 502-1 001, 1 002-1 201 (the header is row 1)


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(programs_imports, "CHUNK", 500)


@pytest.fixture
def people(org):
    position = f.PositionFactory(code="LT1")
    Employee.objects.bulk_create(
        Employee(employee_number=f"T{i:05d}", first_name="Laia", last_name="Puig", unit=org.unit_a1,
                 position=position, hire_date=dt.date(2015, 3, 1)) for i in range(PEOPLE))
    f.ProgramFactory(code="P1")
    f.ProgramFactory(code="P2")


def _rows(hours: str = "7,5") -> list[list[str]]:
    """Each person did P1 on 3 February 2025 (rows 2-601) and P2 on 10 March 2025 (rows 602-1 201), completed."""
    return ([[f"T{i:05d}", "P1", "03/02/2025", "05/02/2025", hours, "sí"] for i in range(PEOPLE)]
            + [[f"T{i:05d}", "P2", "2025-03-10", "", hours, "no" if i % 2 else ""] for i in range(PEOPLE)])


def _audited() -> int:
    return AuditEntry.objects.filter(content_type__model="enrolment").count()


def _nothing_written() -> bool:
    return not Enrolment.objects.exists() and not Session.objects.exists() and not _audited()


def _staged() -> bool:
    with connection.cursor() as cursor:  # the staging tables are the session's; the preview drops them
        cursor.execute("SELECT COUNT(*) FROM pg_class WHERE relname IN (%s, %s) AND relpersistence = 't'",
                       [programs_imports.STAGE.name, programs_imports.CHANGES])
        return cursor.fetchone()[0] > 0


def test_a_large_file_is_written_with_its_sessions_and_an_audit_entry_per_enrolment(people, english):
    data = csv_bytes(HEADER, _rows(), sep=";")
    plan = preview("training", data)
    assert errors_of(plan) == [] and plan.counts()["create"] == ROWS and plan.total == ROWS
    assert _nothing_written()  # the dry run writes nothing
    if connection.vendor == "postgresql":
        assert not _staged()

    run("training", data)
    assert Enrolment.objects.count() == ROWS
    first, second = Session.objects.order_by("code")
    assert (first.code, first.capacity, second.code, second.capacity) == ("H20250203-P1", PEOPLE,
                                                                          "H20250310-P2", PEOPLE)
    enrolment = Enrolment.objects.select_related("employee").get(employee__employee_number="T00007",
                                                                 session=second)
    assert (enrolment.status, enrolment.completed_on, enrolment.hours_attended) == ("attended", None, Decimal("7.5"))
    entry = AuditEntry.objects.get(content_type__model="enrolment", object_id=enrolment.pk)
    assert entry.person_id == enrolment.employee_id and entry.action == AuditEntry.Action.CREATE
    assert entry.changes == {"session_id": [None, second.pk], "status": [None, "attended"],
                             "hours_attended": [None, "7.5"]}
    assert _audited() == ROWS
    assert preview("training", data).counts()["unchanged"] == ROWS  # a re-import changes nothing


def test_an_update_in_the_last_chunk_is_written_and_audited_with_its_before_image(people, english):
    rows = _rows()
    run("training", csv_bytes(HEADER, rows))
    rows[-1] = ["T00599", "P2", "10/03/2025", "12/03/2025", "8", "sí"]  # row 1 201: now completed, two days on
    plan = run("training", csv_bytes(HEADER, rows))
    assert (plan.create, plan.update, plan.unchanged) == (0, 1, ROWS - 1)
    enrolment = Enrolment.objects.get(employee__employee_number="T00599", session__code="H20250310-P2")
    assert (enrolment.status, enrolment.completed_on, enrolment.hours_attended) == (
        "completed", dt.date(2025, 3, 12), Decimal("8.0"))
    entry = AuditEntry.objects.get(content_type__model="enrolment", object_id=enrolment.pk,
                                   action=AuditEntry.Action.UPDATE)
    assert entry.person_id == enrolment.employee_id
    assert entry.changes == {"status": ["attended", "completed"], "completed_on": [None, "2025-03-12"],
                             "hours_attended": ["7.5", "8.0"]}
    assert Session.objects.get(code="H20250310-P2").ends_at.date() == dt.date(2025, 3, 12)  # stretched


def test_an_error_in_the_second_chunk_writes_nothing_and_names_its_row(people, english):
    rows = _rows()
    rows[700][1] = "P9"  # row 702, in the second chunk
    rows[1100][0] = "T99999"  # row 1 102, in the third
    with pytest.raises(engine.ImportRefused) as refused:
        run("training", csv_bytes(HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (702, "program_code", "Unknown program code “P9”."),
        (1102, "employee_number", "Unknown employee number “T99999”."),
    ]
    assert _nothing_written()


def test_a_record_repeated_in_another_chunk_is_caught_at_the_later_row(people, english):
    rows = _rows()
    rows.append(["T00003", "P1", "2025-02-03", "", "2", "no"])  # row 1 202 repeats row 5 (same day, other spelling)
    rows[650] = ["T00003", "P2", "10/03/2025", "", "1", ""]  # row 652 repeats row 605, in the next chunk
    with pytest.raises(engine.ImportRefused) as refused:
        run("training", csv_bytes(HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (652, "start_date", "This employee, program and start date appear more than once in the file "
                            "(first in row 605)."),
        (1202, "start_date", "This employee, program and start date appear more than once in the file "
                             "(first in row 5)."),
    ]
    assert _nothing_written()


def test_a_database_failure_during_the_writes_rolls_everything_back(people, monkeypatch):
    run("training", csv_bytes(HEADER, _rows()[:10]))  # ten enrolments there already
    before = set(Enrolment.objects.values_list("id", "status", "hours_attended"))

    def broken(*args, **kwargs):
        raise DatabaseError("connection lost in the middle of the import")

    # The sessions and the enrolments are written, then the audit trail's insert fails: none of it must survive.
    monkeypatch.setattr(writes, "changes_recorded", broken)
    with pytest.raises(DatabaseError):
        run("training", csv_bytes(HEADER, _rows(hours="9")))
    assert set(Enrolment.objects.values_list("id", "status", "hours_attended")) == before
    assert Session.objects.count() == 1 and _audited() == 10
