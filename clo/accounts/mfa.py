"""Two-factor authentication (TOTP) for the people who can see everybody's data.

django-otp, not allauth's MFA: sign-in here is Django's own ``LoginView`` (with django-axes throttling), and
django-otp adds a second step to exactly that (``OTPMiddleware`` tells whether the session gave a code) without
replacing the login, the password reset or the account pages with allauth's. TOTP devices (an authenticator app,
enrolled with a QR code drawn server-side as SVG by segno) and static devices (ten recovery codes, each usable once);
both throttle wrong codes (each failure doubles the wait), on top of axes for the password.

Who: members of the groups in ``MFA_ROLES`` who sign in with a local password (LDAP and single sign-on users are
left to their identity provider). The login marks the session (``user_logged_in``); until the session is verified,
``MfaRequiredMiddleware`` sends every request to enrolment (no device yet) or to the code page.
"""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django_otp import match_token
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

SESSION_KEY = "clo_mfa_required"
RECOVERY_CODES = 10


# The sign-in backends of clo.accounts.backends (settings.AUTHENTICATION_BACKENDS) by how they sign a person in.
SSO_BACKENDS = frozenset({"clo.accounts.backends.OIDCBackend"})
DIRECTORY_BACKENDS = frozenset({"clo.accounts.backends.DirectoryBackend"})


def method_of(backend_path: str) -> str:
    """How a session was signed in, from its authentication backend: single sign-on, LDAP, or a local password."""
    from clo.accounts.models import SignIn

    if backend_path in SSO_BACKENDS:
        return SignIn.Method.SSO
    if backend_path in DIRECTORY_BACKENDS:
        return SignIn.Method.LDAP
    return SignIn.Method.LOCAL


def mfa_required_for(user) -> bool:
    roles = set(settings.MFA_ROLES)
    return bool(roles) and user.groups.filter(name__in=roles).exists()


def on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in``: record the sign-in; a local password sign-in of an MFA role must give a code next."""
    from clo.accounts.signins import sign_in_record

    backend = getattr(user, "backend", "") or (request.session.get(BACKEND_SESSION_KEY, "") if request else "")
    method = method_of(backend)
    sign_in_record(user=user, method=method)
    if request is None or not hasattr(request, "session"):
        return
    with_password = request.method == "POST" and "password" in request.POST
    if method == "local" and with_password and mfa_required_for(user):
        request.session[SESSION_KEY] = True


def session_needs_code(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and request.session.get(SESSION_KEY)
                and not user.is_verified())


class MfaRequiredMiddleware:
    """Before any page, a session that must give a code is sent to enrol or verify (the MFA pages themselves,
    logging out, the language switch and static files stay open). After ``django_otp.middleware.OTPMiddleware``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if session_needs_code(request) and not self._open(request.path_info):
            target = reverse("accounts:mfa_verify" if has_device(request.user) else "accounts:mfa_enrol")
            if request.method in ("GET", "HEAD"):
                target += "?" + urlencode({"next": request.get_full_path()})
            if getattr(request, "htmx", False) or request.headers.get("HX-Request"):
                response = HttpResponse(status=204)
                response["HX-Redirect"] = target
                return response
            return HttpResponseRedirect(target)
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        prefixes = (reverse("accounts:mfa_enrol"), reverse("accounts:mfa_verify"), reverse("logout"),
                    reverse("set_language"), "/" + settings.STATIC_URL.lstrip("/"))
        return path.startswith(prefixes)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def enrolment_device(user) -> TOTPDevice:
    """The authenticator being enrolled (not confirmed yet): the same one until it is confirmed, so that reloading
    the page does not change the QR code already scanned."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The device's otpauth:// address as a QR code, an SVG data URI (no script, no request elsewhere)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, dark="#000", light="#fff", border=4)


def secret_text(device: TOTPDevice) -> str:
    """The secret in base 32, in groups of four, for typing it into an app instead of scanning."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i:i + 4] for i in range(0, len(text), 4))


@transaction.atomic
def mfa_confirm(*, request, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the enrolment with a first code: the device is confirmed, new recovery codes replace any earlier
    ones, and the session is verified. Returns the recovery codes (shown once), or None for a wrong code."""
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=device.user).delete()
    static = StaticDevice.objects.create(user=device.user, name="recovery codes", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=code) for code in codes])
    otp_login(request, device)
    return codes


def mfa_verify(*, request, token: str) -> bool:
    """A code from the authenticator, or a recovery code (used up): the session is verified."""
    device = match_token(request.user, token)
    if device is None:
        return False
    otp_login(request, device)
    return True


def remaining_recovery_codes(user) -> int:
    return StaticToken.objects.filter(device__user=user).count()


def safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default

