"""The council's wording of names, dates and figures in Catalan, Spanish and English."""

from __future__ import annotations

import datetime

import pytest
from django.template import engines
from django.utils import translation

from clo.core.catalan import of


@pytest.mark.parametrize(("name", "expected"), [
    ("Andreu", "d'Andreu"), ("Berta", "de Berta"), ("Àngels", "d'Àngels"), ("Èric", "d'Èric"),
    ("Íngrid", "d'Íngrid"), ("Òscar", "d'Òscar"), ("Úrsula", "d'Úrsula"), ("Hug", "d'Hug"), ("Iu", "d'Iu"),
    ("Iolanda", "de Iolanda"), ("Huelva", "de Huelva"), ("Elena Puig", "d'Elena Puig"),
    ("Servei de Formació", "del Servei de Formació"), ("Serveis Socials", "dels Serveis Socials"),
    ("Departament d'Hisenda", "del Departament d'Hisenda"), ("Institut Municipal", "de l'Institut Municipal"),
    ("Àrea de Recursos Humans", "de l'Àrea de Recursos Humans"), ("Secció de Nòmines", "de la Secció de Nòmines"),
    ("Unitat de Formació", "de la Unitat de Formació"), ("Intervenció General", "de la Intervenció General"),
    ("Oficina d'Atenció", "de l'Oficina d'Atenció"), ("Ajuntament de Vilamar", "de l'Ajuntament de Vilamar"),
])
def test_catalan_contracts_and_elides_before_person_and_unit_names(name, expected):
    assert of(name, "ca") == expected


@pytest.mark.parametrize(("name", "expected"), [
    ("Andreu", "de Andreu"), ("Servicio de Formación", "del Servicio de Formación"),
    ("Área de Personas", "del Área de Personas"), ("Sección de Nóminas", "de la Sección de Nóminas"),
    ("Servicios Sociales", "de los Servicios Sociales"),
])
def test_spanish_contracts_only_de_and_el(name, expected):
    assert of(name, "es") == expected


def test_english_says_of():
    assert of("Andreu", "en") == "of Andreu"


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return engines["django"].from_string("{% load wording %}" + source).render(context)


def test_the_filter_follows_the_active_language():
    assert _render("{{ name|de }}", "ca", name="Andreu") == "d&#x27;Andreu"
    assert _render("{{ name|de }}", "es", name="Servicio de Formación") == "del Servicio de Formación"


@pytest.mark.parametrize(("language", "day", "expected"), [
    ("ca", datetime.date(2026, 12, 6), "6 de desembre de 2026"),
    ("ca", datetime.date(2026, 10, 6), "6 d'octubre de 2026"),
    ("ca", datetime.date(2026, 8, 1), "1 d'agost de 2026"),
    ("ca", datetime.date(2026, 4, 15), "15 d'abril de 2026"),
    ("es", datetime.date(2026, 12, 6), "6 de diciembre de 2026"),
    ("en", datetime.date(2026, 12, 6), "6 December 2026"),
])
def test_long_dates_read_as_the_council_writes_them(language, day, expected):
    assert _render('{% autoescape off %}{{ day|date:"DATE_FORMAT" }}{% endautoescape %}', language, day=day) == expected


def test_numbers_always_carry_the_languages_thousands_separator():
    assert _render("{{ a|number }} {{ b|number }}", "ca", a=2989, b=3085) == "2.989 3.085"
    assert _render("{{ a|number }}", "en", a=2989) == "2,989"
    assert _render("{{ a|number:1 }}", "ca", a=12345.25) == "12.345,2"


def test_the_document_check_finds_what_the_council_would_not_write():
    from tests.wording import problems

    bad = ("Avaluació de Andreu del Servei. Formació de Servei de Llicències. 6 desembre de 2026, 1 de agost de 2026. "
           "employee_number 12345. de els cursos")
    found = " ".join(problems(bad))
    for name in ("no apostrophe", "unit noun without its article", "month without its preposition",
                 "de before a month", "raw key", "thousands separator", "de + article"):
        assert name in found
    good = ("Avaluació d'Andreu del Servei d'Educació, de l'Àrea de Serveis a les Persones, de la Unitat de Formació, "
            "de Iolanda i d'Iu. 6 de desembre de 2026, 6 d'octubre de 2026, 12.345 hores, 2026.")
    assert problems(good) == []
