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


@login_not_required
@never_cache
@require_GET
def healthz(request):
    problems = [p for p in (_check_database(), _check_broker()) if p]
    if problems:
        logger.warning("healthz failing: %s", "; ".join(problems))
        return JsonResponse({"status": "unavailable", "problems": problems}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor, "broker": bool(settings.REDIS_URL)})


# The language switcher must work on the login page too.
set_language = login_not_required(django_set_language)
