"""In a real browser: an employee finds a program in the catalogue and requests a seat, their director approves it
inline, the session is then full and the next approved request goes to the waiting list; the learning office's
pages (program and session forms, roster, attendance). axe checks every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import Enrolment, SessionDay
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, log_out, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def delivery(org, clo_user, director_a, employee_a):
    competency = f.CompetencyFactory(name="Administrative writing")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    f.CurrentLevelFactory(employee=employee_a, competency=competency, level=2)
    program = f.ProgramFactory(title="Clear administrative writing", hours=8, objectives="Write plainly.")
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    f.SessionFactory(program=f.ProgramFactory(title="Spreadsheets for everyone"))
    session = f.SessionFactory(program=program, capacity=1, trainer="Núria Vidal")
    second = f.EmployeeFactory(user=f.UserFactory(username="empleat.a2"), unit=org.unit_a1, manager=director_a,
                               first_name="Laia", last_name="Riera Pons")
    return {"program": program, "session": session, "second": second}


def request_seat(page, program_title: str) -> None:
    page.goto("/catalogue/")
    axe_check(page)
    page.click(f"text={program_title}")
    axe_check(page)
    page.click("#program-sessions button[type=submit]")
    page.wait_for_selector("#program-sessions .notice")


def test_request_approve_fill_and_waitlist(e2e_page, delivery):
    page = e2e_page
    log_in(page, "empleat.a")
    page.goto("/catalogue/")
    first_row = page.locator("#catalogue-results tbody tr").first
    assert "Clear administrative writing" in first_row.inner_text()  # closes the gap: first
    assert "Closes a gap" in first_row.inner_text()
    request_seat(page, "Clear administrative writing")
    assert "sent to your director" in page.inner_text("#program-sessions")
    axe_check(page)
    page.goto("/training/")
    assert "Requested" in page.inner_text("#training-enrolments")
    axe_check(page)
    log_out(page)

    log_in(page, "directora.a")
    page.goto("/enrolments/requests/")
    axe_check(page)
    row = page.locator("#requests-table tbody tr", has_text="Pere Soler Camps")
    row.locator("button", has_text="Approve").click()
    page.wait_for_selector("text=Pere Soler Camps has a seat.")
    axe_check(page)
    log_out(page)

    log_in(page, "empleat.a2")
    request_seat(page, "Clear administrative writing")
    assert "0 / 1" in page.inner_text("#program-sessions")  # no seat left
    log_out(page)

    log_in(page, "directora.a")
    page.goto("/enrolments/requests/")
    row = page.locator("#requests-table tbody tr", has_text="Laia Riera Pons")
    row.locator("button", has_text="Approve").click()
    page.wait_for_selector("text=The session is full: on the waiting list.")
    axe_check(page)
    statuses = dict(Enrolment.objects.values_list("employee__first_name", "status"))
    assert statuses == {"Pere": "approved", "Laia": "waitlisted"}


def test_refusing_without_a_reason_shows_the_error_at_the_field(e2e_page, delivery, employee_a):
    Enrolment.objects.create(session=delivery["session"], employee=employee_a)
    page = e2e_page
    log_in(page, "directora.a")
    page.goto("/enrolments/requests/")
    page.locator("#requests-table button", has_text="Refuse").click()
    error = page.wait_for_selector(".reject-form .field-errors")
    assert "Say why" in error.inner_text()
    assert page.get_attribute(".reject-form input[name=reason]", "aria-describedby") == error.get_attribute("id")
    axe_check(page)


def test_the_learning_office_pages(e2e_page, live_server, delivery, employee_a):
    session = delivery["session"]
    Enrolment.objects.create(session=session, employee=employee_a, status="approved")
    SessionDay.objects.create(session=session, date=timezone.localdate() + dt.timedelta(days=14), hours=4)
    page = e2e_page
    log_in(page, "clo")
    page.goto(f"/catalogue/{delivery['program'].pk}/")
    axe_check(page)
    page.click("text=Edit program")
    axe_check(page)
    page.fill("input[name=hours]", "0")
    page.click("#program-form button[type=submit]")
    page.wait_for_selector("#id_hours_error")
    axe_check(page)  # the form with its errors
    page.goto(f"/catalogue/{delivery['program'].pk}/sessions/new/")
    axe_check(page)
    page.goto(f"/sessions/{session.pk}/")
    assert "Pere Soler Camps" in page.inner_text("main")
    axe_check(page)
    page.click("text=Record attendance")
    axe_check(page)
    page.fill("input[name^=hours_]", "9")
    page.click("#attendance-form button[type=submit]")
    page.wait_for_selector(".errorlist")
    axe_check(page)
    for path in ("/catalogue/", f"/sessions/{session.pk}/", "/enrolments/requests/"):
        page.goto(path)
        switch_language(page, "ca")
        assert page.get_attribute("html", "lang") == "ca"
        axe_check(page)


def test_delivery_pages_respect_the_content_security_policy(strict_page, live_server, delivery):
    """Without bypassing CSP: filtering the catalogue (HTMX, pushed URL) and requesting a seat raise no violation."""
    page, errors = strict_page
    log_in(page, "empleat.a")
    page.goto("/catalogue/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.fill("input[name=q]", "Spreadsheets")
    page.click(".catalogue-filter button[type=submit]")
    page.wait_for_url("**/catalogue/?q=Spreadsheets*")
    assert "Clear administrative writing" not in page.inner_text("#catalogue-results")
    page.click("text=Spreadsheets for everyone")
    page.click("#program-sessions button[type=submit]")
    page.wait_for_selector("#program-sessions .notice")
    page.click("#program-sessions button:has-text('Cancel enrolment')")
    page.wait_for_selector("text=The enrolment has been cancelled.")
    assert not errors, errors


def test_interest_in_a_program_without_session_is_registered_and_counted_at_triage(e2e_page, live_server, delivery,
                                                                                   employee_a):
    """A program that closes the person's gap has no session: they register interest (htmx, then withdraw and
    register again without it), a completed program warns them, and the learning office sees the count at triage."""
    waiting = f.ProgramFactory(title="Plain language workshop")
    f.ProgramCompetencyFactory(program=waiting, competency=delivery["program"].developed.get().competency,
                               level_reached=3)
    past = f.SessionFactory(program=delivery["program"], starts_at=timezone.now() - dt.timedelta(days=120))
    Enrolment.objects.create(session=past, employee=employee_a, status="completed",
                             completed_on=timezone.localdate() - dt.timedelta(days=100))
    page = e2e_page
    log_in(page, "empleat.a")
    page.goto(f"/catalogue/{delivery['program'].pk}/")
    assert "You already completed this program" in page.inner_text("#completed-warning")
    axe_check(page)
    page.goto(f"/catalogue/{waiting.pk}/")
    page.click("#program-interest button:has-text('Register my interest')")
    page.wait_for_selector("#program-interest .notice")
    assert "Withdraw my interest" in page.inner_text("#program-interest")
    axe_check(page)
    log_out(page)

    log_in(page, "clo")
    page.goto("/triage/")
    row = page.locator("#interest-demand tbody tr", has_text="Plain language workshop")
    assert row.locator("td").first.inner_text().strip() == "1"
    axe_check(page)
