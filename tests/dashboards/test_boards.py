"""The learning office's and the directors' dashboards: the figures a person reads (from the stored gap roll-ups),
the heatmap and its drill-down to people and to one person, filters (full page and HTMX partial, shareable URL),
exports, inline enrolment decisions, scope (404 for the outsider) and the query budget at two sizes.

Pages are requested in English."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from evaluations.gaps.services import gaps_full_run
from programs.models import Enrolment
from programs.services.training_rollup import training_rollup_rebuild
from tests import factories as f
from tests.conftest import login
from tests.dashboards.pages import read

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HX = {"HTTP_HX_REQUEST": "true"}
CLO_URL = "/dashboards/learning-office/"
DIRECTOR_URL = "/dashboards/director/"
PEOPLE_URL = "/dashboards/people/"
CRITICAL_URL = "/dashboards/clo/critical-positions/"


def get(client, url, status=200, **headers):
    response = client.get(url, **{**EN, **headers})
    assert response.status_code == status, (response.status_code, response.content[:500])
    return response


@pytest.fixture
def world(org, clo_user, director_a, employee_a, director_b, employee_b):
    """Two areas; employee_a misses both requirements, employee_b meets theirs; one full run stores the roll-ups.

    employee_a (A1): Digital writing ≥ 3 (level 1: gap 2, weight 2, critical, critical position), Leadership ≥ 2
    (not assessed: gap 2). employee_b (B1): Digital writing ≥ 2 (level 2: met).
    """
    framework = f.FrameworkFactory(code="DASH", name="Dashboard framework")
    digital = f.AreaFactory(framework=framework, code="DIG", name="Digital area", order=1)
    people = f.AreaFactory(framework=framework, code="LEA", name="People area", order=2)
    writing = f.CompetencyFactory(area=digital, code="D1", name="Digital writing", kind="digital")
    leading = f.CompetencyFactory(area=people, code="L1", name="Leading teams", kind="leadership")
    position_a = employee_a.position
    position_a.is_critical, position_a.criticality = True, 3
    position_a.save()
    f.RequirementFactory(position=position_a, competency=writing, required_level=3, weight=2, is_critical=True)
    f.RequirementFactory(position=position_a, competency=leading, required_level=2)
    f.RequirementFactory(position=employee_b.position, competency=writing, required_level=2)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=2, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    gaps_full_run()
    return {"writing": writing, "leading": leading, "digital": digital, "people": people}


# --- What the CLO reads ---------------------------------------------------------------------------------------


def test_clo_board_headline_and_heatmap(clo_client, org, world):
    page = read(get(clo_client, CLO_URL))
    headline = page.figures["headline"]
    assert headline["Requirements met"].startswith("33")  # 1 of 3 pairs
    assert "1 of 3" in headline["Requirements met"]
    assert headline["Weighted mean gap"].startswith("1.50")  # (2·2 + 2·1 + 0·1) / (2 + 1 + 1)
    assert headline["Employees"] == "5"  # the personas
    # employee_a was never rated in Leading teams: one person, one requirement of three.
    assert headline["People not yet assessed"] == "1 1 requirement never rated (33%)"
    assert headline["Mean satisfaction"] == "No data yet"
    # Units below the root × areas, mean gap per cell; the last column is all areas together.
    assert page.tables["heatmap-table"] == [
        ["Àrea de Serveis a les Persones", "2.00", "2.00", "2.00"],
        ["Àrea d'Urbanisme", "0.00", "— no requirement", "0.00"],
    ]
    assert [row[0] for row in page.tables["top-gaps-table"]] == ["Digital writing", "Leading teams"]
    critical = read(get(clo_client, CRITICAL_URL))
    assert critical.tables["critical-positions"][0][2:] == ["1", "1"]
    assert "<html" not in get(clo_client, CRITICAL_URL, **HX).content.decode()


def test_heatmap_cells_are_tinted_by_mean_gap_and_link_to_the_people(clo_client, org, world):
    html = get(clo_client, CLO_URL).content.decode()
    assert 'class="heat-3"' in html  # mean gap 2 (above 1, up to 2)
    assert 'class="heat-0"' in html  # no gap
    year = timezone.localdate().year
    assert f'/dashboards/people/?unit={org.unit_a.pk}&amp;area={world["digital"].pk}&amp;year={year}"' in html


def test_a_heatmap_area_missing_from_the_boards_rows_is_named_all_the_same(org, world):
    """The heatmap's sums carry area ids only, named from the board's rows; an area those rows lack (a roll-up
    written between the two reads) is read by itself, with the same name, order and framework."""
    from clo.core.roles import Scope
    from clo.dashboards import boards

    place = boards.place_of(Scope(roles=frozenset(), everything=True), None)
    rows = boards.board_rows(place)
    filters = boards.Filters(unit_id=place.unit.pk)

    def seen(heat):
        return [(row.unit_id, row.subtree, row.area.pk, row.area.code, row.area.name, row.area.order,
                 row.area.framework.pk, row.area.framework.name, row.requirements, row.gap_sum) for row in heat]

    named = seen(boards.heat_rows(place, filters, boards._areas(rows)))
    assert {row[3] for row in named} == {"DIG", "LEA"}
    assert seen(boards.heat_rows(place, filters, {})) == named


def test_drilling_into_an_area_shows_its_competencies(clo_client, org, world):
    page = read(get(clo_client, f"{CLO_URL}?area={world['digital'].pk}"))
    assert "Mean gap by unit and competency" in page.text
    assert page.tables["heatmap-table"] == [
        ["Àrea de Serveis a les Persones", "2.00", "2.00"],
        ["Àrea d'Urbanisme", "0.00", "0.00"],
    ]
    assert "Back to all areas" in page.text
    assert page.figures["headline"]["Requirements met"].endswith("1 of 2")
    assert page.figures["headline"]["People not yet assessed"].startswith("0 0 requirements never rated")


def test_kind_filter_narrows_figures_and_tables(clo_client, org, world):
    page = read(get(clo_client, f"{CLO_URL}?kind=leadership"))
    assert page.figures["headline"]["Requirements met"].endswith("0 of 1")
    # People cannot be added up over a kind's competencies: the requirements never rated are given instead.
    assert page.figures["headline"]["People not yet assessed"] == (
        "— not counted for these filters 1 requirement never rated (100%) "
        "People are counted over all competencies or one area.")
    assert [row[0] for row in page.tables["top-gaps-table"]] == ["Leading teams"]
    assert "critical-positions" not in read(get(clo_client, f"{CRITICAL_URL}?kind=leadership")).tables


def test_choosing_a_unit_shows_its_children_and_the_way_back(clo_client, org, world):
    page = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}"))
    assert [row[0] for row in page.tables["heatmap-table"]] == ["Servei d'Educació"]
    assert "Ajuntament de Vilamar" in page.text  # the breadcrumb
    assert "trend" not in page.sections  # the trend is the whole organisation's


def test_htmx_filter_returns_only_the_board(clo_client, org, world):
    response = get(clo_client, f"{CLO_URL}?kind=digital", **HX)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="board"')
    assert "<html" not in html and "<h1" not in html
    assert read(response).figures["headline"]["Requirements met"].endswith("1 of 2")


def test_the_filter_form_works_without_javascript_and_pushes_the_url(clo_client, org, world):
    html = get(clo_client, CLO_URL).content.decode()
    assert 'method="get"' in html and 'hx-push-url="true"' in html and 'hx-target="#board"' in html


def test_invalid_filter_is_reported_next_to_the_field(clo_client, org, world, employee_b):
    other = f.CompetencyFactory(area=f.AreaFactory(name="Elsewhere"))
    f.RequirementFactory(position=employee_b.position, competency=other, required_level=1)
    gaps_full_run()
    response = get(clo_client, f"{CLO_URL}?kind=astrology&framework={world['digital'].framework_id}"
                               f"&area={other.area_id}", status=422, **HX)
    html = response.content.decode()
    assert 'id="id_kind-error"' in html and 'aria-describedby="id_kind-error"' in html
    assert "Select a valid choice" in html
    assert "This area belongs to another framework" in html
    response = get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&area={other.area_id}", status=422)
    assert "This unit has no figures for that area" in response.content.decode()
    # The valid filters still apply: the board is there.
    assert read(response).figures["headline"]["Requirements met"]


# --- One framework at a time in the heatmap ----------------------------------------------------------------------


@pytest.fixture
def second_framework(world, employee_b):
    """A second framework with figures: employee_b misses Permits (level 0 of 2, never rated)."""
    framework = f.FrameworkFactory(code="TEC", name="Technical framework")
    area = f.AreaFactory(framework=framework, code="PER", name="Permits area", order=1)
    permits = f.CompetencyFactory(area=area, code="P1", name="Permits", kind="technical")
    f.RequirementFactory(position=employee_b.position, competency=permits, required_level=2)
    gaps_full_run()
    return {"framework": framework, "area": area}


def test_the_heatmap_shows_one_framework_at_a_time_with_a_chooser(clo_client, org, world, second_framework):
    first, second = world["digital"].framework, second_framework["framework"]
    html = get(clo_client, CLO_URL).content.decode()
    page = read(get(clo_client, CLO_URL))
    # The first framework (in the filter's order) by default: its two areas, not the other framework's.
    assert page.tables["heatmap-table"] == [
        ["Àrea de Serveis a les Persones", "2.00", "2.00", "2.00"],
        ["Àrea d'Urbanisme", "0.00", "— no requirement", "0.00"],
    ]
    assert "Permits area" not in html.split('<section id="heatmap"')[1].split("</section>")[0]
    # The headline figures stay those of every framework.
    assert page.figures["headline"]["Requirements met"].endswith("1 of 4")
    chooser = html.split('<div class="heatmap-frameworks">')[1].split("</ul>")[0]
    assert "Framework shown in the heatmap" in chooser
    assert f"heatmap={first.pk}" in chooser and f"heatmap={second.pk}" in chooser
    assert chooser.count('aria-current="true"') == 1 and 'aria-current="true">Dashboard framework' in chooser
    # The other one: its area only; the people behind a row's total are those of that framework.
    html = get(clo_client, f"{CLO_URL}?heatmap={second.pk}").content.decode()
    page = read(get(clo_client, f"{CLO_URL}?heatmap={second.pk}"))
    assert page.tables["heatmap-table"] == [["Àrea d'Urbanisme", "2.00", "2.00"]]
    assert f"unit={org.unit_b.pk}&amp;framework={second.pk}" in html
    assert 'aria-current="true">Technical framework' in html
    assert f'name="heatmap" value="{second.pk}"' in html  # applying the filters keeps the choice
    # A framework filter shows that framework, without a chooser.
    html = get(clo_client, f"{CLO_URL}?framework={second.pk}").content.decode()
    assert "Permits area" in html and 'class="heatmap-frameworks"' not in html


def test_the_monthly_report_prints_one_heatmap_per_framework(org, world, second_framework):
    from clo.dashboards.reports import report_board

    today = timezone.localdate()
    heatmaps = report_board(today.replace(day=1), today).extra["heatmaps"]
    assert [(h.framework.name, [c.name for c in h.columns]) for h in heatmaps] == [
        ("Dashboard framework", ["Digital area", "People area"]), ("Technical framework", ["Permits area"])]


def test_a_heatmap_framework_without_figures_is_refused_next_to_the_chooser(clo_client, org, world,
                                                                              second_framework):
    response = get(clo_client, f"{CLO_URL}?heatmap=999999", status=422)
    html = response.content.decode()
    assert "This unit has no figures for that framework: choose another." in html
    assert read(response).tables["heatmap-table"][0][0] == "Àrea de Serveis a les Persones"  # the first one


# --- Before the first gap run ----------------------------------------------------------------------------------


@pytest.fixture
def not_run(org, clo_user, director_a, employee_a):
    """Requirements and levels, and no full gap run yet: the roll-ups are empty."""
    area = f.AreaFactory(framework=f.FrameworkFactory(code="DASH"), code="DIG", name="Digital area")
    writing = f.CompetencyFactory(area=area, code="D1", name="Digital writing")
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3)


def test_before_the_first_gap_run_the_board_says_why_and_offers_the_run(clo_client, not_run):
    response = get(clo_client, CLO_URL)
    html, page = response.content.decode(), read(response)
    headline = page.figures["headline"]
    for label in ("Requirements met", "Weighted mean gap", "People not yet assessed"):
        assert headline[label] == "Not calculated yet", label  # never "0" for what was not computed
    assert "heatmap-table" not in page.tables and "top-gaps-table" not in page.tables
    for section in ("headline", "heatmap", "top-gaps", "trend"):
        part = html.split(f'<section id="{section}"')[1].split("</section>")[0]
        assert "The gap analysis has not run yet." in part, section
        assert f'action="{reverse("evaluations:gap_run_request")}" method="post"' in part, section
    assert "No stored gap figures" not in html and "No gaps in the stored figures" not in html


def test_before_the_first_gap_run_a_director_is_told_who_runs_it(director_a_client, not_run):
    html = get(director_a_client, DIRECTOR_URL).content.decode()
    assert "The gap analysis has not run yet." in html
    assert "The learning office runs it every night" in html
    assert "Recalculate now" not in html and reverse("evaluations:gap_run_request") not in html


# --- People behind a cell, one person -------------------------------------------------------------------------


def test_people_behind_a_cell_then_one_employee(clo_client, org, world, employee_a):
    page = read(get(clo_client, f"{PEOPLE_URL}?unit={org.unit_a.pk}&area={world['digital'].pk}"))
    assert page.tables["people-table"] == [
        ["Pere Soler Camps", "Servei d'Educació", employee_a.position.title, "Digital writing", "3", "1", "2", "Yes"],
    ]
    partial = get(clo_client, f"{PEOPLE_URL}?unit={org.unit_a.pk}", **HX).content.decode()
    assert partial.lstrip().startswith('<section id="people"') and "<html" not in partial
    assert len(read(get(clo_client, f"{PEOPLE_URL}?unit={org.unit_a.pk}")).tables["people-table"]) == 2
    assert "people-table" not in read(get(clo_client, f"{PEOPLE_URL}?unit={org.unit_b.pk}")).tables
    person = read(get(clo_client, f"/dashboards/people/{employee_a.pk}/"))
    assert person.tables["employee-gaps"][0][:5] == ["Digital writing", "Digital area", "3", "1", "2"]
    assert person.tables["employee-gaps"][1][3] == "Not assessed"


def test_people_list_is_paginated(clo_client, org, world, employee_a):
    for _ in range(30):
        f.EmployeeFactory(unit=org.unit_a1, position=employee_a.position)
    first = read(get(clo_client, f"{PEOPLE_URL}?unit={org.unit_a.pk}&competency={world['writing'].pk}"))
    assert len(first.tables["people-table"]) == 25
    assert "Page 1 of 2" in first.text
    second = read(get(clo_client, f"{PEOPLE_URL}?unit={org.unit_a.pk}&competency={world['writing'].pk}&page=2"))
    assert len(second.tables["people-table"]) == 6


# --- Director ---------------------------------------------------------------------------------------------------


@pytest.fixture
def request_a(world, employee_a):
    session = f.SessionFactory(program=f.ProgramFactory(title="Writing for the web"), capacity=5,
                               starts_at=timezone.now() + dt.timedelta(days=20),
                               ends_at=timezone.now() + dt.timedelta(days=20, hours=3))
    return f.EnrolmentFactory(session=session, employee=employee_a, status=Enrolment.Status.REQUESTED)


def test_director_board_is_limited_to_their_units(director_a_client, org, world, request_a):
    page = read(get(director_a_client, DIRECTOR_URL))
    assert [row[0] for row in page.tables["heatmap-table"]] == ["Servei d'Educació"]
    assert page.figures["headline"]["Employees"] == "2"  # employee_a and the director: the unit's people
    assert page.tables["requests-table"][0][:2] == ["Pere Soler Camps", "Writing for the web"]
    assert "Àrea d'Urbanisme" not in page.text and "Anna Pujol" not in page.text
    assert "trend" not in page.sections and "sessions" not in page.sections


def test_director_approves_inline(director_a_client, request_a):
    url = f"/dashboards/director/enrolments/{request_a.pk}/approve/"
    response = director_a_client.post(url, **EN, **HX)
    assert response.status_code == 200
    assert "Decided: Approved" in response.content.decode()
    request_a.refresh_from_db()
    assert request_a.status == Enrolment.Status.APPROVED


def test_director_refuses_inline_and_must_say_why(director_a_client, request_a):
    url = f"/dashboards/director/enrolments/{request_a.pk}/reject/"
    response = director_a_client.post(url, {"reason": ""}, **EN, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "Say why the request is refused" in html and f'aria-describedby="reason-{request_a.pk}-error"' in html
    request_a.refresh_from_db()
    assert request_a.status == Enrolment.Status.REQUESTED
    response = director_a_client.post(url, {"reason": "Not this year"}, **EN, **HX)
    assert "Decided: Rejected" in response.content.decode()
    # Without JavaScript: back to the board with a message.
    other = f.EnrolmentFactory(session=request_a.session, employee=f.EmployeeFactory(unit=request_a.employee.unit))
    response = director_a_client.post(f"/dashboards/director/enrolments/{other.pk}/approve/", **EN)
    assert response.status_code == 302 and response["Location"].startswith(DIRECTOR_URL)


# --- Scope --------------------------------------------------------------------------------------------------------


def scoped_urls(org, employee_a, request_a):
    unit = org.unit_a.pk
    return [
        f"{DIRECTOR_URL}?unit={unit}",
        f"{PEOPLE_URL}?unit={unit}",
        f"{PEOPLE_URL}export.csv?unit={unit}",
        f"/dashboards/director/export/heatmap.csv?unit={unit}",
        f"/dashboards/director/critical-positions/?unit={unit}",
        f"/dashboards/people/{employee_a.pk}/",
    ]


def test_the_outsider_gets_404_everywhere(outsider_client, org, world, employee_a, request_a):
    for url in [*scoped_urls(org, employee_a, request_a), CLO_URL, "/dashboards/clo/export/heatmap.csv",
                CRITICAL_URL]:
        for headers in ({}, HX):
            assert outsider_client.get(url, **EN, **headers).status_code == 404, url
    for decision in ("approve", "reject"):
        url = f"/dashboards/director/enrolments/{request_a.pk}/{decision}/"
        for headers in ({}, HX):
            assert outsider_client.post(url, {"reason": "x"}, **EN, **headers).status_code == 404
    request_a.refresh_from_db()
    assert request_a.status == Enrolment.Status.REQUESTED


def test_an_employee_sees_no_dashboard_of_others(employee_a_client, org, world, employee_a, employee_b, request_a):
    for url in [CLO_URL, DIRECTOR_URL, f"{PEOPLE_URL}?unit={org.unit_a1.pk}", f"/dashboards/people/{employee_b.pk}/"]:
        for headers in ({}, HX):
            assert employee_a_client.get(url, **EN, **headers).status_code == 404, url
    assert employee_a_client.post(f"/dashboards/director/enrolments/{request_a.pk}/approve/").status_code == 404


def test_director_cannot_open_the_learning_office_board(director_a_client, world):
    assert director_a_client.get(CLO_URL, **EN).status_code == 404


def test_anonymous_is_sent_to_log_in(client, org, world, employee_a, request_a):
    for url in [CLO_URL, *scoped_urls(org, employee_a, request_a)]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url


# --- Exports ----------------------------------------------------------------------------------------------------


def test_heatmap_exports_to_csv_and_xlsx_with_the_screen_filters(clo_client, org, world):
    response = get(clo_client, f"/dashboards/clo/export/heatmap.csv?area={world['digital'].pk}")
    assert response["Content-Type"].startswith("text/csv") and "attachment" in response["Content-Disposition"]
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0] == ["Unit", "Digital writing", "All"]
    assert rows[1] == ["Àrea de Serveis a les Persones", "2,0", "2,0"]
    response = get(clo_client, "/dashboards/clo/export/top-gaps.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Competency", "Area", "Weighted gap"]
    assert values[1][:3] == ["Digital writing", "Digital area", 4]
    assert get(clo_client, "/dashboards/clo/export/nothing.csv", status=404)


def test_people_export_lists_every_page(clo_client, org, world):
    response = get(clo_client, f"{PEOPLE_URL}export.xlsx?unit={org.root.pk}")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][1] == "Person" and len(rows) == 3  # heading + employee_a's two gaps


# --- Trend, budget, sessions ----------------------------------------------------------------------------------


def test_trend_chart_and_change_since_the_previous_period(clo_client, org, world, employee_a):
    from evaluations.models import GapTrendPoint

    first = GapTrendPoint.objects.get()  # last year, the weighted gap was 2.00
    first.as_of = dt.date(timezone.localdate().year - 1, 6, 1)
    first.weighted_gap_sum = 8
    first.save()
    gaps_full_run()  # today: 1.50
    response = get(clo_client, CLO_URL)
    page = read(response)
    html = response.content.decode()
    assert '<svg' in html and 'role="img"' in html and '<title id="chart-trend-title">' in html
    assert '<desc id="chart-trend-desc">' in html and "style=" not in html
    assert page.tables["chart-trend-table"] == [
        [f"{first.as_of:%Y-%m-%d}", "2.00"], [f"{timezone.localdate():%Y-%m-%d}", "1.50"],
    ]
    assert "-0.50 since the previous period (closing)" in page.figures["headline"]["Weighted mean gap"]


def test_budget_spent_and_sessions_with_seats(clo_client, org, world, employee_a, employee_b):
    year = timezone.localdate().year
    plan = f.TrainingPlanFactory(year=year, budget=Decimal("10000"))
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("2500"))
    program = f.ProgramFactory(title="Spreadsheets", cost=Decimal("120"), cost_basis="seat")
    start = timezone.make_aware(dt.datetime(year, 1, 10, 9))
    past = f.SessionFactory(program=program, starts_at=start, ends_at=start + dt.timedelta(hours=4), capacity=2)
    f.EnrolmentFactory(session=past, employee=employee_a, status="completed", completed_on=dt.date(year, 1, 10),
                       hours_attended=Decimal("4"))
    f.EnrolmentFactory(session=past, employee=employee_b, status="no_show")
    training_rollup_rebuild()  # the enrolments were written around the services: as the nightly rebuild does
    soon = timezone.now() + dt.timedelta(days=3)
    f.SessionFactory(program=program, starts_at=soon, ends_at=soon + dt.timedelta(hours=2), capacity=3)
    page = read(get(clo_client, CLO_URL))
    headline = page.figures["headline"]
    assert "10,000" in headline[f"Budget of the {year} plan"]
    assert "2,500" in headline["Committed in plan actions"]
    assert "120" in headline["Spent on training delivered"]
    assert headline["Training hours per employee"] == "0.8"  # 4 hours / 5 employees
    assert headline["Completion rate"].startswith("50")  # 1 completed of 2 with a known outcome
    assert page.tables["sessions-table"][0][0] == "Spreadsheets" and page.tables["sessions-table"][0][2] == "3"


# --- Query budget ---------------------------------------------------------------------------------------------


def grow(org, world, employee_a, size):
    position = employee_a.position
    for i in range(size):
        unit = f.OrgUnitFactory(parent=org.unit_a1 if i % 2 else org.unit_b1)
        person = f.EmployeeFactory(unit=unit, position=position)
        f.CurrentLevelFactory(employee=person, competency=world["writing"], level=1 + i % 4, source="import",
                              assessed_on=timezone.localdate())
        f.TrainingNeedFactory(unit=unit, submitted_by=person, status="submitted")
    gaps_full_run()


QUERY_BUDGET = 16  # 15, and the data versions a cached board is looked up with (clo.core.board_cache)


@pytest.mark.parametrize("who,url", [
    ("clo", CLO_URL), ("clo", CLO_URL + "?kind=digital&hx=1"), ("clo", "people"), ("clo", "employee"),
    ("clo", CRITICAL_URL), ("clo", CRITICAL_URL + "?hx=1"),
    ("director", DIRECTOR_URL), ("director", DIRECTOR_URL + "?hx=1"), ("director", "people"),
    ("director", "/dashboards/director/critical-positions/?hx=1"),
    ("clo", CLO_URL + "?group=A2"), ("director", DIRECTOR_URL + "?group=A2&hx=1"),
])
def test_query_count_does_not_grow_with_the_organisation(
    who, url, client, org, world, clo_user, director_a, employee_a, request_a, django_assert_max_num_queries
):
    login(client, clo_user if who == "clo" else director_a.user)
    if url == "people":
        url = f"{PEOPLE_URL}?unit={org.unit_a.pk}&area={world['digital'].pk}"
    elif url == "employee":
        url = f"/dashboards/people/{employee_a.pk}/"
    headers = HX if "hx=1" in url else {}
    counts = []
    for size in (4, 40):
        grow(org, world, employee_a, size)
        with django_assert_max_num_queries(QUERY_BUDGET) as captured:
            assert client.get(url, **EN, **headers).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("who,url", [("clo", CLO_URL), ("director", DIRECTOR_URL)])
def test_a_position_group_costs_no_query_more(who, url, client, org, world, clo_user, director_a, employee_a,
                                              request_a, django_assert_max_num_queries):
    login(client, clo_user if who == "clo" else director_a.user)
    grow(org, world, employee_a, 10)
    area = world["digital"].pk
    counts = {}
    for query in ("?", "?group=A2", f"?area={area}", f"?area={area}&group=A2"):
        with django_assert_max_num_queries(QUERY_BUDGET) as captured:
            assert client.get(url + query, **EN).status_code == 200
        counts[query] = len(captured)
    assert counts["?"] == counts["?group=A2"] and counts[f"?area={area}"] == counts[f"?area={area}&group=A2"], counts


def test_position_group_narrows_the_people_and_says_what_it_cannot_narrow(clo_client, org, world, employee_a):
    employee_a.position.group = "C1"
    employee_a.position.save()
    gaps_full_run()
    page = read(get(clo_client, f"{CLO_URL}?group=C1"))
    assert page.figures["headline"]["Employees"] == "1"
    assert "except the people not yet assessed" in page.text
    assert page.figures["headline"]["People not yet assessed"].startswith("— not counted for these filters")
    assert "except the people not yet assessed" not in read(get(clo_client, CLO_URL)).text
    assert len(read(get(clo_client, f"{CRITICAL_URL}?group=C1")).tables["critical-positions"]) == 1
    assert "critical-positions" not in read(get(clo_client, f"{CRITICAL_URL}?group=B")).tables
    people = read(get(clo_client, f"{PEOPLE_URL}?unit={org.root.pk}&group=B"))
    assert "people-table" not in people.tables


@pytest.fixture
def groups(org, world):
    """Two position groups with different gaps in unit A (its own people) and its child A1, besides employee_a (A2):

    group A1 (Digital writing ≥ 4, weight 3; Leading teams ≥ 3): Laia in A at 1 and never rated (gaps 3 and 3),
    Marc in A1 at 4 and 1 (gaps 0 and 2); group C1 (Digital writing ≥ 2): Nil in A at 2 (met), Ona in A1 never
    rated (gap 2)."""
    senior = f.PositionFactory(group="A1")
    clerk = f.PositionFactory(group="C1")
    f.RequirementFactory(position=senior, competency=world["writing"], required_level=4, weight=3)
    f.RequirementFactory(position=senior, competency=world["leading"], required_level=3)
    f.RequirementFactory(position=clerk, competency=world["writing"], required_level=2)
    levels = {"Laia": {"writing": 1}, "Marc": {"writing": 4, "leading": 1}, "Nil": {"writing": 2}, "Ona": {}}
    for name, unit, position in (("Laia", org.unit_a, senior), ("Marc", org.unit_a1, senior),
                                 ("Nil", org.unit_a, clerk), ("Ona", org.unit_a1, clerk)):
        person = f.EmployeeFactory(unit=unit, position=position, first_name=name, last_name="Grup")
        for competency, level in levels[name].items():
            f.CurrentLevelFactory(employee=person, competency=world[competency], level=level, source="import",
                                  assessed_on=timezone.localdate() - dt.timedelta(days=30))
    gaps_full_run()


def from_the_gap_view(unit, group: str) -> tuple[str, str]:
    """"Requirements met" (m of n) and the weighted mean gap of a group's people in a unit's subtree, computed from
    the per-pair gaps rather than the roll-ups."""
    from evaluations.models import Gap

    pairs = list(Gap.objects.filter(unit__path__startswith=unit.path, position_group=group))
    met = sum(1 for p in pairs if p.gap == 0)
    weighted = sum(p.gap * p.weight for p in pairs) / sum(p.weight for p in pairs)
    return f"{met} of {len(pairs)}", f"{weighted:.2f}"


def test_a_position_group_narrows_the_headline_gap_figures(clo_client, org, world, groups):
    figures = {}
    for group in ("A1", "C1"):
        headline = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group={group}")).figures["headline"]
        met, weighted = from_the_gap_view(org.unit_a, group)
        assert headline["Requirements met"].endswith(met)
        assert headline["Weighted mean gap"].startswith(weighted)
        figures[group] = (headline["Requirements met"], headline["Weighted mean gap"])
    assert figures["A1"] == ("25.0% 1 of 4", "1.75 Change tracked for the whole organisation only")  # 14 / 8
    assert figures["C1"] == ("50.0% 1 of 2", "1.00 Change tracked for the whole organisation only")
    everyone = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}")).figures["headline"]
    assert everyone["Requirements met"].endswith("2 of 8")  # employee_a's two gaps as well
    # The other filters still narrow within the group: Leading teams only.
    kind = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group=A1&kind=leadership")).figures["headline"]
    assert kind["Requirements met"].endswith("0 of 2")


def test_a_position_group_narrows_the_heatmap_and_its_cells_people(clo_client, org, world, groups):
    page = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group=A1"))
    assert page.tables["heatmap-table"] == [
        ["Servei d'Educació", "0.00", "2.00", "1.00"],  # Marc
        ["People directly in Àrea de Serveis a les Persones", "3.00", "3.00", "3.00"],  # Laia
    ]
    page = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group=C1"))
    assert page.tables["heatmap-table"] == [  # the group requires no competency of the People area
        ["Servei d'Educació", "2.00", "2.00"],  # Ona
        ["People directly in Àrea de Serveis a les Persones", "0.00", "0.00"],  # Nil
    ]
    drilled = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group=A1&area={world['people'].pk}"))
    assert drilled.tables["heatmap-table"] == [
        ["Servei d'Educació", "2.00", "2.00"], ["People directly in Àrea de Serveis a les Persones", "3.00", "3.00"],
    ]
    html = get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group=C1").content.decode()
    cell = f"/dashboards/people/?unit={org.unit_a1.pk}&amp;area={world['digital'].pk}&amp;group=C1"
    assert cell in html
    people = read(get(clo_client, cell.replace("&amp;", "&")))
    assert [row[0] for row in people.tables["people-table"]] == ["Ona Grup"]


def test_a_position_group_narrows_the_largest_gaps(clo_client, org, world, groups):
    def top(query):
        rows = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}{query}")).tables["top-gaps-table"]
        return [row[:3] + row[4:5] for row in rows]  # competency, area, weighted gap, people with a gap

    assert top("&group=A1") == [["Digital writing", "Digital area", "9", "1"],
                                ["Leading teams", "People area", "5", "2"]]
    assert top("&group=C1") == [["Digital writing", "Digital area", "2", "1"]]
    assert top("") == [["Digital writing", "Digital area", "15", "3"], ["Leading teams", "People area", "7", "3"]]
    page = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}&group=B"))
    assert "top-gaps-table" not in page.tables and "No gaps in the stored figures for these filters." in page.text


def test_a_directors_board_narrowed_to_a_group_stays_in_their_scope(director_a_client, client, director_b, org,
                                                                      world, groups):
    page = read(get(director_a_client, f"{DIRECTOR_URL}?group=A1"))
    assert page.figures["headline"]["Requirements met"].endswith(from_the_gap_view(org.unit_a, "A1")[0])
    assert page.tables["heatmap-table"][0] == ["Servei d'Educació", "0.00", "2.00", "1.00"]
    assert [row[0] for row in page.tables["top-gaps-table"]] == ["Digital writing", "Leading teams"]
    assert "<html" not in get(director_a_client, f"{DIRECTOR_URL}?group=A1", **HX).content.decode()
    outsider = login(client, director_b.user)
    get(outsider, f"{DIRECTOR_URL}?unit={org.unit_a.pk}&group=A1", status=404)
    get(outsider, f"{DIRECTOR_URL}?unit={org.unit_a.pk}&group=A1", status=404, **HX)
    get(outsider, f"/dashboards/director/export/heatmap.csv?unit={org.unit_a.pk}&group=A1", status=404)


def test_the_own_people_of_a_unit_have_their_own_row(clo_client, org, world, employee_a):
    f.EmployeeFactory(unit=org.unit_a, position=employee_a.position, first_name="Rita", last_name="Own")
    gaps_full_run()
    page = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}"))
    assert [row[0] for row in page.tables["heatmap-table"]] == [
        "Servei d'Educació", "People directly in Àrea de Serveis a les Persones",
    ]
    own = read(get(clo_client, f"{PEOPLE_URL}?unit={org.unit_a.pk}&own=1"))
    assert {row[0] for row in own.tables["people-table"]} == {"Rita Own"}


def test_critical_positions_export_and_page_without_javascript(clo_client, org, world, employee_a):
    page = get(clo_client, CRITICAL_URL).content.decode()
    assert "<h1>Ajuntament de Vilamar</h1>" in page and "Back to the dashboard" in page
    board = get(clo_client, CLO_URL).content.decode()
    assert 'hx-trigger="load"' in board and f'href="{CRITICAL_URL}?' in board  # loads after, or as a link
    response = get(clo_client, "/dashboards/clo/export/critical-positions.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8")[1:]), delimiter=";"))
    assert rows[1][1:] == [employee_a.position.title, "A2", "1", "1"]


def test_mean_satisfaction_of_the_period_hidden_below_three_answers(clo_client, org, world):
    from programs.models import ReactionResponse

    start = timezone.now() - dt.timedelta(days=2)
    session = f.SessionFactory(starts_at=start, ends_at=start + dt.timedelta(hours=2))
    people = [f.EmployeeFactory(unit=org.unit_a1) for _ in range(3)]
    scores = [(5, 5, 4, 4), (4, 4, 4, 4), (3, 3, 3, 3)]
    for person, (a, b, c, d) in zip(people[:2], scores, strict=False):
        enrolment = f.EnrolmentFactory(session=session, employee=person, status="attended")
        ReactionResponse.objects.create(enrolment=enrolment, usefulness=a, trainer=b, organisation=c,
                                        applicability=d, submitted_at=timezone.now())
    headline = read(get(clo_client, CLO_URL)).figures["headline"]
    assert headline["Mean satisfaction"] == "Too few answers to show 2 answers so far"
    enrolment = f.EnrolmentFactory(session=session, employee=people[2], status="attended")
    ReactionResponse.objects.create(enrolment=enrolment, usefulness=3, trainer=3, organisation=3, applicability=3,
                                    submitted_at=timezone.now())
    headline = read(get(clo_client, CLO_URL)).figures["headline"]
    assert headline["Mean satisfaction"] == "3.83 out of 5, 3 answers"  # (18 + 16 + 12) / 12
    unit = read(get(clo_client, f"{CLO_URL}?unit={org.unit_a.pk}")).figures["headline"]
    assert unit["Mean satisfaction"] == "— Kept for the whole organisation only"  # not per unit: never "No data yet"
