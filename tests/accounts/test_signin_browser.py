"""In a real browser, against the real OpenID Connect provider: the "Sign in with <organisation>" button, the
provider's own sign-in page, and back on clo's home page with the role the provider's groups give; a person who is
not in the staff register and a deactivated one are refused with a clear page. axe checks every clo page seen."""

from __future__ import annotations

import pytest

from tests.accounts import servers
from tests.e2e.browser import LOGIN_PATH, axe_check
from tests.e2e.test_layout import WIDTHS, overflow
from tests.e2e.conftest import chromium_executable, e2e_browser, e2e_page  # noqa: F401 - the browser fixtures

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def sso(page, live_server, username: str) -> None:
    page.goto(LOGIN_PATH)
    axe_check(page)
    with page.expect_navigation():
        page.click("#sso-button")
    assert page.locator("h1").inner_text() == "Test identity provider"  # the provider's page, not clo's
    page.fill("#idp-username", username)
    page.fill("#idp-password", servers.PASSWORD)
    page.click("#idp-submit")
    page.wait_for_url(lambda url: url.startswith(live_server.url))  # back from the provider (and its redirects)
    page.wait_for_load_state()


def test_a_person_of_the_register_signs_in_with_the_organisations_button_and_lands_home_with_their_role(
        e2e_page, live_server, oidc_settings, register):
    sso(e2e_page, live_server, "ada")
    assert e2e_page.url == f"{live_server.url}/"
    assert e2e_page.locator("#section-clo").count() == 1  # the learning office's home, from the group CLO-Formacio
    axe_check(e2e_page)


@pytest.mark.parametrize("username, says", [
    ("stranger", "not in the staff register"),
    ("carme", "no longer active"),
])
def test_someone_not_in_the_register_or_deactivated_is_refused_clearly(
        e2e_page, live_server, oidc_settings, register, username, says):
    sso(e2e_page, live_server, username)
    assert e2e_page.url.startswith(f"{live_server.url}/accounts/oidc/callback/")
    assert says in e2e_page.locator("#signin-refused [role=alert]").inner_text()
    axe_check(e2e_page)
    e2e_page.goto("/")
    assert e2e_page.url.startswith(f"{live_server.url}{LOGIN_PATH}?next=")  # not signed in


def test_the_login_page_says_when_the_provider_is_down_and_keeps_the_form(e2e_page, oidc_settings, db):
    oidc_settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{servers.spare_port()}/o/.well-known/openid-configuration"
    e2e_page.goto(LOGIN_PATH)
    assert "not answering" in e2e_page.locator("#sso-unavailable").inner_text()
    assert e2e_page.locator("input[name=password]").count() == 1
    axe_check(e2e_page)


def test_the_break_glass_page_passes_axe(e2e_page, settings, db):
    settings.AUTH_LOCAL_LOGIN = False
    e2e_page.goto("/accounts/local-login/")
    assert e2e_page.locator("input[name=password]").count() == 1
    axe_check(e2e_page)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_sign_in_pages_fit_every_width(e2e_page, live_server, oidc_settings, register, width):
    e2e_page.set_viewport_size({"width": width, "height": 900})
    e2e_page.goto(LOGIN_PATH)
    assert overflow(e2e_page) <= 0, f"the login page scrolls sideways at {width} px"
    sso(e2e_page, live_server, "stranger")
    assert overflow(e2e_page) <= 0, f"the refusal page scrolls sideways at {width} px"
