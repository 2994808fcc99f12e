"""In a real browser: the CLO filters the dashboard (HTMX swaps the board, the URL follows), drills into a heatmap
cell, then into one person; a director approves an enrolment request inline. axe checks every page visited, in the
light and the dark scheme, with the charts' data tables open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from evaluations.gaps.services import gaps_full_run
from tests import factories as f
from tests.e2e.browser import axe_check, go_to, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def gaps_scenario(org, clo_user, director_a, employee_a, director_b, employee_b):
    framework = f.FrameworkFactory(code="DASH", name="Competències transversals")
    digital = f.AreaFactory(framework=framework, code="DIG", name="Digital", order=1)
    people = f.AreaFactory(framework=framework, code="LEA", name="Lideratge", order=2)
    writing = f.CompetencyFactory(area=digital, code="D1", name="Digital writing", kind="digital")
    leading = f.CompetencyFactory(area=people, code="L1", name="Leading teams", kind="leadership")
    employee_a.position.is_critical, employee_a.position.criticality = True, 2
    employee_a.position.save()
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3, weight=2,
                         is_critical=True)
    f.RequirementFactory(position=employee_a.position, competency=leading, required_level=2)
    f.RequirementFactory(position=employee_b.position, competency=writing, required_level=2)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=2, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    soon = timezone.now() + dt.timedelta(days=15)
    session = f.SessionFactory(program=f.ProgramFactory(title="Writing for the web"), capacity=10, starts_at=soon,
                               ends_at=soon + dt.timedelta(hours=3))
    f.EnrolmentFactory(session=session, employee=employee_a, status="requested")
    gaps_full_run()
    return org


def open_details_and_check(page) -> None:
    for summary in page.locator("details.chart-data > summary").all():
        summary.click()
    axe_check(page)


def test_clo_filters_the_dashboard_and_drills_into_a_cell(e2e_page, live_server, gaps_scenario):
    page = e2e_page
    log_in(page, "clo")
    go_to(page, "Dashboard")
    page.wait_for_url("**/dashboards/learning-office/")
    assert "33" in page.locator("#headline dl > div", has_text="Requirements met").inner_text()
    page.wait_for_selector("#critical-positions")  # loaded after the board
    open_details_and_check(page)
    page.emulate_media(color_scheme="dark")
    axe_check(page)
    page.emulate_media(color_scheme="light")

    # Filter by kind: only the board is swapped, and the address bar carries the filters.
    page.wait_for_function("() => window.htmx !== undefined")
    page.select_option("#id_kind", "leadership")
    page.click("#board form button[type=submit]")
    page.wait_for_url("**kind=leadership**")
    page.wait_for_selector("#top-gaps-table >> text=Leading teams")
    page.wait_for_selector("#critical >> text=No critical position has an unmet critical requirement.")
    assert page.locator("#top-gaps-table tbody tr").count() == 1
    assert "0 of 1" in page.locator("#headline dl > div", has_text="Requirements met").inner_text()
    axe_check(page)

    # Back to every kind, then into the cell "Àrea de Serveis a les Persones × Digital".
    page.select_option("#id_kind", "")
    page.click("#board form button[type=submit]")
    page.wait_for_url(lambda url: "kind=leadership" not in url)
    page.wait_for_selector("#critical-positions")
    row = page.locator("#heatmap-table tbody tr", has_text="Àrea de Serveis a les Persones")
    row.locator("td").first.locator("a").click()
    page.wait_for_url("**/dashboards/people/**")
    assert "Pere Soler Camps" in page.locator("#people-table").inner_text()
    axe_check(page)
    page.click("#people-table a:has-text('Pere Soler Camps')")
    page.wait_for_url("**/dashboards/people/*/")
    assert "Digital writing" in page.locator("#employee-gaps").inner_text()
    axe_check(page)


def test_director_approves_a_request_inline(e2e_page, live_server, gaps_scenario):
    page = e2e_page
    log_in(page, "directora.a")
    go_to(page, "My units' dashboard")
    page.wait_for_url("**/dashboards/director/")
    page.wait_for_selector("#critical-positions")
    assert "Àrea d'Urbanisme" not in page.locator("main").inner_text()
    open_details_and_check(page)
    page.wait_for_function("() => window.htmx !== undefined")
    page.click("#requests-table button:has-text('Approve')")
    page.wait_for_selector("#requests-table >> text=Decided: Approved")
    assert page.url.endswith("/dashboards/director/")  # the row came back in place
    axe_check(page)


def test_dashboard_respects_the_content_security_policy(strict_page, live_server, gaps_scenario):
    page, errors = strict_page
    log_in(page, "clo")
    page.goto("/dashboards/learning-office/")
    page.wait_for_selector("#critical-positions")  # htmx ran (hx-trigger="load") under the policy
    page.select_option("#id_kind", "digital")
    page.click("#board form button[type=submit]")
    page.wait_for_url("**kind=digital**")
    page.wait_for_selector("#critical-positions")
    assert not errors, errors
