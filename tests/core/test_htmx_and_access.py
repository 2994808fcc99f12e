"""One gate for the learning office's pages (the CLO and superusers; 404 for anybody else), and a service's
``ValidationError`` put on the form that was posted (clo/core/htmx.py, clo/people/access.py)."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse

from clo.core.forms import PlainTextMixin
from clo.core.htmx import apply_errors
from clo.people.roles import scope_of
from tests.conftest import login

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def superuser(org):
    return get_user_model().objects.create_superuser("root", "root@example.org", "x")


def test_superusers_and_the_clo_are_the_learning_office_hr_and_directors_are_not(superuser, clo_user, hr_user,
                                                                                 director_a):
    assert scope_of(superuser).is_learning_office
    assert scope_of(clo_user).is_learning_office
    assert not scope_of(hr_user).is_learning_office
    assert not scope_of(director_a.user).is_learning_office


@pytest.mark.parametrize("url_name", ["evaluations:campaign_create", "evaluations:gap_runs", "programs:triage",
                                      "dashboard_reports"])
def test_a_superuser_opens_the_learning_offices_pages(client, superuser, url_name):
    login(client, superuser)
    assert client.get(reverse(url_name)).status_code == 200
    assert client.get(reverse(url_name), **HTMX).status_code == 200


@pytest.mark.parametrize("url_name", ["evaluations:campaign_create", "evaluations:gap_runs", "programs:triage",
                                      "dashboard_reports"])
def test_for_hr_the_learning_offices_pages_do_not_exist(client, hr_user, url_name):
    login(client, hr_user)
    assert client.get(reverse(url_name)).status_code == 404
    assert client.post(reverse(url_name), **HTMX).status_code == 404
    assert client.put(reverse(url_name)).status_code == 404  # not even a 405 tells that the page is there


class _Form(PlainTextMixin, forms.Form):
    title = forms.CharField()


def test_a_services_field_error_shows_next_to_the_field_and_the_rest_at_the_top():
    form = _Form({"title": "x"})
    assert form.is_valid()
    apply_errors(form, ValidationError({"title": "Too short.", "budget": "Over the budget."}))
    assert form.errors["title"] == ["Too short."]
    assert form.non_field_errors() == ["Over the budget."]
    other = _Form({"title": "x"})
    other.is_valid()
    apply_errors(other, ValidationError("The session is full."))
    assert other.non_field_errors() == ["The session is full."]
