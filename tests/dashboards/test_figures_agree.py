"""One figure, one value: the home page, the dashboards, the triage page, the monthly report (PDF), the headline
export (XLSX), the organisation workbook and "my data" give the same figures for the same scope.

The demo council is seeded once for the module (inside a transaction rolled back at the end), so that the figures
come from the data that showed the discrepancies: needs sent back for more information, a director counted in their
own unit, people with gaps in several competencies, attendance recorded as a session total. Pages are requested in
English; the PDF is read with pdftotext.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Sum
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from clo.core import pdf
from clo.people import roles
from clo.dashboards import reports
from clo.dashboards.models import MonthlyReport
from clo.dashboards.workbook import write_workbook
from clo.demo import seed as demo
from clo.people.models import Employee
from evaluations.models import Gap
from programs.models import Enrolment, LearningPlan, LearningPlanItem, TrainingNeed
from tests.dashboards.pages import read
from tests.exports import xlsx_rows

pytestmark = pytest.mark.django_db

SIZE = 200
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HOME = "/"
CLO_BOARD = "/dashboards/learning-office/"
DIRECTOR_BOARD = "/dashboards/director/"
TRIAGE = "/triage/"


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            demo.seed_demo(employees=SIZE, seed=7, today=timezone.localdate())
            director = get_user_model().objects.get(username="directora")
            unit_id = roles.scope_of(director).headed_unit_ids[0]
            someone = Employee.objects.filter(unit_id=unit_id).first()
            # a need sent back for more information is still in the triage queue: every page counts it
            TrainingNeed.objects.create(unit_id=unit_id, submitted_by=someone, year=timezone.localdate().year,
                                        title="Sent back for more information", status=TrainingNeed.Status.MORE_INFO)
            yield {"unit_id": unit_id}
            transaction.set_rollback(True)


def _client(client, username):
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.fixture
def clo(seeded, client):
    return _client(client, "clo")


@pytest.fixture
def directora(seeded, client):
    return _client(client, "directora")


def _get(client, url):
    response = client.get(url, **EN)
    assert response.status_code == 200, (url, response.status_code)
    return response


def number(text: str) -> Decimal:
    """The first number of a figure as a person reads it ("1,200", "81.3%", "€132,000.00 whole organisation")."""
    found = re.search(r"-?\d[\d,]*(?:\.\d+)?", str(text))
    assert found, text
    return Decimal(found.group().replace(",", ""))


def headline_export(client, which: str, query: str = "") -> dict[str, object]:
    rows = xlsx_rows(_get(client, f"/dashboards/{which}/export/headline.xlsx?{query}"))
    assert rows[0] == ["Figure", "Value", "Scope"]
    return {label: value for label, value, _scope in rows[1:]}


def report_text(tmp_path, *, year: int) -> str:
    """The monthly report for the whole year (its training figures are then the year's, like the dashboard's), as
    pdftotext reads it."""
    report = MonthlyReport(period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), language="en")
    path = tmp_path / "report.pdf"
    path.write_bytes(reports.report_pdf(report))
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def report_figure(text: str, label: str) -> Decimal:
    found = re.search(rf"^\s*{re.escape(label)}\s+(€?-?[\d,.]+)", text, re.MULTILINE)
    assert found, label
    return number(found.group(1))


# --- The whole organisation, as the CLO ----------------------------------------------------------------------------


def test_the_whole_organisation_has_the_same_figures_everywhere(clo, tmp_path):
    home = read(_get(clo, HOME)).figures["section-clo"]
    board = read(_get(clo, CLO_BOARD)).figures["headline"]
    triage = read(_get(clo, TRIAGE)).text

    # needs awaiting triage: what the triage queue holds (submitted, and sent back for more information)
    waiting = TrainingNeed.objects.filter(status__in=["submitted", "more_info"]).count()
    assert f"{waiting} needs waiting for a decision" in triage
    assert number(home["Training needs awaiting triage"]) == number(board["Training needs awaiting triage"]) == waiting

    export = headline_export(clo, "clo")
    text = report_text(tmp_path, year=timezone.localdate().year)
    employees = Employee.objects.filter(active=True).count()
    assert number(home["Active employees"]) == number(board["Employees"]) == export["Employees"] == employees
    assert report_figure(text, "Employees") == employees
    assert export["Training needs awaiting triage"] == waiting
    assert report_figure(text, "Training needs awaiting triage") == waiting

    # gap figures: the same roll-ups on the home page, the dashboard, its export and the report
    assert number(home["People not yet assessed"]) == number(board["People not yet assessed"])
    assert number(board["People not yet assessed"]) == export["People not yet assessed"]
    assert report_figure(text, "People not yet assessed") == export["People not yet assessed"]
    assert number(home["Requirements met"]) == number(board["Requirements met"]) == Decimal(
        str(export["Requirements met (%)"]))
    assert report_figure(text, "Requirements met") == Decimal(str(export["Requirements met (%)"]))
    assert number(board["Weighted mean gap"]) == report_figure(text, "Weighted mean gap") == Decimal(
        str(export["Weighted mean gap"]))

    # people with a gap: each person once, never the sum over competencies (which passed the headcount)
    with_gap = Gap.objects.filter(gap__gt=0).values("employee_id").distinct().count()
    assert export["People with a gap"] == with_gap
    assert report_figure(text, "People with a gap") == with_gap <= employees

    # training: the year's roll-up on the dashboard, its export and the report of the whole year
    assert number(board["Completion rate"]) == Decimal(str(export["Completion rate (%)"]))
    assert report_figure(text, "Completion rate") == Decimal(str(export["Completion rate (%)"]))
    assert number(board["Training hours per employee"]) == Decimal(str(export["Training hours per employee"]))

    # the annual plan: the same budget on the home page, the dashboard, its export and the report
    assert number(home["Budget"]) == number(board[f"Budget of the {timezone.localdate().year} plan"])
    assert number(board[f"Budget of the {timezone.localdate().year} plan"]) == export[
        "Budget of the annual plan (€)"]
    assert report_figure(text, f"Budget of the {timezone.localdate().year} plan") == export[
        "Budget of the annual plan (€)"]


def test_the_report_has_one_headline_title_and_no_row_split_across_pages(seeded):
    year = timezone.localdate().year
    report = MonthlyReport(period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31), language="en")
    html = reports.report_html(report)
    assert html.count("Headline figures") == 1
    assert _rows_split_across_pages(html) == []
    # a longer heatmap, of rows several lines tall (long unit names), in the report's own stylesheet
    tall = "".join(f"<tr><th scope='row'>Unit {n}<br>of a long name<br>on three lines</th><td>1.00</td></tr>"
                   for n in range(60))
    longer = html.replace("</main>", f"<table><thead><tr><th>Unit</th><th>All</th></tr></thead>"
                                     f"<tbody>{tall}</tbody></table></main>")
    assert _rows_split_across_pages(longer) == []


def _rows_split_across_pages(html: str) -> list[str]:
    """The body rows WeasyPrint lays out over more than one page (the start of their text)."""
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes

    document = HTML(string=html, base_url="file:///", url_fetcher=pdf._fetcher()).render()
    pages_of: dict[int, set[int]] = {}
    names: dict[int, str] = {}
    for number_, page in enumerate(document.pages):
        for group in page._page_box.descendants():
            if not isinstance(group, boxes.TableRowGroupBox) or group.is_header:  # a header is meant to repeat
                continue
            for row in group.children:
                pages_of.setdefault(id(row.element), set()).add(number_)
                names[id(row.element)] = "".join(row.element.itertext())[:60]
    return [names[key] for key, pages in pages_of.items() if len(pages) > 1]


def test_the_workbook_opens_with_the_dashboards_headline_figures(clo, tmp_path):
    path = tmp_path / "organisation.xlsx"
    write_workbook(str(path))
    sheet = load_workbook(path, read_only=True)["Headline figures"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    in_workbook = {label: value for label, value, _scope in rows[1:]}
    export = headline_export(clo, "clo")
    assert in_workbook.keys() == export.keys()
    for label, value in export.items():
        assert Decimal(str(in_workbook[label])) == Decimal(str(value)), label


# --- A director's unit ---------------------------------------------------------------------------------------------


def test_a_directors_unit_has_the_same_figures_for_her_and_for_the_learning_office(seeded, client, tmp_path):
    unit_id = seeded["unit_id"]
    directora = _client(client, "directora")
    home = read(_get(directora, HOME)).figures["section-director"]
    mine = read(_get(directora, DIRECTOR_BOARD)).figures["headline"]
    clo = _client(Client(), "clo")
    theirs = read(_get(clo, f"{CLO_BOARD}?unit={unit_id}")).figures["headline"]

    from clo.people.models import OrgUnit

    path = OrgUnit.objects.get(pk=unit_id).path
    employees = Employee.objects.filter(active=True, unit__path__startswith=path).count()  # the director included
    assert number(home["People in my units"]) == number(mine["Employees"]) == number(theirs["Employees"]) == employees
    for label in ("Completion rate", "Training hours per employee", "Weighted mean gap"):
        assert number(mine[label]) == number(theirs[label]), label

    # "people not yet assessed" and "requirements met": one definition on her home page and both dashboards
    assert number(home["People not yet assessed"]) == number(mine["People not yet assessed"]) == number(
        theirs["People not yet assessed"])
    assert number(home["Requirements met"]) == number(mine["Requirements met"]) == number(theirs["Requirements met"])

    my_export = headline_export(directora, "director")
    their_export = headline_export(clo, "clo", f"unit={unit_id}")
    assert my_export["Employees"] == their_export["Employees"] == employees
    assert my_export["People not yet assessed"] == number(mine["People not yet assessed"])
    for label in ("Training hours", "Enrolments completed", "Completion rate (%)", "People with a gap",
                  "Requirements", "Requirements met"):
        assert my_export[label] == their_export[label], label

    # under a unit filter, the needs are the unit's; the plan's figures say they are the whole organisation's
    waiting = TrainingNeed.objects.filter(status__in=["submitted", "more_info"],
                                          unit__path__startswith=path).count()
    assert number(theirs["Training needs awaiting triage"]) == their_export["Training needs awaiting triage"] == waiting
    assert "whole organisation" in theirs[f"Budget of the {timezone.localdate().year} plan"]


# --- One person ----------------------------------------------------------------------------------------------------


def test_my_data_lists_the_hours_my_training_record_counts(seeded, client, tmp_path):
    employee = Employee.objects.get(user__username="empleat")
    hours = Enrolment.objects.filter(employee=employee).aggregate(h=Sum("hours_attended"))["h"]
    assert hours > 0
    me = _client(client, "empleat")
    page = read(_get(me, "/my-data/"))
    counts = dict(page.tables["my-data-sections-table"])
    assert counts["Attendance"] != "0"
    data = _get(me, "/my-data/download.json").json()
    attended = data["sections"]["attendance"]["records"]
    assert sum(Decimal(str(record["hours"])) for record in attended) == hours
    path = tmp_path / "my-data.pdf"
    path.write_bytes(_get(me, "/my-data/download.pdf").content)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    attendance = text[text.index("Attendance"):]
    attendance = attendance[:attendance.index("Learning plans")]
    assert "Whole session" in attendance
    assert sum(Decimal(n) for n in re.findall(r"\s(\d+\.\d)\s", attendance)) == hours


def test_a_plan_whose_actions_are_done_says_why_its_gaps_stay_open(seeded, clo):
    plan = LearningPlan.objects.filter(employee__in=Gap.objects.filter(gap__gt=0).values("employee_id")).exclude(
        items=None).first()
    plan.items.update(status=LearningPlanItem.Status.DONE)
    page = read(_get(clo, f"/learning-plans/{plan.pk}/"))
    assert "Finishing the planned actions does not close a gap by itself" in page.text
