"""HR edits the career rules and people's grades in the admin too: every careers admin page loads, and a rule saved
there re-evaluates everyone like one saved on the rules page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clo.careers.models import CareerEligibility, CareerEvaluationJob, CareerRule
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_careers_admin(client, employee_a, eager_tasks, django_capture_on_commit_callbacks):
    client.force_login(f.UserFactory(username="admin", is_staff=True, is_superuser=True))
    for model in ("careerrule", "persongrade", "careereligibility", "careerevaluationjob", "recordpdfjob"):
        assert client.get(reverse(f"admin:careers_{model}_changelist")).status_code == 200, model
    data = {"group": "A2", "grade": "1", "measure": "hours", "amount": "0", "period_years": "5", "min_years": "0"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:careers_careerrule_add"), data)
    assert response.status_code == 302 and CareerRule.objects.count() == 1
    assert CareerEvaluationJob.objects.get().status == "done"
    assert CareerEligibility.objects.filter(employee=employee_a, meets_training=True).exists()
