"""No dead links: for each role, the home page, the dashboards the role may open and every page of its navigation are
rendered, and every internal link found on them is followed once. None answers 404 or 403: a page shows a link only
to a page its reader can open.

Links are deduplicated by URL pattern (two sessions' pages are one check) and capped per role, so the walk stays
fast; downloads, logout and in-page anchors are skipped.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from tests.conftest import login
from tests.dashboards.test_home import world  # noqa: F401  (the small seeded council, a fixture)

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
MAX_LINKS_PER_ROLE = 60
SKIPPED_VIEWS = {"logout", "set_language"}


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href") and "download" not in attrs:
            self.hrefs.append(attrs["href"])


def _internal_links(page_url: str, content: str) -> list[str]:
    reader = _Links()
    reader.feed(content)
    links = []
    for href in reader.hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#") or href.startswith("mailto:"):
            continue
        path = parts.path or urlsplit(page_url).path
        links.append(path + (f"?{parts.query}" if parts.query else ""))
    return links


def _pattern(url: str) -> str | None:
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return url  # an unknown address is itself a dead link: keep it, the walk reports it
    if match.view_name in SKIPPED_VIEWS or match.namespace == "admin":
        return None
    if "format" in match.kwargs or "fmt" in match.kwargs:
        return None  # a download
    return match.route


def _start_pages(client) -> list[str]:
    response = client.get("/", **EN)
    assert response.status_code == 200
    starts = ["/", reverse("dashboard_clo"), reverse("dashboard_director")]
    navigation = response.context["nav_groups"]
    starts += [link.url for group in navigation for link in group.links]
    return starts


def _walk(client) -> list[tuple[str, str, int]]:
    """(page, link, status) of each dead link reached from the start pages of ``client``'s user."""
    dead: list[tuple[str, str, int]] = []
    pages: list[tuple[str, str]] = []  # (page, its content) that rendered
    for start in dict.fromkeys(_start_pages(client)):
        if _pattern(start) is None:
            continue
        response = client.get(start, **EN)
        if response.status_code == 200 and "html" in response.get("Content-Type", ""):
            pages.append((start, response.content.decode()))
        # A dashboard the role may not open is not one of its start pages: only a link to it would be dead.
    seen: set[str] = {pattern for start, _ in pages if (pattern := _pattern(start)) is not None}
    followed = 0
    for page, content in pages:
        for link in _internal_links(page, content):
            pattern = _pattern(link)
            if pattern is None or pattern in seen:
                continue
            seen.add(pattern)
            followed += 1
            if followed > MAX_LINKS_PER_ROLE:
                return dead
            status = client.get(link, **EN).status_code
            if status in (403, 404):
                dead.append((page, link, status))
    return dead


@pytest.mark.parametrize("persona", ["clo_user", "hr_user", "director_a", "employee_a"])
def test_no_page_links_to_a_page_its_reader_cannot_open(persona, world, request, client):  # noqa: F811
    person = request.getfixturevalue(persona)
    login(client, getattr(person, "user", person))
    assert _walk(client) == []


def test_the_walk_finds_a_dead_link(world, hr_user, client):  # noqa: F811
    """The walk itself can fail: a link to a page the reader may not open is reported."""
    login(client, hr_user)
    content = f'<a href="{reverse("programs:triage")}">x</a><a href="#top">y</a><a href="/x.csv" download>z</a>'
    links = _internal_links("/", content)
    assert links == [reverse("programs:triage")]
    assert client.get(links[0], **EN).status_code == 404
