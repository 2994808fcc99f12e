"""In a real browser: the three funding pages of an annual plan (the application, the execution follow-up and the
justification), and the choice of the kind of plan, pass axe in Catalan, Spanish and English and do not scroll
sideways on a 390 px phone (their wide tables scroll inside their own region)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from programs.models import Enrolment
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = 2026
PHONE = 390
PAGES = ("", "execution/", "justification/", "kind/")


@pytest.fixture
def funded_plan(org, clo_user, employee_a, employee_b):
    """A grouped plan of 2026 with an action per funding source, one of them delivered and completed by two people
    (one below the attendance threshold), long titles and entity names included."""
    plan = f.TrainingPlanFactory(year=YEAR, status="approved", funding_kind="grouped", funding_entities=[
        {"name": "Consell Comarcal de la Garrotxa i de les Valls d'en Bas", "staff": 120},
        {"name": "Ajuntament de Santa Pau", "staff": 85}])
    program = f.ProgramFactory(code="P-CONTRACTACIO", title="Contractació pública i gestió de contractes menors",
                               hours=Decimal("10"), cost=Decimal("100"))
    f.PlanActionFactory(plan=plan, program=program, title="Contractació pública i gestió de contractes menors",
                        funding="afedap", planned_editions=2, estimated_cost=Decimal("1200"),
                        estimated_hours=Decimal("20"), estimated_participants=12,
                        planned_by_group={"A1": 4, "C1": 8}, collective="Personal administratiu i tècnic",
                        granted_amount=Decimal("1000"), incurred_cost=Decimal("900"))
    f.PlanActionFactory(plan=plan, title="Atenció a la ciutadania en situacions de conflicte", funding="own",
                        estimated_cost=Decimal("800"), estimated_hours=Decimal("8"), estimated_participants=30)
    starts = timezone.make_aware(dt.datetime(YEAR, 3, 10, 9))
    session = f.SessionFactory(program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=2),
                               status="finished")
    for employee, hours in ((employee_a, "10"), (employee_b, "6")):
        f.EnrolmentFactory(session=session, employee=employee, status=Enrolment.Status.COMPLETED,
                           hours_attended=Decimal(hours), completed_on=starts.date())
    return plan


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def test_the_funding_pages_pass_axe_and_fit_a_phone_in_every_language(e2e_page, live_server, funded_plan, clo_user):
    page = e2e_page
    log_in(page, clo_user.username)
    for language in ("ca", "es", "en"):
        switch_language(page, language)
        for path in PAGES:
            page.set_viewport_size({"width": 1280, "height": 900})
            page.goto(f"/plan/{YEAR}/funding/{path}")
            assert page.get_attribute("html", "lang") == language
            assert page.locator("main h1").count() == 1, path
            axe_check(page)
            page.set_viewport_size({"width": PHONE, "height": 800})
            assert overflow(page) <= 0, f"{page.url} scrolls sideways at {PHONE} px by {overflow(page)} px"
            axe_check(page)
        page.goto(f"/plan/{YEAR}/funding/")
        assert "Santa Pau (85)" in page.inner_text("#funding-applicant")
