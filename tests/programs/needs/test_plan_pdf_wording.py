"""The annual training plan's PDF and the campaigns read as the council's own Catalan: a plan is "Aprovat" (masculine),
a campaign "Oberta" and "Tancada" (feminine)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from evaluations.models import AssessmentCampaign
from programs.models import LearningPlan, NeedsCampaign, TrainingPlan
from tests import factories as f
from tests.wording import problems


def test_the_catalan_plan_pdf_says_the_plan_is_approved_in_the_masculine(clo_client, campaign):
    plan = f.TrainingPlanFactory(year=campaign.year, budget=Decimal("123456.00"), status="approved",
                                 approved_at=dt.datetime(2026, 10, 6, 10, tzinfo=dt.UTC))
    f.PlanActionFactory(plan=plan, title="Llenguatge planer", estimated_cost=Decimal("2989.00"),
                        estimated_participants=3085)
    response = clo_client.get(reverse("programs:training_plan_pdf", args=[plan.year]) + "?lang=ca")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Aprovat" in text and "Aprovada" not in text
    assert "123.456,00" in text and "2.989,00" in text
    assert "3.085" in text and "3085" not in text  # participants grouped like the euros beside them
    assert problems(text) == []


@pytest.mark.parametrize(("language", "expected"), [
    ("ca", ["Aprovat", "Tancat", "Actiu", "Tancat", "Oberta", "Tancada", "Oberta", "Tancada"]),
    ("es", ["Aprobado", "Cerrado", "Activo", "Cerrado", "Abierta", "Cerrada", "Abierta", "Cerrada"]),
    ("en", ["Approved", "Closed", "Active", "Closed", "Open", "Closed", "Open", "Closed"]),
])
def test_each_status_agrees_with_its_noun(language, expected):
    with translation.override(language):
        labels = [str(TrainingPlan.Status.APPROVED.label), str(TrainingPlan.Status.CLOSED.label),
                  str(LearningPlan.Status.ACTIVE.label), str(LearningPlan.Status.CLOSED.label),
                  str(NeedsCampaign.Status.OPEN.label), str(NeedsCampaign.Status.CLOSED.label),
                  str(AssessmentCampaign.Status.OPEN.label), str(AssessmentCampaign.Status.CLOSED.label)]
    assert labels == expected
