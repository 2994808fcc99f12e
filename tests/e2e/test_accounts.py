"""In a real browser: HR's two-step enrolment, the account page, an invitation and its progress, and the invited
person's pages (set a password, a link that cannot be used, the password reset) pass axe and fit every screen."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests import factories as f
from tests.e2e.browser import LOGIN_PATH, axe_check, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
WIDTHS = (390, 1366, 1920)


def _overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def _fits(page) -> None:
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert _overflow(page) <= 0, f"{page.url} scrolls sideways at {width} px"
    page.set_viewport_size({"width": 1280, "height": 900})


def _submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def test_hr_enrols_then_invites_a_unit_and_follows_the_job(e2e_page, scenario, hr_user, settings, eager_tasks):
    settings.MFA_ROLES = ["learning_office", "hr", "data_protection"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for number in range(3):
        f.EmployeeFactory(unit=scenario.unit_a1, first_name="Convidat", last_name=f"Nou {number}")
    f.EmployeeFactory(unit=scenario.unit_a1, first_name="Sense", last_name="Adreça", email="")
    page = e2e_page
    page.goto(LOGIN_PATH)
    page.fill("input[name=username]", hr_user.username)
    page.fill("input[name=password]", f.PASSWORD)
    _submit(page)
    assert "/accounts/two-factor/" in page.url
    assert page.locator("main img[src^='data:image/svg+xml']").count() == 1
    axe_check(page)
    _fits(page)
    device = TOTPDevice.objects.get(user=hr_user)
    page.fill("input[name=token]", f"{totp(device.bin_key):06d}")
    _submit(page, "main form:not([action]) button[type=submit]")
    assert page.locator(".recovery-codes li").count() == 10
    axe_check(page)

    for language in ("ca", "es", "en"):
        switch_language(page, language)
        page.goto("/accounts/people/")
        assert page.locator("#results tbody tr").count() >= 9
        axe_check(page)
        _fits(page)
        page.goto("/accounts/invitations/")
        axe_check(page)
    page.check("input[name=kind][value=unit]")
    page.select_option("select[name=unit]", str(scenario.unit_a.pk))
    _submit(page, "#invite-form button[type=submit]")
    assert "/accounts/invitations/jobs/" in page.url
    page.wait_for_selector("#job-status:has-text('Done')")
    assert "1 invitation could not be sent" in page.inner_text("main")
    axe_check(page)
    _fits(page)
    assert len(mail.outbox) == 3


def test_the_invited_persons_pages_pass_axe(e2e_page, scenario, settings, eager_tasks):
    from clo.accounts import invitations

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    person = f.EmployeeFactory(unit=scenario.unit_a1, language="ca")
    invitations.invitation_job_request(kind="person", employee=person)
    link = re.search(r"(/accounts/invitation/\S+/)", mail.outbox[0].body).group(1)
    page = e2e_page
    page.goto(link)
    axe_check(page)
    _fits(page)
    page.goto(link.replace("/invitation/", "/invitation/").rstrip("/") + "x/")
    assert page.locator("main form button[type=submit]").count() == 1  # "send me a new link"
    axe_check(page)
    _submit(page)
    axe_check(page)
    page.goto("/accounts/password-reset/")
    axe_check(page)
    page.fill("input[name=email]", "nobody@example.org")
    _submit(page)
    axe_check(page)
    page.goto(LOGIN_PATH)
    assert page.locator("a[href='/accounts/password-reset/']").count() == 1
