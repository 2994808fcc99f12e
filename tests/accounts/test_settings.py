"""Sign-in settings as a deployment meets them, each case in a fresh process (tests/core/test_settings.py)."""

from __future__ import annotations

import json

import pytest

from tests.core.test_settings import random_secret, run

PRINT = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({"secret": s.OIDC_RP_CLIENT_SECRET, "bind": s.AUTH_LDAP_BIND_PASSWORD,
                  "discovery": s.OIDC_DISCOVERY_URL, "groups": s.SIGNIN_ROLE_GROUPS, "local": s.AUTH_LOCAL_LOGIN,
                  "start_tls": s.AUTH_LDAP_START_TLS, "group_type": type(s.AUTH_LDAP_GROUP_TYPE).__name__,
                  "user_filter": s.AUTH_LDAP_USER_SEARCH.filterstr}))
"""

FULL = {
    "OIDC_ISSUER": "https://sso.vilamar.example/realms/ajuntament/", "OIDC_CLIENT_ID": "clo",
    "LDAP_SERVER_URI": "ldap://dc1.vilamar.local", "LDAP_START_TLS": "true", "LDAP_USER_BASE": "ou=staff,dc=v",
    "LDAP_GROUP_BASE": "ou=groups,dc=v", "LDAP_GROUP_TYPE": "group_of_names",
    "SIGNIN_GROUPS_HR": "RRHH, GG-RRHH", "AUTH_LOCAL_LOGIN": "false",
}


def test_secrets_come_from_files_and_the_discovery_url_from_the_issuer(tmp_path):
    (tmp_path / "oidc").write_text("client secret\n")
    (tmp_path / "ldap").write_text("bind password\n")
    result = run(["-c", PRINT], tmp_path, **FULL, OIDC_CLIENT_SECRET_FILE=str(tmp_path / "oidc"),
                 LDAP_BIND_PASSWORD_FILE=str(tmp_path / "ldap"))
    assert result.returncode == 0, result.stderr[-2000:]
    read = json.loads(result.stdout.strip().splitlines()[-1])
    assert read["secret"] == "client secret" and read["bind"] == "bind password"
    assert read["discovery"] == "https://sso.vilamar.example/realms/ajuntament/.well-known/openid-configuration"
    assert read["groups"]["hr"] == ["RRHH", "GG-RRHH"] and read["local"] is False and read["start_tls"] is True
    assert read["group_type"] == "GroupOfNamesType" and read["user_filter"] == "(sAMAccountName=%(user)s)"


@pytest.mark.parametrize(("env", "named"), [
    ({"OIDC_ISSUER": "https://sso.example"}, "OIDC_CLIENT_ID"),
    ({"OIDC_ISSUER": "https://sso.example", "OIDC_CLIENT_ID": "clo", "OIDC_SIGN_ALGO": "none"}, "OIDC_SIGN_ALGO"),
    ({"SIGNIN_MATCH_BY": "name"}, "SIGNIN_MATCH_BY"),
    ({"AUTH_LOCAL_LOGIN": "perhaps"}, "AUTH_LOCAL_LOGIN"),
    ({"LDAP_SERVER_URI": "ldap://dc", "LDAP_GROUP_TYPE": "novell"}, "LDAP_GROUP_TYPE"),
    ({"LDAP_TIMEOUT_SECONDS": "0"}, "LDAP_TIMEOUT_SECONDS"),
])
def test_a_malformed_sign_in_variable_stops_start_up_and_is_named(tmp_path, env, named):
    result = run(["manage.py", "check"], tmp_path, **env)
    assert result.returncode != 0
    assert f"{named}:" in result.stderr, result.stderr[-2000:]


def test_production_with_single_sign_on_and_ldap_passes_the_deployment_checklist(tmp_path):
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **FULL,
                 DJANGO_ENV="production", DJANGO_SECRET_KEY=random_secret(), DJANGO_ALLOWED_HOSTS="clo.example")
    assert result.returncode == 0, result.stdout + result.stderr
