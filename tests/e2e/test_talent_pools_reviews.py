"""In a real browser, in Catalan, Spanish and English: HR opens a critical position's successor pool, a talent
review, its calibration session and its 9-box (the table behind the toggle opens without JavaScript's help);
axe checks every page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clo.talent.models import Successor
from clo.talent.services import reviews as review_services
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_pool_review_calibration_and_nine_box_pass_axe(e2e_page, live_server, scenario, org, clo_user,
                                                        employee_a, director_a):
    framework = f.FrameworkFactory()
    competency = f.CompetencyFactory(area=f.AreaFactory(framework=framework), framework=framework)
    position = f.PositionFactory(unit=org.unit_a, is_critical=True, title="Cap d'Educació")
    f.RequirementFactory(position=position, competency=competency, required_level=3, is_critical=True)
    f.CurrentLevelFactory(employee=employee_a, competency=competency, level=2)
    Successor.objects.create(position=position, employee=director_a)
    review = review_services.talent_review_open(name="Revisió 2026", unit=org.unit_a, by=clo_user)
    review_services.potential_rate(review=review, employee=employee_a, potential="high", by=director_a.user)
    review_services.talent_review_set_status(review=review, status="calibrating")
    pages = [reverse("talent:successor_pool", args=[position.pk]), reverse("talent:review_list"),
             reverse("talent:review_detail", args=[review.pk]), reverse("talent:review_calibration", args=[review.pk]),
             reverse("talent:nine_box", args=[review.pk])]
    page = e2e_page
    log_in(page, "rrhh")
    for language in ("ca", "es", "en"):
        switch_language(page, language)
        for path in pages:
            page.goto(live_server.url + path)
            axe_check(page)
        page.click("details.chart-data summary")
        assert employee_a.full_name not in page.locator("svg.nine-box").inner_html()
        assert page.locator("#nine-box-table").is_visible()
        axe_check(page)
