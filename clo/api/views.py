"""The API tokens page: HR and the learning office make, list and revoke the integrations' tokens (everyone else:
404). The secret is in the answer to the POST that made it, once, and never again."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from clo.api import selectors, services
from clo.api import webhooks as webhook_services
from clo.api.forms import TokenForm, WebhookForm
from clo.api.models import ApiToken, Webhook
from clo.core.htmx import apply_errors, page_or_partial, redirect_after_post
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


@hr_or_learning_office
@require_http_methods(["GET", "POST"])
def webhooks(request):
    """The outbound webhooks: make one (its secret shown in this answer only), list them."""
    form, secret, status = WebhookForm(request.POST or None), None, 200
    if request.method == "POST" and form.is_valid():
        try:
            _webhook, secret = webhook_services.webhook_create(
                name=form.cleaned_data["name"], url=form.cleaned_data["url"], events=form.cleaned_data["events"],
                created_by=request.user)
            form = WebhookForm()
        except ValidationError as error:
            apply_errors(form, error)
    if request.method == "POST" and secret is None:
        status = 422
    return render(request, "api/webhooks.html", {"form": form, "secret": secret,
                                                 "webhooks": selectors.webhooks_for_page()}, status=status)


@hr_or_learning_office
@require_safe
def webhook_detail(request, webhook_id: int):
    """A webhook's delivery log."""
    webhook = get_object_or_404(Webhook, pk=webhook_id)
    page = Paginator(selectors.webhook_deliveries(webhook), 50).get_page(request.GET.get("page"))
    return page_or_partial(request, "api/webhook_detail.html", "log", {"webhook": webhook, "page": page})


@hr_or_learning_office
@require_POST
def webhook_active(request, webhook_id: int):
    """Pause a webhook (no new deliveries) or start it again."""
    webhook = get_object_or_404(Webhook, pk=webhook_id)
    active = request.POST.get("active") == "1"
    webhook_services.webhook_set_active(webhook=webhook, active=active)
    messages.success(request, (_("The webhook “%(name)s” is active.") if active else
                               _("The webhook “%(name)s” is paused.")) % {"name": webhook.name})
    return redirect_after_post(request, reverse("api:webhook_detail", args=[webhook.pk]))
