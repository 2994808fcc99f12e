"""Each role's first five minutes on a fresh ``make run``: the demo council as ``seed_demo`` builds it, each demo login
in a real browser, on its home page and every page its navigation offers (the dashboards and the main lists).

On each of those pages: no panel that is empty or says its figures are not calculated (the demo has computed them
all), no horizontal scrolling at 390, 1366 and 1920 px, no WCAG 2.1 A/AA violation (axe), and every link on it answers
200 to that same person — no 404, no 403, no detour to the login page.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from clo.demo.accounts import DEMO_PASSWORD
from clo.demo.seed import DEFAULT_SEED, MIN_EMPLOYEES, seed_demo
from tests.e2e.browser import LOGIN_PATH, axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1366, 1920)
ROLES = ("clo", "rrhh", "directora", "empleat", "dpd")
# The README's screenshots (docs/screenshots/<name>.png), taken on the way when CLO_SCREENSHOTS names their folder
# (`make docs`): {login: {page: name}}.
SCREENSHOTS = {
    "clo": {"/": "clo-home", "/dashboards/learning-office/": "clo-dashboard", "/needs/": "clo-training-needs",
            "/plan/": "clo-training-plan", "/gaps/runs/": "clo-gap-analysis"},
    "rrhh": {"/": "hr-home", "/learning-plans/": "hr-learning-plans", "/imports/": "hr-imports"},
    "directora": {"/dashboards/director/": "director-dashboard", "/enrolments/requests/": "director-enrolment-requests"},
    "empleat": {"/": "employee-home", "/catalogue/": "employee-catalogue", "/learning-plans/": "employee-learning-plan"},
    "dpd": {"/data-retention/": "data-protection-retention"},
}
# Screenshots of the page the first link matching a selector leads to, rather than of the list it is on.
FOLLOW = {"employee-learning-plan": "main ul a"}

# What an empty panel says: the gap analysis has not run, a figure has no data, a list has nothing in it.
EMPTY_PANELS = r"""() => {
    const says = [
        /not calculated|has not run|not been generated|No data yet/i,
        /^(?:No|Nothing|Nobody|None)\b.*\byet\b/,
        /^(?:You have no|There (?:are|is) no|Nothing (?:recorded|matches)|No \w+ (?:is|are) (?:waiting|scheduled))\b/,
    ];
    // Not a missing figure: a to-do list that is done, and the histories of what people do in clo (imports, reports
    // asked for, changes, API tokens), which nobody has used yet on a fresh `make run`.
    const done = [
        /^You have no \w+ to answer\.$/,
        /^No import yet\.$/, /^No report has been generated yet\.$/, /^Nothing recorded with these filters\.$/,
        /^No token yet\.$/,  // the API tokens the office makes for the HR system or a BI tool: none on a fresh install
        /^No webhook yet\.$/,  // nor the webhooks, nor an LMS (its courses mapped, its learning records read)
        /^No record read yet\.$/, /^No activity is mapped yet\b/,
        /^You have no calendar address\b/,  // each person makes their own calendar feed's address, if they want one
        /^No requests yet\.$/,  // the training records asked for as PDF in bulk
        /^No mentoring given yet\.$/,  // a person's own record on their career page: most people mentor nobody
    ];
    const found = [];
    for (const element of document.querySelectorAll(
            'main .empty-state, main p, main dd, main li, main td[colspan]')) {
        if (element.closest('table') && !element.matches('td[colspan]')) continue;  // one row's own state
        const text = element.innerText.trim().replace(/\s+/g, ' ');
        if (done.some(pattern => pattern.test(text))) continue;
        if (element.matches('.empty-state') || says.some(pattern => pattern.test(text))) found.push(text);
    }
    for (const table of document.querySelectorAll('main table')) {
        if (!table.querySelector('tbody tr')) found.push('an empty table: ' + (table.id || table.className));
    }
    return [...new Set(found)];
}"""


@pytest.fixture
def demo(db):
    """The demo council ``make run`` seeds (its smallest size, to keep the test short), and one change made through
    clo, so that the audit trail has a row (its table must fit a phone too)."""
    from auditlog.context import set_actor
    from django.contrib.auth import get_user_model

    from clo.people.models import Employee

    summary = seed_demo(employees=MIN_EMPLOYEES, seed=DEFAULT_SEED, today=timezone.localdate())
    employee = Employee.objects.get(user__username="empleat")
    with set_actor(get_user_model().objects.get(username="rrhh")):
        employee.email = "empleat.nou@vilamar.example"
        employee.save(update_fields=["email"])
    return summary


def log_in(page, username: str) -> None:
    page.goto(LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert urlsplit(page.url).path == "/", f"{username} could not sign in"


def open_page(page, path: str) -> None:
    response = page.goto(path)
    assert response.status == 200, f"{path} answered {response.status}"
    page.wait_for_load_state("networkidle")  # the panels a board loads after itself (HTMX) are in


def first_pages(page) -> list[str]:
    """The home page and every page of the navigation (the Django admin is not part of clo's own pages)."""
    paths = page.eval_on_selector_all(".site-nav a[href]", "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(["/", *(path for path in paths if not path.startswith("/admin/"))]))


def links_on(page) -> list[str]:
    """Every link of the page to clo itself (paths with their query), fragments dropped."""
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    origin = urlsplit(page.url).netloc
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme in ("http", "https") and parts.netloc == origin and not parts.path.startswith("/admin/"):
            found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def overflow(page) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("username", ROLES)
def test_every_roles_first_five_minutes(e2e_page, live_server, demo, username):
    page = e2e_page
    log_in(page, username)
    pages = first_pages(page)
    assert len(pages) >= 2, f"{username}'s navigation offers no page"
    problems: list[str] = []
    links: dict[str, str] = {}
    for path in pages:
        open_page(page, path)
        problems += [f"{path}: an empty panel: {text!r}" for text in page.evaluate(EMPTY_PANELS)]
        for link in links_on(page):
            links.setdefault(link, path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            if (sideways := overflow(page)) > 0:
                problems.append(f"{path}: scrolls sideways by {sideways} px at {width} px")
        page.set_viewport_size({"width": 1280, "height": 900})
        axe_check(page)
        if (folder := os.environ.get("CLO_SCREENSHOTS")) and (name := SCREENSHOTS[username].get(path)):
            page.set_viewport_size({"width": 1366, "height": 900})
            if name in FOLLOW:
                with page.expect_navigation():
                    page.locator(FOLLOW[name]).first.click()
            page.screenshot(path=str(Path(folder) / f"{name}.png"))
            page.set_viewport_size({"width": 1280, "height": 900})

    for link, found_on in links.items():
        response = page.request.get(link)
        if response.status != 200:
            problems.append(f"{found_on}: the link {link} answers {response.status}")
        elif urlsplit(response.url).path == LOGIN_PATH:
            problems.append(f"{found_on}: the link {link} leads to the login page")
    assert not problems, f"{username} on {len(pages)} pages, {len(links)} links:\n" + "\n".join(problems)
