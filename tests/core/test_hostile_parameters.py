"""No address makes a server error: every page's query parameters, and every id in a path, get hostile values (huge,
negative, not a number, a NUL byte, very long, unicode, empty, repeated) and the answer is a page (its filters showing
the error, or the parameter ignored), a redirect, 400 or 404 — never 500.

Which parameters each page reads is collected from the pages themselves, as the learning office sees them (the CLO
sees everything): every link and every GET form of every page names an address and its parameters, with values that
work; each parameter is then given each hostile value while the others keep theirs (the people behind a heatmap cell
need a valid unit before their competency is even read). ``EXTRA`` adds what no page links to.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from tests.core.test_url_walk import FILL, PUBLIC, Literal, urls_of, walk, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

HUGE = str(10**30)
HOSTILE: dict[str, str | list[str]] = {
    "huge": HUGE,
    "just past a 64-bit integer": str(2**63),
    "negative": "-1",
    "not a number": "abc",
    "NUL byte": "1\x00",
    "very long": "9" * 5000,
    "unicode": "²٣ñ🙂",
    "a digit that is not a number": "²",
    "empty": "",
    "repeated": ["1", "2"],
}
# Parameters that pages read but that no page links to with a value: the language of a plan's PDF and XLSX, the
# tabs and filters of pages reached from outside a page's own links.
EXTRA: dict[str, tuple[str, ...]] = {
    "programs:training_plan_pdf": ("lang",),
    "programs:training_plan_xlsx": ("lang",),
    "programs:funding_application_pdf": ("lang",),
    "programs:funding_justification_pdf": ("lang",),
    "programs:triage": ("year", "page"),
    "programs:need_list": ("status", "q", "page"),
    "programs:need_create": ("competency", "participants", "title"),
    "programs:plan_list": ("year", "page", "q", "unit"),
    "programs:uncovered_gaps": ("unit", "page"),
    "evaluations:peers_choose": ("q",),
    "imports:job": ("page",),
    "audit_log": ("tab", "page"),
    "dashboard_people": ("unit", "competency", "area", "framework", "kind", "group", "own", "page"),
    "dashboard_critical": ("unit", "area", "framework"),
    "dashboard_clo": ("unit", "framework", "area", "kind", "group", "year"),
    "accounts:account_list": ("q", "access", "invitation", "unit", "page"),
}
EVERYWHERE = ("page", "export", "table", "unit")  # read by lists everywhere: tried on every page


class _Links(HTMLParser):
    """The addresses a page links to (``href``, ``hx-get``) and its GET forms with their fields' values."""

    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "hx-get"):
            if attrs.get(name):
                self.links.append(attrs[name])
        if tag == "form" and (attrs.get("method") or "get").lower() == "get":
            self._form = (attrs.get("action") or "", [])
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea") and attrs.get("name"):
            if tag == "select":
                self._select = attrs["name"]
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                self._form[1].append((attrs["name"], ""))
            elif tag != "select":
                self._form[1].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "option" and self._select and self._form is not None and "selected" in attrs:
            self._form[1].append((self._select, attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


@dataclass
class Target:
    """An address of a GET page, a query that works there, and every parameter seen on it."""

    path: str
    name: str
    query: dict[str, str] = field(default_factory=dict)
    params: set[str] = field(default_factory=set)


def _route_name(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def collect(client: Client, world) -> dict[str, Target]:
    """Every GET page of the project, each with the parameters its links and forms use (keyed by address)."""
    targets: dict[str, Target] = {}
    pages = []
    for route in walk():
        if route.name in PUBLIC:
            continue
        for url, _names_object in urls_of(route, world):
            response = client.get(url)
            if response.status_code == 405:
                continue
            target = targets.setdefault(url, Target(url, route.name))
            target.params.update(EVERYWHERE, EXTRA.get(route.name, ()))
            if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
                pages.append((url, response.content.decode()))

    def seen(address: str, base: str, pairs) -> None:
        parts = urlsplit(address)
        if parts.scheme or parts.netloc:
            return
        path = parts.path or urlsplit(base).path
        name = _route_name(path)
        if name is None or name in PUBLIC:
            return
        target = targets.get(path)
        if target is None:
            return
        pairs = list(pairs)
        target.params.update(key for key, _value in pairs)
        pairs = [(key, value) for key, value in pairs if key not in ("export", "table")]  # the page, not a file
        if pairs and not target.query:
            target.query = dict(pairs)

    for url, page in pages:
        parser = _Links()
        parser.feed(page)
        for link in parser.links:
            seen(link.replace("&amp;", "&"), url, parse_qsl(urlsplit(link.replace("&amp;", "&")).query,
                                                             keep_blank_values=True))
        for action, fields in parser.forms:
            seen(action or url, url, fields)
    return targets


def _request(client: Client, method: str, url: str, data) -> int:
    """The status of one request; a server error is rolled back so that the next request still works."""

    class ServerError(Exception):
        pass

    status = 0
    try:
        with transaction.atomic():
            response = getattr(client, method)(url, data)
            status = response.status_code
            if status >= 500:
                raise ServerError
    except ServerError:
        pass
    return status


@pytest.fixture
def clo(clo_user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(clo_user)
    return client


def test_no_query_parameter_makes_a_server_error(clo, world):
    targets = collect(clo, world)
    assert len(targets) > 40
    # The collection found the parameters of the pages that read them (the control of this test).
    people = targets[reverse("dashboard_people")]
    assert {"unit", "competency", "area", "own"} <= people.params and people.query.get("unit")
    assert {"framework", "area", "kind", "group", "year"} <= targets[reverse("dashboard_clo")].params
    problems = []
    tried = 0
    for target in targets.values():
        for param, (label, value) in itertools.product(sorted(target.params), HOSTILE.items()):
            status = _request(clo, "get", target.path, {**target.query, param: value})
            tried += 1
            if status >= 500:
                problems.append(f"GET {target.path}?{param}= {label} → {status}")
    assert tried > 1000
    assert not problems, "\n".join(problems)


def test_no_huge_id_in_a_path_makes_a_server_error(clo, world):
    problems = []
    for route in walk():
        ints = [param for param in route.params if f"<int:{param}>" in route.route]
        if route.name in PUBLIC or not ints:
            continue
        fill = FILL[route.name]
        base = {}
        for param in route.params:
            source = fill[param]
            value = source.values[0] if isinstance(source, Literal) else getattr(world, source)
            base[param] = value if isinstance(value, (int, str)) else value.pk
        for param, huge, method in itertools.product(ints, (HUGE, str(2**63)), ("get", "post")):
            url = reverse(route.name, kwargs={**base, param: huge})
            status = _request(clo, method, url, {})
            if status >= 500:
                problems.append(f"{method.upper()} {url} → {status}")
            elif method == "get" and status not in (403, 404, 405):
                problems.append(f"GET {url} → {status}: a record that cannot exist is not a page")
    assert not problems, "\n".join(problems)


def test_a_board_asked_for_an_impossible_unit_shows_itself_with_the_error_at_the_filter(clo_user, world):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(clo_user)
    response = client.get(reverse("dashboard_clo"), {"unit": HUGE})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="id_unit-error"' in page and "Select a valid choice." in page
    assert 'aria-invalid="true"' in page


def test_the_people_behind_a_figure_of_an_impossible_competency_do_not_exist(clo, world):
    unit = world.employee.unit.pk
    assert clo.get(reverse("dashboard_people"), {"unit": unit}).status_code == 200
    for hostile in (HUGE, "-1", "abc", "1\x00"):
        assert clo.get(reverse("dashboard_people"), {"unit": unit, "competency": hostile}).status_code == 404
        assert clo.get(reverse("dashboard_people"), {"unit": unit, "kind": hostile}).status_code == 404
