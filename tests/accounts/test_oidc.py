"""OpenID Connect sign-in against a real provider (django-oauth-toolkit in its own process): the code flow with
PKCE, state and nonce, the link to the staff register, the roles from the provider's groups, refusals, faults."""

from __future__ import annotations

import logging
import time
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from django.contrib.auth.models import Group, User
from django.urls import reverse

from clo.core.roles import CLO, EMPLOYEE, HR
from clo.people.roles import scope_of
from tests.accounts import servers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def at_provider(authorize_url: str, username: str) -> str:
    """A person signs in at the provider's own page; the URL it sends the browser back to (with code and state)."""
    browser = requests.Session()
    response = browser.get(authorize_url, allow_redirects=False, timeout=10)
    assert response.status_code == 302, response.text[:500]
    login_url = requests.compat.urljoin(authorize_url, response.headers["Location"])
    page = browser.get(login_url, timeout=10)
    token = browser.cookies.get("idp_csrftoken")
    query = parse_qs(urlsplit(login_url).query)
    response = browser.post(login_url, data={"csrfmiddlewaretoken": token, "username": username,
                                             "password": servers.PASSWORD, "next": query["next"][0]},
                            headers={"Referer": login_url}, allow_redirects=False, timeout=10)
    assert response.status_code == 302, page.text[:300] + response.text[:500]
    response = browser.get(requests.compat.urljoin(login_url, response.headers["Location"]), allow_redirects=False,
                           timeout=10)
    assert response.status_code == 302, response.text[:500]
    return response.headers["Location"]


def start(client) -> str:
    response = client.get(reverse("accounts:oidc_start"), {"next": "/"})
    assert response.status_code == 302
    return response["Location"]


def sign_in(client, username: str):
    back = at_provider(start(client), username)
    assert back.startswith("http://testserver/accounts/oidc/callback/?")
    return client.get(back.removeprefix("http://testserver"))


def test_the_authorization_request_uses_pkce_state_and_nonce(client, oidc_settings):
    query = parse_qs(urlsplit(start(client)).query)
    assert query["response_type"] == ["code"]
    assert query["code_challenge_method"] == ["S256"] and len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["client_id"] == [servers.CLIENT_ID]


def test_a_person_of_the_register_is_linked_on_first_sign_in_with_the_roles_of_their_groups(
        client, oidc_settings, register):
    response = sign_in(client, "ada")
    assert response.status_code == 302 and response["Location"] == "/"
    ada = register["ada"]
    ada.refresh_from_db()
    assert ada.user is not None and not ada.user.has_usable_password()
    assert scope_of(ada.user).roles == {CLO, EMPLOYEE}
    home = client.get("/")
    assert home.status_code == 200 and home.wsgi_request.user == ada.user
    # a second sign-in reuses the same account
    client.logout()
    sign_in(client, "ada")
    assert User.objects.filter(employee=ada).count() == 1 and User.objects.count() == 1


def test_roles_are_applied_again_at_each_sign_in(client, oidc_settings, register):
    bernat = register["bernat"]
    user = User.objects.create_user("bernat-old", "b@x.example")
    bernat.user = user
    bernat.save(update_fields=["user"])
    user.groups.add(Group.objects.get_or_create(name="learning_office")[0])  # removed at the provider since
    sign_in(client, "bernat")
    user = User.objects.get(pk=user.pk)
    assert set(user.groups.values_list("name", flat=True)) == {"hr"}
    assert HR in scope_of(user).roles and CLO not in scope_of(user).roles


def test_someone_not_in_the_register_gets_a_clear_refusal_a_log_line_and_no_account(
        client, oidc_settings, register, caplog):
    with caplog.at_level(logging.WARNING, logger="clo.security"):
        response = sign_in(client, "stranger")
    assert response.status_code == 403
    assert "not in the staff register" in response.content.decode() and "Human Resources" in response.content.decode()
    assert User.objects.count() == 0
    assert "_auth_user_id" not in client.session
    assert any("sign-in refused" in r.getMessage() and "not_in_register" in r.getMessage() for r in caplog.records)


def test_the_refusal_is_in_the_persons_language(client, oidc_settings, register):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ca"
    response = sign_in(client, "stranger")
    assert "No consteu al registre de personal" in response.content.decode()


def test_a_deactivated_employee_is_refused(client, oidc_settings, register):
    response = sign_in(client, "carme")
    assert response.status_code == 403
    assert "no longer active" in response.content.decode()
    assert User.objects.count() == 0


def test_a_replayed_callback_is_refused_and_logged(client, oidc_settings, register, caplog):
    back = at_provider(start(client), "ada").removeprefix("http://testserver")
    assert client.get(back).status_code == 302
    client.logout()
    with caplog.at_level(logging.WARNING, logger="clo.security"):
        again = client.get(back)
    assert again.status_code == 400
    assert "_auth_user_id" not in client.session
    assert any("sign-in" in r.getMessage() for r in caplog.records)


def forged(provider, **claims) -> str:
    kid = requests.get(f"{provider.url}/.well-known/jwks.json", timeout=5).json()["keys"][0]["kid"]
    now = int(time.time())
    payload = {"iss": provider.url, "aud": servers.CLIENT_ID, "sub": "1", "iat": now, "exp": now + 300,
               "employee_number": "E100", **claims}
    return jwt.encode(payload, provider.key_pem, algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize("claims", [
    {"aud": "another-application"},
    {"iss": "http://127.0.0.1:1/o"},
    {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
], ids=["wrong audience", "wrong issuer", "expired"])
def test_a_token_with_a_wrong_audience_issuer_or_expiry_is_refused_and_logged(
        client, oidc_settings, register, provider, monkeypatch, caplog, claims):
    from clo.accounts.backends import OIDCBackend

    authorize = start(client)
    nonce = parse_qs(urlsplit(authorize).query)["nonce"][0]
    back = at_provider(authorize, "ada").removeprefix("http://testserver")
    token = forged(provider, nonce=nonce, **claims)
    monkeypatch.setattr(OIDCBackend, "get_token", lambda self, payload: {"id_token": token, "access_token": ""})
    with caplog.at_level(logging.WARNING, logger="clo.security"):
        response = client.get(back)
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session and User.objects.count() == 0
    assert any("ID token refused" in r.getMessage() for r in caplog.records)


def test_the_same_forged_token_with_the_right_claims_is_accepted(client, oidc_settings, register, provider,
                                                                  monkeypatch):
    """The control of the test above: only the claim it changes makes the difference."""
    from clo.accounts.backends import OIDCBackend

    authorize = start(client)
    nonce = parse_qs(urlsplit(authorize).query)["nonce"][0]
    back = at_provider(authorize, "ada").removeprefix("http://testserver")
    token = forged(provider, nonce=nonce)
    monkeypatch.setattr(OIDCBackend, "get_token", lambda self, payload: {"id_token": token, "access_token": ""})
    assert client.get(back).status_code == 302
    assert client.session["_auth_user_id"]


def test_logout_ends_the_session_at_the_provider_too(client, oidc_settings, register):
    sign_in(client, "ada")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{oidc_settings.OIDC_ISSUER}/logout/"
    query = parse_qs(target.query)
    assert query["post_logout_redirect_uri"] == ["http://testserver/accounts/login/"] and query["id_token_hint"]
    assert "_auth_user_id" not in client.session


def test_when_the_provider_is_down_the_login_page_says_so_and_the_password_form_still_works(
        client, oidc_settings, employee_a):
    port = servers.spare_port()
    oidc_settings.OIDC_ISSUER = f"http://127.0.0.1:{port}/o"
    oidc_settings.OIDC_DISCOVERY_URL = f"http://127.0.0.1:{port}/o/.well-known/openid-configuration"
    page = client.get(reverse("login")).content.decode()
    assert 'id="sso-unavailable"' in page and "not answering" in page and 'id="sso-button"' not in page
    assert client.get(reverse("accounts:oidc_start")).status_code == 302
    response = client.post(reverse("login"), {"username": employee_a.user.username, "password": "x" * 3})
    assert response.status_code == 200  # the form is there and answers
    from tests import factories as f

    response = client.post(reverse("login"), {"username": employee_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 302


def test_the_login_page_offers_the_organisations_button_when_the_provider_answers(client, oidc_settings):
    page = client.get(reverse("login")).content.decode()
    assert 'id="sso-button"' in page and "Sign in with Ajuntament de Vilamar" in page


@pytest.mark.parametrize("query", [
    {"error": "access_denied", "state": "x"},
    {"code": "made-up", "state": "made-up"},
    {"code": "made-up"},
    {},
    {"state": "\x00" * 3, "code": "<script>"},
], ids=["provider error", "no sign-in under way", "no state", "nothing", "junk"])
def test_a_callback_that_is_not_the_end_of_a_sign_in_under_way_is_refused_and_logged(
        client, oidc_settings, query, caplog):
    with caplog.at_level(logging.WARNING, logger="clo.security"):
        response = client.get(reverse("accounts:oidc_callback"), query)
    assert response.status_code == 400
    assert "could not be completed" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert any("sign-in" in r.getMessage() for r in caplog.records)


def test_a_next_address_on_another_site_is_not_followed_after_sign_in(client, oidc_settings, register):
    response = client.get(reverse("accounts:oidc_start"), {"next": "https://evil.example/"})
    back = at_provider(response["Location"], "ada").removeprefix("http://testserver")
    assert client.get(back)["Location"] == "/"


def test_refused_provider_sign_ins_do_not_lock_out_the_address(client, oidc_settings, register):
    """Refusals at the provider's callback are not password guesses: a council office behind one address, where
    several people not in the register try, keeps signing in (and its password logins are not counted)."""
    from axes.models import AccessAttempt

    for _ in range(oidc_settings.AXES_FAILURE_LIMIT + 1):
        assert sign_in(client, "stranger").status_code == 403
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, "ada").status_code == 302


def test_matching_by_email_when_configured(client, oidc_settings, register):
    oidc_settings.SIGNIN_MATCH_BY = "email"
    ada = register["ada"]
    ada.employee_number = "E100-RENUMBERED"  # the provider still says E100: only the email matches now
    ada.save(update_fields=["employee_number"])
    assert sign_in(client, "ada").status_code == 302
    ada.refresh_from_db()
    assert ada.user is not None


def test_two_active_employees_with_the_same_email_are_refused_when_matching_by_email(
        client, oidc_settings, register, org):
    from tests import factories as f

    oidc_settings.SIGNIN_MATCH_BY = "email"
    f.EmployeeFactory(email="ADA.PUIG@vilamar.example", unit=org.unit_b1)
    response = sign_in(client, "ada")
    assert response.status_code == 403 and "More than one person" in response.content.decode()
    assert User.objects.count() == 0


def test_a_code_the_provider_no_longer_accepts_is_a_refusal_not_an_outage(client, oidc_settings, register,
                                                                         monkeypatch):
    from clo.accounts.backends import OIDCBackend

    back = at_provider(start(client), "ada").removeprefix("http://testserver")
    original = OIDCBackend.get_token
    monkeypatch.setattr(OIDCBackend, "get_token",
                        lambda self, payload: original(self, {**payload, "code": "not-the-code"}))
    response = client.get(back)
    assert response.status_code == 400 and "could not be completed" in response.content.decode()


def test_the_provider_going_down_during_the_sign_in_says_so(client, oidc_settings, register, monkeypatch):
    from clo.accounts.backends import OIDCBackend

    back = at_provider(start(client), "ada").removeprefix("http://testserver")
    closed = f"http://127.0.0.1:{servers.spare_port()}/o/token/"  # nobody listens there
    original = OIDCBackend.get_token

    def get_token(self, payload):
        self.OIDC_OP_TOKEN_ENDPOINT = closed
        return original(self, payload)

    monkeypatch.setattr(OIDCBackend, "get_token", get_token)
    response = client.get(back)
    assert response.status_code == 503 and "not answering" in response.content.decode()
