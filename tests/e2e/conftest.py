"""Browser tests: Debian's Chromium (found on PATH, never downloaded) driven by Playwright against pytest-django's
live server, with axe-core (vendored) checking WCAG 2.1 A/AA on every page visited.

One browser per module, a fresh context (cookies, storage) per test.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories as f

# Playwright's sync API runs an asyncio loop in this thread; Django would then refuse database access from the
# test itself (SynchronousOnlyOperation) although nothing here is concurrent.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = shutil.which("chromium")
    if not path:
        message = "chromium is not on PATH (install Debian's chromium package; scripts/ensure-browser does it as root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="module")
def e2e_browser(chromium_executable):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_executable, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


def new_page(browser, live_server, *, bypass_csp: bool):
    # Reduced motion: Pico then turns its colour transitions off, so axe never measures contrast half-way through
    # one (switching to the dark scheme, or hovering a button, would otherwise make the check flaky).
    context = browser.new_context(
        base_url=live_server.url, locale="en-US", bypass_csp=bypass_csp, reduced_motion="reduce"
    )
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def e2e_page(e2e_browser, live_server):
    """A page in a fresh context. CSP is bypassed so that axe can be injected as a script tag; the pages' own
    compliance with the policy is checked by a test that does not bypass it."""
    context, page = new_page(e2e_browser, live_server, bypass_csp=True)
    yield page
    context.close()


@pytest.fixture
def strict_page(e2e_browser, live_server):
    """A page in a fresh context that enforces the Content-Security-Policy, and the list of console errors
    (CSP violations included) and uncaught exceptions it raises."""
    context, page = new_page(e2e_browser, live_server, bypass_csp=False)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page, errors
    context.close()


@pytest.fixture
def scenario(org, clo_user, hr_user, director_a, employee_a, director_b, employee_b):
    """The personas, plus enough data for every part of every home page to show (tables included)."""
    today = timezone.localdate()
    competency = f.CompetencyFactory(name="Administrative writing")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3)
    f.RequirementFactory(position=employee_b.position, competency=competency, required_level=2)
    f.CurrentLevelFactory(employee=employee_a, competency=competency, level=2)
    session = f.SessionFactory(program=f.ProgramFactory(title="Clear administrative writing"), capacity=12)
    f.EnrolmentFactory(session=session, employee=employee_a)
    f.TrainingNeedFactory(unit=org.unit_a1, submitted_by=director_a, status="submitted")
    plan = f.TrainingPlanFactory(year=today.year, budget=Decimal("150000.00"))
    f.PlanActionFactory(plan=plan, estimated_cost=Decimal("20000.00"))
    learning_plan = f.LearningPlanFactory(
        employee=employee_a, period_start=today - dt.timedelta(days=10), period_end=today + dt.timedelta(days=200)
    )
    f.LearningPlanItemFactory(plan=learning_plan, title="Mentoring with the head of service")
    return org
