"""A small world for learning plans: employee_a's position requires two competencies (one critical), and the
catalogue offers several programs for them, with sessions with and without seats."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from programs.models import Enrolment
from tests import factories as f


@pytest.fixture(autouse=True)
def _pages_in_english(client):
    """The test client asks for English, as a browser would (Catalan is the project's default)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@dataclass
class PlanWorld:
    writing: object  # required 3, current 1
    privacy: object  # critical, required 2, not assessed
    short: object  # writing → 3, 10 h, session in 20 days with seats
    long: object  # writing → 3, 40 h, session in 20 days with seats
    partial: object  # writing → 2 only
    full: object  # writing → 3, 5 h, its only session is full
    privacy_course: object  # privacy → 2
    session_short: object
    year: int


def session(program, *, days: int, capacity: int = 10):
    return f.SessionFactory(program=program, capacity=capacity,
                            starts_at=timezone.now() + dt.timedelta(days=days))


# A plan is for the current year and offers that year's sessions: the world is built, and its tests run, on a spring
# morning, so "a session in 40 days" is this year's whatever the date the suite runs on (on 31 December it would not be).
SPRING_MORNING = dt.datetime(2026, 5, 12, 9, 30, tzinfo=ZoneInfo("Europe/Madrid"))


@pytest.fixture
def plan_world(org, employee_a) -> PlanWorld:
    with time_machine.travel(SPRING_MORNING, tick=True):
        yield _plan_world(employee_a)


def _plan_world(employee_a) -> PlanWorld:
    framework = f.FrameworkFactory()
    area = f.AreaFactory(framework=framework)
    writing = f.CompetencyFactory(area=area, framework=framework, name="Administrative writing")
    privacy = f.CompetencyFactory(area=area, framework=framework, name="Data protection")
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3)
    f.RequirementFactory(position=employee_a.position, competency=privacy, required_level=2, is_critical=True)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1)

    def program(title, competency, level, hours, cost="100.00"):
        p = f.ProgramFactory(title=title, hours=Decimal(hours), cost=Decimal(cost))
        f.ProgramCompetencyFactory(program=p, competency=competency, level_reached=level)
        return p

    short = program("Clear administrative writing", writing, 3, "10")
    long = program("Administrative writing, the long course", writing, 3, "40")
    partial = program("Writing basics", writing, 2, "4")
    full = program("Writing workshop", writing, 3, "5")
    privacy_course = program("Data protection in the council", privacy, 2, "6")
    session_short = session(short, days=20)
    session(long, days=20)
    session(partial, days=3)
    crowded = session(full, days=2, capacity=1)
    f.EnrolmentFactory(session=crowded, status=Enrolment.Status.APPROVED)
    session(privacy_course, days=40)
    return PlanWorld(writing, privacy, short, long, partial, full, privacy_course, session_short,
                     timezone.localdate().year)
