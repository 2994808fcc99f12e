"""The expertise directory: people who opt in are found by their validated levels, and nothing is learnt about
anyone else; consent is recorded and withdrawing it takes effect at once; colleagues write through clo."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from clo.core.models import PersonalDataRead
from clo.talent.models import ExpertiseConsent, ExpertiseListing
from evaluations.models import CurrentLevel
from tests import factories as f
from tests.conftest import login

pytestmark = pytest.mark.django_db

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
HX = {"HTTP_HX_REQUEST": "true"}
DIRECTORY = "/expertise/"


@pytest.fixture
def writing():
    framework = f.FrameworkFactory(code="TRA", name="Transversal")
    return f.CompetencyFactory(area=f.AreaFactory(framework=framework), framework=framework, code="WRI",
                               name="Administrative writing")


def listed(employee, **flags):
    listing = ExpertiseListing.objects.create(employee=employee, listed=True,
                                              **({"as_mentor": True} | flags))
    return listing


def search(client, competency, level=3, where="council", **headers):
    return client.get(DIRECTORY, {"competency": competency.pk, "min_level": level, "where": where},
                      **{**EN, **headers})


def test_a_listed_person_is_found_by_a_validated_level_and_nobody_else_is_counted(
        client, org, employee_a, employee_b, director_b, writing):
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=4, source=CurrentLevel.Source.MANAGER)
    listed(employee_b, as_trainer=True)
    listed(director_b)  # listed, but only a self-rating: never found on a self-rating alone
    f.CurrentLevelFactory(employee=director_b, competency=writing, level=4, source=CurrentLevel.Source.SELF)
    for level in range(3):  # three more experts who did not opt in
        f.CurrentLevelFactory(competency=writing, level=4, source=CurrentLevel.Source.MANAGER)
    response = search(login(client, employee_a.user), writing)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Anna Pujol Sala" in html and "mentor, trainer" in html and "Servei de Llicències" in html
    assert "Xavier Mir Batlle" not in html
    assert "1 colleague can help" in html  # the count is of the people listed, the others leave no trace
    assert f'/expertise/{employee_b.pk}/contact/' in html
    read = PersonalDataRead.objects.get(what=PersonalDataRead.What.EXPERTISE)
    assert read.subject_count == 1 and read.username == employee_a.user.username


def test_a_hidden_competency_and_a_level_below_the_search_are_not_shown(client, employee_a, employee_b, writing):
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=2)
    listing = listed(employee_b)
    login(client, employee_a.user)
    assert "Anna Pujol Sala" not in search(client, writing, level=3).content.decode()
    assert "Anna Pujol Sala" in search(client, writing, level=2).content.decode()
    listing.hidden_competencies.add(writing)
    html = search(client, writing, level=2).content.decode()
    assert "Anna Pujol Sala" not in html and "Nobody in the directory matches this search yet" in html


def test_my_unit_keeps_the_search_within_the_searchers_subtree(client, employee_a, director_a, employee_b, writing):
    for person in (director_a, employee_b):
        f.CurrentLevelFactory(employee=person, competency=writing, level=3)
        listed(person)
    login(client, employee_a.user)
    everywhere = search(client, writing).content.decode()
    assert "Carme Roig Font" in everywhere and "Anna Pujol Sala" in everywhere
    # employee_a works in A1: neither the head of A (above) nor B's people are in A1's subtree
    mine = search(client, writing, where="unit").content.decode()
    assert "Anna Pujol Sala" not in mine and "Carme Roig Font" not in mine
    login(client, director_a.user)
    assert "Carme Roig Font" in search(client, writing, where="unit").content.decode()


def test_joining_and_leaving_record_consent_and_leaving_takes_effect_at_once(client, employee_a, employee_b,
                                                                            writing):
    f.CurrentLevelFactory(employee=employee_b, competency=writing, level=4)
    login(client, employee_b.user)
    page = client.get(reverse("talent:expertise_me"), **EN).content.decode()
    assert "Administrative writing" in page  # what colleagues would see
    response = client.post(reverse("talent:expertise_me"), {"listed": "on", "as_adviser": "on",
                                                            "note": "Plain-language letters"}, **EN)
    assert response.status_code == 302
    login(client, employee_a.user)
    assert "Plain-language letters" in search(client, writing).content.decode()
    login(client, employee_b.user)
    client.post(reverse("talent:expertise_me"), {"as_adviser": "on"}, **EN)
    login(client, employee_a.user)
    assert "Anna Pujol Sala" not in search(client, writing).content.decode()
    assert client.get(reverse("talent:expertise_contact", args=[employee_b.pk]), **EN).status_code == 404
    assert list(ExpertiseConsent.objects.filter(employee=employee_b).order_by("at", "pk")
                .values_list("given", flat=True)) == [True, False]


def test_appearing_needs_a_way_to_help_said_at_the_form(client, employee_b, writing):
    login(client, employee_b.user)
    response = client.post(reverse("talent:expertise_me"), {"listed": "on"}, **EN)
    assert response.status_code == 422
    assert "say how colleagues can count on you" in response.content.decode()
    assert not ExpertiseListing.objects.filter(employee=employee_b, listed=True).exists()


def test_a_colleague_writes_through_clo_in_the_recipients_language(client, employee_a, employee_b, writing,
                                                                  eager_tasks, django_capture_on_commit_callbacks):
    employee_a.email, employee_b.email, employee_b.language = "pere@vilamar.cat", "anna@vilamar.cat", "es"
    employee_a.save()
    employee_b.save()
    listed(employee_b)
    login(client, employee_a.user)
    url = reverse("talent:expertise_contact", args=[employee_b.pk])
    page = client.get(url + "?about=Administrative+writing", **EN).content.decode()
    assert "anna@vilamar.cat" not in page  # the sender never sees the recipient's address
    short = client.post(url, {"message": "Help?", "about": "Administrative writing"}, **EN)
    assert short.status_code == 422 and not mail.outbox
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"message": "Could you review a plain-language letter with me next week?",
                                     "about": "Administrative writing"}, **EN)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == ["anna@vilamar.cat"] and message.reply_to == ["pere@vilamar.cat"]
    assert message.subject == "Un compañero le pide ayuda: Pere Soler Camps"
    assert "plain-language letter" in message.body and "Administrative writing" in message.body


def test_who_may_not_use_the_directory(client, employee_a, employee_b, writing, clo_user):
    listed(employee_b)
    assert client.get(DIRECTORY).status_code == 302  # to the login page
    login(client, employee_b.user)
    assert client.get(reverse("talent:expertise_contact", args=[employee_b.pk])).status_code == 404  # oneself
    assert client.get(reverse("talent:expertise_contact", args=[employee_a.pk])).status_code == 404  # not listed
    assert client.post(reverse("talent:expertise_contact", args=[employee_a.pk]),
                       {"message": "x" * 30}, **HX).status_code == 404
    staff_only = f.UserFactory(username="no-record")
    login(client, staff_only)
    assert client.get(DIRECTORY).status_code == 404


def test_htmx_search_returns_the_results_only_and_a_bad_level_is_named(client, employee_a, writing):
    login(client, employee_a.user)
    partial = search(client, writing, **HX).content.decode()
    assert "<html" not in partial and 'id="expertise-results"' in partial
    wrong = search(client, writing, level=9)
    assert wrong.status_code == 422 and "outside the scale" in wrong.content.decode()


@pytest.mark.parametrize("people", [3, 30])
def test_the_search_costs_the_same_queries_at_two_sizes(client, employee_a, writing, people,
                                                        django_assert_max_num_queries):
    for _ in range(people):
        person = f.EmployeeFactory()
        f.CurrentLevelFactory(employee=person, competency=writing, level=4)
        listed(person)
    login(client, employee_a.user)
    search(client, writing)
    with django_assert_max_num_queries(17):  # the same at both sizes
        assert search(client, writing).status_code == 200
