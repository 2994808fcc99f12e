"""In a real browser, in Catalan, Spanish and English: the succession pages (critical positions, a position, its
criticality form with an error, the knowledge-at-risk map loaded on the dashboard and its people, bench strength)
pass axe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clo.talent.services.succession import knowledge_risk_rebuild
from tests import factories as f
from tests.e2e.browser import axe_check, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def succession(org, clo_user, director_a, employee_a):
    framework = f.FrameworkFactory(code="SUC", name="Marc tècnic")
    competency = f.CompetencyFactory(framework=framework, area=f.AreaFactory(framework=framework), code="LIC",
                                     name="Llicències urbanístiques")
    position = f.PositionFactory(code="CAP-LIC", title="Cap de llicències", unit=org.unit_a1, is_critical=True,
                                 criticality=3, critical_reason="Únic expert")
    f.RequirementFactory(position=position, competency=competency, required_level=3, is_critical=True)
    holder = f.EmployeeFactory(unit=org.unit_a1, position=position, first_name="Rosa", last_name="Expert Gran",
                               hire_date=dt.date(1990, 1, 1),
                               expected_retirement_date=timezone.localdate() + dt.timedelta(days=400))
    f.CurrentLevelFactory(employee=holder, competency=competency, level=4, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    knowledge_risk_rebuild()
    return {"org": org, "position": position, "competency": competency}


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_succession_pages_pass_axe(e2e_page, live_server, succession, language):
    page = e2e_page
    page.set_extra_http_headers({"Accept-Language": language})
    log_in(page, "clo")
    position, unit = succession["position"], succession["org"].unit_a
    page.goto("/succession/positions/")
    axe_check(page)
    page.goto(f"/succession/positions/{position.pk}/")
    axe_check(page)
    page.goto(f"/succession/positions/{position.pk}/criticality/")
    page.select_option("select[name=criticality]", "")
    page.fill("textarea[name=critical_reason]", "x")
    page.click("#flag-form button[type=submit]")
    page.wait_for_selector("#flag-form .form-errors")
    axe_check(page)
    page.goto("/dashboards/learning-office/")
    page.wait_for_selector("#risk-map-table")  # loaded after the board
    page.wait_for_selector("#bench-groups")
    axe_check(page)
    page.goto(f"/succession/knowledge-at-risk/?unit={unit.pk}")
    axe_check(page)
    page.goto(f"/succession/knowledge-at-risk/{unit.pk}/{succession['competency'].pk}/")
    assert "Rosa Expert Gran" in page.content()
    axe_check(page)
    page.goto("/succession/bench-strength/")
    axe_check(page)
    page.goto("/succession/settings/")
    axe_check(page)
    page.click("#readiness-new button[type=submit]")  # nothing filled in: the errors come back in place (htmx)
    page.wait_for_selector("#readiness-new .form-errors")
    axe_check(page)
