"""The Learning Record Store's statements resource over HTTP (xAPI 1.0.3, basic auth): pages of statements stored
since a moment, and statements sent. ``LrsUnavailable`` is the transient error the tasks retry on."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urljoin

import requests
from django.conf import settings

VERSION = {"X-Experience-API-Version": "1.0.3"}
TIMEOUT = 30


class LrsUnavailable(Exception):
    """The LRS did not answer, or answered with an error: try again later."""


def configured() -> bool:
    return bool(settings.CLO_XAPI_ENDPOINT)


def _statements_url() -> str:
    return urljoin(settings.CLO_XAPI_ENDPOINT.rstrip("/") + "/", "statements")


def _call(method: str, url: str, **kwargs) -> requests.Response:
    try:
        response = requests.request(method, url, auth=(settings.CLO_XAPI_USERNAME, settings.CLO_XAPI_PASSWORD),
                                    headers=VERSION, timeout=TIMEOUT, **kwargs)
    except requests.RequestException as error:
        raise LrsUnavailable(str(error)) from error
    if response.status_code >= 500 or response.status_code in (401, 403, 429):
        raise LrsUnavailable(f"{method} {url}: {response.status_code} {response.text[:200]}")
    return response


def statement_pages(*, since: dt.datetime | None, limit: int) -> Iterator[list[dict]]:
    """The statements stored after ``since``, oldest first, one page (at most ``limit``) at a time, following the
    LRS's ``more`` links."""
    params: dict[str, str | int] = {"ascending": "true", "limit": limit}
    if since is not None:
        params["since"] = since.isoformat()
    url: str | None = _statements_url()
    while url:
        response = _call("GET", url, params=params)
        response.raise_for_status()
        body = response.json()
        statements = body.get("statements") or []
        if statements:
            yield statements
        more = body.get("more") or ""
        url, params = (urljoin(url, more), {}) if more and statements else (None, {})


def statements_send(statements: list[dict]) -> None:
    """POST ``statements``. A statement id the LRS already holds (409) was sent before: that is success."""
    response = _call("POST", _statements_url(), json=statements)
    if response.status_code != 409:
        response.raise_for_status()
