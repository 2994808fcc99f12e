"""Typed access to environment variables.

Every helper raises ``ImproperlyConfigured`` naming the variable when its value is malformed, so a bad
deployment stops at start-up instead of misbehaving later. Secrets may also come from ``<NAME>_FILE``
(Docker secrets): the file's content, stripped, is the value.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def _raw(name: str) -> str | None:
    value = os.environ.get(name)
    if value is not None:
        return value
    file_path = os.environ.get(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE: cannot read {file_path!r} ({exc.strerror})") from exc
    return None


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None:
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}: expected a boolean (true/false, 1/0, yes/no, on/off), got {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or value.strip() == "":
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected an integer, got {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}: must be at least {minimum}, got {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: tuple[str, ...], default: str) -> str:
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name}: expected one of {', '.join(choices)}, got {value!r}")
    return value


def database_from_url(name: str, *, pool: bool) -> dict | None:
    """Translate ``postgres://user:pass@host:port/db?options`` into a Django DATABASES entry."""
    url = _raw(name)
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: malformed URL ({exc})") from None
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(f"{name}: only postgres:// URLs are supported, got scheme {parts.scheme!r}")
    db_name = unquote(parts.path.lstrip("/"))
    if not db_name:
        raise ImproperlyConfigured(f"{name}: the URL names no database")
    options: dict = {}
    for key, values in parse_qs(parts.query).items():
        options[key] = values[-1]
    if pool:
        options["pool"] = {"min_size": 1, "max_size": env_int("DATABASE_POOL_MAX", 10, minimum=1), "timeout": 10}
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": db_name,
        "USER": unquote(parts.username or ""),
        "PASSWORD": unquote(parts.password or ""),
        "HOST": parts.hostname or "",
        "PORT": str(port or ""),
        "OPTIONS": options,
        # A connection the server dropped (restart, failover, idle kill) is replaced before use: checked when taken
        # from the pool, or at the start of a request or task without one.
        "CONN_HEALTH_CHECKS": True,
        "TEST": {"NAME": f"test_{db_name}"},
    }


def redis_url(name: str) -> str | None:
    url = _raw(name)
    if not url:
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: malformed URL ({exc})") from None
    if parts.scheme not in {"redis", "rediss", "unix"} or not (parts.hostname or parts.scheme == "unix"):
        raise ImproperlyConfigured(f"{name}: expected redis://host:port/db, got {url!r}")
    return url
