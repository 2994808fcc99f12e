"""The API's interactive docs open in a browser that enforces the strict Content-Security-Policy: Swagger UI comes
from django-ninja's vendored files, lists the operations, and the page raises no CSP violation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_the_csp(strict_page, live_server):
    page, errors = strict_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/figures/gaps").first.wait_for()

    assert not errors, errors
    assert requested and all(url.startswith(live_server.url) for url in requested), requested
