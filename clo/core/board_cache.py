"""Rendered boards kept in the cache (Redis when configured, the process's memory otherwise), under a key made of
what the rendering depends on (the dashboards' boards, and the succession's knowledge-at-risk map and bench strength,
whose views pass the filters they read, once checked, as their parts):

- the board and the request's filters (the known filter parameters only), the language and the time zone, today's
  date (the default year, the trend's period);
- the viewer's scope (everything, or the unit subtrees they may see) and what changes the links they are shown
  (their roles); the viewer themself when the board names people (a director's enrolment requests);
- the versions of the data the board reads (``clo.core.versions``): a change to any of them, committed by anybody
  through any path, makes the next request render again.

Authorization runs before the cache is asked (the views' role and scope checks), and a board is stored only when
the data and the versions were read from the same database. A rendering that stops being current with time alone
(the next sessions: one of them starts) carries the instant until which it holds. The CSRF token of the forms in a
rendering is put in when it is served: each person gets their own."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.core.cache import cache
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from clo.core import versions

FILTER_KEYS = ("unit", "framework", "area", "kind", "group", "year", "heatmap")
SAFETY_SECONDS = 7 * 24 * 3600  # not a freshness guess: the versions decide; this only lets unused keys go
CSRF_PLACEHOLDER = "clo-board-csrf-6f3c1d2b"  # stands for the request's CSRF token in a stored rendering

T = TypeVar("T")


@dataclass(frozen=True)
class Rendered:
    html: str
    status: int = 200
    until: float | None = None  # a Unix time after which the rendering no longer holds (None: until the data change)


def viewer_part(request, scope, *, personal: bool) -> tuple:
    """Who the rendering is for: the scope and the roles (the links shown depend on them); the person too if the
    rendering names people."""
    user = request.user
    return (scope.everything, tuple(sorted(scope.unit_paths)), tuple(sorted(scope.roles)), scope.superuser,
            user.pk if personal else None)


def filters_part(request) -> tuple:
    return tuple((key, tuple(request.GET.getlist(key))) for key in FILTER_KEYS if key in request.GET)


def _key(name: str, parts: tuple, counters: tuple) -> str:
    raw = repr((name, parts, translation.get_language(), timezone.get_current_timezone_name(),
                timezone.localdate().isoformat(), counters))
    return "board:" + hashlib.sha256(raw.encode()).hexdigest()


def _serve(request, rendered: Rendered) -> Rendered:
    if CSRF_PLACEHOLDER in rendered.html:
        return Rendered(rendered.html.replace(CSRF_PLACEHOLDER, get_token(request)), rendered.status, rendered.until)
    return rendered


def cached(request, name: str, parts: tuple, render: Callable[[], Rendered], *,
           sources: Iterable[str] = versions.SOURCES) -> Rendered:
    """The rendering of ``name`` for ``parts`` (the viewer's and the filters'), from the cache while the data's
    versions are those it was made from, otherwise from ``render()`` (which must put ``CSRF_PLACEHOLDER`` for the
    CSRF token: ``csrf_context()``)."""
    if not versions.enabled():
        return _serve(request, render())
    reading_from = versions.reading_from()
    key = _key(name, parts, versions.current(sources))  # the versions first, then the data: never older data
    found = cache.get(key)
    if isinstance(found, Rendered) and (found.until is None or time.time() < found.until):
        return _serve(request, found)
    rendered = render()
    if versions.reading_from() == reading_from:  # the replica's state did not change in between
        timeout = SAFETY_SECONDS
        if rendered.until is not None:
            timeout = max(1, min(timeout, int(rendered.until - time.time()) + 1))
        cache.set(key, rendered, timeout)
    return _serve(request, rendered)


@dataclass(frozen=True)
class _Kept:
    value: object
    until: float | None = None


def kept(name: str, parts: tuple, compute: Callable[[], T], *, counters: tuple,
         until: Callable[[T], float | None] = lambda value: None) -> T:
    """The figures of ``name`` for ``parts`` (not a rendering: a page that also exports them, like the home page's
    sections), from the cache while the data's versions are ``counters`` (``versions.current()``, read by the caller
    once for all its parts, before the data), otherwise from ``compute()``; ``until(value)`` is the Unix time after
    which the value no longer holds, if time alone can change it."""
    if not versions.enabled():
        return compute()
    reading_from = versions.reading_from()
    key = _key(name, parts, counters)
    found = cache.get(key)
    if isinstance(found, _Kept) and (found.until is None or time.time() < found.until):
        return found.value  # type: ignore[return-value]  # stored by this function under this name
    value = compute()
    if versions.reading_from() == reading_from:  # the replica's state did not change in between
        holds = until(value)
        timeout = SAFETY_SECONDS if holds is None else max(1, min(SAFETY_SECONDS, int(holds - time.time()) + 1))
        cache.set(key, _Kept(value, holds), timeout)
    return value


def csrf_context() -> dict:
    """What a stored rendering's context holds instead of the request's CSRF token."""
    return {"csrf_token": CSRF_PLACEHOLDER}
