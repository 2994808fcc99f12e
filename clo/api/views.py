"""The API tokens page: HR and the learning office make, list and revoke the integrations' tokens (everyone else:
404). The secret is in the answer to the POST that made it, once, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clo.api import selectors, services
from clo.api.forms import TokenForm
from clo.api.models import ApiToken
from clo.core.htmx import apply_errors
from clo.core.imports.views import hr_or_learning_office


@hr_or_learning_office
@require_http_methods(["GET", "POST"])
def tokens(request):
    form, secret, status = TokenForm(request.POST or None), None, 200
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = services.api_token_create(
                name=form.cleaned_data["name"], scopes=form.cleaned_data["scopes"], expires_at=form.expires_at(),
                created_by=request.user, unit=form.cleaned_data["unit"])
            form = TokenForm()
        except ValidationError as error:
            apply_errors(form, error)
    if request.method == "POST" and secret is None:
        status = 422
    return render(request, "api/tokens.html", {"form": form, "secret": secret, "tokens": selectors.tokens_for_page(),
                                               "docs_url": reverse("api:api-v1:openapi-view")}, status=status)


@hr_or_learning_office
@require_POST
def token_revoke(request, token_id: int):
    token = get_object_or_404(ApiToken, pk=token_id)
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api:tokens")
