"""A page of an API list costs the same number of queries whatever the number of rows behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from clo.api import services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/register/employees", "/api/v1/figures/headcounts"])
def test_a_page_costs_the_same_queries_at_two_sizes(client, org, hr_user, path, django_assert_max_num_queries):
    _token, secret = services.api_token_create(name="BI", scopes=["figures:read", "register:write"],
                                               created_by=hr_user, expires_at=timezone.now() + dt.timedelta(days=1))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    client.get(path, **headers)  # warms Django's content-type cache (the audit entry names the token's type)
    counts = []
    for size in (5, 60):
        for _ in range(size):
            f.EmployeeFactory(unit=f.OrgUnitFactory(parent=org.unit_a), position=f.PositionFactory(group="C1"))
        with django_assert_max_num_queries(12) as captured:
            response = client.get(path, {"limit": 50}, **headers)
        assert response.status_code == 200 and response.json()["items"]
        counts.append(len(captured))
    assert counts[0] == counts[1]
