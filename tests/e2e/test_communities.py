"""In a real browser: the learning office creates a community of practice (after a link that is not https://), an
employee asks to join, the coordinator refuses without a reason (the error at the field), then accepts, plans a
meeting, enrols the members, records who came and adds a resource; the competency's page shows the resource, and the
coordinator takes it off again. axe checks every page visited, in Catalan, Spanish and English."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clo.talent.models import Community, Membership
from programs.models import Enrolment, Session
from tests import factories as f
from tests.e2e.browser import axe_check, log_in, log_out, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def axe_in_every_language(page) -> None:
    for language in ("ca", "es", "en"):  # ends in English, as the test reads the page
        switch_language(page, language)
        assert page.get_attribute("html", "lang") == language
        axe_check(page)


def test_create_join_meet_and_share_a_resource(e2e_page, live_server, scenario, director_a, employee_a,
                                               eager_tasks, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    competency = f.CompetencyFactory(name="Redacció clara")
    page = e2e_page
    log_in(page, "clo")
    page.goto("/communities/new/")
    axe_in_every_language(page)
    page.fill("#id_name", "Escriure clar")
    page.fill("#id_description", "We share how we write letters people understand.")
    page.select_option("#id_competencies", str(competency.pk))
    page.select_option("#id_unit", str(scenario.unit_a.pk))
    page.check("input[name=joining][value=request]")
    page.fill("#id_tool_url", "http://teams.example.cat/escriure")
    page.fill("#id_coordinators", director_a.employee_number)
    page.check("#id_published")
    page.click("button:has-text('Save')")
    page.locator(".field-errors:has-text('https://')").wait_for()
    axe_check(page)
    page.fill("#id_tool_url", "https://teams.example.cat/escriure")
    page.click("button:has-text('Save')")
    page.locator("h1:has-text('Escriure clar')").wait_for()
    page.goto("/communities/")
    axe_in_every_language(page)
    log_out(page)

    community = Community.objects.get(name="Escriure clar")
    log_in(page, "empleat.a")
    page.goto(f"/communities/{community.pk}/")
    page.click("button:has-text('Ask to join')")
    page.locator("#community-body:has-text('waiting for a coordinator')").wait_for()
    axe_in_every_language(page)
    log_out(page)

    log_in(page, "directora.a")
    page.goto(f"/communities/{community.pk}/")
    page.check("input[value=refuse]")
    page.click("button:has-text('Answer')")
    page.locator(".field-errors:has-text('Say why you refuse')").wait_for()
    axe_check(page)
    page.check("input[value=approve]")
    page.click("button:has-text('Answer')")
    page.locator("#community-body:has-text('2 members')").wait_for()
    assert Membership.objects.get(employee=employee_a).status == "member"
    axe_in_every_language(page)

    page.click("a:has-text('Plan a meeting')")
    axe_in_every_language(page)
    day = timezone.localdate() + dt.timedelta(days=6)
    page.fill("#id_date", day.isoformat())
    page.fill("#id_starts", "10:00")
    page.fill("#id_ends", "12:00")
    page.fill("#id_place", "Sala 3")
    page.click("button:has-text('Plan the meeting')")
    page.locator("button:has-text('Enrol all members')").wait_for()
    page.click("button:has-text('Enrol all members')")
    page.locator("#community-body td:has-text('2 / 30')").wait_for()
    meeting = Session.objects.get(program=community.program)
    page.goto(f"/communities/{community.pk}/meetings/{meeting.pk}/attendance/")
    axe_in_every_language(page)
    page.check(f"input[name=attended][value='{Enrolment.objects.get(employee=employee_a, session=meeting).pk}']")
    page.click("button:has-text('Record attendance')")
    page.locator("h1:has-text('Escriure clar')").wait_for()
    assert Enrolment.objects.get(employee=employee_a, session=meeting).hours_attended == 2

    page.click("a:has-text('Add a resource')")
    axe_in_every_language(page)
    page.select_option("#id_competency", str(competency.pk))
    page.fill("#id_level", "2")
    page.fill("#id_title", "Plain letters guide")
    page.fill("#id_url", "https://example.cat/guia")
    page.click("button:has-text('Add the resource')")
    page.locator("#community-body:has-text('Plain letters guide')").wait_for()
    page.click("a:has-text('Redacció clara')")
    page.locator("h1:has-text('Redacció clara')").wait_for()
    assert "Plain letters guide" in page.locator("main").inner_text()
    axe_in_every_language(page)

    # the coordinator takes the resource off again: a question first, then it is gone from the community's page
    page.goto(f"/communities/{community.pk}/")
    page.get_by_role("link", name="Remove Plain letters guide").click()
    page.locator("h1:has-text('Remove a resource')").wait_for()
    axe_in_every_language(page)
    page.click("button:has-text('Remove the resource')")
    page.locator("h1:has-text('Escriure clar')").wait_for()
    assert "Plain letters guide" not in page.locator("#community-body").inner_text()
