"""The annual plan's funding: the application in the funding body's columns, the execution follow-up (planned vs
delivered, alerts at the plan's year end in local time), and the justification, whose totals equal the dashboard's
training figures for the year. Only the learning office and HR see it; only the learning office edits it."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from clo.people.models import OrgUnit
from programs.models import Enrolment, PlanAction
from programs.selectors import funding, plan_figures, unit_training_figures, year_bounds
from programs.services.training_rollup import training_rollup_rebuild
from tests import factories as f
from tests.wording import problems

pytestmark = pytest.mark.django_db

YEAR = 2026


def local(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


@dataclass
class World:
    plan: object
    seat_action: PlanAction
    session_action: PlanAction
    bare_action: PlanAction


def _session(program, starts_at, status="finished", **kwargs):
    return f.SessionFactory(program=program, starts_at=starts_at, ends_at=starts_at + dt.timedelta(hours=1),
                            status=status, **kwargs)


def _done(session, employee, hours, status=Enrolment.Status.COMPLETED):
    return f.EnrolmentFactory(session=session, employee=employee, status=status, hours_attended=Decimal(hours),
                              completed_on=session.starts_at.date() if status == "completed" else None)


@pytest.fixture
def world(org, employee_a, employee_b, director_a) -> World:
    """Plan 2026. Per-seat P1 (100 €/seat, 10 h): a finished session in March (employee_a 10 h, employee_b 6 h
    (below 75 %), a person who has left since 10 h) and one scheduled at 22:30 on 31 December local time (still
    2026). Per-session P2 (500 €, 4 h): one finished session (employee_a 4 h) and one at 00:30 on 1 January 2027
    local time (too late). P3 (50 €/seat, 2 h) is outside the plan: director_a 2 h. A third action has no program."""
    plan = f.TrainingPlanFactory(year=YEAR, status="approved")
    p1 = f.ProgramFactory(code="P-SEAT", hours=Decimal("10"), cost=Decimal("100"))
    p2 = f.ProgramFactory(code="P-SESS", hours=Decimal("4"), cost=Decimal("500"), cost_basis="session")
    p3 = f.ProgramFactory(code="P-OUT", hours=Decimal("2"), cost=Decimal("50"))
    seat = f.PlanActionFactory(plan=plan, title="A Contractació", program=p1, funding="afedap", planned_editions=2,
                               estimated_cost=Decimal("1200"), estimated_hours=Decimal("20"),
                               estimated_participants=12, planned_by_group={"A1": 4, "C1": 8},
                               collective="Personal administratiu", granted_amount=Decimal("1000"),
                               incurred_cost=Decimal("900"))
    per_session = f.PlanActionFactory(plan=plan, title="B Atenció", program=p2, funding="own", planned_editions=2,
                                      estimated_cost=Decimal("1000"), estimated_hours=Decimal("8"),
                                      estimated_participants=3085)
    bare = f.PlanActionFactory(plan=plan, title="C Sense programa", funding="other")
    march = _session(p1, local(YEAR, 3, 10, 9))
    _session(p1, local(YEAR, 12, 31, 22, 30), status="scheduled")
    _done(march, employee_a, "10")
    _done(march, employee_b, "6")
    _done(march, f.EmployeeFactory(unit=org.unit_a1, active=False), "10")
    _done(_session(p2, local(YEAR, 5, 5, 9)), employee_a, "4")
    _session(p2, local(YEAR + 1, 1, 1, 0, 30), status="scheduled")
    _done(_session(p3, local(YEAR, 6, 1, 9)), director_a, "2")
    return World(plan, seat, per_session, bare)


def _execution(world, now=None):
    return funding.execution(world.plan, now=now or local(YEAR, 12, 1, 12))


def test_follow_up_counts_planned_against_delivered(world):
    report = _execution(world)
    seat, per_session, bare = report["rows"]
    assert (seat.sessions, seat.editions_run, seat.completed, seat.justified) == (2, 1, 2, 1)
    assert seat.hours == Decimal("16") and seat.cost == Decimal("300")  # the seat of the person who left was paid
    assert seat.grant_left == Decimal("100") and seat.alerts == []
    assert (per_session.sessions, per_session.completed, per_session.hours, per_session.cost) == (
        1, 1, Decimal("4"), Decimal("500"))
    assert [a.code for a in per_session.alerts] == ["fewer_sessions"]  # the 1 January 00:30 session is too late
    assert [a.code for a in bare.alerts] == ["no_program"]
    assert report["outside"] == {"completed": 1, "hours": Decimal("2"), "cost": Decimal("50")}
    assert report["year_over"] is False
    assert _execution(world, now=year_bounds(YEAR)[1])["year_over"] is True


def test_an_action_with_no_session_before_year_end_is_alerted(world):
    world.seat_action.program.sessions.filter(starts_at__gte=local(YEAR, 12, 1)).update(
        starts_at=local(YEAR + 1, 1, 1, 0, 30), ends_at=local(YEAR + 1, 1, 1, 1, 30))
    lone = f.PlanActionFactory(plan=world.plan, title="D Futur", program=f.ProgramFactory())
    _session(lone.program, local(YEAR + 1, 1, 1, 0, 30), status="scheduled")
    rows = {r.action.pk: r for r in _execution(world)["rows"]}
    assert [a.code for a in rows[world.seat_action.pk].alerts] == ["fewer_sessions"]
    assert [a.code for a in rows[lone.pk].alerts] == ["no_session"]


def test_the_attendance_threshold_is_a_setting(world, settings):
    settings.CLO_FUNDING_ATTENDANCE_PERCENT = 60
    assert _execution(world)["rows"][0].justified == 2


def test_justification_totals_equal_the_dashboards_training_figures(world, org):
    """The justification reads the enrolments per program; the dashboard reads the training roll-up and the plan's
    figures: the same year, the same totals."""
    training_rollup_rebuild()
    start, end = year_bounds(YEAR)
    dashboard = OrgUnit.objects.filter(pk=org.root.pk).annotate(
        **unit_training_figures(org.root.pk, year=YEAR), **plan_figures(year=YEAR, start=start, end=end)
    ).values("hours", "completed", "spent").get()
    report = funding.justification(world.plan, now=end)
    totals, outside = report["totals"], report["outside"]
    assert totals["hours"] + outside["hours"] == dashboard["hours"] == Decimal("22")
    assert totals["completed"] + outside["completed"] == dashboard["completed"] == 4
    assert totals["cost"] + outside["cost"] == dashboard["spent"] == Decimal("850")
    people = {e.employee.full_name: e for e in report["rows"][0].people}
    assert len(people) == 2
    assert [e.justified for e in sorted(people.values(), key=lambda e: e.hours_attended)] == [False, True]


def test_the_application_is_in_the_funding_bodys_columns(world, clo_client, english):
    response = clo_client.get(reverse("programs:funding_application", args=[YEAR]) + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    heading = [row[:2] for row in rows[: len(funding.APPLICATION_HEADER)]]
    assert heading[0] == ("Kind of plan", "Unitary plan (one entity)") and heading[1][1] == "Ajuntament de Vilamar (5)"
    rows = rows[len(funding.APPLICATION_HEADER) + 1:]
    assert list(rows[0]) == [str(column.heading) for column in funding.APPLICATION_COLUMNS]
    by_action = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_action) == ["B Atenció", "A Contractació", "C Sense programa"]  # by source: own, AFEDAP, other
    first = by_action["A Contractació"]
    assert first["Funding source"] == "AFEDAP grant" and first["Editions"] == 2 and first["Participants C1"] == 8
    assert first["Hours per edition"] == 10 and first["Cost (€)"] == 1200
    assert first["Target collective"] == "Personal administratiu"


def test_the_catalan_pdfs_read_well(world, clo_client):
    for name, expected in (("funding_application_pdf", "3.085"), ("funding_justification_pdf", "Soler Camps")):
        response = clo_client.get(reverse(f"programs:{name}", args=[YEAR]) + "?lang=ca")
        assert response["Content-Type"] == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
        assert expected in text and "2026" in text, name
        assert problems(text) == []


def _urls(world):
    year = [YEAR]
    return [reverse("programs:funding_application", args=year), reverse("programs:funding_application_pdf", args=year),
            reverse("programs:funding_execution", args=year), reverse("programs:funding_justification", args=year),
            reverse("programs:funding_justification_pdf", args=year),
            reverse("programs:funding_plan_kind", args=year),
            reverse("programs:funding_action_edit", args=[YEAR, world.seat_action.pk])]


@pytest.mark.parametrize("persona", ["director_a", "employee_a", "director_b"])
def test_nobody_else_finds_the_funding_pages(world, client, persona, request):
    client.force_login(request.getfixturevalue(persona).user)
    for url in _urls(world):
        for method in (client.get, client.post):
            assert method(url).status_code == 404, url
            assert method(url, HTTP_HX_REQUEST="true").status_code == 404, url


def test_hr_reads_but_does_not_edit(world, hr_client):
    *reads, kind, edit = _urls(world)
    assert [hr_client.get(url).status_code for url in reads] == [200] * len(reads)
    assert hr_client.get(edit).status_code == hr_client.get(kind).status_code == 404
    assert hr_client.post(edit, {"planned_editions": 1}).status_code == 404
    assert hr_client.post(kind, {"funding_kind": "grouped", "funding_entities": "X; 5"}).status_code == 404
    world.plan.refresh_from_db()
    assert world.plan.funding_kind == "unitary"


def test_the_learning_office_records_the_grant_and_the_cost(world, clo_client, english):
    url = reverse("programs:funding_action_edit", args=[YEAR, world.session_action.pk])
    assert b"<html" not in clo_client.get(url, HTTP_HX_REQUEST="true").content
    data = {"planned_editions": 1, "collective": "Policia local", "granted_amount": "800", "incurred_cost": "-1",
            **{f"group_{g}": 0 for g in ("A1", "A2", "B", "C1", "C2", "AP")}}
    response = clo_client.post(url, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and b"<html" not in response.content
    response = clo_client.post(url, {**data, "incurred_cost": "650.50", "group_C2": 3}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].endswith(
        reverse("programs:funding_execution", args=[YEAR]))
    world.session_action.refresh_from_db()
    assert world.session_action.planned_by_group == {"C2": 3}
    assert (world.session_action.granted_amount, world.session_action.incurred_cost) == (Decimal("800"),
                                                                                         Decimal("650.50"))
    rows = {r.action.pk: r for r in _execution(world)["rows"]}
    assert rows[world.session_action.pk].alerts == []  # one edition planned now, one session in the year


def _grow(world, n: int) -> None:
    """``n`` more actions, each with its program, a finished session of the year and two completed people."""
    for i in range(n):
        program = f.ProgramFactory()
        f.PlanActionFactory(plan=world.plan, program=program, funding=("own", "afedap")[i % 2])
        session = _session(program, local(YEAR, 4, 1 + i % 28, 9))
        for _ in range(2):
            _done(session, f.EmployeeFactory(), "10")


def test_queries_do_not_grow_with_the_plan(world, clo_client):
    urls = _urls(world)

    def counts():
        measured = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert clo_client.get(url).status_code == 200, url
            measured.append(len(queries))
        return measured

    small = counts()
    _grow(world, 12)
    assert counts() == small
    assert max(small) <= 16, small


def test_htmx_gets_only_the_pages_region(world, clo_client):
    for name in ("funding_application", "funding_execution", "funding_justification"):
        response = clo_client.get(reverse(f"programs:{name}", args=[YEAR]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert b"<html" not in response.content and b"<section" in response.content, name


def test_the_plans_page_leads_to_the_funding_pages(world, hr_client):
    page = hr_client.get(reverse("programs:training_plan_detail", args=[YEAR])).content.decode()
    assert reverse("programs:funding_application", args=[YEAR]) in page


def test_a_unitary_plan_needs_two_hundred_staff(world, clo_client, english, monkeypatch):
    """The organisation of the fixtures has five active people: too few for a unitary plan, which the learning
    office is told next to the choice; a grouped plan with its entities is saved and heads the application."""
    url = reverse("programs:funding_plan_kind", args=[YEAR])
    response = clo_client.post(url, {"funding_kind": "unitary"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and b"<html" not in response.content
    assert "at least 200 staff" in response.content.decode() and "has 5" in response.content.decode()
    response = clo_client.post(url, {"funding_kind": "grouped", "funding_entities": "Ajuntament de Santa Pau 85"},
                               HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "Line 1: write the entity" in response.content.decode()
    response = clo_client.post(url, {"funding_kind": "grouped"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 422 and "at least one other entity" in response.content.decode()
    world.plan.refresh_from_db()
    assert world.plan.funding_kind == "unitary" and world.plan.funding_entities == []

    entities = "Ajuntament de Santa Pau; 85\r\n\r\nConsell Comarcal; 120"
    response = clo_client.post(url, {"funding_kind": "grouped", "funding_entities": entities}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Redirect"].endswith(
        reverse("programs:funding_application", args=[YEAR]))
    page = clo_client.get(reverse("programs:funding_application", args=[YEAR])).content.decode()
    assert "Grouped plan (several entities)" in page and "Consell Comarcal (120)" in page and "210" in page
    sheet = load_workbook(io.BytesIO(clo_client.get(
        reverse("programs:funding_application", args=[YEAR]) + "?export=xlsx").content)).active
    heading = {row[0]: row[1] for row in sheet.iter_rows(max_row=len(funding.APPLICATION_HEADER), values_only=True)}
    assert heading["Other participating entities (staff)"] == "Ajuntament de Santa Pau (85); Consell Comarcal (120)"
    assert heading["Staff of the entities"] == 210
    pdf = clo_client.get(reverse("programs:funding_application_pdf", args=[YEAR]) + "?lang=en").content
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Grouped plan" in text and "Santa Pau (85)" in text

    monkeypatch.setattr(type(world.plan), "UNITARY_MINIMUM_STAFF", 5)
    response = clo_client.post(url, {"funding_kind": "unitary", "funding_entities": "Consell Comarcal; 120"})
    assert response.status_code == 302
    world.plan.refresh_from_db()
    assert world.plan.funding_kind == "unitary" and world.plan.funding_entities == []
