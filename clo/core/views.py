"""Views that belong to no domain: health check and language switch."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import set_language as django_set_language

from clo.core import replica

logger = logging.getLogger(__name__)


def _check_database() -> str | None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure is the answer
        return f"database: {exc.__class__.__name__}: {exc}".strip()
    return None


def _check_broker() -> str | None:
    if not settings.REDIS_URL:
        return None
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
        client.ping()
    except Exception as exc:  # noqa: BLE001
        return f"broker: {exc.__class__.__name__}: {exc}".strip()
    return None


def _sees_details(request) -> bool:
    """The components and their errors are for staff and the learning office; anyone else learns ok/unavailable."""
    from clo.core import roles

    try:
        user = request.user
        return user.is_authenticated and (user.is_staff or roles.CLO in roles.group_roles(user))
    except Exception:  # noqa: BLE001 - the database that holds the session may be the part that is down
        return False


@login_not_required
@never_cache
@require_GET
def healthz(request):
    """``{"status": "ok"}`` (200) or ``{"status": "unavailable"}`` (503) for load balancers and anyone else; the
    database engine, the broker and what failed only for staff and the learning office (the log has it all)."""
    problems = [p for p in (_check_database(), _check_broker()) if p]
    if problems:
        logger.warning("healthz failing: %s", "; ".join(problems))
        body = {"status": "unavailable"}
        if _sees_details(request):
            body["problems"] = problems
        return JsonResponse(body, status=503)
    body = {"status": "ok"}
    if _sees_details(request):
        body.update(database=connection.vendor, broker=bool(settings.REDIS_URL))
        # A replica that lags or is down does not make clo unavailable (reads fall back to the primary), but the
        # people who run it must know: "ok", "lagging" (with the lag), "down" or "off".
        body["replica"] = replica.state(fresh=True).as_dict()
    return JsonResponse(body)


# The language switcher must work on the login page too.
set_language = login_not_required(django_set_language)
