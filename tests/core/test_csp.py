"""The strict Content-Security-Policy holds on the main pages: the header allows no inline script or style and no
eval, and the HTML has nothing that would need them (no inline <script> body, no on*= handler, no style attribute
or <style> element), SVG charts included. Names typed or imported with markup in them come out escaped."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from evaluations.gaps.services import gaps_full_run
from programs.models import NeedsCampaign
from tests import factories as f

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'
_TAG = re.compile(r"<[a-zA-Z][^>]*>")
_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
_STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.I)


def csp_problems(response) -> list[str]:
    problems = []
    policy = response.get("Content-Security-Policy", "")
    if not policy:
        problems.append("no Content-Security-Policy header")
    for needle in ("'unsafe-inline'", "'unsafe-eval'"):
        if needle in policy:
            problems.append(f"the policy allows {needle}")
    for needle in ("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                   "object-src 'none'"):
        if needle not in policy:
            problems.append(f"the policy lacks {needle}")
    html = response.content.decode()
    for attributes, script_body in _SCRIPT.findall(html):
        if script_body.strip() or "src=" not in attributes:
            problems.append(f"inline script: {script_body.strip()[:80]!r}")
    if re.search(r"<style\b", html, re.I):
        problems.append("a <style> element")
    for tag in _TAG.findall(html):
        if _HANDLER.search(tag):
            problems.append(f"an event handler attribute: {tag[:120]}")
        if _STYLE_ATTRIBUTE.search(tag):
            problems.append(f"a style attribute: {tag[:120]}")
    return problems


@pytest.fixture
def data(org, clo_user, hr_user, director_a, employee_a, director_b, employee_b):
    """A gap for employee_a (so the boards draw their SVG charts), an open needs campaign, and markup in the names
    a person or an HR import could type: a unit, a person, a competency, a program."""
    org.unit_a1.name = f"Servei {HOSTILE}"
    org.unit_a1.save()
    employee_a.first_name = f"Pere {HOSTILE}"
    employee_a.save()
    framework = f.FrameworkFactory(code="CSP", name="Framework")
    area = f.AreaFactory(framework=framework, code="AR", name=f"Area {HOSTILE}")
    writing = f.CompetencyFactory(area=area, framework=framework, code="W1", name=f"Writing {HOSTILE}")
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3, is_critical=True)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    program = f.ProgramFactory(title=f"Course {HOSTILE}")
    f.SessionFactory(program=program)
    today = timezone.localdate()
    NeedsCampaign.objects.create(year=today.year + 1, opens_on=today - dt.timedelta(days=3),
                                 deadline=today + dt.timedelta(days=20), opened_by=clo_user)
    gaps_full_run()
    return {"program": program}


def client_for(user=None) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


def test_the_main_pages_need_no_inline_script_or_style(data, clo_user, director_a, employee_a):
    clo, director, employee = client_for(clo_user), client_for(director_a.user), client_for(employee_a.user)
    pages = [
        (client_for(), reverse("login")),
        (clo, reverse("home")),
        (clo, reverse("dashboard_clo")),
        (clo, reverse("dashboard_employee", args=[employee_a.pk])),
        (clo, reverse("programs:program_create")),
        (clo, reverse("evaluations:campaign_create")),
        (clo, reverse("programs:program_detail", args=[data["program"].pk])),
        (director, reverse("home")),
        (director, reverse("dashboard_director")),
        (director, reverse("programs:need_create")),
        (employee, reverse("home")),
        (employee, reverse("programs:catalogue")),
        (employee, reverse("programs:my_training")),
    ]
    problems = []
    for client, url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        problems += [f"{url}: {problem}" for problem in csp_problems(response)]
    assert not problems, "\n".join(problems)


def test_the_charts_are_drawn_and_the_markup_in_names_is_shown_as_text(data, clo_user):
    html = client_for(clo_user).get(reverse("dashboard_clo")).content.decode()
    assert "<svg" in html  # the check above did look at the SVG charts
    assert "Writing &lt;script&gt;" in html or "Area &lt;script&gt;" in html
    assert "<script>alert" not in html and "<img src=x onerror" not in html


def test_the_check_finds_what_the_policy_forbids(rf):
    """The check itself: it flags an inline script, a handler, a style attribute and a weak policy."""
    from django.http import HttpResponse

    response = HttpResponse('<p style="color:red" onclick="go()">x</p><script>run()</script>'
                            '<script src="/static/a.js"></script>')
    response["Content-Security-Policy"] = "default-src 'self'; script-src 'self' 'unsafe-inline'"
    problems = "\n".join(csp_problems(response))
    assert "'unsafe-inline'" in problems and "inline script: 'run()'" in problems
    assert "event handler" in problems and "style attribute" in problems
    assert "/static/a.js" not in problems
