"""The REST API through real HTTP (the live server and ``requests``): tokens and their scopes, the staff-register
sync in pages (10 000 employees), a page in error that leaves nothing written, a replayed idempotency key, a
revoked token, the rate limit, problem details, and the docs page under the strict CSP."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import requests
from django.utils import timezone

from clo.api import services
from clo.api.models import Scope
from clo.core.models import AuditEntry
from clo.people.models import Employee, OrgUnit, Position

pytestmark = pytest.mark.django_db(transaction=True)

PROBLEM = "application/problem+json"


def _token(user, *scopes, unit=None, days=30):
    token, secret = services.api_token_create(name="Test", scopes=[s.value for s in scopes], created_by=user,
                                              expires_at=timezone.now() + dt.timedelta(days=days), unit=unit)
    return token, {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def base(live_server):
    return f"{live_server.url}/api/v1"


def _rows(count, *, unit="A1", position="LT-API"):
    return [{"employee_number": f"S{n:06d}", "first_name": "Laia", "last_name": f"Puig {n}",
             "unit_code": unit, "position_code": position, "hire_date": "2015-03-01"} for n in range(count)]


def _open(base, headers, **body):
    response = requests.post(f"{base}/register/change-sets", json=body, headers=headers, timeout=60)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def _send(base, headers, set_id, kind, number, rows, **extra):
    return requests.post(f"{base}/register/change-sets/{set_id}/pages", json={"kind": kind, "number": number,
                         "rows": rows}, headers={**headers, **extra}, timeout=60)


def test_sync_of_ten_thousand_employees_in_pages(base, org, hr_user):
    token, headers = _token(hr_user, Scope.REGISTER)
    set_id = _open(base, headers)
    assert _send(base, headers, set_id, "positions", 1, [{"code": "LT-API", "title": "Tècnic/a", "group": "A2"}]
                 ).status_code == 201
    rows = _rows(10_000)
    for number in range(10):
        response = _send(base, headers, set_id, "employees", number + 1, rows[number * 1000:(number + 1) * 1000])
        assert response.status_code == 201, response.text
    assert not Employee.objects.filter(employee_number__startswith="S").exists()  # nothing before the commit

    response = requests.post(f"{base}/register/change-sets/{set_id}/commit", json={}, headers=headers, timeout=300)

    assert response.status_code == 200, response.text
    assert response.json()["result"]["counts"]["employees"]["create"] == 10_000
    assert Employee.objects.filter(employee_number__startswith="S", unit=org.unit_a1).count() == 10_000
    # the writes are in the audit trail, by the person who made the token
    created = AuditEntry.objects.filter(object_id__in=Employee.objects.filter(employee_number="S000042").values("pk"))
    assert created.filter(actor=hr_user).exists()
    # the same rows again, in a new set: the import engine finds them unchanged and writes nothing
    again = _open(base, headers)
    _send(base, headers, again, "employees", 1, rows[:1000])
    response = requests.post(f"{base}/register/change-sets/{again}/commit", json={}, headers=headers, timeout=60)
    assert response.json()["result"]["counts"]["employees"] == {"create": 0, "update": 0, "unchanged": 1000,
                                                                "deactivate": 0}
    # the register reads back, page by page with a cursor
    first = requests.get(f"{base}/register/employees?limit=1000", headers=headers, timeout=60).json()
    assert len(first["items"]) == 1000 and first["next_cursor"]
    second = requests.get(f"{base}/register/employees?limit=1000&cursor={first['next_cursor']}", headers=headers,
                          timeout=60).json()
    assert second["items"][0]["id"] > first["items"][-1]["id"]


def test_a_page_in_error_rejects_the_whole_set_and_writes_nothing(base, org, hr_user):
    token, headers = _token(hr_user, Scope.REGISTER)
    set_id = _open(base, headers)
    _send(base, headers, set_id, "units", 1, [{"code": "NEW", "name": "Servei Nou", "parent_code": "A"}])
    _send(base, headers, set_id, "positions", 1, [{"code": "LT-API", "title": "Tècnic/a", "group": "A2"}])
    _send(base, headers, set_id, "employees", 1, _rows(500, unit="NEW"))
    bad = [dict(row, employee_number="T" + row["employee_number"][1:]) for row in _rows(500, unit="NEW")]
    bad[7]["hire_date"] = "31/31/2020"
    _send(base, headers, set_id, "employees", 2, bad)

    response = requests.post(f"{base}/register/change-sets/{set_id}/commit", json={}, headers=headers, timeout=60)

    assert response.status_code == 422
    assert response.headers["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["status"] == 422 and problem["type"].endswith("change-set-rejected")
    assert {"kind": "employees", "page": 2, "index": 7, "column": "hire_date"} == {
        key: problem["errors"][0][key] for key in ("kind", "page", "index", "column")}
    assert not OrgUnit.objects.filter(code="NEW").exists()  # the units of the same set are not written either
    assert not Position.objects.filter(code="LT-API").exists()
    assert not Employee.objects.filter(unit__code="NEW").exists()


def test_a_replayed_idempotency_key_gets_the_first_answer(base, org, hr_user):
    token, headers = _token(hr_user, Scope.REGISTER)
    keyed = {**headers, "Idempotency-Key": "open-2026-12-07"}
    first = requests.post(f"{base}/register/change-sets", json={}, headers=keyed, timeout=30)
    again = requests.post(f"{base}/register/change-sets", json={}, headers=keyed, timeout=30)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert token.change_sets.count() == 1
    other = requests.post(f"{base}/register/change-sets", json={"whole_register": True}, headers=keyed, timeout=30)
    assert other.status_code == 422 and other.headers["Content-Type"] == PROBLEM


def test_a_revoked_or_expired_token_is_refused(base, org, hr_user):
    token, headers = _token(hr_user, Scope.FIGURES)
    assert requests.get(f"{base}/figures/headcounts", headers=headers, timeout=30).status_code == 200
    services.api_token_revoke(token=token)
    response = requests.get(f"{base}/figures/headcounts", headers=headers, timeout=30)
    assert response.status_code == 401 and response.headers["Content-Type"] == PROBLEM
    assert "items" not in response.json()
    _old, expired = _token(hr_user, Scope.FIGURES)
    _old.__class__.objects.filter(pk=_old.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert requests.get(f"{base}/figures/headcounts", headers=expired, timeout=30).status_code == 401


def test_a_figures_token_cannot_read_people_nor_write(base, org, hr_user, employee_a):
    token, headers = _token(hr_user, Scope.FIGURES)
    for method, url in (("get", "/register/employees"), ("post", "/register/change-sets"),
                        ("get", "/training/units")):
        response = requests.request(method, f"{base}{url}", json={}, headers=headers, timeout=30)
        assert response.status_code == 403, url
        assert response.headers["Content-Type"] == PROBLEM
        assert "items" not in response.json()
    # every use is in the audit trail, the refused ones too
    uses = AuditEntry.objects.filter(object_id=token.pk, additional_data__api=True)
    assert sorted(uses.values_list("additional_data__status", flat=True)) == [403, 403, 403]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_unit_token_reads_only_its_subtree(base, org, hr_user, employee_a, employee_b):
    token, headers = _token(hr_user, Scope.FIGURES, unit=org.unit_a)
    items = requests.get(f"{base}/figures/headcounts", headers=headers, timeout=30).json()["items"]
    assert items and {item["unit__code"] for item in items} <= {"A", "A1"}


def test_the_rate_limit_answers_429_with_retry_after(base, org, hr_user, settings):
    settings.CLO_API_REQUESTS_PER_MINUTE = 3
    token, headers = _token(hr_user, Scope.FIGURES)
    answers = [requests.get(f"{base}/figures/gaps", headers=headers, timeout=30) for _ in range(7)]
    codes = [answer.status_code for answer in answers]
    # 3 a minute: even if the minute turns during the loop, at most 6 of the 7 pass
    assert codes.count(429) >= 1 and codes[0] == 200
    refused = next(answer for answer in answers if answer.status_code == 429)
    assert refused.headers["Content-Type"] == PROBLEM and int(refused.headers["Retry-After"]) <= 60


def test_without_token_401_problem_and_docs_under_csp(base, org):
    response = requests.get(f"{base}/figures/gaps", timeout=30)
    assert response.status_code == 401 and response.headers["Content-Type"] == PROBLEM
    assert response.headers["WWW-Authenticate"] == "Bearer"
    spec = requests.get(f"{base}/openapi.json", timeout=30).json()
    assert "/api/v1/figures/gaps" in spec["paths"]
    docs = requests.get(f"{base}/docs", timeout=30)
    assert docs.status_code == 200
    csp = docs.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", docs.text, re.S)
    for attributes, body in scripts:  # only files of the site, and a JSON data block that runs nothing
        assert ('src="/static/' in attributes and not body.strip()) or 'type="application/json"' in attributes
    for href in re.findall(r'(?:src|href)="([^"]+)"', docs.text):
        assert href.startswith("/static/"), href
        assert requests.get(f"{base.removesuffix('/api/v1')}{href}", timeout=30).status_code == 200
