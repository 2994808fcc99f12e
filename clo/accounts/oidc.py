"""The OpenID Connect provider, as its discovery document describes it.

mozilla-django-oidc is configured with fixed endpoint URLs; clo reads them from the provider's discovery document
(``OIDC_ISSUER`` + ``/.well-known/openid-configuration``, or ``OIDC_DISCOVERY_URL``), kept in the cache for
``CACHE_SECONDS`` once read (and "down" for ``DOWN_SECONDS`` when it could not be). A provider that does not answer within ``OIDC_TIMEOUT`` is "down": the login page
says so, and the local form (where allowed) still works.
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("clo.accounts")

CACHE_SECONDS = 300
DOWN_SECONDS = 15  # a provider found down is not asked again for this long (each login page would wait for it)
REQUIRED = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")


class ProviderUnavailable(Exception):
    """The identity provider's discovery document cannot be read (down, unreachable, or not OpenID Connect)."""


def enabled() -> bool:
    return bool(getattr(settings, "OIDC_DISCOVERY_URL", ""))


def _cache_key() -> str:
    return f"clo:oidc:discovery:{settings.OIDC_DISCOVERY_URL}"


def provider() -> dict:
    """The discovery document (issuer and endpoints); raises ``ProviderUnavailable``."""
    key = _cache_key()
    document = cache.get(key)
    if document == "down":
        raise ProviderUnavailable("found down less than a few seconds ago")
    if document:
        return document
    try:
        response = requests.get(settings.OIDC_DISCOVERY_URL, timeout=min(settings.OIDC_TIMEOUT, 5),
                                verify=settings.OIDC_VERIFY_SSL)
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        logger.warning("OpenID Connect provider unavailable: %s (%s)", settings.OIDC_DISCOVERY_URL, exc)
        cache.set(key, "down", DOWN_SECONDS)
        raise ProviderUnavailable(str(exc)) from exc
    if not isinstance(document, dict) or any(not document.get(name) for name in REQUIRED):
        raise ProviderUnavailable("the discovery document lacks " + ", ".join(REQUIRED))
    expected = getattr(settings, "OIDC_ISSUER", "")
    if expected and document["issuer"].rstrip("/") != expected:
        raise ProviderUnavailable(f"the discovery document names issuer {document['issuer']!r}, not {expected!r}")
    cache.set(key, document, CACHE_SECONDS)
    return document


def available() -> bool:
    try:
        provider()
    except ProviderUnavailable:
        return False
    return True


def forget_provider() -> None:
    cache.delete(_cache_key())


def logout_url(request) -> str:
    """``OIDC_OP_LOGOUT_URL_METHOD``: RP-initiated logout at the provider's end_session_endpoint, back to the login
    page; Django's own logout page when the provider has none or cannot be reached."""
    from django.shortcuts import resolve_url

    back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    try:
        end_session = provider().get("end_session_endpoint")
    except ProviderUnavailable:
        end_session = None
    if not end_session:
        return back
    params = {"post_logout_redirect_uri": back, "client_id": settings.OIDC_RP_CLIENT_ID}
    id_token = request.session.get("oidc_id_token")
    if id_token:
        params["id_token_hint"] = id_token
    return f"{end_session}?{urlencode(params)}"


def is_provider_callback(request, credentials=None) -> bool:
    """``AXES_WHITELIST_CALLABLE``: the provider's callback is no password guess (state, nonce and PKCE protect
    it), so its refusals are neither counted nor locked out; otherwise one office behind one address, where a few
    people not in the register try, would lock everyone's sign-in (and password logins) out."""
    from django.urls import reverse

    return request is not None and request.path == reverse("accounts:oidc_callback")
