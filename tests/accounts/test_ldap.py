"""LDAP / Active Directory sign-in against a real OpenLDAP server (slapd, started by the fixtures): user search,
bind as the user, group search for the roles, the link to the staff register, and a directory that does not
answer."""

from __future__ import annotations

import logging
import socket
import time

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from clo.core.roles import CLO, EMPLOYEE, HR
from clo.people.roles import scope_of
from tests.accounts import servers

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def log_in(client, username: str, password: str = servers.PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_person_of_the_register_signs_in_with_their_directory_password_and_gets_their_roles(
        client, ldap_settings, register):
    response = log_in(client, "ada")
    assert response.status_code == 302 and response["Location"] == "/"
    ada = register["ada"]
    ada.refresh_from_db()
    assert ada.user is not None and not ada.user.has_usable_password()
    assert scope_of(ada.user).roles == {CLO, EMPLOYEE}
    assert client.get("/").wsgi_request.user == ada.user


def test_a_wrong_directory_password_is_refused(client, ldap_settings, register):
    response = log_in(client, "ada", "not the password")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert User.objects.count() == 0


def test_roles_follow_the_directory_groups_at_each_sign_in(client, ldap_settings, register):
    from django.contrib.auth.models import Group

    log_in(client, "bernat")
    user = register["bernat"].__class__.objects.get(pk=register["bernat"].pk).user
    assert HR in scope_of(user).roles
    user.groups.add(Group.objects.get_or_create(name="learning_office")[0])  # given here, not in the directory
    client.logout()
    log_in(client, "bernat")
    assert set(User.objects.get(pk=user.pk).groups.values_list("name", flat=True)) == {"hr"}


def test_someone_in_the_directory_but_not_in_the_register_is_told_so(client, ldap_settings, register, caplog):
    with caplog.at_level(logging.WARNING, logger="clo.security"):
        response = log_in(client, "stranger")
    assert response.status_code == 200
    assert "not in the staff register" in response.content.decode()
    assert User.objects.count() == 0
    assert any("not_in_register" in r.getMessage() and "ldap" in r.getMessage() for r in caplog.records)


def test_a_deactivated_employee_cannot_sign_in_through_the_directory(client, ldap_settings, register):
    response = log_in(client, "carme")
    assert "no longer active" in response.content.decode()
    assert User.objects.count() == 0


def test_the_group_mapping_matches_a_group_by_its_dn_too(client, ldap_settings, register):
    ldap_settings.SIGNIN_ROLE_GROUPS = {"hr": [f"cn=rrhh,ou=groups,{servers.SUFFIX}"]}
    log_in(client, "bernat")
    register["bernat"].refresh_from_db()
    assert HR in scope_of(register["bernat"].user).roles


def test_a_directory_that_does_not_answer_fails_within_the_timeout_with_a_clear_message(
        client, ldap_settings, register, caplog):
    import ldap

    silent = socket.socket()  # accepts connections (the kernel does) and never answers
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    try:
        ldap_settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{silent.getsockname()[1]}"
        ldap_settings.AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 2,
                                                      ldap.OPT_TIMEOUT: 2}
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="clo.security"):
            response = log_in(client, "ada")
        elapsed = time.monotonic() - started
    finally:
        silent.close()
    assert elapsed < 5
    assert "did not answer in time" in response.content.decode()
    assert any("directory unavailable" in r.getMessage() for r in caplog.records)


def test_a_directory_that_is_down_gives_the_same_clear_message(client, ldap_settings, register):
    ldap_settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{servers.spare_port()}"
    assert "did not answer in time" in log_in(client, "ada").content.decode()


def test_starttls_to_a_directory_whose_certificate_the_configured_ca_signed(client, ldap_settings, register, directory):
    import ldap

    ldap_settings.AUTH_LDAP_START_TLS = True
    ldap_settings.AUTH_LDAP_CONNECTION_OPTIONS = {
        ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 4, ldap.OPT_TIMEOUT: 4,
        ldap.OPT_X_TLS_CACERTFILE: str(directory.ca_file), ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
        ldap.OPT_X_TLS_NEWCTX: 0,
    }
    assert log_in(client, "ada").status_code == 302


def test_starttls_refuses_a_directory_whose_certificate_is_not_trusted(client, ldap_settings, register, tmp_path):
    import ldap

    other_ca = servers._certificates(tmp_path)[0]
    ldap_settings.AUTH_LDAP_START_TLS = True
    ldap_settings.AUTH_LDAP_CONNECTION_OPTIONS = {
        ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 4, ldap.OPT_TIMEOUT: 4,
        ldap.OPT_X_TLS_CACERTFILE: str(other_ca), ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND,
        ldap.OPT_X_TLS_NEWCTX: 0,
    }
    response = log_in(client, "ada")
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert User.objects.count() == 0


def test_the_break_glass_page_does_not_take_directory_passwords(client, ldap_settings, register):
    ldap_settings.AUTH_LOCAL_LOGIN = False
    response = client.post(reverse("accounts:local_login"), {"username": "ada", "password": servers.PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
