"""In a real browser, on the demo council (``seed_demo``, its smallest size): for every role, the home page, the
dashboards and every page of the navigation fit a 390 px phone, a 1366 px laptop and a 1920 px screen without
scrolling sideways (a wide table scrolls inside its own region); on the phone every link of the navigation is
reachable by opening its group; axe finds nothing on those pages in Catalan, Spanish and English."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from clo.demo.accounts import DEMO_PASSWORD
from clo.demo.seed import MIN_EMPLOYEES, seed_demo
from tests.e2e.browser import LOGIN_PATH, axe_check, switch_language

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = (390, 1366, 1920)
PHONE = 390
ROLES = ("clo", "rrhh", "directora", "empleat")
GROUPS = ".site-nav .nav-group > details"
ANY = re.compile(".*")


@pytest.fixture
def demo(db):
    return seed_demo(employees=MIN_EMPLOYEES, seed=5, today=timezone.localdate())


def log_in(page, username: str) -> None:
    page.goto(LOGIN_PATH)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def overflow(page) -> int:
    """How far the page scrolls sideways (0 when it fits)."""
    return page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")


def open_page(page, path: str) -> None:
    page.goto(path)
    page.wait_for_load_state("networkidle")  # the panels a board loads after itself (HTMX) are in


def nav_paths(page) -> list[str]:
    paths = page.eval_on_selector_all(".site-nav a[href]", "links => links.map(a => a.getAttribute('href'))")
    return [path for path in dict.fromkeys(paths) if not path.startswith("/admin/")]


def check_every_link_reachable_on_a_phone(page) -> int:
    """Open each group of the navigation in turn: each of its links is visible and within the screen, and the page
    still does not scroll sideways. Returns how many links were reached."""
    reached = 0
    groups = page.locator(GROUPS)
    for index in range(groups.count()):
        group = groups.nth(index)
        summary = group.locator("summary")
        summary.click()
        assert group.get_attribute("open") is not None
        links = group.locator("ul a")
        for number in range(links.count()):
            link = links.nth(number)
            assert link.is_visible(), link.inner_text()
            box = link.bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE, (link.inner_text(), box)
            reached += 1
        assert overflow(page) <= 0, f"the page scrolls sideways with the menu {summary.inner_text()!r} open"
        summary.click()
        assert group.get_attribute("open") is None
    return reached


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_the_navigation_fits_every_screen(e2e_page, live_server, demo, username):
    page = e2e_page
    log_in(page, username)
    paths = nav_paths(page)
    boards = {"clo": "/dashboards/learning-office/", "directora": "/dashboards/director/"}
    assert username not in boards or boards[username] in paths
    for path in ["/", *paths]:
        open_page(page, path)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            assert overflow(page) <= 0, f"{path} scrolls sideways at {width} px by {overflow(page)} px"
        page.set_viewport_size({"width": 1280, "height": 900})

    open_page(page, "/")
    page.set_viewport_size({"width": PHONE, "height": 800})
    links = page.locator(".site-nav .nav-group a")
    assert check_every_link_reachable_on_a_phone(page) == links.count() >= 3


def test_the_learning_offices_pages_pass_axe_in_every_language(e2e_page, live_server, demo):
    """The pages the navigation leads to, with the heatmap of one framework and its chooser, and a menu open."""
    page = e2e_page
    log_in(page, "clo")
    paths = ["/", *nav_paths(page)]
    for language in ("ca", "es", "en"):
        switch_language(page, language)
        for path in paths:
            open_page(page, path)
            axe_check(page)
        open_page(page, "/dashboards/learning-office/")
        assert page.locator(".heatmap-frameworks a").count() >= 2
        assert page.locator(".heatmap-frameworks a[aria-current='true']").count() == 1
        page.set_viewport_size({"width": PHONE, "height": 800})
        page.locator(GROUPS).first.locator("summary").click()
        axe_check(page)
        page.set_viewport_size({"width": 1280, "height": 900})


@pytest.mark.parametrize("username", ["rrhh", "directora", "empleat"])
def test_the_other_roles_home_and_board_pass_axe(e2e_page, live_server, demo, username):
    page = e2e_page
    log_in(page, username)
    for path in ["/", *[p for p in nav_paths(page) if p.startswith("/dashboards/")]]:
        open_page(page, path)
        axe_check(page)


def test_the_menus_work_with_the_keyboard_and_one_is_open_at_a_time(e2e_page, live_server, demo):
    page = e2e_page
    log_in(page, "clo")
    page.wait_for_function("() => document.readyState === 'complete'")
    groups = page.locator(GROUPS)
    first, second = groups.nth(0), groups.nth(1)
    first.locator("summary").focus()
    page.keyboard.press("Enter")
    assert first.get_attribute("open") is not None
    page.keyboard.press("Tab")  # into the open menu
    assert page.evaluate("() => document.activeElement.closest('details') !== null")
    second.locator("summary").click()
    expect(second).to_have_attribute("open", ANY)
    expect(first).not_to_have_attribute("open", ANY)  # nav.js closes the other one
    page.keyboard.press("Escape")
    expect(second).not_to_have_attribute("open", ANY)
    assert page.evaluate("() => document.activeElement.tagName") == "SUMMARY"
    page.keyboard.press("Space")
    expect(second).to_have_attribute("open", ANY)
    box = page.locator("main").bounding_box()  # a click outside the menu (its bottom corner: an open menu covers the top)
    page.mouse.click(box["x"] + box["width"] - 4, box["y"] + box["height"] - 4)
    expect(second).not_to_have_attribute("open", ANY)
