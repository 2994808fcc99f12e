"""The job: upload → preview → confirm → import, inline for small files and through the tasks for large ones;
all or nothing; safe to run twice."""

from __future__ import annotations

import pytest
from django.db import DatabaseError

from clo.core.imports import engine, services
from clo.core.imports.models import ImportJob
from clo.people.models import Employee
from tests import factories as f
from tests.imports.helpers import EMPLOYEE_HEADER, csv_bytes, employee_row, run

pytestmark = pytest.mark.django_db


def _file(count: int, *, bad_row: int | None = None) -> bytes:
    rows = [employee_row(f"N{i:06d}", hire="01/03/2015") for i in range(count)]
    if bad_row is not None:
        rows[bad_row - 2][8] = "2015-13-45"  # row numbers count the header as row 1
    return csv_bytes(EMPLOYEE_HEADER, rows, sep=";")


def test_a_small_file_is_previewed_at_once_and_imported_on_confirmation(media, position, hr_user):
    job = services.import_job_create(kind="employees", data=_file(3), original_name="rrhh.csv", requested_by=hr_user,
                                     mode=ImportJob.Mode.REGISTER)
    assert job.status == ImportJob.Status.PREVIEWED
    assert job.counts["create"] == 3 and job.counts["deactivate"] == 1  # the HR persona is not in the file
    assert job.file.name.startswith("imports/") and "rrhh" not in job.file.name  # a generated name
    assert not Employee.objects.filter(employee_number__startswith="N").exists()  # nothing written yet
    assert services.import_job_confirm(job, confirmation="1") is True
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.processed == 3
    assert Employee.objects.filter(employee_number__startswith="N").count() == 3
    assert services.import_job_confirm(job, confirmation="1") is False  # confirmed once only


def test_the_import_is_in_the_audit_trail_with_who_asked_for_it(media, position, hr_user):
    from clo.core.models import AuditEntry

    old = f.EmployeeFactory(employee_number="OLD1", position=position)
    job = services.import_job_create(kind="employees", data=_file(2), original_name="a.csv", requested_by=hr_user,
                                     mode=ImportJob.Mode.REGISTER)
    services.import_job_confirm(job, confirmation="2")
    entries = AuditEntry.objects.filter(person_id=Employee.objects.get(employee_number="N000001").pk)
    [created] = list(entries)
    assert created.actor == hr_user and created.changes["first_name"] == [None, "Laia"]
    [deactivated] = [e for e in AuditEntry.objects.filter(person_id=old.pk) if e.changes == {"active": [True, False]}]
    assert deactivated.actor == hr_user


def test_the_same_file_again_changes_nothing(media, position, hr_user):
    first = services.import_job_create(kind="employees", data=_file(5), original_name="a.csv")
    services.import_job_confirm(first)
    again = services.import_job_create(kind="employees", data=_file(5), original_name="a.csv")
    assert again.counts == {"create": 0, "update": 0, "unchanged": 5, "deactivate": 0}
    services.import_job_confirm(again)
    again.refresh_from_db()
    assert again.status == ImportJob.Status.DONE
    assert again.counts == {"create": 0, "update": 0, "unchanged": 5, "deactivate": 0}


def test_a_large_file_goes_through_the_tasks_and_a_second_run_does_nothing(media, position, settings, eager_tasks,
                                                                           django_capture_on_commit_callbacks):
    settings.CLO_IMPORTS_INLINE_ROWS = 10
    with django_capture_on_commit_callbacks(execute=True):
        job = services.import_job_create(kind="employees", data=_file(25), original_name="gran.csv")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.PREVIEWED and job.counts["create"] == 25
    assert services.import_job_preview(job.pk) is None  # already claimed and done: safe to run twice
    with django_capture_on_commit_callbacks(execute=True):
        assert services.import_job_confirm(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert services.import_job_run(job.pk) is None  # a second delivery of the task finds it done
    assert Employee.objects.filter(employee_number__startswith="N").count() == 25


def test_an_error_in_row_40000_of_a_big_file_writes_nothing(media, position, settings):
    settings.CLO_IMPORTS_INLINE_ROWS = 50_000
    data = _file(40_000, bad_row=40_000)
    job = services.import_job_create(kind="employees", data=data, original_name="gran.csv")
    assert job.status == ImportJob.Status.PREVIEWED and job.error_count == 1
    assert job.messages()[0]["row"] == 40_000 and job.messages()[0]["column"] == "hire_date"
    assert services.import_job_confirm(job) is False
    with pytest.raises(engine.ImportRefused):
        run("employees", data)
    assert not Employee.objects.filter(employee_number__startswith="N").exists()


def test_a_database_failure_during_the_writes_rolls_everything_back(media, position, monkeypatch, english):
    f.EmployeeFactory(employee_number="OLD1", position=position)  # absent from the file: to deactivate
    job = services.import_job_create(kind="employees", data=_file(4), original_name="a.csv",
                                     mode=ImportJob.Mode.REGISTER)
    before = set(Employee.objects.values_list("employee_number", "active"))

    def broken(*args, **kwargs):
        raise DatabaseError("connection lost in the middle of the import")

    # The new employees are inserted and the absent one deactivated, then the audit trail's insert fails: none of
    # the writes must survive.
    from clo.core.imports import writes

    monkeypatch.setattr(writes, "changes_recorded", broken)
    services.import_job_confirm(job, confirmation="1")
    monkeypatch.undo()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure_display() == "The database refused the import; nothing was written."
    assert "connection lost" in job.failure_detail
    assert set(Employee.objects.values_list("employee_number", "active")) == before


def test_an_unreadable_file_fails_the_preview_with_a_reason(media, english, eager_tasks,
                                                            django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):  # a workbook is read by the job, never in the request
        job = services.import_job_create(kind="units", data=b"PK\x03\x04broken", original_name="u.xlsx")
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert job.failure_display() == "The file could not be read as CSV or XLSX."
