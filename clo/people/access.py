"""The gates of pages: the learning office's own pages (for anybody else such a page does not exist: 404 whatever the
method, the gate being the outermost decorator, so an outsider never learns from a 405 that the URL is there), and
the staff record of the person asking, for the pages that act as that person."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from clo.people.models import Employee
from clo.people.roles import scope_of


def learning_office_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Only the learning office (the CLO, and superusers) reaches ``view``; anyone else gets 404."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not scope_of(request.user).is_learning_office:
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


def own_staff_record(request: HttpRequest) -> Employee | None:
    """The active staff record of the person asking (with their unit and account), or None for an account without
    one (the learning office's own accounts, a person who has left)."""
    employee_id = scope_of(request.user).employee_id
    if employee_id is None:
        return None
    return Employee.objects.select_related("unit", "user").filter(pk=employee_id, active=True).first()


def own_staff_record_or_404(request: HttpRequest) -> Employee:
    """The staff record of the person asking, for a page that acts as that person: without one it does not exist."""
    me = own_staff_record(request)
    if me is None:
        raise Http404
    return me
