"""The HTMX side of every view, once: render a page or only its swappable partial, redirect after a successful POST,
and put a service's ``ValidationError`` on the form that was posted.

A view renders ``"app/page.html"`` for a full load (a link followed, a boosted navigation, no JavaScript) and
``"app/page.html#partial"`` for a non-boosted HTMX request, so the same URL serves both.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect


def wants_partial(request: HttpRequest) -> bool:
    """A non-boosted HTMX request: it swaps one region of the page, so only that region is sent."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.boosted  # type: ignore[union-attr]


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """``template#partial`` for a non-boosted HTMX request, the whole ``template`` otherwise."""
    return f"{template}#{partial}" if wants_partial(request) else template


def page_or_partial(request: HttpRequest, template: str, partial: str, context: dict[str, Any], *,
                    status: int = 200) -> HttpResponse:
    """The whole page, or only its ``partial`` for a non-boosted HTMX request."""
    return render(request, template_for(request, template, partial), context, status=status)


def redirect_after_post(request: HttpRequest, url: str) -> HttpResponse:
    """After a successful POST: a redirect; for an HTMX request one that htmx follows as a full page load."""
    return HttpResponseClientRedirect(url) if getattr(request, "htmx", None) else redirect(url)


def apply_errors(form, error: ValidationError) -> None:
    """A service's ``ValidationError`` on the form: each message next to its field when the form has that field,
    at the top of the form otherwise."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
