"""Authentication backends: OpenID Connect (mozilla-django-oidc), LDAP / Active Directory (django-auth-ldap) and
local passwords. The first two link whoever signs in to the staff register (clo.accounts.linking) and never create
an account for someone who is not in it; every backend refuses users that are not active (a deactivated employee's
user is made inactive by the database, migration 0001), so a deactivated employee's open session ends too.
"""

from __future__ import annotations

import jwt
import ldap
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django_auth_ldap.backend import LDAPBackend, ldap_error
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from clo.accounts import linking, oidc
from clo.core.security import log_refusal


def _active_user(user_id):
    """The session's user, or None once they are inactive (Django's rule for its own backend)."""
    return ModelBackend().get_user(user_id)


class OIDCBackend(OIDCAuthenticationBackend):
    """The authorization code flow's last step: the code is exchanged (with the PKCE verifier), the ID token is
    checked (signature, issuer, audience, expiry, nonce), and the person is linked to the register."""

    def __init__(self, *args, **kwargs):
        # The endpoints come from the discovery document, read when a sign-in needs them (oidc.provider()).
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        from django.contrib.auth import get_user_model

        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if "nonce" not in kwargs or not oidc.enabled():  # only the callback view's call, never a password form's
            return None
        document = oidc.provider()
        self.OIDC_OP_TOKEN_ENDPOINT = document["token_endpoint"]
        self.OIDC_OP_USER_ENDPOINT = document.get("userinfo_endpoint")
        self.OIDC_OP_JWKS_ENDPOINT = document["jwks_uri"]
        self.issuer = document["issuer"]
        return super().authenticate(request, **kwargs)

    def get_payload_data(self, token, key):
        """The ID token's claims, once its signature, issuer, audience and times are right."""
        try:
            return jwt.decode(
                token, key, algorithms=[self.OIDC_RP_SIGN_ALGO], audience=self.OIDC_RP_CLIENT_ID, issuer=self.issuer,
                options={"require": ["exp", "iat", "iss", "aud", "sub"]}, leeway=30,
            )
        except jwt.PyJWTError as exc:
            raise SuspiciousOperation(f"ID token refused: {exc}") from exc

    def get_or_create_user(self, access_token, id_token, payload):
        claims = dict(payload)
        if self.OIDC_OP_USER_ENDPOINT and access_token:
            userinfo = self.get_userinfo(access_token, id_token, payload)
            if userinfo.get("sub") not in (None, payload.get("sub")):
                raise SuspiciousOperation("userinfo is about another subject")
            claims.update(userinfo)
        groups = claims.get(settings.OIDC_CLAIM_GROUPS) or []
        if isinstance(groups, str):
            groups = [groups]
        return linking.sign_in_user(
            request=self.request, source="oidc", employee_number=claims.get(settings.OIDC_CLAIM_EMPLOYEE_NUMBER),
            email=claims.get(settings.OIDC_CLAIM_EMAIL), idp_groups=groups,
        )

    def get_user(self, user_id):
        return _active_user(user_id)


class DirectoryBackend(LDAPBackend):
    """A username and password checked against LDAP / Active Directory: the user is searched, their password bound,
    their groups searched; the entry's employee number (or mail) links them to the register."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not settings.AUTH_LDAP_SERVER_URI or getattr(request, "clo_break_glass", False):
            return None  # the break-glass page is for local passwords only
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username, ldap_user):
        attrs = ldap_user.attrs or {}
        user = linking.sign_in_user(
            request=ldap_user._request, source="ldap",
            employee_number=attrs.get(settings.LDAP_ATTR_EMPLOYEE_NUMBER.lower()) or attrs.get(
                settings.LDAP_ATTR_EMPLOYEE_NUMBER),
            email=attrs.get(settings.LDAP_ATTR_EMAIL.lower()) or attrs.get(settings.LDAP_ATTR_EMAIL),
            idp_groups=None,  # applied once authenticated, below
        )
        if user is None:
            raise ldap_user.AuthenticationFailed("not a sign-in of the staff register")
        return user, False

    def authenticate_ldap_user(self, ldap_user, password):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            groups = set(ldap_user.group_names or ()) | set(ldap_user.group_dns or ())
            linking.roles_apply(user=user, idp_groups=groups)
        return user

    def get_user(self, user_id):
        return _active_user(user_id)


def _directory_error(sender, context=None, user=None, request=None, exception=None, **kwargs):
    """The directory did not answer (down, timed out): the login form says so instead of "wrong password"."""
    if request is not None and isinstance(exception, (ldap.SERVER_DOWN, ldap.TIMEOUT, ldap.CONNECT_ERROR)):
        request.clo_directory_unavailable = True
        log_refusal(request, "directory unavailable", error=type(exception).__name__)


ldap_error.connect(_directory_error, dispatch_uid="clo.accounts.directory_error")


class LocalPasswordBackend(ModelBackend):
    """Local passwords: for everyone while ``AUTH_LOCAL_LOGIN`` is on (the demo); otherwise for superusers only,
    and only at the break-glass page (``accounts:local_login``)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None or settings.AUTH_LOCAL_LOGIN:
            return user
        if user.is_superuser and getattr(request, "clo_break_glass", False):
            return user
        return None
