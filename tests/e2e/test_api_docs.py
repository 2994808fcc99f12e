"""In a real browser: the API's interactive docs open under the strict Content-Security-Policy (Swagger UI from
django-ninja's vendored files, no CSP violation), and HR makes a token on the API tokens page (axe checks it) whose
secret, shown once, reads the gap roll-ups."""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_under_the_csp(strict_page, live_server):
    page, errors = strict_page
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))

    page.goto("/api/v1/docs")
    page.get_by_text("/api/v1/figures/gaps").first.wait_for()

    assert not errors, errors
    assert requested and all(url.startswith(live_server.url) for url in requested), requested


def test_hr_makes_a_token_in_the_ui_that_reads_the_gap_rollups(e2e_page, live_server, scenario):
    import requests

    from evaluations.gaps import services as gap_services
    from tests.e2e.browser import axe_check, go_to, log_in

    gap_services.gaps_full_run(today=timezone.localdate())
    page = e2e_page
    log_in(page, "rrhh")
    go_to(page, "API tokens")
    axe_check(page)
    page.fill("#id_name", "Power BI")
    page.check("input[name=scopes][value='figures:read']")
    with page.expect_navigation():
        page.click("button:has-text('Make the token')")
    secret = page.locator("#token-secret").inner_text()
    axe_check(page)

    answer = requests.get(f"{live_server.url}/api/v1/figures/gaps", headers={"Authorization": f"Bearer {secret}"},
                          timeout=30)

    assert answer.status_code == 200
    assert answer.json()["items"], "the roll-ups of the scenario's units"
    go_to(page, "API tokens")
    assert "Power BI" in page.locator("table").inner_text() and secret not in page.content()
