"""The demo council's knowledge-transfer plans: the screens show something real on ``make run``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from clo.demo import seed as demo
from clo.talent.models import HandoverItem, TransferPlan
from clo.talent.selectors.transfer import holders_without_transfer_plan
from evaluations.models import Evidence

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 5, 14)


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield demo.seed_demo(employees=300, seed=11, today=TODAY)
            transaction.set_rollback(True)


def test_the_demo_has_plans_in_the_directoras_area_and_holders_still_waiting(seeded, client):
    plans = TransferPlan.objects.all()
    assert plans.count() >= 2
    assert all(item.due_on < item.plan.leaving_on for item in HandoverItem.objects.select_related("plan"))
    assert HandoverItem.objects.filter(done_on__isnull=True, due_on__lt=TODAY).exists()  # a reminder is due
    validated = HandoverItem.objects.get(validated_on__isnull=False)
    assert Evidence.objects.filter(pk=validated.evidence_id, employee=validated.plan.successor).exists()
    directora = get_user_model().objects.get(username="directora")
    assert TransferPlan.objects.manageable_by(directora).exists()
    assert holders_without_transfer_plan(today=TODAY).exists()
    client.force_login(directora)
    page = client.get(reverse("talent:transfer_plan_list"))
    assert page.status_code == 200 and page.context["plans"]
    plan = TransferPlan.objects.manageable_by(directora).first()
    assert client.get(plan.get_absolute_url()).context["progress"].total == 4
