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
