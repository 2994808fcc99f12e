"""Plan generation writes its items in bulk, which auditlog cannot see: the service records each item added,
retired and restored, for the employee the plan belongs to."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clo.core.models import AuditEntry
from evaluations.models import CurrentLevel
from programs.models import LearningPlan
from programs.services import learning_plans as services
from tests import factories as f

pytestmark = pytest.mark.django_db


def _generate(employee):
    today = timezone.localdate()
    start, end = today - dt.timedelta(days=10), today + dt.timedelta(days=300)
    services.learning_plans_generate(employee_ids=[employee.pk], period_start=start, period_end=end)
    return LearningPlan.objects.get(employee=employee, period_start=start)


def _item_entries(**conditions):
    return AuditEntry.objects.filter(content_type__model="learningplanitem", **conditions)


def test_generated_retired_and_restored_items_are_in_the_audit_trail(plan_world, employee_a):
    plan = _generate(employee_a)
    privacy = plan.items.get(competency=plan_world.privacy)
    created = _item_entries(action=AuditEntry.Action.CREATE)
    assert set(created.values_list("object_id", flat=True)) == set(plan.items.values_list("pk", flat=True))
    assert set(created.values_list("person_id", flat=True)) == {employee_a.pk}
    assert created.get(object_id=privacy.pk).changes["program"] == [None, plan_world.privacy_course.pk]

    f.CurrentLevelFactory(employee=employee_a, competency=plan_world.privacy, level=2)
    _generate(employee_a)
    retired = _item_entries(action=AuditEntry.Action.UPDATE, object_id=privacy.pk).get()
    assert retired.changes["status"] == [None, "retired"] and retired.person_id == employee_a.pk

    CurrentLevel.objects.filter(employee=employee_a, competency=plan_world.privacy).delete()
    _generate(employee_a)
    restored = _item_entries(action=AuditEntry.Action.UPDATE, object_id=privacy.pk).order_by("pk").last()
    assert restored.changes["status"] == ["retired", "planned"]
