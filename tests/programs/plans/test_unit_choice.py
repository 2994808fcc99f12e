"""The unit a bulk run covers (learning plan PDFs, plan generation): the organisation is offered once, as "The whole
organisation", not also as its root unit (the council) under it."""

from __future__ import annotations

import html
import re

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _options(page: str, form_action: str) -> list[str]:
    form = re.search(rf'<form[^>]*action="{re.escape(form_action)}".*?</form>', page, re.S).group(0)
    select = re.search(r'<select name="unit".*?</select>', form, re.S).group(0)
    return [html.unescape(text).strip() for text in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


@pytest.mark.parametrize(("url", "action"), [
    ("programs:pdf_jobs", "programs:pdf_jobs"), ("programs:plan_list", "programs:plans_generate_units")])
def test_the_organisation_is_offered_once(hr_client, org, url, action):
    hr_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "ca"
    options = _options(hr_client.get(reverse(url)).content.decode(), reverse(action))
    assert options[0] == "Tota l'organització"
    assert not [o for o in options if o.endswith("Ajuntament de Vilamar")]
    assert options[1:] == ["Àrea de Serveis a les Persones", "· Servei d'Educació", "Àrea d'Urbanisme",
                           "· Servei de Llicències"]


def test_with_two_root_units_both_are_offered(hr_client, org):
    f.OrgUnitFactory(code="CONS", name="Consorci de Serveis", kind="area")
    hr_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    options = _options(hr_client.get(reverse("programs:pdf_jobs")).content.decode(), reverse("programs:pdf_jobs"))
    assert options[0] == "The whole organisation"
    assert "Ajuntament de Vilamar" in options and "Consorci de Serveis" in options
    assert "· Àrea de Serveis a les Persones" in options
