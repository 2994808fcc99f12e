"""The preposition "of" before a person's or a unit's name, as the council's own documents write it.

Catalan contracts and elides: "d'Andreu", "d'Hug", "de Berta"; a unit whose name starts with a common noun takes the
noun's article: "del Servei de Formació", "dels Serveis Socials", "de l'Àrea de Recursos Humans", "de la Secció de
Nòmines", "de la Unitat de Formació". Spanish only contracts de + el: "del Servicio", "de la Sección", "de Andreu".
English writes "of".

The rules chosen (kept simple, and tested in tests/core/test_catalan.py):
- d' before a vowel (accented or not) or an h followed by a vowel: "d'Àngels", "d'Hug", "d'Iu", "d'Úrsula";
- de before i or u (after an optional h) followed by a, e or o, where the i or u is a semiconsonant: "de Iolanda",
  "de Huelva"; "Iu" keeps the apostrophe (its u is a vowel, not a following a, e or o);
- de + el → del, de + els → dels; l' before a masculine noun starting with a vowel or h ("de l'Institut");
  a feminine noun takes l' too ("de l'Àrea", "de l'Oficina") unless it starts with an unstressed i or u
  ("de la Unitat", "de la Intervenció");
- a name whose first word is not one of the known unit nouns is treated as a proper noun (the first rule).
"""

from __future__ import annotations

import unicodedata

from django.utils.translation import get_language

# Catalan unit nouns and their gender and number: "m", "f", "mp" (masculine plural), "fp".
_CA_NOUNS = {
    "ajuntament": "m", "àmbit": "m", "arxiu": "m", "consell": "m", "consorci": "m", "departament": "m",
    "equip": "m", "gabinet": "m", "institut": "m", "negociat": "m", "observatori": "m", "organisme": "m",
    "servei": "m", "programa": "m", "centre": "m", "districte": "m", "museu": "m", "parc": "m",
    "serveis": "mp", "departaments": "mp",
    "alcaldia": "f", "àrea": "f", "biblioteca": "f", "direcció": "f", "divisió": "f", "escola": "f",
    "gerència": "f", "intervenció": "f", "oficina": "f", "regidoria": "f", "secció": "f", "secretaria": "f",
    "sindicatura": "f", "subdirecció": "f", "tresoreria": "f", "unitat": "f", "agència": "f", "assessoria": "f",
    "inspecció": "f", "policia": "f", "guàrdia": "f",
    "oficines": "fp", "unitats": "fp",
}
# Spanish: only de + el contracts ("del área" too: "el área").
_ES_MASCULINE = {
    "ayuntamiento", "ámbito", "área", "archivo", "consejo", "consorcio", "departamento", "equipo", "gabinete",
    "instituto", "negociado", "observatorio", "organismo", "servicio", "programa", "centro", "distrito", "museo",
    "parque",
}
_ES_ARTICLES = {
    "servicios": "de los", "departamentos": "de los",
    "alcaldía": "de la", "biblioteca": "de la", "dirección": "de la", "división": "de la", "escuela": "de la",
    "gerencia": "de la", "intervención": "de la", "oficina": "de la", "concejalía": "de la", "sección": "de la",
    "secretaría": "de la", "subdirección": "de la", "tesorería": "de la", "unidad": "de la", "agencia": "de la",
    "asesoría": "de la", "inspección": "de la", "policía": "de la", "guardia": "de la",
    "oficinas": "de las", "unidades": "de las",
}
_VOWELS = set("aeiou")


def _plain(text: str) -> str:
    """Lower case without accents: "Àrea" → "area"."""
    return "".join(c for c in unicodedata.normalize("NFD", text.lower()) if not unicodedata.combining(c))


def _starts_with_vowel_sound(word: str) -> bool:
    """A vowel or h + vowel, but not a semiconsonant i/u followed by a, e or o ("Iolanda", "Huelva")."""
    plain = _plain(word).removeprefix("h")
    if not plain or plain[0] not in _VOWELS:
        return False
    return not (plain[0] in "iu" and len(plain) > 1 and plain[1] in "aeo")


def _unstressed_i_or_u(word: str) -> bool:
    plain = _plain(word).removeprefix("h")
    # "Índia", "Úrsula": the accent marks the stress on the first vowel.
    first = word.lstrip("hH")[:1]
    return plain[:1] in ("i", "u") and _plain(first) == first.lower()


def _catalan(name: str) -> str:
    first = name.split(maxsplit=1)[0] if name.split() else ""
    gender = _CA_NOUNS.get(first.lower())
    if gender == "mp":
        return f"dels {name}"
    if gender == "fp":
        return f"de les {name}"
    if gender == "m":
        return f"de l'{name}" if _starts_with_vowel_sound(first) else f"del {name}"
    if gender == "f":
        if _starts_with_vowel_sound(first) and not _unstressed_i_or_u(first):
            return f"de l'{name}"
        return f"de la {name}"
    return f"d'{name}" if _starts_with_vowel_sound(first) else f"de {name}"


def _spanish(name: str) -> str:
    first = name.split(maxsplit=1)[0].lower() if name.split() else ""
    if first in _ES_MASCULINE:
        return f"del {name}"
    if first in _ES_ARTICLES:
        return f"{_ES_ARTICLES[first]} {name}"
    return f"de {name}"


def of(name: object, language: str | None = None) -> str:
    """``name`` preceded by "of" in ``language`` (default: the active language): "d'Andreu", "del Servei de
    Formació", "de la Unitat de Nòmines" in Catalan; "de Andreu", "del Servicio de Formación" in Spanish; "of
    Andreu" in English."""
    text = str(name or "").strip()
    language = (language or get_language() or "ca").split("-")[0]
    if language == "ca":
        return _catalan(text)
    if language == "es":
        return _spanish(text)
    return f"of {text}"
