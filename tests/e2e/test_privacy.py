"""In a real browser: HR filters the audit trail by person and reads a change in words; the employee finds
"Download my data" on their page and downloads the JSON; the data-protection officer opens the retention page.
axe checks every page visited."""

from __future__ import annotations

import json

import pytest
from auditlog.context import set_actor
from django.contrib.auth.models import Group

from clo.core.retention import retention_run
from clo.people import services as people_services
from tests import factories as f
from tests.e2e.browser import axe_check, go_to, log_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_audit_my_data_and_retention_pages(e2e_page, live_server, scenario, employee_a, clo_user, employee_b):
    with set_actor(clo_user):
        people_services.employee_change_position(employee=employee_a, position=f.PositionFactory(title="Tècnica"))
    page = e2e_page
    log_in(page, "rrhh")
    go_to(page, "Audit trail")
    assert page.locator("h1").inner_text() == "Audit trail"
    axe_check(page)
    page.fill("#id_person", employee_a.employee_number)
    page.click("#audit-filters button[type=submit]")
    page.wait_for_url("**person=*")
    table = page.locator("#audit-table")
    assert "Tècnica" in table.inner_text() and "Position" in table.inner_text()
    axe_check(page)
    page.click("text=Reads of personal data")
    assert "Nothing recorded" in page.locator("#audit-results").inner_text()
    axe_check(page)

    page.context.clear_cookies()
    log_in(page, "empleat.a")
    page.click("#my-data-link")
    assert page.locator("h1").inner_text() == "Download my data"
    axe_check(page)
    with page.expect_download() as info:
        page.click("text=JSON, for other programs")
    data = json.loads(open(info.value.path(), encoding="utf-8").read())
    assert data["employee_number"] == employee_a.employee_number

    retention_run()
    employee_b.user.groups.add(Group.objects.get_or_create(name="data_protection")[0])
    page.context.clear_cookies()
    log_in(page, "empleat.b")
    go_to(page, "Data retention")
    assert "Assessments and ratings" in page.locator("#blocked-table").inner_text()
    axe_check(page)
    page.emulate_media(color_scheme="dark")
    axe_check(page)
