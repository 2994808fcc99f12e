"""Assessment campaign fixtures on top of the shared personas: a framework with level descriptors, requirements on
the positions of employee_a and employee_b, and an open self-and-manager campaign covering the whole organisation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from evaluations import services
from evaluations.models import Assessment
from tests import factories as f


@pytest.fixture(autouse=True)
def _english(english):
    """Pages and messages in English, as the assertions read them."""



@dataclass
class Frame:
    framework: object
    writing: object  # required at 3 for employee_a
    teamwork: object  # required at 2 for employee_a


@pytest.fixture
def frame(employee_a, employee_b) -> Frame:
    framework = f.FrameworkFactory(name="Competències transversals")
    area = f.AreaFactory(framework=framework)
    writing = f.CompetencyFactory(area=area, framework=framework, code="WRI", name="Administrative writing")
    teamwork = f.CompetencyFactory(area=area, framework=framework, code="TEAM", name="Teamwork")
    for level in range(1, 5):
        f.DescriptorFactory(competency=writing, level=level,
                            indicators=f"Writes level-{level} documents\nChecks level-{level} style")
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3)
    f.RequirementFactory(position=employee_a.position, competency=teamwork, required_level=2)
    f.RequirementFactory(position=employee_b.position, competency=writing, required_level=2)
    return Frame(framework, writing, teamwork)


def open_campaign(*, kind: str = "self_manager", units=(), name: str = "Campanya 2026", days_left: int = 10,
                  threshold: int = 3, opens_ago: int = 10):
    today = timezone.localdate()
    campaign = services.campaign_create(
        name=name, kind=kind, period_start=dt.date(today.year, 1, 1), period_end=dt.date(today.year, 12, 31),
        opens_on=today - dt.timedelta(days=opens_ago), closes_on=today + dt.timedelta(days=days_left),
        peer_anonymity_threshold=threshold, units=units,
    )
    services.campaign_open(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def campaign(frame, clo_user, hr_user, director_a, employee_a, director_b, employee_b):
    return open_campaign()


def self_assessment(campaign, employee) -> Assessment:
    return Assessment.objects.get(campaign=campaign, employee=employee, role="self")


@pytest.fixture
def submitted(campaign, frame, employee_a):
    """employee_a's self-assessment, submitted: writing 2, teamwork 3."""
    assessment = self_assessment(campaign, employee_a)
    services.assessment_save(
        assessment_id=assessment.pk, submit=True,
        answers={frame.writing.pk: services.Answer(2, "Wrote the 2025 report"), frame.teamwork.pk: services.Answer(3)},
    )
    assessment.refresh_from_db()
    return assessment
