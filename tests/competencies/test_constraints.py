"""Frameworks' invariants refuse bad data in Python (full_clean) and in the database, with a readable message.

Plus the level-in-scale triggers of requirements and level descriptors (clo/core/db.py).
"""

from __future__ import annotations

import pytest

from competencies.models import Area, Competency, CompetencyLevelDescriptor, Level, LevelResource, Requirement
from tests import factories as f
from tests.core import invariants as inv
from tests.core.invariants import Case, LevelCase, case_ids

pytestmark = pytest.mark.django_db


def _duplicate_level() -> Level:
    scale = f.ScaleFactory(levels=4)
    return Level(scale=scale, value=2, label="Un altre 2")


def _duplicate_area() -> Area:
    area = f.AreaFactory(code="COM")
    return Area(framework=area.framework, code="COM", name="Comunicació bis")


def _duplicate_competency() -> Competency:
    existing = f.CompetencyFactory(code="C-01")
    return Competency(framework=existing.framework, area=existing.area, code="C-01", name="Bis", kind="technical")


def _duplicate_descriptor() -> CompetencyLevelDescriptor:
    existing = f.DescriptorFactory(level=2)
    return CompetencyLevelDescriptor(competency=existing.competency, level=2, indicators="Un altre")


def _duplicate_requirement() -> Requirement:
    existing = f.RequirementFactory(required_level=2)
    return Requirement(position=existing.position, competency=existing.competency, required_level=3)


def _requirement(**kwargs) -> Requirement:
    return f.RequirementFactory.build(position=f.PositionFactory(), competency=f.CompetencyFactory(), **kwargs)


CASES = [
    Case("competencies_level_unique_value", "This scale already has a level with this value.", bad=_duplicate_level),
    Case(
        "competencies_level_value_positive",
        "A level's value must be 1 or more (0 means 'not demonstrated').",
        bad=lambda: Level(scale=f.ScaleFactory(levels=2), value=0, label="Zero"),
    ),
    Case(
        "competencies_framework_validity_positive",
        "Evidence must stay valid for at least one month.",
        bad=lambda: f.FrameworkFactory.build(scale=f.ScaleFactory(), evidence_validity_months=0),
    ),
    Case("competencies_area_unique_code", "This framework already has an area with this code.", bad=_duplicate_area),
    Case(
        "competencies_competency_unique_code",
        "This framework already has a competency with this code.",
        bad=_duplicate_competency,
    ),
    Case(
        "competencies_descriptor_unique_level",
        "This competency already has a descriptor for this level.",
        bad=_duplicate_descriptor,
    ),
    Case(
        "competencies_requirement_unique_competency",
        "This position already requires this competency.",
        bad=_duplicate_requirement,
    ),
    Case(
        "competencies_requirement_level_positive",
        "The required level must be 1 or more.",
        bad=lambda: _requirement(required_level=0),
        # 0 is never on a scale, so Requirement.clean() refuses it first, on the same field.
        shadowed_by="outside the scale",
        # On SQLite the BEFORE INSERT level trigger refuses the row before the CHECK is evaluated.
        db_names=("competencies_requirement_level_positive", "competencies_requirement_level_in_scale"),
    ),
    Case(
        "competencies_levelresource_link_or_file",
        "A resource is either a link or a document, not both.",
        label="neither",
        bad=lambda: LevelResource(competency=f.CompetencyFactory(), level=1, title="Guia"),
    ),
    Case(
        "competencies_levelresource_link_or_file",
        "A resource is either a link or a document, not both.",
        label="both",
        bad=lambda: LevelResource(competency=f.CompetencyFactory(), level=1, title="Guia",
                                  url="https://seu.example.cat/guia", file="competency-resources/guia.pdf"),
    ),
    Case(
        "competencies_requirement_weight_range",
        "The weight must be between 1 and 10.",
        label="0",
        bad=lambda: _requirement(weight=0),
    ),
    Case(
        "competencies_requirement_weight_range",
        "The weight must be between 1 and 10.",
        label="11",
        bad=lambda: _requirement(weight=11),
    ),
]


def test_every_competencies_constraint_has_a_case():
    assert {case.name for case in CASES} == inv.constraint_names("competencies")


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_full_clean_refuses_with_a_readable_message(case):
    inv.assert_full_clean_refuses(case)


@pytest.mark.parametrize("case", CASES, ids=case_ids)
def test_database_refuses_a_direct_write(case):
    inv.assert_database_refuses(case)


def test_weights_at_both_ends_of_the_range_are_accepted():
    rows = [_requirement(weight=1), _requirement(weight=10)]
    for row in rows:
        row.full_clean()
    Requirement.objects.bulk_create(rows)
    assert sorted(Requirement.objects.values_list("weight", flat=True)) == [1, 10]


# --- level-in-scale triggers -----------------------------------------------------------------------------------


def _requirement_at(competency, level) -> Requirement:
    return Requirement(position=f.PositionFactory(), competency=competency, required_level=level)


def _descriptor_at(competency, level) -> CompetencyLevelDescriptor:
    return CompetencyLevelDescriptor(competency=competency, level=level, indicators="Fa X sense ajuda.")


LEVEL_CASES = [
    LevelCase(Requirement, "required_level", _requirement_at, allow_zero=False),
    LevelCase(CompetencyLevelDescriptor, "level", _descriptor_at, allow_zero=False),
]


def level_case_ids(case: LevelCase) -> str:
    return case.id


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_a_level_off_the_scale_is_refused_by_the_trigger(case):
    inv.assert_trigger_refuses_create(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_a_bulk_insert_with_one_bad_level_writes_nothing(case):
    inv.assert_trigger_refuses_bulk(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_an_update_to_a_level_off_the_scale_is_refused(case):
    inv.assert_trigger_refuses_update(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_every_level_of_the_competencys_own_scale_is_accepted(case):
    inv.assert_trigger_accepts_scale(case)


@pytest.mark.parametrize("case", LEVEL_CASES, ids=level_case_ids)
def test_full_clean_says_the_level_is_outside_the_scale(case):
    inv.assert_full_clean_names_the_scale(case)
