"""Views of calendars: "My calendar", where a person makes, regenerates or revokes the secret address of their
calendar feed, and the feed itself, opened by that address alone (no session: a calendar application reads it)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from clo.core.htmx import page_or_partial, redirect_after_post
from clo.people import roles
from programs.selectors import calendar as selectors
from programs.services import calendar as services


def feed_url(request, secret: str) -> str:
    path = reverse("programs:calendar_feed", args=[secret])
    return settings.CLO_BASE_URL + path if settings.CLO_BASE_URL else request.build_absolute_uri(path)


@never_cache
@require_http_methods(["GET", "POST"])
def my_calendar(request):
    employee_id = roles.scope_of(request.user).employee_id
    if employee_id is None:
        raise Http404
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            if services.calendar_feed_revoke(employee_id=employee_id):
                messages.success(request, _("Your calendar address no longer works."))
            return redirect_after_post(request, reverse("programs:my_calendar"))
        secret = services.calendar_feed_create(employee_id=employee_id)  # shown in this answer only
    context = {"feed": selectors.feed_of(employee_id), "url": feed_url(request, secret) if secret else None}
    return page_or_partial(request, "programs/calendar/mine.html", "feed", context)


@login_not_required
@never_cache
@require_safe
def calendar_feed(request, token: str):
    feed = selectors.feed_for_token(token)
    if feed is None or not feed.employee.active:
        raise Http404
    response = HttpResponse(services.calendar_feed_render(feed=feed), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="calendar.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
