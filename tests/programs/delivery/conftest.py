"""Fixtures of the delivery tests: a catalogue with a program that develops a competency the personas lack."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from tests import factories as f


@pytest.fixture(autouse=True)
def _english(english):
    """Pages and messages in English, as the assertions read them."""



@dataclass
class Catalogue:
    competency: object
    program: object
    session: object
    open_program: object
    open_session: object


@pytest.fixture
def catalogue(employee_a, employee_b):
    """"Clear administrative writing" develops C-WRITE to level 3; employee_a's and employee_b's position requires
    level 3 and they are at 2. One session of 2 seats (director approves), one open session of 1 seat."""
    competency = f.CompetencyFactory(code="C-WRITE", name="Administrative writing")
    for person in (employee_a, employee_b):
        f.RequirementFactory(position=person.position, competency=competency, required_level=3)
    program = f.ProgramFactory(code="P-WRITE", title="Clear administrative writing", hours=20)
    f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=3)
    session = f.SessionFactory(program=program, code="S-WRITE-1", capacity=2)
    open_program = f.ProgramFactory(code="P-OPEN", title="Open data basics", is_open=True, hours=5)
    open_session = f.SessionFactory(program=open_program, code="S-OPEN-1", capacity=1)
    return Catalogue(competency, program, session, open_program, open_session)


def person(unit, manager=None, **kwargs):
    return f.EmployeeFactory(unit=unit, manager=manager, **kwargs)


def past(days: int = 3) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)
