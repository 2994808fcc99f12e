"""In a real browser: a director drafts a need, submits it with one invalid field, corrects it and submits; the
learning office accepts it into the plan; the director sees it accepted. axe checks every page visited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import NeedsCampaign, Program, TrainingNeed
from competencies.models import Competency
from tests.e2e.browser import axe_check, go_to, log_in, log_out

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def campaign(scenario, clo_user):
    today = timezone.localdate()
    return NeedsCampaign.objects.create(year=today.year + 1, opens_on=today - dt.timedelta(days=3),
                                        deadline=today + dt.timedelta(days=30), opened_by=clo_user,
                                        instructions="Send the needs of your units before the deadline.")


def test_a_need_from_the_director_to_the_plan(e2e_page, live_server, campaign, org):
    page = e2e_page
    competency = Competency.objects.get(name="Administrative writing")
    log_in(page, "directora.a")
    go_to(page, "Training needs")
    assert page.url.endswith("/needs/")
    assert "is open until" in page.inner_text(".campaign-banner")
    axe_check(page)
    page.click("text=New training need")
    axe_check(page)

    page.select_option("#id_unit", str(org.unit_a1.pk))
    page.fill("#id_competencies_q", "administrative")
    # A search within the form (HTMX): wait for its answer to be swapped in, not only for the list to look filtered
    # (with a single competency in the database, it already does before the answer comes back).
    page.eval_on_selector("#id_competencies", "select => { select.dataset.beforeSearch = 'yes'; }")
    page.click("button[name=_search][value=competencies]")
    page.wait_for_function("() => !document.querySelector('#id_competencies').dataset.beforeSearch")  # swapped
    page.wait_for_function("() => document.querySelectorAll('#id_competencies option').length === 1")
    page.select_option("#id_competencies", str(competency.pk))
    page.fill("#id_estimated_participants", "0")  # the invalid field
    page.fill("#id_title", "Plain language for letters to citizens")
    page.fill("#id_strategic_objective", "Open and understandable administration")
    page.fill("#id_justification", "Citizens call the front desk because they do not understand our letters.")
    page.click("button[name=_submit]")
    error = page.locator("#id_estimated_participants_error")
    error.wait_for()
    assert "Estimate at least one participant." in error.inner_text()
    assert page.get_attribute("#id_estimated_participants", "aria-describedby") == "id_estimated_participants_error"
    assert page.input_value("#id_title") == "Plain language for letters to citizens"  # what was typed stays
    axe_check(page)

    page.fill("#id_estimated_participants", "12")
    with page.expect_navigation():
        page.click("button[name=_submit]")
    need = TrainingNeed.objects.get(title="Plain language for letters to citizens")
    assert page.url == f"{live_server.url}/needs/{need.pk}/"
    assert "Need submitted to the learning office." in page.inner_text("#messages")
    assert page.inner_text(".need-status") == "Submitted"
    axe_check(page)
    log_out(page)

    log_in(page, "clo")
    page.goto("/triage/")
    axe_check(page)
    page.click(f"text={need.title}")
    axe_check(page)
    page.click("#reject-form button[type=submit]")  # no reason: the form comes back with the error, in place
    page.locator("#id_reject-reason_error").wait_for()
    assert page.get_attribute("#id_reject-reason", "aria-describedby") == "id_reject-reason_error"
    axe_check(page)
    page.click("text=Accept into the plan")
    axe_check(page)
    program = Program.objects.get(title="Clear administrative writing")
    page.check("input[name=mode][value=new_action]")
    page.select_option("#id_program", str(program.pk))
    page.fill("#id_estimated_cost", "2400")
    page.fill("#id_estimated_hours", "20")
    page.select_option("#id_funding", "afedap")
    with page.expect_navigation():
        page.click("#accept-form button[type=submit]")
    assert "Accepted into the" in page.inner_text("main")
    page.goto(f"/plan/{campaign.year}/")
    assert need.title in page.inner_text(".plan-actions")
    axe_check(page)
    page.goto("/campaigns/")
    axe_check(page)
    log_out(page)

    log_in(page, "directora.a")
    page.goto(f"/needs/{need.pk}/")
    assert page.inner_text(".need-status") == "Accepted"
    assert "Clear administrative writing" in page.inner_text(".decision-accepted")


def test_the_need_form_respects_the_content_security_policy(strict_page, live_server, campaign):
    page, errors = strict_page
    log_in(page, "directora.a")
    page.goto("/needs/new/")
    page.wait_for_function("() => window.htmx !== undefined")
    page.click("button[name=_save]")  # no title: the form comes back through htmx with its errors
    page.locator("#id_title_error").wait_for()
    # the browser logs the 422 itself as a failed load; anything else (a CSP violation, a script error) fails
    unexpected = [e for e in errors if "status of 422" not in e]
    assert not unexpected, unexpected
