"""Catalan (the default) and Spanish are complete: every message of the project has a translation that is not
marked fuzzy, and the compiled catalogues are up to date with their sources."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parents[1] / "locale"


def entries(po: Path) -> list[dict]:
    """The entries of a .po file: msgctxt, msgid, msgstr (every plural form joined) and whether it is fuzzy."""
    found, current, field = [], None, None
    for line in po.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if current and not current.get("obsolete"):
                found.append(current)
            current, field = None, None
            continue
        current = current or {"msgctxt": "", "msgid": "", "msgstr": [], "fuzzy": False}
        if line.startswith("#~"):
            current["obsolete"] = True
        elif line.startswith("#,") and "fuzzy" in line:
            current["fuzzy"] = True
        elif line.startswith("#"):
            continue
        elif match := re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$', line):
            field, text = match.groups()
            if field.startswith("msgstr"):
                current["msgstr"].append(text)
            elif field != "msgid_plural":
                current[field] = text
        elif line.startswith('"') and field:
            if field.startswith("msgstr"):
                current["msgstr"][-1] += line[1:-1]
            elif field != "msgid_plural":
                current[field] += line[1:-1]
    return [e for e in found if e["msgid"]]  # the header has an empty msgid


@pytest.mark.parametrize("language", ["ca", "es"])
def test_every_message_is_translated(language):
    po = LOCALE / language / "LC_MESSAGES" / "django.po"
    missing = [
        (e["msgctxt"] + " | " if e["msgctxt"] else "") + e["msgid"]
        for e in entries(po)
        if e["fuzzy"] or not all(e["msgstr"])
    ]
    assert not missing, f"{len(missing)} messages without a {language} translation, e.g. {missing[:5]}"


@pytest.mark.parametrize("language", ["ca", "es"])
def test_the_compiled_catalogue_is_not_older_than_its_source(language):
    folder = LOCALE / language / "LC_MESSAGES"
    mo, po = folder / "django.mo", folder / "django.po"
    from django.utils.translation import trans_real

    trans_real._translations = {}  # read the catalogue from disk again
    catalogue = trans_real.translation(language)._catalog
    translated = {e["msgid"]: e["msgstr"][0] for e in entries(po) if e["msgstr"][0] and not e["msgctxt"] and not e["fuzzy"]}
    stale = [msgid for msgid, text in translated.items() if msgid in catalogue and catalogue[msgid] != text.replace('\\"', '"').replace("\\n", "\n")]
    assert mo.exists()
    assert not stale[:1], f"django.mo is stale (run make messages): {stale[:3]}"
