"""``/api/``: the REST API (``v1/``: token-authenticated, exempt from the sign-in redirect, every use audited) and
the page where HR and the learning office make and revoke its tokens."""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import URLPattern, URLResolver, path, reverse

from clo.api import services, views
from clo.api.xapi import views as xapi_views
from clo.api.v1 import api

app_name = "api"


def _audited(view):
    """Every request that a token authenticated is noted in the audit trail, whatever its answer (403, 429…)."""

    @login_not_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        token = getattr(request, "api_token", None)
        if token is not None:
            services.api_token_use(token=token, method=request.method, path=request.get_full_path(),
                                   status=response.status_code, remote_addr=request.META.get("REMOTE_ADDR"))
        return response

    return wrapped


@login_not_required
def _root(request):
    """``/api/v1/``: where the API describes itself (no data)."""
    return JsonResponse({"openapi": reverse("api:api-v1:openapi-json"), "docs": reverse("api:api-v1:openapi-view")})


def _wrap(patterns):
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "api-root":
            pattern.callback = _root
            continue
        if isinstance(pattern, URLResolver):
            _wrap(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = _audited(pattern.callback)
    return patterns


_api_patterns, _api_app, _api_namespace = api.urls

urlpatterns = [
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("webhooks/", views.webhooks, name="webhooks"),
    path("webhooks/<int:webhook_id>/", views.webhook_detail, name="webhook_detail"),
    path("webhooks/<int:webhook_id>/active/", views.webhook_active, name="webhook_active"),
    path("xapi/", xapi_views.records, name="xapi_records"),
    path("xapi/activities/", xapi_views.activity_add, name="xapi_activity_add"),
    path("xapi/activities/<int:activity_id>/remove/", xapi_views.activity_remove, name="xapi_activity_remove"),
    path("xapi/records/<int:statement_id>/match/", xapi_views.statement_match, name="xapi_statement_match"),
    path("xapi/records/<int:statement_id>/dismiss/", xapi_views.statement_dismiss, name="xapi_statement_dismiss"),
    path("v1/", (_wrap(_api_patterns), _api_app, _api_namespace)),
]
