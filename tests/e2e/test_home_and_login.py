"""In a real browser: log in through the form as each role, see that role's home page, switch language, log out;
axe checks every page visited, in every language."""

from __future__ import annotations

import re

import pytest

from tests.e2e.browser import LOGIN_PATH, axe_check, figure, log_in, log_out, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# username → (section, figure label, value) a person of that role sees on their home page (see ``scenario``).
ROLES = {
    "clo": ("clo", "Active employees", "6"),
    "rrhh": ("hr", "Positions with no requirements", "4"),
    "directora.a": ("director", "People in my units", "2"),  # the director and her employee
    "empleat.a": ("employee", "Name", "Pere Soler Camps"),
}


@pytest.mark.parametrize("username", ROLES)
def test_each_role_logs_in_sees_their_home_and_logs_out(e2e_page, live_server, scenario, username):
    page = e2e_page
    page.goto(LOGIN_PATH)
    axe_check(page)
    log_in(page, username)
    assert page.url == f"{live_server.url}/"
    section, label, value = ROLES[username]
    assert figure(page, section, label) == value
    axe_check(page)  # in English, the browser's language
    for language in ("es", "ca"):
        switch_language(page, language)
        assert page.url == f"{live_server.url}/"
        assert page.get_attribute("html", "lang") == language
        axe_check(page)
    page.emulate_media(color_scheme="dark")  # Pico follows the system's scheme: contrast must hold there too
    axe_check(page)
    log_out(page)
    assert page.url == f"{live_server.url}{LOGIN_PATH}"
    page.goto("/")
    assert page.url.startswith(f"{live_server.url}{LOGIN_PATH}?next=")


def test_director_sees_only_their_people(e2e_page, scenario):
    log_in(e2e_page, "director.b")
    text = e2e_page.locator("main").inner_text()
    assert "Anna Pujol Sala" in text  # their own person with a gap
    assert "Soler Camps" not in text and "Roig Font" not in text


def test_wrong_password_shows_an_error_next_to_the_form(e2e_page, scenario):
    e2e_page.goto(LOGIN_PATH)
    e2e_page.fill("input[name=username]", "empleat.a")
    e2e_page.fill("input[name=password]", "not-the-password")
    with e2e_page.expect_navigation():
        e2e_page.click("main form button[type=submit]")
    alert = e2e_page.locator("[role=alert]")
    assert re.search("correct username and password", alert.inner_text())
    assert e2e_page.get_attribute("input[name=username]", "aria-describedby") == alert.get_attribute("id")
    axe_check(e2e_page)


def test_language_switch_sets_html_lang_and_the_switcher(e2e_page, live_server, db):
    """Switching language changes <html lang>, the switcher's selected value and the page's text, on the login page
    (before logging in), and the user stays on the page they were on."""
    page = e2e_page
    page.goto(f"{LOGIN_PATH}?next=/")
    assert page.get_attribute("html", "lang") == "en"  # from the browser's Accept-Language
    axe_check(page)
    headings = {"es": "Iniciar sesión", "ca": "Inicia la sessió", "en": "Log in"}
    for language in ("es", "ca", "en"):
        switch_language(page, language)
        assert page.url == f"{live_server.url}{LOGIN_PATH}?next=/"
        assert page.get_attribute("html", "lang") == language
        assert page.input_value("#language-select") == language
        assert page.inner_text("h1") == headings[language]
        axe_check(page)


def test_pages_respect_the_content_security_policy(strict_page, live_server, scenario):
    """Without bypassing CSP: no violation reported, and htmx (vendored, deferred) loads and runs."""
    page, errors = strict_page
    response = page.goto(LOGIN_PATH)
    assert "script-src 'self'" in response.headers.get("content-security-policy", "")
    log_in(page, "directora.a")
    assert page.url == f"{live_server.url}/"
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("() => htmx.config.allowEval") is False
    switch_language(page, "es")
    assert not errors, errors


def test_axe_check_reports_violations(e2e_page, db):
    """The helper is not vacuous: a page with an unlabelled image fails it, naming the rule and the element."""
    e2e_page.goto(LOGIN_PATH)
    e2e_page.evaluate("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/x.png\">')")
    with pytest.raises(pytest.fail.Exception) as failure:
        axe_check(e2e_page)
    assert "image-alt" in str(failure.value) and "img" in str(failure.value)
