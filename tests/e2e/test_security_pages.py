"""In a real browser: the lockout page after too many failed logins reads well and passes axe, in English and in
Catalan, and it tells how long to wait."""

from __future__ import annotations

import pytest

from tests.e2e.browser import LOGIN_PATH, axe_check, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def fail_login(page, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "not-the-password")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_too_many_failed_logins_show_the_lockout_page(e2e_page, scenario, settings):
    settings.AXES_FAILURE_LIMIT = 3
    page = e2e_page
    page.goto(LOGIN_PATH)
    for _ in range(3):
        fail_login(page, "empleat.a")
        if page.locator("h1").inner_text() != "Log in":
            break
    assert page.inner_text("h1") == "Too many failed attempts"
    assert "Try again in 15 minutes" in page.inner_text("main")
    assert page.locator("[role=alert]").count() == 1
    axe_check(page)
    page.click("text=Back to the login page")
    assert page.url.endswith(LOGIN_PATH)
    switch_language(page, "ca")
    fail_login(page, "empleat.a")  # still locked: the right password would be refused too
    assert page.get_attribute("html", "lang") == "ca"
    axe_check(page)
