"""Fixtures of the training evaluation tests: a program whose session ended two days ago, attended by employee_a
(manager: director_a) and employee_b (manager: director_b, the outsider)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from programs.models import Enrolment
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(english):
    """Pages and messages in English, as the assertions read them."""


@dataclass
class Course:
    program: object
    session: object
    mine: Enrolment  # employee_a's
    other: Enrolment  # employee_b's


def ended_session(program, *, days_ago: int = 2, **kwargs):
    starts = timezone.now() - dt.timedelta(days=days_ago, hours=4)
    return f.SessionFactory(program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=3),
                            trainer="Núria Vidal", **kwargs)


def attendee(session, employee=None, *, status: str = Enrolment.Status.ATTENDED, **kwargs) -> Enrolment:
    employee = employee or f.EmployeeFactory()
    completed_on = kwargs.pop("completed_on", timezone.localdate() if status == Enrolment.Status.COMPLETED else None)
    return Enrolment.objects.create(session=session, employee=employee, status=status, completed_on=completed_on,
                                    **kwargs)


@pytest.fixture
def course(org, employee_a, employee_b) -> Course:
    program = f.ProgramFactory(code="P-WRITE", title="Clear administrative writing")
    session = ended_session(program, code="S-WRITE-1")
    return Course(program, session, attendee(session, employee_a), attendee(session, employee_b))


@pytest.fixture
def employee_b_client(client, employee_b):
    client.force_login(employee_b.user)
    return client


SCORES = {"usefulness": "4", "trainer": "5", "organisation": "3", "applicability": "4", "comment": "Very practical."}
