"""Security plumbing shared by every page: the client's address, the "clo.security" log, the request size cap.

Everything refused is written to the logger ``clo.security`` at WARNING, one line each, never with a password:

- a failed login (username, address), and a lockout by the login throttle (django-axes);
- a 403 or 404 answered to a logged-in user (the unit-scope checks answer 404 for what is outside the scope);
- a CSRF failure;
- a request body larger than ``UPLOAD_MAX_BYTES`` (answered 413 before anything reads it).

Values that come from the client (username, path) are written with ``%r`` so that they stay on one line.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

logger = logging.getLogger("clo.security")

_MAX_LOGGED = 150


def secret_hash(secret: str) -> str:
    """What is stored of a secret that is shown once (an API token, a calendar feed's address): its SHA-256."""
    return hashlib.sha256(secret.encode()).hexdigest()


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or the address the trusted proxies saw (``DJANGO_TRUSTED_PROXIES``
    hops counted from the right of ``X-Forwarded-For``) when clo runs behind them."""
    if request is None:
        return None
    hops = getattr(settings, "CLO_TRUSTED_PROXIES", 0)
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR") or None


def _user_id(request) -> str:
    user = getattr(request, "user", None)
    return str(user.pk) if user is not None and user.is_authenticated else "-"


def _short(value) -> str:
    return str(value or "")[:_MAX_LOGGED]


def log_refusal(request, what: str, **extra) -> None:
    """One WARNING line on ``clo.security``: what happened, who, where, and any extra key=value."""
    request._clo_security_logged = True
    keys = "".join(f" {key}=%r" for key in extra)
    logger.warning(
        "%s user=%s ip=%s method=%s path=%r" + keys,
        what, _user_id(request), client_ip(request), request.method, _short(request.path),
        *(_short(value) for value in extra.values()),
    )


@receiver(user_login_failed, dispatch_uid="clo.security.login_failed")
def _login_failed(sender, credentials: dict, request=None, **kwargs) -> None:
    if request is None:
        return
    # Django has already replaced the password by asterisks in ``credentials``; only the username is kept.
    log_refusal(request, "login failed", username=credentials.get("username", ""))


def _locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    if request is not None:
        log_refusal(request, "login locked out", username=username or "")


def connect_lockout_signal() -> None:
    from axes.signals import user_locked_out

    user_locked_out.connect(_locked_out, dispatch_uid="clo.security.locked_out")


def lockout_response(request, original_response=None, credentials=None):
    """``AXES_LOCKOUT_CALLABLE``: the translated lockout page (429), saying how long to wait, and whether the
    address itself is locked (too many failures over any usernames, ``clo.core.login_throttle``)."""
    from clo.core.login_throttle import address_locked

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    context = {"failure_limit": settings.AXES_FAILURE_LIMIT, "cooloff_minutes": minutes,
               "by_address": address_locked(request)}
    return render(request, "registration/locked_out.html", context, status=429)


def csrf_failure(request, reason: str = ""):
    """``CSRF_FAILURE_VIEW``: log, then a translated page that says what to do."""
    log_refusal(request, "csrf failure", reason=reason)
    return render(request, "403_csrf.html", status=403)


class RequestGuardMiddleware:
    """Refuses request bodies over ``UPLOAD_MAX_BYTES`` before anything reads them (413), and logs the 403 and
    404 answers given to logged-in users. Placed after the authentication middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.UPLOAD_MAX_BYTES
        if length > limit:
            log_refusal(request, "request too large", bytes=length)
            context = {"limit_mb": limit // (1024 * 1024)}
            return render(request, "413.html", context, status=413)
        response = self.get_response(request)
        if (response.status_code in (403, 404) and not getattr(request, "_clo_security_logged", False)
                and request.user.is_authenticated):
            log_refusal(request, f"access refused status={response.status_code}")
        return response


class NoStoreMiddleware:
    """``Cache-Control: no-store`` (and ``private``, ``max-age=0``) on every answer to a signed-in user and on every
    file download: pages, partials, exports and PDFs carry people's data, which no browser, proxy or shared computer
    may keep. One rule rather than a decorator per view, so that no new page can forget it. Static files (served
    before this, by WhiteNoise) keep their long caching; anonymous pages (login, health) are left as they are."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or response.has_header("Content-Disposition"):
            add_never_cache_headers(response)
        return response
