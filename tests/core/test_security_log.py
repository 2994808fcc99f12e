"""The "clo.security" log: failed logins, lockouts, refused accesses, CSRF failures and oversized requests, one
WARNING line each with who, from where, the method and the path, and never a password."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def security_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "clo.security" and r.levelno == logging.WARNING]


@pytest.fixture
def caplog(caplog):
    caplog.set_level(logging.WARNING, logger="clo.security")
    return caplog


def test_a_failed_login_is_logged_with_username_and_address_but_no_password(client, caplog, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = f.UserFactory(username="marta.gene")
    user.set_password("the-right-one-123")
    user.save()
    client.post(reverse("login"), {"username": "marta.gene", "password": "S3cret-typo!"}, REMOTE_ADDR="10.1.2.3")
    (line,) = security_lines(caplog)
    assert line.startswith("login failed user=- ip=10.1.2.3 method=POST path='/accounts/login/'")
    assert "username='marta.gene'" in line and "S3cret" not in line and "\n" not in line

    caplog.clear()
    client.post(reverse("login"), {"username": "marta.gene", "password": "S3cret-typo!"}, REMOTE_ADDR="10.1.2.3")
    lines = security_lines(caplog)
    assert any(line.startswith("login locked out ") and "username='marta.gene'" in line for line in lines)
    assert not any("S3cret" in line for line in lines)


def test_a_username_with_a_line_break_stays_on_one_line(client, caplog):
    client.post(reverse("login"), {"username": "eve\nlogin ok user=1", "password": "x"})
    (line,) = security_lines(caplog)
    assert "\n" not in line and "username='eve\\nlogin ok user=1'" in line


def test_a_refused_page_is_logged_with_the_user_id_path_and_method(outsider_client, director_b, employee_a, caplog):
    url = reverse("programs:training_record", args=[employee_a.pk])
    assert outsider_client.post(url, HTTP_HX_REQUEST="true").status_code in (403, 404, 405)
    assert outsider_client.get(url).status_code == 404
    lines = security_lines(caplog)
    assert f"access refused status=404 user={director_b.user_id} ip=127.0.0.1 method=GET path='{url}'" in lines


def test_anonymous_redirects_and_allowed_pages_are_not_logged(client, employee_a_client, caplog):
    Client().get(reverse("programs:catalogue"))
    assert employee_a_client.get(reverse("programs:catalogue")).status_code == 200
    assert security_lines(caplog) == []


def test_a_csrf_failure_is_logged_and_explained(employee_a, caplog, english):
    browser = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    browser.force_login(employee_a.user)
    response = browser.post(reverse("programs:my_training"), {})
    assert response.status_code == 403
    assert "The form has expired" in response.content.decode()
    (line,) = security_lines(caplog)
    assert line.startswith(f"csrf failure user={employee_a.user_id} ip=127.0.0.1 method=POST path='/training/'")


def test_a_request_over_the_upload_limit_is_refused_before_it_is_read(employee_a_client, caplog, settings, english):
    settings.UPLOAD_MAX_BYTES = 1024
    response = employee_a_client.post(reverse("programs:my_training"), {"data": "x" * 2048})
    assert response.status_code == 413
    assert "The file is too large" in response.content.decode()
    assert any(line.startswith("request too large ") and "bytes=" in line for line in security_lines(caplog))
