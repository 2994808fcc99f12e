"""In a real browser: an employee makes their calendar address on "My calendar" (axe checks the page before and
after), and a calendar application reading that address gets their session; HR adds a webhook on its page."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_employee_makes_the_calendar_address_that_a_calendar_reads(e2e_page, scenario):
    import requests
    from icalendar import Calendar

    from tests.e2e.browser import axe_check, go_to, log_in

    page = e2e_page
    log_in(page, "empleat.a")
    go_to(page, "My calendar")
    axe_check(page)
    page.click("button:has-text('Make my calendar address')")  # htmx swaps the region in
    url = page.locator("#calendar-url").inner_text()
    axe_check(page)

    answer = requests.get(url, timeout=30)

    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    assert [str(event["summary"]) for event in events] == ["Clear administrative writing"]
    page.reload()
    assert "Revoke the address" in page.content() and url not in page.content()


def test_hr_adds_a_webhook(e2e_page, scenario):
    from tests.e2e.browser import axe_check, go_to, log_in

    page = e2e_page
    log_in(page, "rrhh")
    go_to(page, "Webhooks")
    axe_check(page)
    page.fill("#id_name", "HR system")
    page.fill("#id_url", "https://hr.example/hooks/clo")
    page.check("input[name=events][value='enrolment.decided']")
    with page.expect_navigation():
        page.click("button:has-text('Make the webhook')")
    assert page.locator("#webhook-secret").inner_text().startswith("whsec_")
    axe_check(page)
    page.click("a:has-text('HR system')")
    axe_check(page)
