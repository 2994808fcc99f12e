"""Exports of the programs app's lists (``?export=csv|xlsx`` on the list's own URL): the rows the page shows, under
the same filters and within the same scope, with choice labels, dates and numbers as on the page; formula-like
text neutralised; a bounded number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests import factories as f
from tests.exports import csv_rows, xlsx_rows

pytestmark = pytest.mark.django_db


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
    assert large <= small <= 13  # 10, and the read log's three (its entry, its people in one INSERT ... SELECT, the count)


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


# === the tables of detail pages, forms and the remaining lists =================================================
# A page with several tables names all but its first with ``?table=``; each export has the rows of its table.


def links(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# --- one learning plan, HR's PDF jobs ----------------------------------------------------------------------------
@pytest.fixture
def learning_plan(employee_a):
    program = f.ProgramFactory(code="ESC1", title="Escriptura clara")
    competency = f.CompetencyFactory(name="Redacció")
    plan = f.LearningPlanFactory(employee=employee_a)
    f.LearningPlanItemFactory(plan=plan, kind="program", program=program, title="", competency=competency,
                              target_level=3, due_date=dt.date(2027, 6, 30), critical=True, origin="generated",
                              edited=True)
    f.LearningPlanItemFactory(plan=plan, status="done")
    f.LearningPlanItemFactory(plan=plan, title="Suggeriment retirat", status="retired")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3, is_critical=True)
    return plan


def test_plan_items_export_has_the_active_actions_of_the_plan(english, director_a_client, learning_plan):
    url = reverse("programs:plan_detail", args=[learning_plan.pk])
    rows = csv_rows(director_a_client.get(url, {"export": "csv"}))
    assert rows[0] == ["Activity", "Critical requirement", "Competency", "Target level", "Due date", "Status",
                       "Origin"]
    assert rows[1:] == [
        ["ESC1 · Escriptura clara", "Yes", "Redacció", "3", "2027-06-30", "Planned", "Generated from gaps (edited)"],
        ["Mentoring: Mentoria amb la cap de servei", "No", "", "", "", "Done", "Added by a person"],
    ]  # the retired suggestion is not a planned action
    sheet = xlsx_rows(director_a_client.get(url, {"export": "xlsx"}))
    assert sheet[1][3] == 3 and sheet[1][4] == dt.datetime(2027, 6, 30)


def test_plan_gaps_export_and_the_links_of_both_tables(english, employee_a_client, learning_plan):
    url = reverse("programs:plan_detail", args=[learning_plan.pk])
    rows = csv_rows(employee_a_client.get(url, {"export": "csv", "table": "gaps"}))
    assert rows == [["Competency", "Current level", "Required level", "Gap", "Critical", "Not covered by the plan"],
                    ["Redacció", "not assessed", "3", "3", "Yes",
                     "No program in the catalogue covers this gap yet; the learning office has been told."]]
    html = links(employee_a_client, url)
    assert f"{url}?export=csv&amp;table=gaps" in html and f"{url}?export=xlsx" in html


def test_plan_items_links_after_an_htmx_change_still_download_the_plan(english, director_a_client, learning_plan):
    url = reverse("programs:plan_detail", args=[learning_plan.pk])
    add = reverse("programs:plan_item_add", args=[learning_plan.pk])
    partial = director_a_client.post(add, {"kind": "mentoring", "title": "Mentoria nova"},
                                     headers={"HX-Request": "true"}).content.decode()
    assert "Mentoria nova" in partial and f'href="{url}?export=csv"' in partial and f"{add}?export" not in partial


@pytest.mark.parametrize("table", ["", "gaps"])
def test_plan_exports_are_404_for_the_outsider(outsider_client, learning_plan, table):
    url = reverse("programs:plan_detail", args=[learning_plan.pk])
    assert outsider_client.get(url, {"export": "csv", "table": table}).status_code == 404


def test_a_table_the_page_does_not_have_is_404(director_a_client, learning_plan):
    url = reverse("programs:plan_detail", args=[learning_plan.pk])
    assert director_a_client.get(url, {"export": "csv", "table": "people"}).status_code == 404


def test_pdf_jobs_export_lists_the_recent_requests(english, hr_client, org):
    from programs.models import PlanPdfJob

    PlanPdfJob.objects.create(unit=org.unit_a, as_of=dt.date(2027, 3, 1), status="running", total=4, done_count=3)
    PlanPdfJob.objects.create(as_of=dt.date(2027, 3, 2), total=9, done_count=2)
    url = reverse("programs:pdf_jobs")
    rows = csv_rows(hr_client.get(url, {"export": "csv"}))
    assert rows[0][1:] == ["Unit", "Plans in force on", "Status", "Plans rendered", "Plans to render"]
    assert [row[1:] for row in rows[1:]] == [["The whole organisation", "2027-03-02", "Pending", "2", "9"],
                                            ["Àrea de Serveis a les Persones", "2027-03-01", "Running", "3", "4"]]
    sheet = xlsx_rows(hr_client.get(url, {"export": "xlsx"}))
    assert isinstance(sheet[1][0], dt.datetime) and sheet[1][4:] == [2, 9]
    assert f"{url}?export=csv" in links(hr_client, url)


@pytest.mark.parametrize("persona", ["clo_client", "director_a_client", "employee_a_client"])
def test_pdf_jobs_export_is_404_but_for_hr(request, persona):
    client = request.getfixturevalue(persona)
    assert client.get(reverse("programs:pdf_jobs"), {"export": "csv"}).status_code == 404


# --- delivery: training record, attendance sheet, a program's sessions -----------------------------------------
@pytest.fixture
def record(employee_a):
    starts = timezone.make_aware(dt.datetime(2026, 5, 4, 9, 0))
    program = f.ProgramFactory(code="ESC1", title="Escriptura clara", hours="20")
    done = f.SessionFactory(program=program, code="S-2026-1", starts_at=starts, ends_at=starts + dt.timedelta(hours=4))
    refused = f.SessionFactory(code="S-2030-1", program=f.ProgramFactory(title="Full de càlcul"),
                               starts_at=timezone.make_aware(dt.datetime(2030, 1, 8, 9, 0)))
    f.EnrolmentFactory(session=done, employee=employee_a, status="completed", hours_attended="19.5",
                       completed_on=dt.date(2026, 5, 4))
    f.EnrolmentFactory(session=refused, employee=employee_a, status="rejected", decision_reason="No hi ha places")
    return program


def test_training_record_exports_the_enrolments_and_the_years(english, employee_a_client, record):
    url = reverse("programs:my_training")
    rows = csv_rows(employee_a_client.get(url, {"export": "csv"}))
    assert rows == [["Program", "Session", "Starts", "Status", "Reason", "Hours attended"],
                    ["Full de càlcul", "S-2030-1", "2030-01-08 09:00:00", "Rejected", "No hi ha places", "0,0"],
                    ["Escriptura clara", "S-2026-1", "2026-05-04 09:00:00", "Completed", "", "19,5"]]
    years = xlsx_rows(employee_a_client.get(url, {"export": "xlsx", "table": "years"}))
    assert years == [["Year", "Hours attended", "Programs completed", "Credits"], [2026, 19.5, 1, 2]]
    html = links(employee_a_client, url)
    assert f"{url}?export=csv" in html and f"{url}?export=xlsx&amp;table=years" in html


def test_training_record_export_of_a_directors_person(english, director_a_client, employee_a, record):
    url = reverse("programs:training_record", args=[employee_a.pk])
    assert column(csv_rows(director_a_client.get(url, {"export": "csv"})), "Program") == [
        "Full de càlcul", "Escriptura clara"]


def test_training_record_export_is_404_for_the_outsider(outsider_client, employee_a, record):
    url = reverse("programs:training_record", args=[employee_a.pk])
    for table in ("", "years"):
        assert outsider_client.get(url, {"export": "csv", "table": table}).status_code == 404


@pytest.fixture
def day(employee_a, employee_b):
    from programs.models import Attendance, SessionDay

    session = f.SessionFactory(code="S-ATT")
    present = f.EnrolmentFactory(session=session, employee=employee_a, status="approved")
    f.EnrolmentFactory(session=session, employee=employee_b, status="approved")
    f.EnrolmentFactory(session=session, status="cancelled")  # holds no seat: not on the sheet
    day = SessionDay.objects.create(session=session, date=dt.date(2027, 3, 1), hours="4")
    Attendance.objects.create(enrolment=present, day=day, hours="3.5")
    return day


def test_attendance_sheet_exports_the_hours_recorded(english, clo_client, day):
    url = reverse("programs:attendance", args=[day.session_id, day.pk])
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert rows == [["Person", "Status", "Hours attended"], ["Anna Pujol Sala", "Approved", "0"],
                    ["Pere Soler Camps", "Approved", "3,5"]]
    assert xlsx_rows(clo_client.get(url, {"export": "xlsx"}))[2] == ["Pere Soler Camps", "Approved", 3.5]
    assert f"{url}?export=csv" in links(clo_client, url)


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
def test_attendance_export_is_404_outside_the_learning_office(request, day, persona):
    url = reverse("programs:attendance", args=[day.session_id, day.pk])
    assert request.getfixturevalue(persona).get(url, {"export": "csv"}).status_code == 404


@pytest.fixture
def program_with_sessions(employee_a):
    program = f.ProgramFactory(code="ESC1", title="Escriptura clara")
    competency = f.CompetencyFactory(code="RED", name="Redacció")
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=4)
    soon = timezone.make_aware(dt.datetime(2030, 3, 4, 9, 0))
    upcoming = f.SessionFactory(program=program, code="S-NEXT", starts_at=soon, ends_at=soon + dt.timedelta(hours=4),
                                capacity=2, trainer="Núria Vidal")
    f.EnrolmentFactory(session=upcoming, employee=employee_a, status="approved")
    past = timezone.make_aware(dt.datetime(2025, 3, 4, 9, 0))
    f.SessionFactory(program=program, code="S-PAST", starts_at=past, ends_at=past + dt.timedelta(hours=4), place="",
                     online_url="https://meet.example.org/esc1")
    return program


def test_program_sessions_export_has_the_employees_enrolment(english, employee_a_client, program_with_sessions):
    url = reverse("programs:program_detail", args=[program_with_sessions.pk])
    rows = csv_rows(employee_a_client.get(url, {"export": "csv"}))
    assert rows[0] == ["Session", "Starts", "Ends", "Timetable", "Place", "Trainer", "Seats left", "Seats", "Waiting",
                       "Status", "Your enrolment"]
    assert rows[1:] == [["S-NEXT", "2030-03-04 09:00:00", "2030-03-04 13:00:00", "",
                         "Sala de formació, Plaça de la Vila 1", "Núria Vidal", "1", "2", "0", "Scheduled",
                         "Approved"]]  # only upcoming sessions, as on an employee's page
    competencies = xlsx_rows(employee_a_client.get(url, {"export": "xlsx", "table": "competencies"}))
    assert competencies == [["Code", "Competency", "Level reached", "Your level", "Level your position requires",
                             "Critical"], ["RED", "Redacció", 3, 0, 4, "No"]]
    html = links(employee_a_client, url)
    assert f"{url}?export=csv" in html and f"{url}?export=csv&amp;table=competencies" in html


def test_program_sessions_export_of_the_office_has_every_session(english, clo_client, program_with_sessions):
    url = reverse("programs:program_detail", args=[program_with_sessions.pk])
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert [(row[0], row[4], row[9]) for row in rows[1:]] == [
        ("S-PAST", "Online", "Scheduled"), ("S-NEXT", "Sala de formació, Plaça de la Vila 1", "Scheduled")]


def test_program_competencies_export_without_a_person_has_no_gap_columns(english, client, program_with_sessions):
    from tests.conftest import login

    login(client, f.UserFactory(is_superuser=True))  # the admin account is nobody's employee record
    url = reverse("programs:program_detail", args=[program_with_sessions.pk])
    assert csv_rows(client.get(url, {"export": "csv", "table": "competencies"})) == [
        ["Code", "Competency", "Level reached"], ["RED", "Redacció", "3"]]


# --- evaluation: my questionnaires, the programs evaluated, one program, a learning results sheet -----------------
def ended(program, code: str, day: dt.date):
    starts = timezone.make_aware(dt.datetime.combine(day, dt.time(9)))
    return f.SessionFactory(program=program, code=code, starts_at=starts, ends_at=starts + dt.timedelta(hours=3))


def answers(session, *scores, employee=None):
    from programs.models import ReactionResponse

    for score in scores:
        enrolment = f.EnrolmentFactory(session=session, status="attended", employee=employee or f.EmployeeFactory())
        ReactionResponse.objects.create(enrolment=enrolment, submitted_at=timezone.now(), usefulness=score,
                                        trainer=score, organisation=score, applicability=score)


def test_my_questionnaires_export(english, employee_a_client, employee_a):
    session = ended(f.ProgramFactory(title="Escriptura clara"), "S-1", timezone.localdate() - dt.timedelta(days=3))
    f.EnrolmentFactory(session=session, employee=employee_a, status="attended")
    other = ended(f.ProgramFactory(title="Full de càlcul"), "S-2", timezone.localdate() - dt.timedelta(days=2))
    f.EnrolmentFactory(session=other)  # someone else's
    url = reverse("programs:my_feedback")
    rows = csv_rows(employee_a_client.get(url, {"export": "csv"}))
    assert rows == [["Program", "Questionnaire", "Since"],
                    ["Escriptura clara", "Satisfaction with the session", session.ends_at.date().isoformat()]]
    assert xlsx_rows(employee_a_client.get(url, {"export": "xlsx"}))[1][2] == dt.datetime.combine(
        session.ends_at.date(), dt.time())
    assert f"{url}?export=csv" in links(employee_a_client, url)


def test_evaluated_programs_export_has_every_program_and_hides_few_answers(english, clo_client):
    shown = f.ProgramFactory(code="ESC1", title="Escriptura clara")
    answers(ended(shown, "S-1", dt.date(2026, 3, 2)), 4, 5, 3)
    few = f.ProgramFactory(code="EXC1", title="Full de càlcul")
    answers(ended(few, "S-2", dt.date(2026, 3, 1)), 1, 2)
    for i in range(51):  # more than a page
        ended(f.ProgramFactory(code=f"Z{i:02d}"), f"S-Z{i}", dt.date(2026, 1, 1))
    url = reverse("programs:evaluation_index")
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert rows[0] == ["Code", "Program", "Sessions ended", "Answers", "Satisfaction (1–5)", "Follow-ups unanswered"]
    assert len(rows) == 1 + 53
    assert rows[1] == ["ESC1", "Escriptura clara", "1", "3", "4,0", "0"]
    assert rows[2] == ["EXC1", "Full de càlcul", "1", "2", "", "0"]
    assert xlsx_rows(clo_client.get(url, {"export": "xlsx"}))[1][4] == 4
    assert f"{url}?export=csv" in links(clo_client, url)


def test_program_evaluation_exports_satisfaction_per_session(english, clo_client):
    program = f.ProgramFactory(code="ESC1", title="Escriptura clara")
    answers(ended(program, "S-1", dt.date(2026, 3, 2)), 4, 5, 3)
    answers(ended(program, "S-2", dt.date(2026, 3, 9)), 1)
    url = reverse("programs:program_evaluation", args=[program.pk])
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert rows[0] == ["Session", "Starts", "Attendees", "Answers", "Usefulness", "Trainer", "Organisation",
                       "Applicability", "Mean"]
    assert rows[1:] == [["S-2", "2026-03-09 09:00:00", "1", "1", "", "", "", "", ""],  # one answer: never shown
                        ["S-1", "2026-03-02 09:00:00", "3", "3", "4,00", "4,00", "4,00", "4,00", "4,00"],
                        ["All sessions shown", "", "", "3", "4,00", "4,00", "4,00", "4,00", "4,00"]]
    html = links(clo_client, url)
    assert f"{url}?export=csv" in html


def test_program_evaluation_exports_the_results_of_its_completers(english, clo_client, employee_a):
    program = f.ProgramFactory(code="ESC1", title="Escriptura clara")
    competency = f.CompetencyFactory(code="RED", name="Redacció")
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    session = ended(program, "S-1", timezone.localdate() - dt.timedelta(days=10))
    f.EnrolmentFactory(session=session, employee=employee_a, status="completed",
                       completed_on=timezone.localdate() - dt.timedelta(days=10))
    url = reverse("programs:program_evaluation", args=[program.pk])
    rows = csv_rows(clo_client.get(url, {"export": "csv", "table": "results"}))
    assert rows[0][:3] == ["Code", "Competency", "Completers"] and rows[0][-1] == "Difference in change"
    assert rows[1:] == [["RED", "Redacció", "1", "3,00", "3,00", "0,00", "0", "", "", "", ""]]
    sheet = xlsx_rows(clo_client.get(url, {"export": "xlsx", "table": "results"}))
    assert sheet[1][:7] == ["RED", "Redacció", 1, 3, 3, 0, 0]
    assert f"{url}?export=csv&amp;table=results" in links(clo_client, url)


def test_learning_results_sheet_exports_read_only_rows(english, clo_client, employee_a, employee_b):
    from programs.models import LearningResult

    session = ended(f.ProgramFactory(), "S-1", dt.date(2026, 3, 2))
    judged = f.EnrolmentFactory(session=session, employee=employee_a, status="attended")
    LearningResult.objects.create(enrolment=judged, pre_score="40", post_score="75.5", passed=True)
    f.EnrolmentFactory(session=session, employee=employee_b, status="attended")
    url = reverse("programs:learning_results", args=[session.pk])
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert rows == [["Person", "Score before", "Score after", "Trainer's judgement"],
                    ["Anna Pujol Sala", "", "", "Not judged"], ["Pere Soler Camps", "40,0", "75,5", "Passed"]]
    assert f"{url}?export=csv" in links(clo_client, url)


@pytest.mark.parametrize("name", ["programs:evaluation_index", "programs:program_evaluation",
                                  "programs:learning_results"])
def test_evaluation_exports_are_404_outside_the_learning_office(director_a_client, name):
    session = ended(f.ProgramFactory(), "S-1", dt.date(2026, 3, 2))
    args = {"programs:program_evaluation": [session.program_id], "programs:learning_results": [session.pk]}
    url = reverse(name, args=args.get(name, []))
    assert director_a_client.get(url, {"export": "csv"}).status_code == 404


# --- needs campaigns, a need's history, annual plans -------------------------------------------------------------
def test_campaigns_export_with_their_counts(english, clo_client, clo_user, director_a, org):
    from programs.models import NeedsCampaign

    NeedsCampaign.objects.create(year=2027, opens_on=dt.date(2026, 9, 1), deadline=dt.date(2026, 10, 31),
                                 opened_by=clo_user)
    need(org.unit_a1, director_a, "Redacció clara", status="submitted")
    need(org.unit_a1, director_a, "Esborrany", status="draft")
    url = reverse("programs:campaign_list")
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert rows == [["Plan year", "Opens on", "Deadline", "Status", "Needs submitted", "Units that submitted",
                     "Reminder sent"], ["2027", "2026-09-01", "2026-10-31", "Open", "1", "1", ""]]
    sheet = xlsx_rows(clo_client.get(url, {"export": "xlsx"}))
    assert sheet[1][:3] == [2027, dt.datetime(2026, 9, 1), dt.datetime(2026, 10, 31)]
    assert f"{url}?export=csv" in links(clo_client, url)
    assert clo_client.post(f"{url}?export=csv", {"year": ""}).status_code == 422  # a POST is never a download


@pytest.fixture
def need_with_history(director_a, org):
    from programs.models import NeedEvent

    training_need = need(org.unit_a1, director_a, "Redacció clara", status="more_info")
    NeedEvent.objects.create(need=training_need, kind="created", actor=director_a.user)
    NeedEvent.objects.create(need=training_need, kind="more_info", note="=Quants participants?")
    return training_need


def test_need_history_export(english, director_a_client, need_with_history):
    url = reverse("programs:need_detail", args=[need_with_history.pk])
    rows = csv_rows(director_a_client.get(url, {"export": "csv"}))
    assert rows[0] == ["When", "Change", "By", "Note"]
    assert [row[1:] for row in rows[1:]] == [["Draft created", "Carme Roig Font", ""],
                                            ["More information requested", "", "'=Quants participants?"]]
    assert isinstance(xlsx_rows(director_a_client.get(url, {"export": "xlsx"}))[1][0], dt.datetime)
    assert f"{url}?export=csv" in links(director_a_client, url)


def test_need_history_export_is_404_for_the_outsider(outsider_client, need_with_history):
    url = reverse("programs:need_detail", args=[need_with_history.pk])
    assert outsider_client.get(url, {"export": "csv"}).status_code == 404


@pytest.fixture
def training_plan(director_a, org):
    from programs.models import TrainingPlan

    plan = f.TrainingPlanFactory(year=2027, budget="1000.00")
    writing = f.PlanActionFactory(plan=plan, title="Escriptura", program=f.ProgramFactory(code="ESC1", title="Clara"),
                                  estimated_cost="600.50", estimated_hours="12.5", estimated_participants=15)
    writing.needs.add(need(org.unit_a1, director_a, "Redacció clara", status="accepted"))
    f.PlanActionFactory(plan=plan, title="Full de càlcul", estimated_cost="300", funding="afedap")
    f.TrainingPlanFactory(year=2026, title="Pla 2026", status=TrainingPlan.Status.CLOSED)
    return plan


def test_annual_plans_export(english, hr_client, training_plan):
    url = reverse("programs:training_plan_list")
    rows = csv_rows(hr_client.get(url, {"export": "csv"}))
    assert rows == [["Year", "Title", "Status", "Available budget (€)", "Estimated cost (€)"],
                    ["2027", "Pla de formació 2027", "Draft", "1000,00", "900,50"],
                    ["2026", "Pla 2026", "Closed", "150000,00", "0,00"]]
    assert f"{url}?export=csv" in links(hr_client, url)


def test_annual_plan_exports_its_actions_and_budget_lines(english, clo_client, training_plan):
    url = reverse("programs:training_plan_detail", args=[2027])
    rows = csv_rows(clo_client.get(url, {"export": "csv"}))
    assert rows[0] == ["Action", "Program", "Needs and units", "Estimated cost (€)", "Estimated hours",
                       "Estimated participants", "Funding source"]
    assert rows[1:] == [["Escriptura", "ESC1 Clara", "Redacció clara (Servei d'Educació)", "600,50", "12,5", "15",
                         "Own budget"],
                        ["Full de càlcul", "", "", "300,00", "0,0", "0", "AFEDAP grant"]]
    budget = xlsx_rows(clo_client.get(url, {"export": "xlsx", "table": "budget"}))
    assert budget == [["Funding source", "Actions", "Estimated cost (€)", "Estimated hours", "Estimated participants"],
                      ["Own budget", 1, 600.5, 12.5, 15], ["AFEDAP grant", 1, 300, 0, 0]]
    html = links(clo_client, url)
    assert f"{url}?export=csv" in html and f"{url}?export=xlsx&amp;table=budget" in html


@pytest.mark.parametrize("name", ["programs:training_plan_list", "programs:training_plan_detail",
                                  "programs:campaign_list"])
@pytest.mark.parametrize("table", ["", "budget"])
def test_plan_and_campaign_exports_are_404_for_a_director(director_a_client, training_plan, name, table):
    args = [2027] if name == "programs:training_plan_detail" else []
    assert director_a_client.get(reverse(name, args=args), {"export": "xlsx", "table": table}).status_code == 404


# --- bounded queries -----------------------------------------------------------------------------------------------
def test_training_record_export_runs_a_bounded_number_of_queries(employee_a_client, employee_a, record):
    url = reverse("programs:my_training")
    small = _count(employee_a_client, url, {"export": "csv"})
    for _ in range(30):
        f.EnrolmentFactory(employee=employee_a, status="completed", hours_attended="2", completed_on=dt.date(2026, 5, 4))
    assert _count(employee_a_client, url, {"export": "csv"}) <= small <= 10


def test_evaluation_exports_run_a_bounded_number_of_queries(clo_client):
    program = f.ProgramFactory()
    index, evaluation = reverse("programs:evaluation_index"), reverse("programs:program_evaluation", args=[program.pk])
    answers(ended(program, "S-0", dt.date(2026, 2, 1)), 3)
    small = (_count(clo_client, index, {"export": "csv"}), _count(clo_client, evaluation, {"export": "csv"}))
    for i in range(30):
        answers(ended(program, f"S-{i + 1}", dt.date(2026, 2, 1)), 3, 4)
        answers(ended(f.ProgramFactory(), f"S-other-{i}", dt.date(2026, 2, 1)), 3)
    large = (_count(clo_client, index, {"export": "csv"}), _count(clo_client, evaluation, {"export": "csv"}))
    assert large <= small and max(small) <= 15


def test_plan_and_need_exports_run_a_bounded_number_of_queries(clo_client, training_plan, director_a, org):
    from programs.models import NeedEvent

    training_need = training_plan.actions.get(title="Escriptura").needs.get()
    detail, history = (reverse("programs:training_plan_detail", args=[2027]),
                       reverse("programs:need_detail", args=[training_need.pk]))
    small = (_count(clo_client, detail, {"export": "csv"}), _count(clo_client, history, {"export": "csv"}))
    for i in range(30):
        action = f.PlanActionFactory(plan=training_plan, program=f.ProgramFactory())
        action.needs.add(need(org.unit_a1, director_a, f"Necessitat {i}", status="accepted"))
        NeedEvent.objects.create(need=training_need, kind="edited", actor=director_a.user)
    large = (_count(clo_client, detail, {"export": "csv"}), _count(clo_client, history, {"export": "csv"}))
    assert large <= small and max(small) <= 15
