"""The instance the optimiser solves, read from the gap view: people the model cannot tell apart (the same levels
to close on the same programs, weighing the same) are one group whatever their unit or position, unless a coverage
per unit keeps units apart; first come first served and the explanations still know each person's unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from programs.models import PlanProposal
from programs.selectors.optimiser import build_instance
from programs.services.optimiser_milp import evaluate, greedy, solve
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def twins(org):
    """Three people in two units and two positions with the same gap (level 0 of 2, weight 1) in one competency, and
    a fourth with the same gap weighing 3; one program closes it, in sessions of four."""
    competency = f.CompetencyFactory()
    positions = [f.PositionFactory(unit=org.unit_a1), f.PositionFactory(unit=org.unit_b1),
                 f.PositionFactory(unit=org.unit_b1)]
    f.RequirementFactory(position=positions[0], competency=competency, required_level=2, weight=1)
    f.RequirementFactory(position=positions[1], competency=competency, required_level=2, weight=1)
    f.RequirementFactory(position=positions[2], competency=competency, required_level=2, weight=3)
    for unit, position in ((org.unit_a1, 0), (org.unit_a1, 0), (org.unit_b1, 1), (org.unit_b1, 2)):
        f.EmployeeFactory(unit=unit, position=positions[position])
    program = f.ProgramFactory(cost=Decimal("10"), hours=Decimal("5"))
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=2)
    f.SessionFactory(program=program, capacity=4)
    return org


def _proposal(**inputs) -> PlanProposal:
    return PlanProposal(**{"year": 2027, "budget": Decimal("1000"), "need_bonus": 0, "critical_factor": Decimal("2"),
                           "hours_cap": 40, "coverage": 0, "time_limit": 5, **inputs})


def test_people_the_model_cannot_tell_apart_are_one_group(twins):
    inst, names = build_instance(_proposal())
    sizes = sorted((g.size, g.requirements[0].coef) for g in inst.groups)
    assert sizes == [(1, 3.0), (3, 1.0)]
    merged = next(g for g in inst.groups if g.size == 3)
    assert dict(merged.units()) == {twins.unit_a1.pk: 2, twins.unit_b1.pk: 1}
    assert merged.spread(3) == [(twins.unit_a1.pk, 2), (twins.unit_b1.pk, 1)]
    plan = solve(inst, mip_gap=0)
    assert evaluate(inst, plan).value == evaluate(inst, greedy(inst)).value == 2 * 3 + 3 * 2


def test_a_coverage_per_unit_keeps_units_apart(twins):
    inst, _names = build_instance(_proposal(coverage=50))
    assert sorted((g.unit, g.size) for g in inst.groups) == sorted(
        [(twins.unit_a1.pk, 2), (twins.unit_b1.pk, 1), (twins.unit_b1.pk, 1)])


def test_the_database_counts_the_profiles_as_python_does(twins):
    from django.db import connection

    from programs.selectors import optimiser

    if connection.vendor != "postgresql":  # SQLite (the embedded default) counts them in Python only
        pytest.skip("the profiles are counted in SQL on PostgreSQL only")

    from competencies.models import Requirement

    competencies = set(Requirement.objects.values_list("competency_id", flat=True))
    in_sql = optimiser._employee_profiles_in_sql("evaluations_gap", sorted(competencies))
    assert in_sql == optimiser._employee_profiles_in_python(competencies)
    assert sorted(in_sql.values()) == [1, 1, 2]
