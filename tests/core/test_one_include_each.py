"""Every paginated list pages the same way (templates/includes/pagination.html) and every form sums up its errors the
same way (templates/includes/form_errors.html)."""

from __future__ import annotations

from pathlib import Path

from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]


def test_no_template_but_the_include_draws_a_pager():
    copies = [
        str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts and path.name != "pagination.html"
        and "page.has_previous" in path.read_text(encoding="utf-8")
    ]
    assert copies == []


def test_the_pager_keeps_the_filters_and_swaps_the_list():
    page = Paginator(range(60), 25).get_page(2)
    with translation.override("en"):
        html = render_to_string("includes/pagination.html",
                                {"page": page, "query": "status=submitted&q=a b", "target": "#results"})
        plain = render_to_string("includes/pagination.html", {"page": page})
        alone = render_to_string("includes/pagination.html", {"page": Paginator(range(3), 25).get_page(1)})
    assert 'href="?status=submitted&amp;q=a b&amp;page=1"' in html
    assert 'href="?status=submitted&amp;q=a b&amp;page=3"' in html
    assert 'hx-target="#results" hx-swap="outerHTML"' in html
    assert "Page 2 of 3" in html
    assert 'href="?page=1"' in plain and "hx-get" not in plain
    assert alone.strip() == ""


# Sign-in pages draw their fields by hand (no asterisk) and point them at their summary; a formset row's errors sit
# in the row.
OWN_ERROR_MARKUP = {"templates/registration/login.html", "clo/accounts/templates/accounts/local_login.html",
                    "clo/accounts/templates/accounts/includes/password_fields.html",
                    "templates/programs/delivery/program_form.html"}


def test_no_form_but_the_include_draws_its_error_summary():
    copies = [
        str(path.relative_to(ROOT)) for path in sorted(ROOT.glob("**/templates/**/*.html"))
        if ".venv" not in path.parts and path.name != "form_errors.html"
        and str(path.relative_to(ROOT)) not in OWN_ERROR_MARKUP
        and "non_field_errors" in path.read_text(encoding="utf-8")
    ]
    assert copies == []
