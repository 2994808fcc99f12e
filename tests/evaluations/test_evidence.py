"""Evidence recorded from elsewhere (an imported level): one row per piece, checked before it is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from evaluations import services
from evaluations.models import Evidence
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_same_piece_is_corrected_in_place_and_another_day_is_another_piece():
    employee, competency = f.EmployeeFactory(), f.CompetencyFactory()
    first = services.evidence_record(employee_id=employee.pk, competency_id=competency.pk, level=2,
                                     evidenced_on=dt.date(2025, 6, 1), reference="HR file 2025")
    again = services.evidence_record(employee_id=employee.pk, competency_id=competency.pk, level=3,
                                     evidenced_on=dt.date(2025, 6, 1), reference="HR file 2025, corrected")
    services.evidence_record(employee_id=employee.pk, competency_id=competency.pk, level=1,
                             evidenced_on=dt.date(2024, 6, 1))
    assert again.pk == first.pk
    # Each write is in the audit trail, about the person.
    from django.contrib.contenttypes.models import ContentType

    from clo.core.models import AuditEntry

    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Evidence),
                                        object_pk=str(first.pk), person_id=employee.pk)
    assert entries.count() == 2
    assert list(Evidence.objects.order_by("evidenced_on").values_list("evidenced_on", "level")) == [
        (dt.date(2024, 6, 1), 1), (dt.date(2025, 6, 1), 3)]


def test_a_level_off_the_scale_or_an_expiry_before_the_date_is_refused_at_its_field():
    employee, competency = f.EmployeeFactory(), f.CompetencyFactory()  # a scale of 1 to 4
    with pytest.raises(ValidationError) as refused:
        services.evidence_record(employee_id=employee.pk, competency_id=competency.pk, level=7,
                                 evidenced_on=dt.date(2025, 6, 1))
    assert refused.value.message_dict["level"] == ["Level 7 is outside the scale of this competency (0 to 4)."]
    with pytest.raises(ValidationError) as refused:
        services.evidence_record(employee_id=employee.pk, competency_id=competency.pk, level=2,
                                 evidenced_on=dt.date(2025, 6, 1), expires_on=dt.date(2025, 5, 1))
    assert "The expiry date must come after the date of the evidence." in refused.value.messages
    assert not Evidence.objects.exists()
