"""Exports of the programs app's lists (``?export=csv|xlsx`` on the list's own URL): the rows the page shows, under
the same filters and within the same scope, with choice labels, dates and numbers as on the page; formula-like
text neutralised; a bounded number of queries whatever the number of rows."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories as f

pytestmark = pytest.mark.django_db


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def column(rows, heading: str) -> list:
    index = rows[0].index(heading)
    return [row[index] for row in rows[1:]]


def need(unit, by, title, **extra):
    return f.TrainingNeedFactory(unit=unit, submitted_by=by, title=title, **extra)


# --- needs -------------------------------------------------------------------------------------------------------
@pytest.fixture
def needs(org, director_a, director_b):
    submitted_at = timezone.make_aware(dt.datetime(2026, 10, 5, 9, 30))
    return {
        "a_draft": need(org.unit_a1, director_a, "Atenció a la ciutadania", status="draft"),
        "a_submitted": need(org.unit_a1, director_a, "Redacció clara", status="submitted", priority="high",
                            estimated_participants=12, submitted_at=submitted_at),
        "a_formula": need(org.unit_a, director_a, "=HYPERLINK(\"http://x\")", status="submitted"),
        "b_submitted": need(org.unit_b1, director_b, "Llicències d'obres", status="submitted"),
    }


def test_need_list_exports_the_filtered_rows_of_the_directors_scope(english, director_a_client, needs):
    url = reverse("programs:need_list")
    rows = csv_rows(director_a_client.get(url, {"status": "submitted", "export": "csv"}))
    assert rows[0][:6] == ["Title", "Unit", "Plan year", "Priority", "Status", "Submitted by"]
    titles = column(rows, "Title")
    assert sorted(titles) == sorted(["Redacció clara", "'=HYPERLINK(\"http://x\")"])  # no draft, nothing of B
    row = rows[1 + titles.index("Redacció clara")]
    assert row[2:6] == ["2027", "High", "Submitted", "Carme Roig Font"]
    assert column(rows, "Estimated participants")[titles.index("Redacció clara")] == "12"
    assert column(rows, "Submitted on")[titles.index("Redacció clara")] == "2026-10-05 09:30:00"

    sheet = xlsx_rows(director_a_client.get(url, {"status": "submitted", "q": "clara", "export": "xlsx"}))
    assert len(sheet) == 2
    assert sheet[1][:4] == ["Redacció clara", str(needs["a_submitted"].unit), 2027, "High"]
    assert sheet[1][6] == 12 and sheet[1][7] == dt.datetime(2026, 10, 5, 9, 30)


def test_need_list_export_neutralises_formulas_in_xlsx(english, director_a_client, needs):
    sheet = xlsx_rows(director_a_client.get(reverse("programs:need_list"), {"q": "HYPERLINK", "export": "xlsx"}))
    assert [row[0] for row in sheet[1:]] == ["'=HYPERLINK(\"http://x\")"]


def test_need_list_export_of_the_outsider_has_none_of_unit_a(english, outsider_client, needs):
    rows = csv_rows(outsider_client.get(reverse("programs:need_list"), {"export": "csv"}))
    assert column(rows, "Title") == ["Llicències d'obres"]


def test_need_list_page_links_to_its_exports_with_the_filters(english, director_a_client, needs):
    response = director_a_client.get(reverse("programs:need_list"), {"status": "submitted", "page": "1"})
    html = response.content.decode()
    assert "/needs/?status=submitted&amp;export=csv" in html and "export=xlsx" in html
    assert "page=1&amp;export" not in html
    partial = director_a_client.get(reverse("programs:need_list"), {"status": "draft"}, headers={"HX-Request": "true"})
    assert "/needs/?status=draft&amp;export=csv" in partial.content.decode()


def test_an_unknown_export_format_renders_the_page(english, director_a_client, needs):
    response = director_a_client.get(reverse("programs:need_list"), {"export": "pdf"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


# --- triage ------------------------------------------------------------------------------------------------------
def test_triage_exports_the_queue_with_its_year_filter(english, clo_client, needs, org, director_a):
    competency = f.CompetencyFactory(name="Escriptura administrativa")
    needs["a_submitted"].competencies.add(competency)
    need(org.unit_a1, director_a, "Pla 2028", status="more_info", year=2028)
    rows = csv_rows(clo_client.get(reverse("programs:triage"), {"year": "2027", "export": "csv"}))
    titles = column(rows, "Title")
    assert titles[0] == "Redacció clara"  # high priority first, as on the page
    assert sorted(titles) == sorted(["Redacció clara", "'=HYPERLINK(\"http://x\")", "Llicències d'obres"])
    assert column(rows, "Competencies")[0] == "Escriptura administrativa"
    sheet = xlsx_rows(clo_client.get(reverse("programs:triage"), {"year": "2028", "export": "xlsx"}))
    assert [row[0] for row in sheet[1:]] == ["Pla 2028"] and sheet[1][6] == "More information requested"


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "hr_client"])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_triage_export_is_404_outside_the_learning_office(request, needs, persona, fmt):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("programs:triage"), {"export": fmt}).status_code == 404


def _count(client, url, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("name", ["programs:need_list", "programs:triage"])
def test_needs_exports_run_a_bounded_number_of_queries(clo_client, needs, org, director_a, name):
    small = _count(clo_client, reverse(name), {"export": "xlsx"})
    for i in range(40):
        n = need(org.unit_a1, director_a, f"Necessitat {i}", status="submitted")
        n.competencies.add(f.CompetencyFactory())
    large = _count(clo_client, reverse(name), {"export": "xlsx"})
    assert large <= small <= 10


# --- catalogue ---------------------------------------------------------------------------------------------------
@pytest.fixture
def programs():
    soon = timezone.make_aware(dt.datetime(2030, 3, 4, 9, 0))
    writing = f.ProgramFactory(code="ESC1", title="Escriptura clara", hours="12.5")
    f.ProgramCompetencyFactory(program=writing, competency=f.CompetencyFactory(name="Redacció"), level_reached=3)
    f.SessionFactory(program=writing, starts_at=soon, ends_at=soon + dt.timedelta(hours=4))
    f.ProgramFactory(code="EXC1", title="Full de càlcul", modality="online")
    f.ProgramFactory(code="OLD1", title="Escriptura antiga", active=False)
    return writing


def test_catalogue_exports_the_filtered_programs(english, employee_a_client, programs):
    rows = csv_rows(employee_a_client.get(reverse("programs:catalogue"), {"q": "Escriptura", "export": "csv"}))
    assert column(rows, "Program") == ["Escriptura clara"]  # the inactive program is not in an employee's catalogue
    assert column(rows, "Hours") == ["12,5"] and column(rows, "Next session") == ["2030-03-04 09:00:00"]
    assert column(rows, "Competencies developed") == ["Redacció (level 3)"]
    sheet = xlsx_rows(employee_a_client.get(reverse("programs:catalogue"), {"modality": "online", "export": "xlsx"}))
    assert [row[1] for row in sheet[1:]] == ["Full de càlcul"] and sheet[1][3] == "Online"


def test_catalogue_export_of_the_office_has_inactive_programs(english, clo_client, programs):
    rows = csv_rows(clo_client.get(reverse("programs:catalogue"), {"q": "Escriptura", "export": "csv"}))
    assert sorted(zip(column(rows, "Program"), column(rows, "Active"))) == [
        ("Escriptura antiga", "No"), ("Escriptura clara", "Yes")]


def test_catalogue_export_runs_a_bounded_number_of_queries(employee_a_client, programs):
    small = _count(employee_a_client, reverse("programs:catalogue"), {"export": "csv"})
    for _ in range(30):
        program = f.ProgramFactory()
        f.ProgramCompetencyFactory(program=program)
        f.SessionFactory(program=program)
    large = _count(employee_a_client, reverse("programs:catalogue"), {"export": "csv"})
    assert large <= small <= 10


# --- enrolment requests ------------------------------------------------------------------------------------------
@pytest.fixture
def requests_(org, employee_a, employee_b, programs):
    session = programs.sessions.get()
    return [f.EnrolmentFactory(session=session, employee=employee_a),
            f.EnrolmentFactory(session=session, employee=employee_b)]


def test_enrolment_requests_export_has_only_the_directors_people(english, director_a_client, requests_):
    rows = csv_rows(director_a_client.get(reverse("programs:enrolment_requests"), {"export": "csv"}))
    assert column(rows, "Person") == ["Pere Soler Camps"]
    assert column(rows, "Program") == ["Escriptura clara"] and column(rows, "Starts") == ["2030-03-04 09:00:00"]
    sheet = xlsx_rows(director_a_client.get(reverse("programs:enrolment_requests"), {"export": "xlsx"}))
    assert [row[0] for row in sheet[1:]] == ["Pere Soler Camps"] and sheet[1][6] == 20


def test_enrolment_requests_export_of_the_outsider_has_none_of_unit_a(english, outsider_client, requests_):
    rows = csv_rows(outsider_client.get(reverse("programs:enrolment_requests"), {"export": "csv"}))
    assert column(rows, "Person") == ["Anna Pujol Sala"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_enrolment_requests_export_is_404_for_an_employee(employee_a_client, requests_, fmt):
    response = employee_a_client.get(reverse("programs:enrolment_requests"), {"export": fmt})
    assert response.status_code == 404


# --- learning plans ----------------------------------------------------------------------------------------------
def test_learning_plans_export_has_the_year_and_the_directors_people(english, director_a_client, employee_a,
                                                                      employee_b, director_a):
    plan = f.LearningPlanFactory(employee=employee_a, period_start=dt.date(2027, 1, 1),
                                 period_end=dt.date(2027, 12, 31))
    f.LearningPlanItemFactory(plan=plan, status="done")
    f.LearningPlanItemFactory(plan=plan)
    f.LearningPlanFactory(employee=employee_b)
    rows = csv_rows(director_a_client.get(reverse("programs:plan_list"), {"year": "2027", "export": "csv"}))
    people = column(rows, "Employee")
    assert sorted(people) == ["Carme Roig Font", "Pere Soler Camps"]  # nobody of unit B
    pere = rows[1 + people.index("Pere Soler Camps")]
    assert pere[4:] == ["1", "2"]
    assert rows[1 + people.index("Carme Roig Font")][3] == "No plan yet"
    sheet = xlsx_rows(director_a_client.get(reverse("programs:plan_list"), {"year": "2026", "export": "xlsx"}))
    assert {row[3] for row in sheet[1:]} == {"No plan yet"}  # no plan overlaps 2026


def test_learning_plans_export_runs_a_bounded_number_of_queries(clo_client, org):
    small = _count(clo_client, reverse("programs:plan_list"), {"year": "2027", "export": "xlsx"})
    for _ in range(30):
        f.LearningPlanItemFactory(plan=f.LearningPlanFactory(employee=f.EmployeeFactory(unit=org.unit_a1)))
    large = _count(clo_client, reverse("programs:plan_list"), {"year": "2027", "export": "xlsx"})
    assert large <= small <= 10


# --- follow-ups --------------------------------------------------------------------------------------------------
def test_follow_ups_export_has_only_the_directors_people(english, director_a_client, employee_a, employee_b,
                                                           director_a, director_b):
    from programs.models import TransferFollowUp

    for employee, manager in ((employee_a, director_a), (employee_b, director_b)):
        enrolment = f.EnrolmentFactory(employee=employee)
        TransferFollowUp.objects.create(enrolment=enrolment, respondent_role="manager", respondent=manager,
                                        due_on=dt.date(2026, 9, 1), sent_at=timezone.now())
    rows = csv_rows(director_a_client.get(reverse("programs:follow_up_list"), {"export": "csv"}))
    assert rows[1:] == [["Pere Soler Camps", "Servei d'Educació", rows[1][2], "Carme Roig Font", "Their manager",
                         "2026-09-01"]]
    sheet = xlsx_rows(director_a_client.get(reverse("programs:follow_up_list"), {"export": "xlsx"}))
    assert len(sheet) == 2 and sheet[1][5] == dt.datetime(2026, 9, 1)


def test_follow_ups_export_is_404_for_an_employee(employee_a_client):
    assert employee_a_client.get(reverse("programs:follow_up_list"), {"export": "csv"}).status_code == 404


# --- a session's enrolments and attendance -----------------------------------------------------------------------
def test_session_roster_export_has_the_enrolments_and_hours(english, clo_client, programs, employee_a, employee_b):
    session = programs.sessions.get()
    f.EnrolmentFactory(session=session, employee=employee_a, status="approved", hours_attended="3.5")
    f.EnrolmentFactory(session=session, employee=employee_b, status="waitlisted")
    f.EnrolmentFactory(employee=employee_b)  # another session's
    url = reverse("programs:session_detail", args=[session.pk])
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert [row[:4] for row in rows[1:]] == [["Pere Soler Camps", "Servei d'Educació", "Approved", "3,5"],
                                            ["Anna Pujol Sala", "Servei de Llicències", "Waitlisted", "0,0"]]
    sheet = xlsx_rows(clo_client.get(url, {"export": "xlsx"}))
    assert sheet[1][3] == 3.5 and isinstance(sheet[1][4], dt.datetime)
    assert "export=csv" in clo_client.get(url).content.decode()


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
def test_session_roster_export_is_404_outside_the_learning_office(request, programs, persona):
    client = request.getfixturevalue(persona)
    url = reverse("programs:session_detail", args=[programs.sessions.get().pk])
    assert client.get(url, {"export": "csv"}).status_code == 404
