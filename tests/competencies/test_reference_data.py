"""Shape of the reference data in ``competencies.reference``: plain imports, no database."""

from __future__ import annotations

import pytest

from competencies.reference import digcomp22, transversal

LANGUAGES = {"ca", "es", "en"}
KINDS = {"transversal", "technical", "digital", "leadership"}  # Competency.Kind values
# Words that are spelt the same in Catalan and English, so a label may legitimately match.
SAME_IN_CA_AND_EN = {"Expert"}
# Column sizes in competencies.models.
MAX_LENGTH = {"code": 40, "name": 200, "label": 120, "band": 120, "version": 20, "source": 300}

DIGCOMP_CODES = [
    "1.1", "1.2", "1.3",
    "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
    "3.1", "3.2", "3.3", "3.4",
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3", "5.4",
]  # fmt: skip

MODULES = pytest.mark.parametrize("module", [digcomp22, transversal], ids=["digcomp22", "transversal"])


def competencies_of(module) -> list[dict]:
    return [competency for area in module.AREAS for competency in area["competencies"]]


def translated_texts(module):
    """Every translated dict of a module, with a readable path for failure messages."""
    for field in ("name", "description"):
        yield f"SCALE.{field}", module.SCALE[field]
        yield f"FRAMEWORK.{field}", module.FRAMEWORK[field]
    for level in module.SCALE["levels"]:
        for field in ("label", "band", "descriptor"):
            yield f"level {level['value']}.{field}", level[field]
    for area in module.AREAS:
        for field in ("name", "description"):
            yield f"area {area['code']}.{field}", area[field]
        for competency in area["competencies"]:
            for field in ("name", "description"):
                yield f"competency {competency['code']}.{field}", competency[field]


@MODULES
def test_every_text_has_three_non_empty_languages(module):
    for path, text in translated_texts(module):
        assert isinstance(text, dict) and set(text) == LANGUAGES, path
        for language in LANGUAGES:
            assert isinstance(text[language], str) and text[language].strip(), f"{path}[{language}]"
            assert text[language] == text[language].strip(), f"{path}[{language}] has stray whitespace"


@MODULES
def test_catalan_is_translated(module):
    for path, text in translated_texts(module):
        if text["en"] in SAME_IN_CA_AND_EN:
            continue
        assert text["ca"] != text["en"], f"{path}: Catalan text equals English text"


@MODULES
def test_texts_fit_the_model_columns(module):
    for path, text in translated_texts(module):
        field = path.rsplit(".", 1)[1]
        if field in MAX_LENGTH:
            for language in LANGUAGES:
                assert len(text[language]) <= MAX_LENGTH[field], f"{path}[{language}] too long"
    for key in ("code", "version", "source"):
        assert len(module.FRAMEWORK[key]) <= MAX_LENGTH[key]
    assert len(module.SCALE["code"]) <= MAX_LENGTH["code"]
    for area in module.AREAS:
        assert len(area["code"]) <= MAX_LENGTH["code"]
    for competency in competencies_of(module):
        assert len(competency["code"]) <= MAX_LENGTH["code"]


@MODULES
def test_codes_are_unique(module):
    area_codes = [area["code"] for area in module.AREAS]
    competency_codes = [competency["code"] for competency in competencies_of(module)]
    assert len(area_codes) == len(set(area_codes))
    assert len(competency_codes) == len(set(competency_codes))


@MODULES
def test_scale_levels_are_consecutive(module):
    values = [level["value"] for level in module.SCALE["levels"]]
    assert values == list(range(1, len(values) + 1))


# DigComp 2.2 ----------------------------------------------------------------------------------------------


def test_digcomp_framework():
    assert digcomp22.FRAMEWORK["code"] == "DIGCOMP-2.2"
    assert digcomp22.FRAMEWORK["version"] == "2.2"
    assert "JRC128415" in digcomp22.FRAMEWORK["source"]
    assert digcomp22.SCALE["code"] == "digcomp-8"


def test_digcomp_has_5_areas_and_21_competencies():
    assert [area["code"] for area in digcomp22.AREAS] == ["1", "2", "3", "4", "5"]
    assert [competency["code"] for competency in competencies_of(digcomp22)] == DIGCOMP_CODES
    for area in digcomp22.AREAS:
        for competency in area["competencies"]:
            assert competency["code"].split(".")[0] == area["code"]


def test_digcomp_has_8_levels_in_4_bands_of_2():
    levels = digcomp22.SCALE["levels"]
    assert [level["value"] for level in levels] == list(range(1, 9))
    bands = [levels[i]["band"] for i in range(0, 8, 2)]
    for i, band in enumerate(bands):
        assert levels[2 * i + 1]["band"] == band, f"levels {2 * i + 1} and {2 * i + 2} are in different bands"
    assert [band["en"] for band in bands] == ["Foundation", "Intermediate", "Advanced", "Highly specialised"]
    assert len({band["ca"] for band in bands}) == 4
    assert len({band["es"] for band in bands}) == 4


def test_digcomp_needs_no_indicators():
    assert all("indicators" not in competency for competency in competencies_of(digcomp22))


# Transversal dictionary ------------------------------------------------------------------------------------


def test_transversal_framework_and_scale():
    assert transversal.FRAMEWORK["code"] == "CLO-TRANSVERSAL"
    assert transversal.FRAMEWORK["version"] == "1.0"
    assert transversal.SCALE["code"] == "clo-4"
    assert [level["value"] for level in transversal.SCALE["levels"]] == [1, 2, 3, 4]


def test_transversal_has_enough_competencies_of_valid_kinds():
    competencies = competencies_of(transversal)
    assert len(competencies) >= 10
    kinds = {competency["kind"] for competency in competencies}
    assert kinds <= KINDS
    assert {"transversal", "digital", "leadership"} <= kinds


def test_transversal_indicators_cover_every_level_and_language():
    levels = [level["value"] for level in transversal.SCALE["levels"]]
    for competency in competencies_of(transversal):
        code = competency["code"]
        indicators = competency["indicators"]
        assert sorted(indicators) == levels, f"{code}: indicators for levels {sorted(indicators)}"
        for level, by_language in indicators.items():
            where = f"{code} level {level}"
            assert set(by_language) == LANGUAGES, where
            counts = {len(by_language[language]) for language in LANGUAGES}
            assert len(counts) == 1, f"{where}: languages have different numbers of indicators"
            assert 2 <= counts.pop() <= 3, f"{where}: expected 2 or 3 indicators"
            for language in LANGUAGES:
                for sentence in by_language[language]:
                    assert isinstance(sentence, str) and sentence.strip(), f"{where}[{language}]"
            assert by_language["ca"] != by_language["en"], f"{where}: Catalan indicators equal English ones"
