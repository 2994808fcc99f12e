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
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row, errors_of, run

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
