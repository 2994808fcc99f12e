"""In a real browser: a director sees the holder of a critical position who retires soon, opens a knowledge-transfer
plan for her, adds a handover item with a deadline after the leaving date and sees why at the field, corrects it,
and marks it done. axe checks every page visited, in Catalan, Spanish and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clo.talent.models import TransferPlan
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def holder(scenario, director_a):
    position = f.PositionFactory(code="CAP-EDU", title="Cap del Servei d'Educació", unit=scenario.unit_a1,
                                 is_critical=True)
    return f.EmployeeFactory(unit=scenario.unit_a1, position=position, first_name="Àngels", last_name="Font Riba",
                             expected_retirement_date=timezone.localdate() + dt.timedelta(days=300))


def axe_in_every_language(page) -> None:
    for language in ("ca", "es", "en"):  # ends in English, as the test reads the page
        switch_language(page, language)
        assert page.get_attribute("html", "lang") == language
        axe_check(page)


def test_a_director_opens_a_plan_and_corrects_a_deadline_after_the_leaving_date(e2e_page, live_server, holder,
                                                                                 employee_a):
    page = e2e_page
    log_in(page, "directora.a")
    page.goto("/succession/transfer-plans/")
    assert "Àngels Font Riba" in page.locator("main").inner_text()
    axe_in_every_language(page)
    page.click("a:has-text('Create a plan')")
    axe_in_every_language(page)
    page.fill("#id_successor", employee_a.employee_number)
    page.click("button:has-text('Create the plan')")
    page.locator("h1:has-text('Knowledge transfer')").wait_for()
    plan = TransferPlan.objects.get(holder=holder)

    page.select_option("#id_kind", "procedure")
    page.fill("#id_title", "Grants procedure, step by step")
    page.fill("#id_due_on", (plan.leaving_on + dt.timedelta(days=1)).isoformat())
    page.click("button:has-text('Add to the plan')")
    error = page.locator("#id_due_on_error")
    error.wait_for()
    assert "before the leaving date" in error.inner_text()
    assert page.get_attribute("#id_due_on", "aria-describedby") == "id_due_on_error"
    axe_check(page)
    page.fill("#id_due_on", (plan.leaving_on - dt.timedelta(days=30)).isoformat())
    page.click("button:has-text('Add to the plan')")
    page.locator("#plan-body th:has-text('Grants procedure')").wait_for()
    assert "0 of 1 items done" in page.locator("#plan-body").inner_text()
    page.click("button:has-text('Mark as done')")
    page.locator("#plan-body:has-text('1 of 1 items done')").wait_for()
    axe_in_every_language(page)
    page.emulate_media(color_scheme="dark")
    axe_check(page)
