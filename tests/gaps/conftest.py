"""A compact builder of organisations for the gap engine's tests (direct ORM writes: no service side effects)."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clo.people import services as people_services
from clo.people.models import Employee, Position
from competencies.models import Area, Competency, Framework, Level, ProficiencyScale, Requirement
from evaluations.models import Assessment, Evidence, Rating
from programs.models import Enrolment, Program, ProgramCompetency, Session

MADRID = ZoneInfo("Europe/Madrid")
TODAY = dt.date(2026, 6, 15)


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    """An aware moment on ``day`` in Madrid time."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=MADRID)


class Build:
    def __init__(self) -> None:
        self._n = itertools.count(1)

    def _code(self, prefix: str) -> str:
        return f"{prefix}{next(self._n)}"

    def framework(self, *, rule: str = "manager_over_self", validity: int = 36, status: str = "published",
                  levels: int = 4) -> Framework:
        scale = ProficiencyScale.objects.create(code=self._code("scale"), name="Escala")
        Level.objects.bulk_create(Level(scale=scale, value=v, label=f"Nivell {v}") for v in range(1, levels + 1))
        return Framework.objects.create(code=self._code("FW"), name="Marc", scale=scale, status=status,
                                        consolidation_rule=rule, evidence_validity_months=validity)

    def area(self, framework: Framework) -> Area:
        return Area.objects.create(framework=framework, code=self._code("A"), name="Àrea")

    def competency(self, framework: Framework | None = None, *, area: Area | None = None) -> Competency:
        if area is None:
            area = self.area(framework or self.framework())
        return Competency.objects.create(framework_id=area.framework_id, area=area, code=self._code("C"),
                                         name="Competència", kind="transversal")

    def unit(self, parent=None):
        return people_services.orgunit_create(code=self._code("U"), name="Unitat", parent=parent)

    def position(self, group: str = "A2") -> Position:
        return Position.objects.create(code=self._code("P"), title="Lloc", group=group)

    def requirement(self, position, competency, level: int = 3, *, weight: int = 1, critical: bool = False):
        return Requirement.objects.create(position=position, competency=competency, required_level=level,
                                          weight=weight, is_critical=critical)

    def employee(self, unit, position, *, active: bool = True) -> Employee:
        code = self._code("E")
        return Employee.objects.create(employee_number=code, first_name="Persona", last_name=code, unit=unit,
                                       position=position, hire_date=dt.date(2015, 1, 1), active=active)

    def assessment(self, employee, ratings: dict, *, role: str = "self", status: str = "submitted",
                   submitted: dt.datetime | None = None, validated: dt.datetime | None = None, assessor=None):
        if assessor is None:
            assessor = employee if role == "self" else self.employee(employee.unit, employee.position, active=False)
        if status != "draft" and submitted is None:
            submitted = at(TODAY - dt.timedelta(days=30))
        if status == "validated" and validated is None:
            validated = submitted + dt.timedelta(days=5)
        assessment = Assessment.objects.create(employee=employee, assessor=assessor, role=role, status=status,
                                               submitted_at=submitted, validated_at=validated)
        Rating.objects.bulk_create(Rating(assessment=assessment, competency=c, level=v) for c, v in ratings.items())
        return assessment

    def training(self, employee, certifies: dict, *, completed_on: dt.date | None = None, status: str = "completed"):
        program = Program.objects.create(code=self._code("PR"), title="Curs", modality="online", hours=Decimal("5"))
        ProgramCompetency.objects.bulk_create(
            ProgramCompetency(program=program, competency=c, level_reached=v) for c, v in certifies.items()
        )
        start = at(completed_on or TODAY)
        session = Session.objects.create(program=program, code=self._code("S"), starts_at=start,
                                         ends_at=start + dt.timedelta(hours=2), place="Aula", capacity=30)
        if status == "completed" and completed_on is None:
            completed_on = TODAY - dt.timedelta(days=10)
        return Enrolment.objects.create(session=session, employee=employee, status=status,
                                        completed_on=completed_on if status == "completed" else None)

    def imported(self, employee, competency, level: int, *, assessed_on: dt.date, expires_on: dt.date | None = None,
                 source: str = "import"):
        return Evidence.objects.create(employee=employee, competency=competency, level=level, source=source,
                                       evidenced_on=assessed_on, expires_on=expires_on)


@pytest.fixture
def build(db) -> Build:
    return Build()
