"""In a real browser: a director posts a challenge project and opens it, an employee applies, the director approves
(after trying to refuse without a reason), starts it, closes it rating the employee, and reads the figures. axe
checks every page visited, in Catalan, Spanish and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clo.talent.models import ChallengeProject, ProjectApplication
from evaluations.models import CurrentLevel
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, log_out, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def axe_in_every_language(page) -> None:
    for language in ("ca", "es", "en"):  # ends in English, as the test reads the page
        switch_language(page, language)
        assert page.get_attribute("html", "lang") == language
        axe_check(page)


def test_post_apply_approve_close_and_rate(e2e_page, live_server, scenario, director_a, employee_a, eager_tasks):
    competency = f.CompetencyFactory(name="Anàlisi de dades")
    page = e2e_page
    log_in(page, "directora.a")
    page.goto("/projects/new/")
    axe_in_every_language(page)
    today = timezone.localdate()
    page.fill("#id_title", "Beques digitals")
    page.fill("#id_goal", "A digital grants desk for the schools.")
    page.select_option("#id_unit", str(scenario.unit_a1.pk))
    page.fill("#id_starts_on", (today + dt.timedelta(days=10)).isoformat())
    page.fill("#id_ends_on", (today + dt.timedelta(days=90)).isoformat())
    page.fill("#id_weekly_hours", "3")
    page.select_option("#id_learn_1", str(competency.pk))
    page.fill("#id_learn_1_level", "3")
    page.click("button:has-text('Save as a draft')")
    page.locator("h1:has-text('Beques digitals')").wait_for()
    page.click("button:has-text('Open for applications')")
    page.locator("button:has-text('Start the project')").wait_for()
    axe_in_every_language(page)
    log_out(page)

    log_in(page, "empleat.a")
    page.goto("/projects/")
    axe_in_every_language(page)
    page.click("a:has-text('Beques digitals')")
    page.click("a:has-text('Apply')")
    axe_in_every_language(page)
    page.fill("#id_motivation", "I want to learn data analysis with the grants team.")
    page.click("button:has-text('Send my application')")
    page.locator("h1:has-text('My project applications')").wait_for()
    axe_in_every_language(page)
    log_out(page)

    log_in(page, "directora.a")
    page.goto("/projects/approvals/")
    axe_in_every_language(page)
    page.check("input[value=refuse]")
    page.click("button:has-text('Answer')")
    page.locator(".field-errors:has-text('Say why you refuse')").wait_for()
    axe_check(page)
    page.check("input[value=approve]")
    page.click("button:has-text('Answer')")
    page.locator("#approvals:has-text('No application is waiting')").wait_for()
    assert ProjectApplication.objects.get(employee=employee_a).status == "approved"
    project = ChallengeProject.objects.get(title="Beques digitals")
    page.goto(f"/projects/{project.pk}/")
    page.click("button:has-text('Start the project')")
    page.locator("a:has-text('Close and rate')").wait_for()
    page.click("a:has-text('Close and rate')")
    axe_in_every_language(page)
    page.locator("#close-form select").first.select_option("3")
    page.click("button:has-text('Close the project')")
    page.locator("#project-body:has-text('Closed')").wait_for()
    level = CurrentLevel.objects.get(employee=employee_a, competency=competency)
    assert (level.source, level.level) == ("project", 3)
    page.goto("/projects/figures/")
    assert "Anàlisi de dades" in page.locator("main").inner_text()
    axe_in_every_language(page)
    page.emulate_media(color_scheme="dark")
    axe_check(page)
