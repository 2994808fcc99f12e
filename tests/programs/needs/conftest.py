"""Shared data of the needs tests: an open campaign for next year's plan, competencies, and needs in unit A."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from programs.models import NeedsCampaign
from programs.services import needs as services
from tests import factories as f


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def campaign(db, clo_user, today):
    return NeedsCampaign.objects.create(
        year=today.year + 1, opens_on=today - dt.timedelta(days=10), deadline=today + dt.timedelta(days=20),
        opened_by=clo_user,
    )


@pytest.fixture
def competency(db):
    return f.CompetencyFactory(code="ADM1", name="Administrative writing")


@pytest.fixture
def make_need(campaign, competency, director_a, org):
    def make(*, status="draft", unit=None, submitted_by=None, title="Clear writing for the front desk", **extra):
        need = f.TrainingNeedFactory(
            unit=unit or org.unit_a1, submitted_by=submitted_by or director_a, year=campaign.year, title=title,
            strategic_objective="Plain-language administration", justification="Citizens do not understand letters.",
            status=status, **extra,
        )
        need.competencies.add(competency)
        return need

    return make


@pytest.fixture
def submitted_need(make_need, director_a):
    need = make_need()
    return services.need_submit(need=need, actor=director_a.user, today=timezone.localdate())


@pytest.fixture(autouse=True)
def _english(english):
    """Pages and messages in English, as the assertions read them."""