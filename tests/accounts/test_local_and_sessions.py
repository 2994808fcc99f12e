"""Local passwords (the demo, and the break-glass superuser with AUTH_LOCAL_LOGIN=false), and the end of a
deactivated employee's sign-in and open sessions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from clo.people.models import Employee
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def test_with_local_login_on_the_password_form_is_shown_and_works(client, employee_a):
    assert 'name="password"' in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": employee_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 302


def test_with_local_login_off_the_form_is_hidden_and_passwords_are_refused(client, settings, employee_a):
    settings.AUTH_LOCAL_LOGIN = False
    assert 'name="password"' not in client.get(reverse("login")).content.decode()
    response = client.post(reverse("login"), {"username": employee_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 404 and "_auth_user_id" not in client.session
    # nor at the break-glass page: it is for superusers
    response = client.post(reverse("accounts:local_login"),
                           {"username": employee_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_with_local_login_off_a_superuser_signs_in_at_the_break_glass_page_only(client, settings, db):
    settings.AUTH_LOCAL_LOGIN = False
    admin = User.objects.create_superuser("breakglass", "bg@x.example", f.PASSWORD)
    assert client.post(reverse("login"), {"username": "breakglass", "password": f.PASSWORD}).status_code == 404
    page = client.get(reverse("accounts:local_login"))
    assert page.status_code == 200 and 'name="password"' in page.content.decode()
    response = client.post(reverse("accounts:local_login"), {"username": "breakglass", "password": f.PASSWORD})
    assert response.status_code == 302 and client.session["_auth_user_id"] == str(admin.pk)


def test_deactivating_an_employee_ends_their_open_session_at_the_next_request(client, employee_a, caplog):
    client.force_login(employee_a.user)
    assert client.get("/").status_code == 200
    Employee.objects.filter(pk=employee_a.pk).update(active=False)  # as an import of the register does
    assert not User.objects.get(pk=employee_a.user_id).is_active
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert any("session ended" in r.getMessage() for r in caplog.records)


def test_a_deactivated_employee_cannot_use_a_local_password_either(client, employee_a):
    employee_a.active = False
    employee_a.save(update_fields=["active"])  # as HR's page does
    response = client.post(reverse("login"), {"username": employee_a.user.username, "password": f.PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_a_superuser_is_not_deactivated_with_an_employee_record(db, org):
    admin = User.objects.create_superuser("root", "r@x.example", f.PASSWORD)
    employee = f.EmployeeFactory(unit=org.unit_a1, user=admin)
    Employee.objects.filter(pk=employee.pk).update(active=False)
    assert User.objects.get(pk=admin.pk).is_active


def test_the_sso_pages_do_not_exist_without_a_provider(client, db):
    assert client.get(reverse("accounts:oidc_start")).status_code == 404
    assert client.get(reverse("accounts:oidc_callback"), {"code": "x", "state": "y"}).status_code == 404
    assert 'id="sso-button"' not in client.get(reverse("login")).content.decode()
