"""One validator says whether a level is on its competency's scale (``competencies.validators``), keyed by the field
at fault; every model that records a level of a competency calls it from ``clean()``, and a model with other checks
(the learning-plan item's due date) reports both faults at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from competencies.validators import validate_level_in_scale
from programs.models import LearningPlanItem
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_level_off_the_scale_is_refused_at_the_named_field():
    competency = f.CompetencyFactory()
    top = max(competency.framework.scale.levels.values_list("value", flat=True))
    with pytest.raises(ValidationError) as refused:
        validate_level_in_scale(competency.pk, top + 1, field="target_level", allow_zero=False)
    assert list(refused.value.message_dict) == ["target_level"]
    message = refused.value.message_dict["target_level"][0]
    assert str(top + 1) in message and str(top) in message


def test_zero_is_a_level_only_where_allowed():
    competency = f.CompetencyFactory()
    validate_level_in_scale(competency.pk, 0, field="level", allow_zero=True)
    with pytest.raises(ValidationError):
        validate_level_in_scale(competency.pk, 0, field="level", allow_zero=False)


def test_nothing_to_check_without_a_competency_or_a_level():
    validate_level_in_scale(None, 99, field="level", allow_zero=False)
    validate_level_in_scale(f.CompetencyFactory().pk, None, field="level", allow_zero=False)


def test_a_plan_item_reports_its_due_date_and_its_target_level_together():
    plan = f.LearningPlanFactory(employee=f.EmployeeFactory())
    item = LearningPlanItem(plan=plan, kind="mentoring", title="Mentoria", competency=f.CompetencyFactory(),
                            target_level=99, due_date=plan.period_end + dt.timedelta(days=1))
    with pytest.raises(ValidationError) as refused:
        item.clean()
    assert set(refused.value.message_dict) == {"due_date", "target_level"}
