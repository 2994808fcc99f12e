"""In a real browser: HR opens a person's learning plan, downloads it as PDF (read back with pypdf), adds an activity
with a wrong date and sees why at the field, then asks for a unit's PDFs and watches the progress reach 100 %
through HTMX polling. axe checks every page visited."""

from __future__ import annotations

import io
import re

import pypdf
import pytest

from programs.models import LearningPlan, PlanPdfJob, Program
from programs.services import learning_plans as services
from tests import factories as f
from tests.e2e.browser import axe_check, go_to, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plans_scenario(scenario, employee_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    plan = LearningPlan.objects.get(employee=employee_a)
    program = Program.objects.get(title="Clear administrative writing")  # the scenario's, with a session
    competency = employee_a.position.requirements.get().competency
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    services.learning_plans_generate(employee_ids=[employee_a.pk], period_start=plan.period_start,
                                     period_end=plan.period_end)
    return plan


def test_hr_downloads_a_plan_as_pdf_and_corrects_a_wrong_date(e2e_page, live_server, plans_scenario):
    page = e2e_page
    log_in(page, "rrhh")
    go_to(page, "Learning plans")
    assert page.locator("h1").inner_text() == "Learning plans"
    axe_check(page)
    page.click("#people a:has-text('actions done'):has-text('Pere Soler Camps')")
    assert "Pere Soler Camps" in page.locator("h1").inner_text()
    axe_check(page)
    page.emulate_media(color_scheme="dark")  # contrast must hold in Pico's dark scheme too
    axe_check(page)
    page.emulate_media(color_scheme="light")

    with page.expect_download() as info:
        page.click("text=Download the plan as PDF")
    path = info.value.path()
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(open(path, "rb").read())).pages)
    assert "Pere Soler Camps" in text
    assert "Clear administrative writing" in text

    # A due date outside the plan's period: refused, the reason next to the field (HTMX swaps the 422 in place).
    page.select_option("#id_kind", "mentoring")
    page.fill("#id_title", "Mentoring with the head of service, second round")
    page.fill("#id_due_date", f"{plans_scenario.period_end.year + 2}-01-15")
    page.click("button:has-text('Add to the plan')")
    error = page.locator("#id_due_date_error")
    error.wait_for()
    assert "within the plan" in error.inner_text()
    assert page.get_attribute("#id_due_date", "aria-describedby") == "id_due_date_error"
    axe_check(page)
    page.fill("#id_due_date", plans_scenario.period_end.isoformat())
    page.click("button:has-text('Add to the plan')")
    page.locator("#plan-body th:has-text('second round')").wait_for()
    assert "0 of 3 actions done" in page.locator("#plan-body").inner_text()


def test_hr_runs_a_bulk_job_and_sees_the_progress_reach_100(e2e_page, live_server, plans_scenario, org, monkeypatch):
    from programs import tasks
    from programs.services.learning_plans import pdfs as plan_pdfs

    # The job is left pending by the request; the test plays the worker once the page is polling.
    monkeypatch.setattr(tasks.plan_pdf_job_run, "delay", lambda job_id: None)
    page = e2e_page
    log_in(page, "rrhh")
    page.goto("/learning-plans/pdf-jobs/")
    axe_check(page)
    page.select_option("#id_unit", str(org.unit_a.pk))
    with page.expect_navigation():
        page.click("button:has-text('Prepare the PDFs')")
    assert "Learning plans of Àrea de Serveis a les Persones" in page.locator("h1").inner_text()
    assert "Pending" in page.locator("#job-status").inner_text()
    axe_check(page)
    plan_pdfs.plan_pdf_job_run(PlanPdfJob.objects.get().pk)
    # The counter reaches 100 % while the zip is being closed; the job is done a moment later.
    page.wait_for_function("() => document.querySelector('#job-status').innerText.includes('Done')")
    status = page.locator("#job-status").inner_text()
    assert re.search(r"Done\s*·\s*1 of 1 plans \(100 %\)", status), status
    axe_check(page)
    with page.expect_download() as info:
        page.click("text=Download the zip file")
    assert info.value.suggested_filename.endswith(".zip")
    page.goto("/learning-plans/pdf-jobs/")
    axe_check(page)


def test_plan_pages_respect_the_content_security_policy(strict_page, live_server, plans_scenario):
    """Without bypassing CSP: marking an action done goes through htmx and no violation is reported."""
    page, errors = strict_page
    log_in(page, "rrhh")
    page.goto(f"/learning-plans/{plans_scenario.pk}/")
    page.wait_for_function("() => window.htmx !== undefined")
    assert "0 of 2 actions done" in page.locator("#plan-body").inner_text()
    page.locator("#plan-body button:has-text('Mark as done')").first.click()
    page.wait_for_function("() => document.querySelector('#plan-body').innerText.includes('1 of 2 actions done')")
    assert page.url.endswith(f"/learning-plans/{plans_scenario.pk}/")  # swapped in place, no reload
    page.goto("/learning-plans/pdf-jobs/")
    assert not errors, errors
