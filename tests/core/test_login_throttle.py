"""Login throttling (django-axes): a username tried too often from one address is locked out for a while."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def limits(settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=15)
    return settings


@pytest.fixture
def member(db):
    user = f.UserFactory(username="marta.gene")
    user.set_password(PASSWORD)
    user.save()
    return user


def attempt(client, username, password, address="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_a_correct_password_logs_in_and_a_wrong_one_says_so(client, member, limits, english):
    response = attempt(client, "marta.gene", "wrong")
    assert response.status_code == 200 and "Please enter a correct username and password" in response.content.decode()
    assert attempt(client, "marta.gene", PASSWORD).status_code == 302 and logged_in(client)


def test_too_many_failures_lock_the_username_out_until_the_cool_off_ends(client, member, limits, english):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        for _ in range(2):
            assert attempt(client, "marta.gene", "wrong").status_code == 200
        locked = attempt(client, "marta.gene", "wrong")
        assert locked.status_code == 429
        page = locked.content.decode()
        assert "Too many failed attempts" in page and "Try again in 15 minutes" in page
        assert 'href="/accounts/login/"' in page

        traveller.shift(dt.timedelta(minutes=10))
        refused = attempt(client, "marta.gene", PASSWORD)  # the right password does not open a locked account
        assert refused.status_code == 429 and not logged_in(client)

        traveller.shift(dt.timedelta(minutes=6))  # 16 minutes after the last counted failure
        assert attempt(client, "marta.gene", PASSWORD).status_code == 302 and logged_in(client)


def test_the_lockout_touches_neither_other_users_nor_other_addresses(client, member, limits, english):
    other = f.UserFactory(username="joan.bosch")
    other.set_password(PASSWORD)
    other.save()
    for _ in range(3):
        attempt(client, "marta.gene", "wrong")
    assert attempt(client, "marta.gene", PASSWORD).status_code == 429
    assert attempt(client, "joan.bosch", PASSWORD).status_code == 302 and logged_in(client)
    client.logout()
    assert attempt(client, "marta.gene", PASSWORD, address="10.0.0.8").status_code == 302 and logged_in(client)


def test_the_lockout_page_is_in_catalan_by_default(client, member, limits):
    for _ in range(3):
        response = attempt(client, "marta.gene", "wrong")
    assert response.status_code == 429
    assert 'lang="ca"' in response.content.decode()


def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, member, limits, settings):
    settings.CLO_TRUSTED_PROXIES = 1
    for _ in range(3):
        client.post(reverse("login"), {"username": "marta.gene", "password": "wrong"},
                    REMOTE_ADDR="172.18.0.1", HTTP_X_FORWARDED_FOR="203.0.113.5")
    proxied = {"REMOTE_ADDR": "172.18.0.1"}
    locked = client.post(reverse("login"), {"username": "marta.gene", "password": PASSWORD}, **proxied,
                         HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert locked.status_code == 429
    other = client.post(reverse("login"), {"username": "marta.gene", "password": PASSWORD}, **proxied,
                        HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9")
    assert other.status_code == 302


# --- One address trying many usernames (password spraying) ------------------------------------------------------


@pytest.fixture
def address_limit(limits):
    limits.CLO_LOGIN_ADDRESS_FAILURE_LIMIT = 30
    return limits


def test_one_password_sprayed_over_many_usernames_locks_the_address_out(client, member, address_limit, english):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        answers = [attempt(client, f"person.{n:02d}", "Summer2026!").status_code for n in range(40)]
        assert answers[:29] == [200] * 29  # each username failed once: the per-user limit (3) is never reached
        assert set(answers[29:]) == {429}  # the 30th failure from the address locks it, whatever the username
        locked = attempt(client, "marta.gene", PASSWORD)  # a real account and its right password: refused too
        assert locked.status_code == 429 and not logged_in(client)
        page = locked.content.decode()
        assert "Too many failed logins came from this device" in page and "Try again in 15 minutes" in page

        assert attempt(client, "marta.gene", PASSWORD, address="10.0.0.8").status_code == 302  # other addresses
        client.logout()

        traveller.shift(dt.timedelta(minutes=16))  # the cool-off has passed since the last counted failure
        assert attempt(client, "marta.gene", PASSWORD).status_code == 302 and logged_in(client)


def test_the_address_lockout_page_is_translated(client, member, address_limit):
    address_limit.CLO_LOGIN_ADDRESS_FAILURE_LIMIT = 4
    for n in range(4):
        response = attempt(client, f"person.{n}", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert 'lang="ca"' in page and "Massa inicis de sessió fallits des d'aquest dispositiu" in page


def test_the_per_user_lockout_still_comes_first(client, member, address_limit, english):
    for _ in range(2):
        assert attempt(client, "marta.gene", "wrong").status_code == 200
    locked = attempt(client, "marta.gene", "wrong")
    assert locked.status_code == 429
    assert "After 3 failed attempts, logging in with this username" in locked.content.decode()
    assert attempt(client, "joan.bosch", "wrong").status_code == 200  # the address is far from its own limit


def _page_without(response, username: str) -> str:
    """The page, without what differs between any two answers: the username typed, the CSRF token."""
    import re

    page = response.content.decode().replace(username, "USERNAME")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", page)


def test_unknown_and_known_usernames_get_the_same_answers(client, member, limits, english):
    known = [attempt(client, "marta.gene", "wrong") for _ in range(3)]
    client.cookies.clear()
    unknown = [attempt(client, "nobody.here", "wrong") for _ in range(3)]
    for a, b in zip(known, unknown):
        assert a.status_code == b.status_code
        assert _page_without(a, "marta.gene") == _page_without(b, "nobody.here")
    assert [r.status_code for r in known] == [200, 200, 429]
    # locked: the right password of the known user and any password of the unknown one get the same page
    after_known = attempt(client, "marta.gene", PASSWORD)
    after_unknown = attempt(client, "nobody.here", PASSWORD)
    assert after_known.status_code == after_unknown.status_code == 429
    assert _page_without(after_known, "marta.gene") == _page_without(after_unknown, "nobody.here")
