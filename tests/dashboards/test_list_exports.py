"""Exports of the dashboards' remaining tables (``?export=csv|xlsx`` on the page's own URL, ``&table=`` where a page
has several; the director's board tables through the board's export URL): the director's enrolment requests (all
of them, not the 20 shown) and needs, one person's gaps, the home page's tables, the level 4 panel, the reports and
workbooks lists and the data retention page. Same rows as the page, same scope, no query per row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clo.core.models import RetentionRun
from clo.dashboards.models import MonthlyReport, OrganisationWorkbook
from clo.people.models import Employee
from programs.models import Enrolment
from tests import factories as f
from tests.conftest import login
from tests.dashboards.test_boards import DIRECTOR_URL, EN, HX, world  # noqa: F401  (world: fixture)
from tests.dashboards.test_training_results import done_run, snapshot
from tests.exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


def download(client, url, params=None, fmt="csv"):
    response = client.get(url, {**(params or {}), "export": fmt}, **EN)
    return csv_rows(response) if fmt == "csv" else xlsx_rows(response)


def _requests(employee, n: int) -> None:
    session = f.SessionFactory(program=f.ProgramFactory(title="Writing for the web"), capacity=50,
                               starts_at=timezone.now() + dt.timedelta(days=20),
                               ends_at=timezone.now() + dt.timedelta(days=20, hours=3))
    for _ in range(n):
        person = f.EmployeeFactory(unit=employee.unit, manager=employee.manager)
        f.EnrolmentFactory(session=session, employee=person, status=Enrolment.Status.REQUESTED)


# --- The director's board ----------------------------------------------------------------------------------------


def test_director_requests_export_has_every_request_not_the_20_shown(director_a_client, org, world, employee_a):
    _requests(employee_a, 22)
    f.TrainingNeedFactory(unit=org.unit_a1, status="submitted")
    html = director_a_client.get(DIRECTOR_URL, **EN).content.decode()
    assert "Only the 20 oldest requests are shown." in html
    assert "/dashboards/director/export/requests.csv?" in html and "/dashboards/director/export/needs.xlsx?" in html
    rows = csv_rows(director_a_client.get("/dashboards/director/export/requests.csv", **EN))
    assert rows[0] == ["Person", "Unit", "Program", "Session", "Starts", "Requested on"]
    assert len(rows) - 1 == 22 and {row[2] for row in rows[1:]} == {"Writing for the web"}


def test_director_requests_export_runs_a_fixed_number_of_queries(director_a_client, org, world, employee_a):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            rows = xlsx_rows(director_a_client.get("/dashboards/director/export/requests.xlsx", **EN))
        return len(queries), len(rows)

    _requests(employee_a, 1)
    small = count()
    _requests(employee_a, 8)
    large = count()
    assert large[1] == small[1] + 8 and large[0] <= small[0]


def test_director_needs_export(director_a_client, org, world, director_a):
    f.TrainingNeedFactory(unit=org.unit_a1, status="submitted")
    f.TrainingNeedFactory(unit=org.unit_b1, status="submitted")  # another director's
    sheet = xlsx_rows(director_a_client.get("/dashboards/director/export/needs.xlsx", **EN))
    assert sheet == [["Status", "Needs"], ["Submitted", 1]]


def test_director_tables_are_not_on_the_learning_office_board_nor_outside_the_scope(outsider_client, clo_user, org,
                                                                                    world, employee_a):
    _requests(employee_a, 1)
    clo_client = login(Client(), clo_user)
    for table in ("requests", "needs"):
        assert clo_client.get(f"/dashboards/clo/export/{table}.csv", **EN).status_code == 404
        url = f"/dashboards/director/export/{table}.csv"
        assert outsider_client.get(url, {"unit": org.unit_a.pk}, **EN).status_code == 404
    theirs = csv_rows(outsider_client.get("/dashboards/director/export/requests.csv", **EN))
    assert theirs == [["Person", "Unit", "Program", "Session", "Starts", "Requested on"]]


# --- One person's gaps -------------------------------------------------------------------------------------------


def test_employee_gaps_export(director_a_client, director_b, world, employee_a):
    outsider_client = login(Client(), director_b.user)
    url = reverse("dashboard_employee", args=[employee_a.pk])
    html = director_a_client.get(url, **EN).content.decode()
    assert f'href="{url}?export=csv"' in html and f'href="{url}?export=xlsx"' in html
    rows = download(director_a_client, url)
    assert rows[0] == ["Competency", "Area", "Required level", "Current level", "Gap", "Critical", "Assessed on"]
    assert rows[1][:6] == ["Digital writing", "Digital area", "3", "1", "2", "1"]
    assert rows[2][:6] == ["Leading teams", "People area", "2", "", "2", "0"]  # never assessed: empty, not 0
    sheet = download(director_a_client, url, fmt="xlsx")
    assert sheet[1][2:5] == [3, 1, 2] and sheet[2][3] is None
    assert outsider_client.get(url, {"export": "csv"}).status_code == 404


# --- The home page -----------------------------------------------------------------------------------------------


def test_home_exports_the_employees_tables(employee_a_client, world, employee_a):
    html = employee_a_client.get("/", **EN).content.decode()
    assert 'href="/?export=csv&amp;table=my-requirements"' in html
    rows = download(employee_a_client, "/", {"table": "my-requirements"})
    assert rows[0] == ["Competency", "Required level", "Current level", "Met"]
    assert sorted(rows[1:]) == [["Digital writing", "3", "1", "0"], ["Leading teams", "2", "", "0"]]
    assert download(employee_a_client, "/", {"table": "my-enrolments"}) == [["Program", "Starts", "Status"]]


def test_home_exports_the_directors_and_hrs_tables(director_a_client, hr_user, world, employee_a):
    hr_client = login(Client(), hr_user)
    sheet = download(director_a_client, "/", {"table": "largest-gaps"}, fmt="xlsx")
    assert sheet == [["Person", "Unit", "Position", "Unmet requirements", "Requirements"],
                     [employee_a.full_name, employee_a.unit.name, employee_a.position.title, 2, 2]]
    rows = download(hr_client, "/", {"table": "employment-types"})
    assert rows[0] == ["Employment type", "Employees"]
    assert sum(int(row[1]) for row in rows[1:]) == Employee.objects.active().count()


def test_home_export_of_a_table_of_another_role_is_404(employee_a_client, world):
    for table in ("employment-types", "largest-gaps", "nothing", ""):
        assert employee_a_client.get("/", {"export": "csv", "table": table}).status_code == 404


# --- The learning office's lists ---------------------------------------------------------------------------------


def test_level_4_panel_export_hides_what_the_page_hides(clo_client, english):
    run = done_run()
    snapshot(run, "Atenció ciutadana", 5, 4, "-1.00", "-0.25")
    snapshot(run, "Petit grup", 2, 9, "-2.00", "0.00")  # too few completers: no figures
    url = reverse("dashboard_training_results")
    partial = clo_client.get(url, **HX).content.decode()
    assert f'href="{url}?export=csv"' in partial  # a full download URL from the HTMX panel
    sheet = download(clo_client, url, fmt="xlsx")
    assert sheet[0] == ["Program", "Completers", "Comparison group", "Change of completers",
                        "Change of the comparison group", "Difference in change"]
    assert sheet[1] == ["Atenció ciutadana", 5, 4, -1, -0.25, -0.75]
    assert sheet[2][:3] == ["Petit grup", 2, 9] and set(sheet[2][3:]) <= {None}


def test_reports_and_workbooks_lists_export(clo_client, clo_user, english):
    MonthlyReport.objects.create(period_start=dt.date(2026, 10, 1), period_end=dt.date(2026, 10, 31), language="ca",
                                 status="done", finished_at=timezone.now())
    MonthlyReport.objects.create(period_start=dt.date(2026, 9, 1), period_end=dt.date(2026, 9, 30), language="en",
                                 requested_by=clo_user)
    OrganisationWorkbook.objects.create(status="done", rows=1234, requested_by=clo_user,
                                        file="exports/organisation-x.xlsx")
    reports_url, workbooks_url = reverse("dashboard_reports"), reverse("dashboard_workbooks")
    for url in (reports_url, workbooks_url):
        assert f'href="{url}?export=csv"' in clo_client.get(url, **HX).content.decode()
    rows = download(clo_client, reports_url)
    assert rows[0] == ["Period start", "Period end", "Language", "Status", "Requested by", "Finished"]
    assert [row[:5] for row in rows[1:]] == [
        ["2026-10-01", "2026-10-31", "Catalan", "Done", "Monthly job"],
        ["2026-09-01", "2026-09-30", "English", "Pending", clo_user.get_full_name() or clo_user.get_username()],
    ]
    sheet = download(clo_client, workbooks_url, fmt="xlsx")
    assert sheet[0] == ["Requested", "Requested by", "Status", "Rows"] and sheet[1][3] == 1234


@pytest.mark.parametrize("persona", ["hr_client", "director_a_client", "employee_a_client"])
def test_the_learning_offices_lists_are_404_for_everyone_else(request, persona, org):
    client = request.getfixturevalue(persona)
    for url in (reverse("dashboard_reports"), reverse("dashboard_workbooks")):
        assert client.get(url, {"export": "xlsx"}).status_code == 404
    if persona != "hr_client":  # HR sees the whole organisation's level 4 panel
        assert client.get(reverse("dashboard_training_results"), {"export": "xlsx"}).status_code == 404


# --- Data retention ----------------------------------------------------------------------------------------------


def test_retention_exports_runs_and_blocked_counts(client, employee_b, clo_client, english):
    started = timezone.make_aware(dt.datetime(2026, 11, 1, 3, 0))
    RetentionRun.objects.create(started_at=started, finished_at=started + dt.timedelta(minutes=2), status="done",
                                counts={"assessments": {"blocked": 1, "deleted": 0}})
    RetentionRun.objects.create(started_at=started - dt.timedelta(days=30), status="done", counts={})
    url = reverse("data_retention")
    assert clo_client.get(url, {"export": "csv"}).status_code == 404
    employee_b.user.groups.add(Group.objects.get_or_create(name="data_protection")[0])
    client.force_login(employee_b.user)
    html = client.get(url, **EN).content.decode()
    assert f'href="{url}?export=csv"' in html and f'href="{url}?export=xlsx&amp;table=blocked"' in html
    sheet = download(client, url, fmt="xlsx")
    assert sheet[0] == ["Started", "Finished", "Status", "What it did", "Error"]
    assert sheet[1][:4] == [dt.datetime(2026, 11, 1, 3, 0), dt.datetime(2026, 11, 1, 3, 2), "Done",
                            "Assessments and ratings: 1 blocked, 0 deleted"]
    assert sheet[2][3] == "Nothing was due."
    blocked = download(client, url, {"table": "blocked"})
    assert blocked[0] == ["Kind of record", "Retention period (days)", "Blocked"] and len(blocked) > 2


def test_numbers_stay_numbers_in_the_level_4_export(clo_client):
    run = done_run()
    snapshot(run, "Programa", 3, 3, "0.50", "0.25")
    sheet = download(clo_client, reverse("dashboard_training_results"), fmt="xlsx")
    assert sheet[1][5] == float(Decimal("0.25"))
