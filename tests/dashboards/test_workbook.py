"""The whole organisation's data as one XLSX workbook: the learning office asks for it, a worker builds it (eagerly
here; the job is the same code), it downloads with a sheet per kind of record; nobody else reaches it."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from clo.core.jobs import LOST, NOT_QUEUED
from clo.dashboards import workbook as workbook_module
from clo.dashboards.models import OrganisationWorkbook
from clo.dashboards.workbook import organisation_workbook_run
from tests import factories as f
from tests.dashboards.test_boards import world  # noqa: F401  (fixture: two areas, a full gap run)

PAGE = "/dashboards/organisation-workbook/"
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _ask(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE)
    assert response.status_code == 302
    return OrganisationWorkbook.objects.get()


def _sheets(client, workbook) -> dict[str, list[list]]:
    response = client.get(reverse("dashboard_workbook_download", args=[workbook.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}


def test_the_learning_office_gets_every_kind_of_record_in_one_workbook(
    clo_client, org, world, employee_a, employee_b, english, eager_tasks, django_capture_on_commit_callbacks
):
    employee_b.first_name = "=HYPERLINK(\"http://example.invalid\")"
    employee_b.save(update_fields=["first_name"])
    start = timezone.make_aware(dt.datetime(2026, 3, 2, 9, 30))
    session = f.SessionFactory(program=f.ProgramFactory(code="P-XL", title="Spreadsheets"), code="S-XL",
                               starts_at=start, ends_at=start + dt.timedelta(hours=3))
    f.EnrolmentFactory(session=session, employee=employee_a, status="completed", completed_on=start.date(),
                       hours_attended=Decimal("3"))

    workbook = _ask(clo_client, django_capture_on_commit_callbacks)
    workbook.refresh_from_db()
    assert workbook.status == "done" and workbook.rows > 0
    sheets = _sheets(clo_client, workbook)
    assert list(sheets) == ["Headline figures", "Units", "Positions", "Employees", "Competencies", "Requirements",
                            "Current levels", "Gaps by unit", "Unmet requirements", "Programs", "Sessions",
                            "Enrolments", "Training needs", "Plan actions", "Learning plans"]
    assert sum(len(rows) - 1 for rows in sheets.values()) == workbook.rows
    employees = {row[0]: row for row in sheets["Employees"][1:]}
    assert employees[employee_a.employee_number][1:3] == ["Pere", "Soler Camps"]
    assert employees[employee_a.employee_number][4] == org.unit_a1.code
    # A cell a spreadsheet would run as a formula is written as text.
    assert employees[employee_b.employee_number][1].startswith("'=HYPERLINK")
    assert [row[:3] for row in sheets["Units"][1:3]] == [["AJT", "Ajuntament de Vilamar", "area"],
                                                          ["A", "Àrea de Serveis a les Persones", "area"]]
    # employee_a misses Digital writing (1 of 3) and was never assessed in Leading teams.
    unmet = {(row[0], row[3]): row for row in sheets["Unmet requirements"][1:]}
    assert unmet[(employee_a.employee_number, "D1")][4:8] == [3, 1, 2, False]
    assert unmet[(employee_a.employee_number, "L1")][4:8] == [2, 0, 2, True]
    assert (employee_b.employee_number, "D1") not in unmet  # met
    enrolment = sheets["Enrolments"][1]
    assert enrolment[:3] == ["S-XL", employee_a.employee_number, "completed"]
    # Local time, as people read it (9:30 in Madrid, 8:30 UTC).
    assert sheets["Sessions"][1][2] == dt.datetime(2026, 3, 2, 9, 30)


def test_a_sheet_too_long_for_excel_goes_on_in_a_continuation_sheet(
    clo_client, org, world, employee_a, english, eager_tasks, django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr(workbook_module, "SHEET_ROWS", 2)
    f.EmployeeFactory.create_batch(3, unit=org.unit_b1)
    workbook = _ask(clo_client, django_capture_on_commit_callbacks)
    sheets = _sheets(clo_client, OrganisationWorkbook.objects.get(pk=workbook.pk))
    employees = [name for name in sheets if name.startswith("Employees")]
    assert employees == ["Employees", "Employees (2)", "Employees (3)", "Employees (4)"]  # 8 employees, 2 a sheet
    assert all(sheets[name][0][0] == "Employee number" for name in employees)
    assert sum(len(sheets[name]) - 1 for name in employees) == 8


def test_a_second_request_while_one_is_waiting_does_not_start_another_and_a_job_runs_once(
    clo_client, clo_user, org, english, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        clo_client.post(PAGE)
        clo_client.post(PAGE)
    assert OrganisationWorkbook.objects.count() == 1
    workbook = OrganisationWorkbook.objects.get()
    page = clo_client.get(PAGE).content.decode()
    assert "A workbook is being prepared; this list updates by itself." in page
    assert organisation_workbook_run(workbook.pk).status == "done"
    assert organisation_workbook_run(workbook.pk) is None  # already done: a redelivered task does nothing


@pytest.mark.parametrize("status, since", [("pending", "created_at"), ("running", "started_at")])
def test_a_workbook_whose_message_or_worker_was_lost_does_not_block_the_next_request(
    status, since, clo_client, english, settings, django_capture_on_commit_callbacks
):
    limit = dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    lost = OrganisationWorkbook.objects.create(status=status)
    OrganisationWorkbook.objects.filter(pk=lost.pk).update(**{since: timezone.now() - limit - dt.timedelta(minutes=1)})
    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = clo_client.post(PAGE, follow=True)
    assert "The workbook is being prepared" in response.content.decode()
    lost.refresh_from_db()
    assert (lost.status, lost.error) == ("failed", LOST)
    assert OrganisationWorkbook.objects.exclude(pk=lost.pk).get().status == "pending" and len(queued) == 1


@pytest.mark.parametrize("who", ["hr_client", "director_a_client", "employee_a_client", "outsider_client"])
def test_nobody_but_the_learning_office_reaches_the_workbooks(request, who, org, clo_user):
    done = OrganisationWorkbook.objects.create(status="done", file="exports/organisation-x.xlsx", rows=1)
    client = request.getfixturevalue(who)
    download = reverse("dashboard_workbook_download", args=[done.pk])
    for headers in ({}, HX):
        assert client.get(PAGE, **headers).status_code == 404
        assert client.post(PAGE, **headers).status_code == 404
        assert client.get(download, **headers).status_code == 404
        assert client.post(download, **headers).status_code in (404, 405)
    assert OrganisationWorkbook.objects.count() == 1


@pytest.mark.parametrize("size", [1, 15])
def test_the_list_runs_a_fixed_number_of_queries(size, clo_client, clo_user, django_assert_max_num_queries):
    OrganisationWorkbook.objects.bulk_create(
        [OrganisationWorkbook(status="done", file=f"exports/w{n}.xlsx", rows=n, requested_by=clo_user)
         for n in range(size)])
    with django_assert_max_num_queries(10):
        assert clo_client.get(PAGE).status_code == 200


@pytest.mark.django_db(transaction=True)  # the job is queued on commit: a real commit, as in production
def test_with_the_queue_down_a_workbook_is_marked_failed_and_the_next_request_is_not_told_to_wait(
    clo_client, english, broker_refused
):
    response = clo_client.post(PAGE, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "the task queue is not available" in page
    workbook = OrganisationWorkbook.objects.get()
    assert (workbook.status, workbook.error) == ("failed", NOT_QUEUED)  # not left pending for a task never queued
    assert "Ask for it again" in page and "A workbook is being prepared" not in page

    response = clo_client.post(PAGE, follow=True)  # asking again tries again
    page = response.content.decode()
    assert "already being prepared" not in page and "the task queue is not available" in page
    assert list(OrganisationWorkbook.objects.values_list("status", flat=True)) == ["failed", "failed"]
