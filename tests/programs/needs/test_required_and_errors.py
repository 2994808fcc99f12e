"""What a person sees of a form's rules before and after sending it: required fields carry an asterisk (and
``required`` / ``aria-required`` for assistive technology) explained by a translated legend, in every form, and a
form sent with errors comes back with a summary at its top that takes the focus and links to each field at fault,
on a full page and through htmx."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


def label_of(html: str, field_id: str) -> str:
    match = re.search(rf'<label for="{field_id}">(.*?)</label>', html, re.S)
    assert match, f"no label for {field_id}"
    return match.group(1)


def tag_of(html: str, field_id: str) -> str:
    match = re.search(rf'<(?:input|textarea|select)[^>]*id="{field_id}"[^>]*>', html)
    assert match, f"no widget {field_id}"
    return match.group(0)


def test_the_fields_a_need_needs_to_be_submitted_are_marked_required(director_a_client, campaign):
    html = director_a_client.get(reverse("programs:need_create")).content.decode()
    for field in ("strategic_objective", "justification"):
        assert 'class="required-mark"' in label_of(html, f"id_{field}")
        assert 'aria-required="true"' in tag_of(html, f"id_{field}")
    assert 'class="required-mark"' in label_of(html, "id_title") and " required" in tag_of(html, "id_title")
    assert 'class="required-mark"' not in label_of(html, "id_desired_period")  # optional: no asterisk
    assert re.search(r'class="required-legend"><span class="required-mark" aria-hidden="true">\*</span> required', html)


def test_the_legend_of_the_asterisk_is_translated(director_a_client, campaign):
    for language, word in (("ca", "obligatori"), ("es", "obligatorio")):
        html = director_a_client.get(reverse("programs:need_create"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert re.search(rf'class="required-legend">.*</span> {word}</p>', html)


def test_a_form_rendered_field_by_field_by_django_marks_its_required_fields_too(clo_client):
    """The catalogue's program form prints ``{{ field.as_field_group }}``: the project's field template is used."""
    html = clo_client.get(reverse("programs:program_create")).content.decode()
    assert 'class="required-mark"' in label_of(html, "id_title") and " required" in tag_of(html, "id_title")
    assert 'class="required-mark"' not in label_of(html, "id_provider")


@pytest.mark.parametrize("headers", [{}, HX], ids=["page", "htmx"])
def test_a_need_submitted_incomplete_comes_back_with_a_focused_summary_linking_each_field(
        director_a_client, campaign, org, headers):
    data = {"unit": org.unit_a1.pk, "title": "Plain language", "priority": "high", "preferred_modality": "online",
            "_submit": "1"}
    response = director_a_client.post(reverse("programs:need_create"), data, **headers)
    assert response.status_code == 422
    html = response.content.decode()
    summary = re.search(r'<div class="form-errors"[^>]*>(.*?)</div>', html, re.S)
    assert summary, html
    opening = summary.group(0)[: summary.group(0).index(">") + 1]
    assert 'id="need-form-errors"' in opening and 'tabindex="-1"' in opening and "autofocus" in opening
    assert "data-error-summary" in opening
    links = dict(re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(1)))
    assert "Say which strategic objective" in links["id_strategic_objective"]
    assert "Explain why the unit needs this training." in links["id_justification"]
    assert "id_competencies" in links
    # the summary comes first in the form, before any field
    assert html.index("need-form-errors") < html.index('id="id_unit"')
    if headers:
        assert "<html" not in html
    else:
        assert 'src="/static/js/error-summary.js"' in html  # moves the focus after an htmx swap too


def test_a_form_without_errors_has_no_summary(director_a_client, campaign):
    assert "data-error-summary" not in director_a_client.get(reverse("programs:need_create")).content.decode()


def test_the_catalogue_forms_share_the_error_summary_and_the_legend(clo_client):
    response = clo_client.post(reverse("programs:program_create"), {"title": ""}, **HX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="program-errors"' in html and "data-error-summary" in html and 'href="#id_title"' in html
    assert 'class="required-legend"' in html
