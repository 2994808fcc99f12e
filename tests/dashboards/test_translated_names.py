"""Frameworks, areas and competencies are named in the reader's language on the boards (Catalan when a name has no
translation), like everywhere else: the boards read them with the stored gap roll-ups, in one query."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.utils import timezone, translation

from competencies.models import Area, Competency, Framework
from evaluations.gaps.services import gaps_full_run
from tests import factories as f

pytestmark = pytest.mark.django_db

CLO_URL = "/dashboards/learning-office/"
NAMES = {
    Framework: ("Marc de competències digitals", "Marco de competencias digitales", "Digital competence framework"),
    Area: ("Alfabetització informacional", "Alfabetización informacional", "Information literacy"),
    Competency: ("Gestió de la informació", "Gestión de la información", "Managing information"),
}


@pytest.fixture
def named(org, employee_a):
    with translation.override("ca"):
        framework = f.FrameworkFactory(code="DIGI", name=NAMES[Framework][0])
        area = f.AreaFactory(framework=framework, code="INF", name=NAMES[Area][0], order=1)
        competency = f.CompetencyFactory(area=area, code="INF1", name=NAMES[Competency][0])
        untranslated = f.CompetencyFactory(area=area, code="INF2", name="Cerca avançada")
    for model, (ca, es, en) in NAMES.items():
        model.objects.update(name_ca=ca, name_es=es, name_en=en)
    Competency.objects.filter(pk=untranslated.pk).update(name_ca="Cerca avançada", name_es="", name_en="")
    for required in (competency, untranslated):
        f.RequirementFactory(position=employee_a.position, competency=required, required_level=3)
        f.CurrentLevelFactory(employee=employee_a, competency=required, level=1, source="import",
                              assessed_on=timezone.localdate() - dt.timedelta(days=30))
    gaps_full_run()
    return area


@pytest.mark.parametrize("language", ["ca", "es", "en"])
def test_the_board_names_areas_and_competencies_in_the_readers_language(clo_client, named, language):
    index = ("ca", "es", "en").index(language)
    clo_client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    page = html.unescape(clo_client.get(CLO_URL).content.decode())
    assert NAMES[Area][index] in page and NAMES[Framework][index] in page
    others = {NAMES[Area][i] for i in range(3) if i != index} - {NAMES[Area][index]}
    assert not [name for name in others if name in page]
    drill = html.unescape(clo_client.get(CLO_URL, {"area": named.pk}).content.decode())
    assert NAMES[Competency][index] in drill
    assert "Cerca avançada" in drill  # no translation: the Catalan name
