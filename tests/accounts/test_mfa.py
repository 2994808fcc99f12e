"""Two-factor sign-in: HR, the learning office and data protection, signing in with a local password, enrol an
authenticator (QR code drawn server-side) or give a code before reaching any page; recovery codes work once."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from clo.accounts.models import SignIn
from tests import factories as f

pytestmark = pytest.mark.django_db
HOME = reverse("home")


@pytest.fixture(autouse=True)
def _two_factor(settings):
    """The default of MFA_ROLES (the other tests turn it off)."""
    settings.MFA_ROLES = ["learning_office", "hr", "data_protection"]


def _password_login(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": f.PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def _code(user) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _enrol(client, user) -> list[str]:
    client.get(reverse("accounts:mfa_enrol"))
    response = client.post(reverse("accounts:mfa_enrol"), {"token": _code(user), "next": HOME})
    assert response.status_code == 200
    return list(response.context["codes"])


def test_hr_enrols_with_a_qr_code_before_reaching_any_page(client, hr_user, english):
    _password_login(client, hr_user)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:mfa_enrol"))
    assert client.get(reverse("accounts:account_list")).status_code == 302  # every page, not just home
    page = client.get(reverse("accounts:mfa_enrol"))
    body = page.content.decode()
    assert page.status_code == 200 and 'src="data:image/svg+xml' in body and "<script>" not in body
    assert page.context["secret"].replace(" ", "")  # the key to type instead of scanning

    wrong = client.post(reverse("accounts:mfa_enrol"), {"token": "000000"})
    assert wrong.status_code == 422 and "This code is not right" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):  # past the wait after a failure
        codes = _enrol(client, hr_user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(HOME).status_code == 200
    assert SignIn.objects.get(user=hr_user).method == "local"


def test_the_next_sign_in_asks_for_a_code_and_a_recovery_code_works_once(client, hr_user, english):
    _password_login(client, hr_user)
    codes = _enrol(client, hr_user)
    client.post(reverse("logout"))

    _password_login(client, hr_user)
    assert client.get(HOME)["Location"].startswith(reverse("accounts:mfa_verify"))
    wrong = client.post(reverse("accounts:mfa_verify"), {"token": "12345678"})
    assert wrong.status_code == 422 and "This code is not right" in wrong.content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=5), tick=True):  # past the wait after a failure
        ok = client.post(reverse("accounts:mfa_verify"), {"token": codes[0], "next": HOME})
        assert ok.status_code == 302 and ok["Location"] == HOME
        assert client.get(HOME).status_code == 200
        client.post(reverse("logout"))

    _password_login(client, hr_user)
    used = client.post(reverse("accounts:mfa_verify"), {"token": codes[0]})
    assert used.status_code == 422  # a recovery code works once
    assert client.get(HOME).status_code == 302


def test_an_htmx_request_of_an_unverified_session_is_sent_to_the_code_page(client, hr_user):
    _password_login(client, hr_user)
    response = client.get(reverse("accounts:account_list"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"].startswith(reverse("accounts:mfa_enrol"))


def test_employees_and_roles_outside_the_setting_sign_in_with_a_password_only(client, employee_a, hr_user, settings):
    _password_login(client, employee_a.user)
    assert client.get(HOME).status_code == 200
    assert client.get(reverse("accounts:mfa_enrol")).status_code == 404
    client.post(reverse("logout"))
    settings.MFA_ROLES = ["learning_office"]
    _password_login(client, hr_user)
    assert client.get(HOME).status_code == 200


def test_a_sign_in_without_a_local_password_is_not_asked_for_a_code(client, hr_user):
    """Single sign-on and LDAP users are left to their identity provider (here: a session opened by a backend)."""
    for backend in ("clo.accounts.backends.OIDCBackend", "clo.accounts.backends.DirectoryBackend"):
        client.force_login(hr_user, backend=backend)
        assert client.get(HOME).status_code == 200, backend
        client.logout()


def test_wrong_codes_are_throttled(client, hr_user, english):
    _password_login(client, hr_user)
    _enrol(client, hr_user)
    client.post(reverse("logout"))
    _password_login(client, hr_user)
    for _ in range(3):
        client.post(reverse("accounts:mfa_verify"), {"token": "000000"})
    # the right code is refused while the wait after the failures runs
    refused = client.post(reverse("accounts:mfa_verify"), {"token": _code(hr_user)})
    assert refused.status_code == 422 and "too many wrong codes" in refused.content.decode()


def test_the_default_roles_are_the_learning_office_hr_and_data_protection_in_production():
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "MFA_ROLES"}
    env.update(DJANGO_ENV="production", DJANGO_SECRET_KEY="x" * 64, DJANGO_ALLOWED_HOSTS="clo.example")
    code = "import django; django.setup(); from django.conf import settings; print(','.join(settings.MFA_ROLES))"
    out = subprocess.run([sys.executable, "-c", code], env={**env, "DJANGO_SETTINGS_MODULE": "clo.settings"},
                         capture_output=True, text=True, check=True).stdout.strip()
    assert out == "learning_office,hr,data_protection"
    off = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**env, "DJANGO_SETTINGS_MODULE": "clo.settings", "MFA_ROLES": ""}).stdout.strip()
    assert off == ""
    demo = {k: v for k, v in env.items() if k not in ("DJANGO_ENV", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS")}
    embedded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env={**demo, "DJANGO_SETTINGS_MODULE": "clo.settings"}).stdout.strip()
    assert embedded == "", "the demo's accounts (make run) sign in with their password alone"
