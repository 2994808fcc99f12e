"""HR's account page: who has a login, how they sign in, their last sign-in and their invitation; filters, export,
scope (HR and the learning office see everyone; directors and employees get 404), query counts at two sizes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse
from django.utils import timezone

from clo.accounts.models import Invitation, SignIn
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = reverse("accounts:account_list")
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def people(org, employee_a, employee_b):
    """One person of each kind, besides the personas (who signed in with a password)."""
    now = timezone.now()
    sso = f.EmployeeFactory(unit=org.unit_a1, first_name="Sso", last_name="Persona",
                            user=f.UserFactory(username="sso.user", password=make_password(None)))
    SignIn.objects.create(user=sso.user, method="sso", at=now)
    invited = f.EmployeeFactory(unit=org.unit_b1, first_name="Convidada", last_name="Pendent",
                                user=f.UserFactory(username="E-INV", password=make_password(None)))
    Invitation.objects.create(employee=invited, email=invited.email, sent_at=now, expires_at=now + dt.timedelta(days=3))
    expired = f.EmployeeFactory(unit=org.unit_b1, first_name="Caducada", last_name="Vella",
                                user=f.UserFactory(username="E-EXP", password=make_password(None)))
    Invitation.objects.create(employee=expired, email=expired.email, sent_at=now - dt.timedelta(days=20),
                              expires_at=now - dt.timedelta(days=6))
    nobody = f.EmployeeFactory(unit=org.unit_a1, first_name="Sense", last_name="Accés")
    return {"sso": sso, "invited": invited, "expired": expired, "nobody": nobody}


def _names(response) -> set[str]:
    return {e.full_name for e in response.context["page"]}


def test_hr_sees_how_everyone_signs_in(hr_client, people, english):
    response = hr_client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Single sign-on", "Invitation pending", "Invitation expired", "No login", "Local password"):
        assert text in body
    assert response.context["page"].paginator.count == 9  # HR, two directors, two employees, these four
    rows = {e.pk: e for e in response.context["page"]}
    assert rows[people["sso"].pk].access == "sso"
    assert rows[people["invited"].pk].invitation_state == "pending"
    assert rows[people["expired"].pk].invitation_state == "expired"
    assert rows[people["nobody"].pk].access == "none"


def test_filters_narrow_the_list(hr_client, people, org):
    assert _names(hr_client.get(URL, {"access": "none"})) == {people["nobody"].full_name}
    assert _names(hr_client.get(URL, {"invitation": "expired"})) == {people["expired"].full_name}
    in_b = _names(hr_client.get(URL, {"unit": org.unit_b.pk}))
    assert people["invited"].full_name in in_b and people["sso"].full_name not in in_b
    assert _names(hr_client.get(URL, {"q": "Caducada"})) == {people["expired"].full_name}


def test_bad_filters_are_messages_not_errors(hr_client, people, english):
    response = hr_client.get(URL, {"unit": "999999999", "access": "root", "page": "x"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "No unit has this number." in body and "Select a valid choice" in body
    assert response.context["page"].paginator.count == 9


def test_export_matches_the_filtered_list(hr_client, people):
    response = hr_client.get(URL, {"invitation": "pending", "export": "csv"})
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and people["invited"].employee_number in lines[1]
    assert hr_client.get(URL, {"export": "xlsx"})["Content-Type"].startswith("application/vnd.openxmlformats")


def test_htmx_gets_only_the_results(clo_client, people):
    response = clo_client.get(URL, {"access": "none"}, **HX)
    body = response.content.decode()
    assert response.status_code == 200 and 'id="results"' in body and "<html" not in body


@pytest.mark.parametrize("persona", ["outsider_client", "director_a_client", "employee_a_client"])
def test_directors_and_employees_get_404(request, persona, people):
    client = request.getfixturevalue(persona)
    for headers in ({}, HX):
        assert client.get(URL, **headers).status_code == 404
        assert client.get(URL, {"export": "csv"}, **headers).status_code == 404
        assert client.post(reverse("accounts:invitation_resend", args=[people["invited"].pk]),
                           **headers).status_code == 404


def test_the_page_is_in_the_navigation_of_hr_only(hr_client, people, client, director_a):
    assert URL in hr_client.get(reverse("home")).content.decode()
    client.force_login(director_a.user)
    assert URL not in client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("extra", [0, 60])
def test_query_count_does_not_grow_with_people(hr_client, people, org, extra, django_assert_max_num_queries):
    for i in range(extra):
        person = f.EmployeeFactory(unit=org.unit_a1, user=f.UserFactory(username=f"u{i}"))
        if i % 2:
            SignIn.objects.create(user=person.user, method="ldap", at=timezone.now())
    hr_client.get(URL)  # the session and scope warm up as on any page
    with django_assert_max_num_queries(12):
        response = hr_client.get(URL)
    assert response.status_code == 200
    assert len(response.context["page"]) == min(50, 9 + extra)
