"""The API tokens page: HR and the learning office make a token (its secret shown once, only its hash kept), list
and revoke it; anyone else gets 404."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clo.api import services
from clo.api.models import ApiToken

pytestmark = pytest.mark.django_db


def _form(**extra):
    day = timezone.localdate() + dt.timedelta(days=90)
    return {"name": "Power BI", "scopes": ["figures:read"], "expires_on": day.isoformat(), "unit": "", **extra}


def test_hr_makes_a_token_whose_secret_is_shown_once(hr_client):
    response = hr_client.post(reverse("api:tokens"), _form())

    assert response.status_code == 200
    secret = re.search(r'<code id="token-secret">([^<]+)</code>', response.content.decode())[1]
    token = ApiToken.objects.get()
    assert token.secret_hash == services.secret_hash(secret) and secret not in token.secret_hash
    assert token.scopes == ["figures:read"]
    listing = hr_client.get(reverse("api:tokens")).content.decode()
    assert "Power BI" in listing and secret not in listing


def test_a_token_limited_to_a_unknown_unit_or_without_scope_is_refused(clo_client, org):
    response = clo_client.post(reverse("api:tokens"), _form(unit="NOPE", scopes=[]))
    assert response.status_code == 422
    assert not ApiToken.objects.exists()
    refused = clo_client.post(reverse("api:tokens"), _form(unit="A", scopes=["register:write"]))
    assert refused.status_code == 422 and not ApiToken.objects.exists()
    assert clo_client.post(reverse("api:tokens"), _form(unit="A")).status_code == 200
    assert ApiToken.objects.get().unit == org.unit_a


def test_revoking_a_token(clo_client, clo_user):
    token, _secret = services.api_token_create(name="Meta4", scopes=["register:write"], created_by=clo_user,
                                               expires_at=timezone.now() + dt.timedelta(days=1))
    response = clo_client.post(reverse("api:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_others_get_404(director_a_client, clo_user):
    token, _secret = services.api_token_create(name="Meta4", scopes=["register:write"], created_by=clo_user,
                                               expires_at=timezone.now() + dt.timedelta(days=1))
    assert director_a_client.get(reverse("api:tokens")).status_code == 404
    assert director_a_client.post(reverse("api:tokens"), _form()).status_code == 404
    assert director_a_client.post(reverse("api:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
