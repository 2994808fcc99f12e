"""Names that django-modeltranslation translates (``name`` → ``name_ca``, ``name_es``, ``name_en``), read through a
relation by a query on a model it does not manage (a roll-up's ``area__name``): such a lookup reads the plain column,
Catalan, whatever the reader's language. ``in_language`` reads the active language's column instead, falling back as
modeltranslation does (``MODELTRANSLATION_FALLBACK_LANGUAGES``, then the plain column), in the same query."""

from __future__ import annotations

from django.conf import settings
from django.db.models import CharField, F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation


def _languages() -> list[str]:
    languages = list(getattr(settings, "MODELTRANSLATION_LANGUAGES", [code for code, _name in settings.LANGUAGES]))
    active = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    fallbacks = getattr(settings, "MODELTRANSLATION_FALLBACK_LANGUAGES", (settings.LANGUAGE_CODE,))
    if isinstance(fallbacks, dict):
        fallbacks = fallbacks.get(active, fallbacks.get("default", ()))
    fallbacks = fallbacks or ()
    order = [active] + [code for code in fallbacks if code != active]
    return [code for code in order if code in languages]


def in_language(lookup: str):
    """``lookup`` (e.g. ``"area__name"``) in the active language, or its first non-empty fallback."""
    text = CharField()
    return Coalesce(*(NullIf(F(f"{lookup}_{code}"), Value(""), output_field=text) for code in _languages()),
                    F(lookup), output_field=text)


def alias(lookup: str) -> str:
    """The name of ``in_language(lookup)`` in ``values()`` (a lookup cannot name an annotation)."""
    return f"{lookup.replace('__', '_')}_in_language"


def values_list_fields(fields, translated) -> list:
    """``fields`` for ``values_list``, with those in ``translated`` read in the active language."""
    return [in_language(name) if name in translated else name for name in fields]
