"""Sign-in pages: the login page (a "Sign in with <organisation>" button, and the password form where allowed),
the OpenID Connect start and callback, the break-glass login of superusers, and logout (RP-initiated at the
provider when the session came from it)."""

from __future__ import annotations

import requests
from django.conf import settings
from django.contrib import auth
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.generic import View
from mozilla_django_oidc import views as oidc_views

from clo.accounts import oidc
from clo.accounts.forms_signin import REFUSALS, SignInForm
from clo.core.security import log_refusal


def _password_form_shown() -> bool:
    return settings.AUTH_LOCAL_LOGIN or bool(settings.AUTH_LDAP_SERVER_URI)


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    """accounts/login/: the SSO button (and whether the provider answers), and the password form where allowed."""

    form_class = SignInForm
    redirect_authenticated_user = True
    break_glass = False

    def dispatch(self, request, *args, **kwargs):
        request.clo_break_glass = self.break_glass
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not (self.break_glass or _password_form_shown()):
            raise Http404
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sso = oidc.enabled() and not self.break_glass
        context.update(
            break_glass=self.break_glass,
            password_form_shown=self.break_glass or _password_form_shown(),
            directory=bool(settings.AUTH_LDAP_SERVER_URI) and not self.break_glass,
            sso=sso, sso_available=sso and oidc.available(), provider_name=settings.OIDC_PROVIDER_NAME,
        )
        return context


login = LoginView.as_view()
local_login = LoginView.as_view(break_glass=True, template_name="accounts/local_login.html")


def _refusal(request, reason: str, status: int = 403):
    return render(request, "accounts/refused.html",
                  {"reason": reason, "message": REFUSALS.get(reason), "provider_name": settings.OIDC_PROVIDER_NAME},
                  status=status)


@login_not_required
@never_cache
def oidc_start(request):
    """Sends the browser to the provider (code flow; state, nonce and PKCE verifier kept in the session)."""
    if not oidc.enabled():
        raise Http404
    try:
        endpoint = oidc.provider()["authorization_endpoint"]
    except oidc.ProviderUnavailable:
        return HttpResponseRedirect(reverse("login"))  # the login page says the provider does not answer
    view = _Start(endpoint)
    view.setup(request)
    return view.get(request)


class _Start(oidc_views.OIDCAuthenticationRequestView):
    def __init__(self, endpoint: str):
        View.__init__(self)  # the library's own reads fixed endpoints from the settings
        self.OIDC_OP_AUTH_ENDPOINT, self.OIDC_RP_CLIENT_ID = endpoint, settings.OIDC_RP_CLIENT_ID


class _Callback(oidc_views.OIDCAuthenticationCallbackView):
    def login_failure(self):
        reason = getattr(self.request, "clo_signin_refusal", None)
        if reason:
            return _refusal(self.request, reason)
        if "error" in self.request.GET:
            log_refusal(self.request, "sign-in refused by the provider", error=self.request.GET.get("error", ""))
        else:
            log_refusal(self.request, "sign-in callback without a sign-in under way")
        return _refusal(self.request, "failed", status=400)


@login_not_required
@never_cache
def oidc_callback(request):
    """The provider sends the browser back here with a code: checked, exchanged, linked to the register."""
    if not oidc.enabled():
        raise Http404
    view = _Callback()
    view.setup(request)
    try:
        return view.get(request)
    except SuspiciousOperation as exc:  # unknown or replayed state, bad token (issuer, audience, expiry, nonce)
        log_refusal(request, "sign-in refused", source="oidc", error=str(exc))
        return _refusal(request, "failed", status=400)
    except requests.HTTPError as exc:
        if exc.response is not None and exc.response.status_code < 500:  # e.g. a code expired or already used
            log_refusal(request, "sign-in refused by the provider", source="oidc", status=exc.response.status_code)
            return _refusal(request, "failed", status=400)
        log_refusal(request, "sign-in failed: provider unavailable", source="oidc", error=type(exc).__name__)
        return _refusal(request, "unavailable", status=503)
    except (requests.RequestException, oidc.ProviderUnavailable, ValueError) as exc:
        log_refusal(request, "sign-in failed: provider unavailable", source="oidc", error=type(exc).__name__)
        return _refusal(request, "unavailable", status=503)


@login_not_required
def logout(request):
    """POST only. A session that came from the provider ends there too (RP-initiated logout)."""
    if request.method != "POST":
        return auth_views.LogoutView.as_view()(request)
    if oidc.enabled() and request.user.is_authenticated and request.session.get("oidc_id_token"):
        target = oidc.logout_url(request)
        auth.logout(request)
        return HttpResponseRedirect(target)
    return auth_views.LogoutView.as_view()(request)
