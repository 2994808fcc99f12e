"""The home page: one template, a section per role the user holds, figures for that role's scope."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from clo.core.roles import scope_of
from clo.dashboards import selectors


@require_safe
def home(request):
    sections = selectors.home_sections(scope_of(request.user), now=timezone.now(), today=timezone.localdate())
    return render(request, "dashboards/home.html", {"sections": sections})
