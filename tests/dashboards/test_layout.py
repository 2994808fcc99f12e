"""The layout every page shares: landmarks, navigation by role, language switcher, logout, login form, error pages,
and nothing inline that the strict Content-Security-Policy would block."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from tests import factories as f
from tests.conftest import login

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


class Outline(HTMLParser):
    """Tags, attributes and inline code of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.inline_scripts = 0
        self._in_script_without_src = False
        self.style_blocks = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "script" and "src" not in attrs:
            self._in_script_without_src = True
        if tag == "style":
            self.style_blocks += 1

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script_without_src = False

    def handle_data(self, data):
        if self._in_script_without_src and data.strip():
            self.inline_scripts += 1

    def all(self, tag: str, **wanted) -> list[dict]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in wanted.items())]


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def assert_csp_safe(html: str) -> None:
    page = outline(html)
    assert page.inline_scripts == 0, "inline <script>"
    assert page.style_blocks == 0, "<style> block"
    assert not [a for _, a in page.tags if "style" in a], "style= attribute"
    assert not [a for _, a in page.tags if any(k.startswith("on") for k in a)], "on*= event handler"
    assert all(a.get("src", "").startswith("/static/") for a in page.all("script")), "script not vendored"


def assert_layout(html: str) -> Outline:
    page = outline(html)
    assert page.all("html")[0]["lang"]
    assert len(page.all("h1")) == 1
    for landmark in ("header", "nav", "main", "footer"):
        assert page.all(landmark), landmark
    skip = page.all("a", **{"class": "skip-link"})
    assert skip and skip[0]["href"] == "#main" and page.all("main", id="main")
    assert page.all("meta", name="htmx-config")
    htmx = page.all("script", src="/static/vendor/htmx-2.0.11.min.js")
    assert htmx and "defer" in htmx[0]
    assert_csp_safe(html)
    return page


# --- Home and navigation ----------------------------------------------------------------------------------------


def test_home_layout_landmarks_and_csrf_for_htmx(employee_a_client):
    response = employee_a_client.get("/", **EN)
    page = assert_layout(response.content.decode())
    token = response.context["csrf_token"]
    assert page.all("body")[0]["hx-headers"] == f'{{"X-CSRFToken": "{token}"}}'
    assert page.all("a", href="/", **{"aria-current": "page"})


def test_header_shows_organisation_user_and_roles(director_a_client):
    html = director_a_client.get("/", **EN).content.decode()
    assert "Ajuntament de Vilamar" in html  # settings.CLO_ORGANISATION_NAME
    assert "Carme Roig Font" in html  # the employee's name when the login has none
    assert "Director, Employee" in html


def navigation(html: str) -> dict[str, list[tuple[str, str]]]:
    """The main navigation's groups as the page shows them: group label → [(link text, href)], in order."""
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    groups = {}
    for block in re.findall(r'<details id="nav-\w+">(.*?)</details>', nav, re.S):
        label = re.sub(r"<[^>]+>", "", re.search(r"<summary[^>]*>(.*?)</summary>", block, re.S).group(1)).strip()
        groups[label] = [(unescape(text.strip()), href)
                         for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', block)]
    return groups


PERSONAS = {
    "clo": ("clo_user", {
        "Detect": ["Dashboard", "Gap analysis", "Assessment campaigns", "My assessments", "Training needs"],
        "Plan": ["Training plan", "Learning plans", "Gaps the catalogue does not cover"],
        "Deliver": ["Catalogue", "Enrolment requests", "My training", "My calendar"],
        "Evaluate": ["Training evaluation", "My questionnaires", "Monthly reports"],
        "Talent": ["Critical positions", "Knowledge at risk", "Bench strength", "Knowledge-transfer plans",
                   "Talent reviews", "Internal trainers and mentors", "Mentoring", "Expertise directory",
                   "Communities of practice", "Challenge projects", "Project applications to answer", "Challenge projects: figures"],
        "Careers": ["My career", "Career explorer", "Itineraries", "My badges", "Horizontal career", "Career rules",
                    "Training records as PDF", "Credits and badges"],
        "Data": ["Imports", "API tokens", "Webhooks", "Learning records (xAPI)", "Audit trail", "Sign-in accounts"],
    }),
    "hr": ("hr_user", {
        "Detect": ["Dashboard", "Assessment campaigns", "My assessments", "Training needs"],
        "Plan": ["Training plan", "Learning plans"],
        "Deliver": ["Catalogue", "Enrolment requests", "My training", "My calendar"],
        "Evaluate": ["My questionnaires"],
        "Talent": ["Critical positions", "Knowledge at risk", "Bench strength", "Knowledge-transfer plans",
                   "Talent reviews", "Internal trainers and mentors", "Mentoring", "Expertise directory",
                   "Communities of practice", "Challenge projects", "Challenge projects: figures"],
        "Careers": ["My career", "Career explorer", "Itineraries", "My badges", "Horizontal career", "Career rules",
                    "Training records as PDF", "Credits and badges"],
        "Data": ["Imports", "API tokens", "Webhooks", "Audit trail", "Sign-in accounts"],
    }),
    "director": ("director_a", {
        "Detect": ["My units' dashboard", "Assessment campaigns", "My assessments", "Training needs"],
        "Plan": ["Learning plans"],
        "Deliver": ["Catalogue", "Enrolment requests", "My training", "My calendar"],
        "Evaluate": ["Training follow-ups", "My questionnaires"],
        "Talent": ["Critical positions", "Knowledge at risk", "Knowledge-transfer plans", "Talent reviews",
                   "Internal trainers and mentors", "Mentoring", "Expertise directory", "Communities of practice",
                   "Challenge projects",
                   "Project applications to answer", "Challenge projects: figures"],
        "Careers": ["My career", "Career explorer", "Itineraries", "My badges", "Horizontal career"],
    }),
    "employee": ("employee_a", {
        "Detect": ["My assessments"],
        "Plan": ["My learning plan"],
        "Deliver": ["Catalogue", "My training", "My calendar"],
        "Evaluate": ["My questionnaires"],
        "Talent": ["Mentoring", "Expertise directory", "Communities of practice", "Challenge projects"],
        "Careers": ["My career", "Career explorer", "Itineraries", "My badges"],
    }),
}


@pytest.mark.parametrize("role", PERSONAS)
def test_navigation_is_grouped_by_task_with_only_the_links_the_role_opens(client, request, role):
    fixture, expected = PERSONAS[role]
    person = request.getfixturevalue(fixture)
    login(client, getattr(person, "user", person))
    groups = navigation(client.get("/", **EN).content.decode())
    assert {label: [text for text, _ in links] for label, links in groups.items()} == expected
    for label, links in groups.items():
        for text, href in links:
            assert client.get(href, **EN).status_code == 200, (label, text, href)


def test_navigation_groups_are_disclosure_menus_that_mark_the_current_page(clo_client):
    html = clo_client.get(reverse("programs:need_list"), **EN).content.decode()
    nav = html.split('<nav class="site-nav"')[1].split("</nav>")[0]
    page = outline(nav)
    assert len(page.all("details")) == len(page.all("summary")) == 7  # open and close without JavaScript
    assert page.all("a", href=reverse("programs:need_list"), **{"aria-current": "page"})
    assert page.all("summary", **{"class": "nav-current"})
    assert re.search(r'<summary class="nav-current">Detect</summary>', nav)
    assert outline(html).all("script", src="/static/js/nav.js")  # closes the others, Escape: a static file


def test_navigation_in_catalan_first(clo_client):
    groups = navigation(clo_client.get("/", HTTP_ACCEPT_LANGUAGE="ca").content.decode())
    assert list(groups) == ["Detectar", "Planificar", "Executar", "Avaluar", "Talent", "Carrera", "Dades"]


def test_admin_link_only_for_staff(client, clo_user):
    login(client, clo_user)
    admin = reverse("admin:index")
    assert not outline(client.get("/", **EN).content.decode()).all("a", href=admin)
    clo_user.is_staff = True
    clo_user.save(update_fields=["is_staff"])
    assert outline(client.get("/", **EN).content.decode()).all("a", href=admin)


def test_logout_is_a_post_form(employee_a_client):
    page = outline(employee_a_client.get("/", **EN).content.decode())
    assert page.all("form", action=reverse("logout"), method="post")
    response = employee_a_client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert employee_a_client.get("/").status_code == 302  # logged out


def test_messages_are_an_accessible_region(rf_request):
    html = render_to_string(
        "404.html", {"messages": [Message(constants.SUCCESS, "Plan saved.")]}, request=rf_request
    )
    region = outline(html).all("div", id="messages")[0]
    assert region["role"] == "status" and region["aria-live"] == "polite"
    assert re.search(r'<p class="message message-success">Plan saved.</p>', html)


@pytest.fixture
def rf_request(employee_a):
    request = RequestFactory().get("/nowhere")
    request.user = employee_a.user
    return request


# --- Language ---------------------------------------------------------------------------------------------------


def test_language_switcher_is_a_labelled_post_form_back_to_this_page(employee_a_client):
    page = outline(employee_a_client.get("/?tab=1", **EN).content.decode())
    form = page.all("form", action=reverse("set_language"), method="post")
    assert form
    assert page.all("input", type="hidden", name="next", value="/?tab=1")
    select = page.all("select", name="language")[0]
    assert page.all("label", **{"for": select["id"]})
    options = page.all("option")
    assert [o["value"] for o in options] == ["ca", "es", "en"]
    assert [o["value"] for o in options if "selected" in o] == ["en"]


@pytest.mark.parametrize("language", ["es", "en", "ca"])
def test_language_switch_works_before_logging_in(client, db, language):
    login_url = reverse("login")
    response = client.post(reverse("set_language"), {"language": language, "next": login_url})
    assert response.status_code == 302 and response.url == login_url
    page = outline(client.get(login_url).content.decode())
    assert page.all("html")[0]["lang"] == language
    assert [o["value"] for o in page.all("option") if "selected" in o] == [language]


# --- Login ------------------------------------------------------------------------------------------------------


def test_login_page_is_accessible_and_logs_in(client, employee_a):
    url = reverse("login")
    page = assert_layout(client.get(url, **EN).content.decode())
    for name in ("username", "password"):
        field = page.all("input", name=name)[0]
        assert page.all("label", **{"for": field["id"]}), name
    assert page.all("input", name="password")[0]["autocomplete"] == "current-password"
    response = client.post(url, {"username": "empleat.a", "password": f.PASSWORD, "next": "/"})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/").status_code == 200


def test_login_errors_are_shown_next_to_the_fields(client, employee_a):
    url = reverse("login")
    html = client.post(url, {"username": "", "password": ""}, **EN).content.decode()
    page = outline(html)
    username = page.all("input", name="username")[0]
    assert username["aria-invalid"] == "true"
    assert page.all("small", id=username["aria-describedby"])
    assert "This field is required." in html

    html = client.post(url, {"username": "empleat.a", "password": "wrong-password"}, **EN).content.decode()
    page = outline(html)
    alert = page.all("div", role="alert")
    assert alert and "Please enter a correct username and password" in html
    assert page.all("input", name="username")[0]["value"] == "empleat.a"
    assert page.all("input", name="username")[0]["aria-describedby"] == alert[0]["id"]
    assert "value" not in page.all("input", name="password")[0]


# --- Error pages ----------------------------------------------------------------------------------------------


def test_404_uses_the_layout(employee_a_client):
    response = employee_a_client.get("/no-such-page/", **EN)
    assert response.status_code == 404
    page = assert_layout(response.content.decode())
    assert page.all("a", href="/")
    assert "Page not found" in response.content.decode()


def test_403_renders_with_the_layout(rf_request):
    html = render_to_string("403.html", {}, request=rf_request)
    assert_layout(html)
    assert "Access denied" in html


def test_500_renders_without_request_or_context_processors():
    html = render_to_string("500.html")
    page = outline(html)
    assert page.all("html")[0]["lang"] and len(page.all("h1")) == 1 and page.all("main")
    assert_csp_safe(html)
