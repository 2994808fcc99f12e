"""The gate of the learning office's own pages. For anybody else such a page does not exist: 404 whatever the
method (the gate is the outermost decorator, so an outsider never learns from a 405 that the URL is there)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from clo.people.roles import scope_of


def learning_office_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only the learning office (the CLO, and superusers) reaches ``view``; anyone else gets 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_of(request.user).is_learning_office:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped
