from __future__ import annotations

import pytest

from tests.accounts import servers


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    started = servers.start_provider(tmp_path_factory.mktemp("idp"))
    yield started
    servers.stop(started.process)


@pytest.fixture(scope="session")
def directory(tmp_path_factory):
    started = servers.start_directory(tmp_path_factory.mktemp("slapd"))
    yield started
    servers.stop(started.process)


ROLE_GROUPS = {"learning_office": ["CLO-Formacio", "clo-formacio"], "hr": ["RRHH", "rrhh"], "data_protection": ["DPD"]}


@pytest.fixture
def oidc_settings(settings, provider):
    from django.core.cache import cache

    cache.clear()
    settings.OIDC_ISSUER = provider.url
    settings.OIDC_DISCOVERY_URL = f"{provider.url}/.well-known/openid-configuration"
    settings.OIDC_RP_CLIENT_ID = servers.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = servers.CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Ajuntament de Vilamar"
    settings.SIGNIN_ROLE_GROUPS = ROLE_GROUPS
    yield settings
    cache.clear()


@pytest.fixture
def ldap_settings(settings, directory):
    import ldap
    from django_auth_ldap.config import GroupOfNamesType, LDAPSearch

    settings.AUTH_LDAP_SERVER_URI = directory.uri
    settings.AUTH_LDAP_BIND_DN = f"cn=service,{servers.SUFFIX}"
    settings.AUTH_LDAP_BIND_PASSWORD = servers.ADMIN_PASSWORD
    settings.AUTH_LDAP_USER_SEARCH = LDAPSearch(f"ou=people,{servers.SUFFIX}", ldap.SCOPE_SUBTREE, "(uid=%(user)s)")
    settings.AUTH_LDAP_GROUP_SEARCH = LDAPSearch(f"ou=groups,{servers.SUFFIX}", ldap.SCOPE_SUBTREE,
                                                 "(objectClass=groupOfNames)")
    settings.AUTH_LDAP_GROUP_TYPE = GroupOfNamesType()
    settings.AUTH_LDAP_CONNECTION_OPTIONS = {ldap.OPT_REFERRALS: 0, ldap.OPT_NETWORK_TIMEOUT: 5, ldap.OPT_TIMEOUT: 5}
    settings.LDAP_ATTR_EMPLOYEE_NUMBER = "employeeNumber"
    settings.SIGNIN_ROLE_GROUPS = ROLE_GROUPS
    return settings


@pytest.fixture
def register(org):
    """The staff register: Ada (E100) and Bernat (E200) active, Carme (E300) deactivated; nobody numbered X999."""
    from tests import factories as f

    return {
        "ada": f.EmployeeFactory(employee_number="E100", email="ada.puig@vilamar.example", unit=org.unit_a1,
                                 first_name="Ada", last_name="Puig"),
        "bernat": f.EmployeeFactory(employee_number="E200", email="bernat.soler@vilamar.example", unit=org.unit_b1),
        "carme": f.EmployeeFactory(employee_number="E300", email="carme.vila@vilamar.example", unit=org.unit_a1,
                                   active=False),
    }
