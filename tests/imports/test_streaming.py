"""The employees import reads its file a chunk at a time (``clo.people.imports.CHUNK`` rows; 500 here, so that a
file of a few thousand rows crosses several chunks): a row in error found at the end still means nothing is
written, named at its row; the checks across rows still see the whole file."""

from __future__ import annotations

import pytest

from clo.core.imports import engine, services
from clo.core.imports.models import ImportChange, ImportJob
from clo.core.models import AuditEntry
from clo.people import imports as people_imports
from clo.people.models import Employee
from tests import factories as f
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row, errors_of, preview, run

pytestmark = pytest.mark.django_db

ROWS = 2_000  # four chunks of 500


@pytest.fixture(autouse=True)
def small_chunks(monkeypatch):
    monkeypatch.setattr(people_imports, "CHUNK", 500)


def _rows(count: int = ROWS) -> list[list[str]]:
    return [employee_row(f"N{i:06d}", manager=f"N{i // 100 * 100:06d}" if i % 100 else "") for i in range(count)]


def _nothing_written() -> bool:
    return not Employee.objects.filter(employee_number__startswith="N").exists() and not AuditEntry.objects.filter(
        object_repr__contains="#", additional_data__bulk=True).exists()


def test_a_repeated_number_in_the_last_row_of_a_large_file_writes_nothing_and_names_the_row(position, english):
    rows = _rows()
    rows.append(employee_row("N000007", first="Repetida"))  # row 2 002: the header is row 1
    with pytest.raises(engine.ImportRefused) as refused:
        run("employees", csv_bytes(EMPLOYEE_HEADER, rows, sep=";"))
    assert errors_of(refused.value.plan) == [
        (ROWS + 2, "employee_number", "“N000007” appears more than once in the file (first in row 9)."),
    ]
    assert _nothing_written()


def test_a_row_that_went_wrong_since_the_preview_fails_the_job_at_its_row_and_writes_nothing(
        media, position, org, settings, english):
    settings.CLO_IMPORTS_INLINE_ROWS = 10_000
    outside = f.EmployeeFactory(employee_number="Z1", position=position, unit=org.unit_b1)  # not in the file
    rows = _rows()
    rows.append(employee_row("N999999", manager="Z1"))  # the last row names a manager left as they are
    job = services.import_job_create(kind="employees", data=csv_bytes(EMPLOYEE_HEADER, rows, sep=";"),
                                     original_name="plantilla.csv")
    assert job.status == ImportJob.Status.PREVIEWED and job.error_count == 0 and job.counts["create"] == ROWS + 1

    Employee.objects.filter(pk=outside.pk).update(active=False)  # meanwhile, the manager left
    assert services.import_job_confirm(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure_display() == "The file has rows in error; nothing was written."
    assert job.messages() == [{"row": ROWS + 2, "column": "manager_number", "message": (
        "The manager “Z1” is not an active employee: add them to the file to reactivate them.")}]
    assert _nothing_written() and not ImportChange.objects.exists()


def test_a_manager_in_a_later_chunk_and_a_cycle_across_chunks_are_seen(position, english):
    rows = _rows()
    rows[1][6] = "N001999"  # row 3 names as manager the last row, three chunks later
    with pytest.raises(engine.ImportRefused) as refused:  # ... and the last row's manager closes a cycle
        run("employees", csv_bytes(EMPLOYEE_HEADER, [*rows[:-1], employee_row("N001999", manager="N000001")]))
    assert errors_of(refused.value.plan) == [
        (3, "manager_number", "This manager would make a cycle of managers: N000001 → N001999 → N000001."),
        (ROWS + 1, "manager_number", "This manager would make a cycle of managers: N001999 → N000001 → N001999."),
    ]
    assert _nothing_written()

    plan = run("employees", csv_bytes(EMPLOYEE_HEADER, rows))
    assert plan.create == ROWS and not plan.errors
    first = Employee.objects.get(employee_number="N000001")
    assert first.manager.employee_number == "N001999"
    assert first.manager.manager.employee_number == "N001900"


def test_the_import_is_audited_and_kept_for_its_undo_row_by_row(media, position, org, hr_user, settings):
    settings.CLO_IMPORTS_INLINE_ROWS = 10_000
    kept = f.EmployeeFactory(employee_number="N000005", position=position, unit=org.unit_b1, first_name="Abans")
    job = services.import_job_create(kind="employees", data=csv_bytes(EMPLOYEE_HEADER, _rows()),
                                     original_name="plantilla.csv", requested_by=hr_user)
    assert services.import_job_confirm(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.counts == {
        "create": ROWS - 1, "update": 1, "unchanged": 0, "deactivate": 0}
    assert job.changes.count() == ROWS
    entry = AuditEntry.objects.get(object_id=kept.pk, action=AuditEntry.Action.UPDATE)
    assert entry.actor == hr_user and entry.person_id == kept.pk
    assert entry.changes["first_name"] == ["Abans", "Laia"] and entry.changes["manager"] == [None, "N000000"]
    assert entry.changes["unit_id"] == [org.unit_b1.pk, org.unit_a1.pk] and "position_id" not in entry.changes
    created = AuditEntry.objects.get(object_repr__endswith=f"#{Employee.objects.get(employee_number='N001999').pk}")
    assert created.changes["hire_date"] == [None, "2015-03-01"] and "expected_retirement_date" not in created.changes


# --- The checks across rows, made in SQL over the staged rows, across chunks -----------------------------------------


def test_a_number_repeated_chunks_later_names_its_first_row_as_written_even_when_that_row_is_in_error(
        position, english):
    rows = _rows()
    rows[3] = employee_row("N000003", hire="never")  # row 5: in error, still the number's first row
    rows[1850] = employee_row("N000004", manager="N000003")  # row 1 852: a repetition, valid on its own
    rows.append(employee_row(" N000003 "))  # row 2 002, written with spaces around it
    rows.append(employee_row("N900000", manager="N000003"))  # row 2 003: its manager's row is the one in error
    with pytest.raises(engine.ImportRefused) as refused:
        run("employees", csv_bytes(EMPLOYEE_HEADER, rows))
    assert errors_of(refused.value.plan) == [
        (5, "hire_date", "“never” is not a date: write it as dd/mm/yyyy or yyyy-mm-dd."),
        (1852, "employee_number", "“N000004” appears more than once in the file (first in row 6)."),
        (ROWS + 2, "employee_number", "“ N000003 ” appears more than once in the file (first in row 5)."),
        (ROWS + 3, "manager_number", "The manager “N000003” is in row 5, which has errors."),
    ]
    assert _nothing_written()


def test_a_manager_whose_row_in_a_later_chunk_is_in_error_names_that_row(position, english):
    rows = _rows()
    rows[2][6] = "N001850"  # row 4 names as manager row 1 852, three chunks later ...
    rows[1850] = employee_row("N001850", unit="NOPE", manager="N001800")  # ... which is in error
    assert errors_of(preview("employees", csv_bytes(EMPLOYEE_HEADER, rows))) == [
        (4, "manager_number", "The manager “N001850” is in row 1852, which has errors."),
        (1852, "unit_code", "Unknown unit code “NOPE”."),
    ]


def test_a_long_chain_of_managers_passes_and_a_long_cycle_is_told_from_each_of_its_rows(position, english):
    chain = [employee_row(f"C{i:05d}", manager=f"C{i - 1:05d}" if i else "") for i in range(1_200)]
    cycle = [employee_row(f"Y{i:04d}", manager=f"Y{(i + 1) % 700:04d}") for i in range(700)]  # across two chunks
    tail = [employee_row("T1", manager="Y0350"), employee_row("T2", manager="T1")]  # leads to the cycle, not on it
    plan = preview("employees", csv_bytes(EMPLOYEE_HEADER, [*chain, *cycle, *tail]))
    first = 1_200 + 2  # the cycle's first row
    assert [(row, column) for row, column, _message in errors_of(plan)] == [
        (row, "manager_number") for row in range(first, first + 700)]
    names = [f"Y{i:04d}" for i in range(700)]
    # a long cycle is told by its first and last five people: 700 messages of 700 names would not fit in memory
    assert errors_of(plan)[0][2] == ("This manager would make a cycle of managers: "
                                     f"{' → '.join([*names[:5], '…', *names[-5:], 'Y0000'])}.")
    assert errors_of(plan)[350][2] == ("This manager would make a cycle of managers: "
                                       f"{' → '.join([*names[350:355], '…', *names[345:350], 'Y0350'])}.")

    plan = run("employees", csv_bytes(EMPLOYEE_HEADER, chain))
    assert plan.create == 1_200 and not plan.errors
    assert Employee.objects.get(employee_number="C01199").manager.employee_number == "C01198"


@pytest.fixture
def kept(position):
    """Employees left as they are by an update: K0, managed by K1, managed by K2, managed by N001500 (who is in the
    file); K9, inactive."""
    top = f.EmployeeFactory(employee_number="N001500", position=position)
    k2 = f.EmployeeFactory(employee_number="K2", position=position, manager=top)
    k1 = f.EmployeeFactory(employee_number="K1", position=position, manager=k2)
    f.EmployeeFactory(employee_number="K0", position=position, manager=k1)
    f.EmployeeFactory(employee_number="K9", position=position, active=False)


def test_in_an_update_the_chain_of_managers_left_as_they_are_closes_a_cycle_across_chunks(kept, english):
    rows = _rows()
    rows[1][6] = "K0"  # row 3: managed by K0, left as they are ...
    rows[1500][6] = "N000001"  # ... up the chain to N001500, in the file, row 1 502, managed by row 3
    rows[1999][6] = "K9"  # row 2 001: an inactive employee
    data = csv_bytes(EMPLOYEE_HEADER, rows)
    assert errors_of(preview("employees", data)) == [
        (3, "manager_number", "This manager would make a cycle of managers: N000001 → K0 → K1 → K2 → N001500 → "
                              "N000001."),
        (1502, "manager_number", "This manager would make a cycle of managers: N001500 → N000001 → K0 → K1 → K2 → "
                                 "N001500."),
        (ROWS + 1, "manager_number", "The manager “K9” is not an active employee: add them to the file to "
                                     "reactivate them."),
    ]
    # The whole register: K0 would be deactivated, so nothing goes through them and there is no cycle.
    assert errors_of(preview("employees", data, whole_register=True)) == [
        (3, "manager_number", "The manager “K0” is not in the file: they would be deactivated. Add them to the file."),
        (ROWS + 1, "manager_number", "The manager “K9” is not in the file: they would be deactivated. Add them to "
                                     "the file."),
    ]

    rows[1500][6] = ""  # the chain is broken: the update goes through, K0 manages row 3
    rows[1999][6] = ""
    plan = run("employees", csv_bytes(EMPLOYEE_HEADER, rows))
    assert not plan.errors and plan.create == ROWS - 1 and plan.update == 1
    assert Employee.objects.get(employee_number="N000001").manager.employee_number == "K0"
    assert Employee.objects.get(employee_number="K0").manager.employee_number == "K1"
