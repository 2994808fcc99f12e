"""Itineraries: enrolling adds the programs to the person's learning plan, the steps wait for their prerequisites,
completing every program finishes the itinerary with its badge, and directors see only their subtree's people."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from clo.careers.models import Badge, Itinerary, ItineraryEnrolment, ItineraryStep
from clo.careers.selectors.itineraries import itinerary_of, progress
from clo.careers.services import badges as badge_services
from programs.models import Enrolment, LearningPlan
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def itinerary():
    itinerary = Itinerary.objects.create(title="Cap a la gestió econòmica", job_family="Gestió econòmica")
    first = ItineraryStep.objects.create(itinerary=itinerary, order=1, program=f.ProgramFactory(title="Pressupostos"))
    second = ItineraryStep.objects.create(itinerary=itinerary, order=2, program=f.ProgramFactory(title="Contractes"))
    second.prerequisites.add(first)
    return itinerary


def _complete(employee, program):
    starts = timezone.now() - dt.timedelta(days=2)
    session = f.SessionFactory(program=program, starts_at=starts, ends_at=starts + dt.timedelta(hours=3))
    return Enrolment.objects.create(session=session, employee=employee, status=Enrolment.Status.COMPLETED,
                                    completed_on=timezone.localdate(starts))


def test_enrolling_puts_the_programs_in_the_learning_plan(employee_a_client, employee_a, itinerary, english):
    url = reverse("careers:itinerary_enrol", args=[itinerary.pk])
    assert employee_a_client.post(url).status_code == 302
    plan = LearningPlan.objects.get(employee=employee_a, period_start__year=timezone.localdate().year)
    assert sorted(plan.items.values_list("program__title", flat=True)) == ["Contractes", "Pressupostos"]
    employee_a_client.post(url)  # twice: refused, nothing added
    assert plan.items.count() == 2 and ItineraryEnrolment.objects.count() == 1
    page = employee_a_client.get(reverse("careers:itinerary_detail", args=[itinerary.pk])).content.decode()
    assert "You follow this itinerary" in page


def test_steps_wait_for_their_prerequisites_and_the_itinerary_finishes_with_a_badge(employee_a, itinerary):
    ItineraryEnrolment.objects.create(itinerary=itinerary, employee=employee_a)
    loaded = itinerary_of(itinerary.pk)
    assert [(row.done, row.ready) for row in progress(loaded, employee_id=employee_a.pk)] == [(False, True),
                                                                                              (False, False)]
    first, second = itinerary.steps.order_by("order")
    _complete(employee_a, first.program)
    assert [(row.done, row.ready) for row in progress(loaded, employee_id=employee_a.pk)] == [(True, True),
                                                                                              (False, True)]
    assert badge_services.badges_sweep() == {"revoked": 0, "issued": 1, "itineraries": 0}
    last = _complete(employee_a, second.program)
    badge_services.badge_issue_for_enrolment(enrolment_id=last.pk)  # as the task queued by programs does
    enrolment = ItineraryEnrolment.objects.get()
    assert enrolment.completed_on is not None
    badge = Badge.objects.get(kind=Badge.Kind.ITINERARY)
    assert badge.itinerary_enrolment == enrolment
    assert badge_services.badge_verify(badge.credential)["vc"]["name"] == "Cap a la gestió econòmica"
    # one of its programs annulled: the itinerary is open again and its badge revoked
    Enrolment.objects.filter(pk=last.pk).update(status=Enrolment.Status.CANCELLED)
    assert badge_services.badges_sweep()["revoked"] == 2
    enrolment.refresh_from_db()
    assert enrolment.completed_on is None


def test_directors_see_their_subtree_only(client, itinerary, employee_a, employee_b, director_a, director_b, hr_user):
    for person in (employee_a, employee_b):
        ItineraryEnrolment.objects.create(itinerary=itinerary, employee=person)
    _complete(employee_a, itinerary.steps.get(order=1).program)
    url = reverse("careers:itinerary_people")
    client.force_login(director_a.user)
    page = client.get(url).content.decode()
    assert employee_a.full_name in page and employee_b.full_name not in page and "1 / 2" in page
    client.force_login(hr_user)
    page = client.get(url).content.decode()
    assert employee_a.full_name in page and employee_b.full_name in page
    client.force_login(employee_a.user)
    assert client.get(url).status_code == 404


def test_the_learning_office_defines_an_itinerary_step_by_step(client, clo_user, director_a, english):
    f.PositionFactory(job_family="Gestió econòmica")
    f.RequirementFactory(position=f.PositionFactory(job_family="Gestió econòmica"))
    first, second = f.ProgramFactory(title="Pressupostos"), f.ProgramFactory(title="Contractes")
    client.force_login(director_a.user)
    assert client.get(reverse("careers:itinerary_create")).status_code == 404
    client.force_login(clo_user)
    response = client.post(reverse("careers:itinerary_create"),
                           {"title": "Cap a la gestió econòmica", "job_family": "Gestió econòmica"})
    itinerary = Itinerary.objects.get()
    assert response.status_code == 302 and itinerary.job_family == "Gestió econòmica"
    url = reverse("careers:itinerary_step_add", args=[itinerary.pk])
    assert client.post(url, {"program": first.pk}).status_code == 302
    step = itinerary.steps.get()
    assert client.post(url, {"program": second.pk, "prerequisites": [step.pk]}).status_code == 302
    assert client.post(url, {"program": first.pk}, HTTP_HX_REQUEST="true").status_code == 422  # twice: refused
    last = itinerary.steps.get(order=2)
    assert last.program == second and list(last.prerequisites.all()) == [step]
    client.force_login(director_a.user)
    assert client.post(url, {"program": first.pk}).status_code == 404


@pytest.fixture
def three_steps(itinerary):
    """Pressupostos → Contractes (needs Pressupostos) → Subvencions (needs nothing)."""
    ItineraryStep.objects.create(itinerary=itinerary, order=3, program=f.ProgramFactory(title="Subvencions"))
    return itinerary


def _titles(itinerary) -> list[str]:
    return list(itinerary.steps.order_by("order").values_list("program__title", flat=True))


def _step(itinerary, title: str) -> ItineraryStep:
    return itinerary.steps.get(program__title=title)


def test_the_learning_office_reorders_steps_keeping_prerequisites_before(client, clo_user, three_steps, english):
    client.force_login(clo_user)

    def move(title: str, direction: str, **headers):
        step = _step(three_steps, title)
        return client.post(reverse("careers:itinerary_step_move", args=[three_steps.pk, step.pk]),
                           {"direction": direction}, **headers)

    assert move("Subvencions", "up").status_code == 302
    assert _titles(three_steps) == ["Pressupostos", "Subvencions", "Contractes"]
    assert move("Subvencions", "up").status_code == 302
    assert _titles(three_steps) == ["Subvencions", "Pressupostos", "Contractes"]
    assert list(three_steps.steps.order_by("order").values_list("order", flat=True)) == [1, 2, 3]
    # Contractes needs Pressupostos first: neither move that would put it before is made
    refused = move("Contractes", "up")
    assert refused.status_code == 422
    assert "Contractes needs Pressupostos first: it cannot come before it." in refused.content.decode()
    refused = move("Pressupostos", "down", HTTP_HX_REQUEST="true")
    page = refused.content.decode()
    assert refused.status_code == 422 and "<html" not in page and 'id="itinerary-steps"' in page
    assert "Contractes needs Pressupostos first" in page
    assert move("Subvencions", "up").status_code == 422  # already the first
    assert move("Subvencions", "sideways").status_code == 422
    assert _titles(three_steps) == ["Subvencions", "Pressupostos", "Contractes"]


def test_a_step_that_another_needs_is_not_removed(client, clo_user, three_steps):
    client.force_login(clo_user)  # in Catalan, the default

    def remove(title: str):
        step = _step(three_steps, title)
        return client.post(reverse("careers:itinerary_step_remove", args=[three_steps.pk, step.pk]))

    refused = remove("Pressupostos")
    assert refused.status_code == 422
    assert ("No es pot treure Pressupostos: és un requisit previ d'aquests passos: Contractes."
            in html.unescape(refused.content.decode()))
    assert _titles(three_steps) == ["Pressupostos", "Contractes", "Subvencions"]
    assert remove("Contractes").status_code == 302
    assert _titles(three_steps) == ["Pressupostos", "Subvencions"]
    assert list(three_steps.steps.order_by("order").values_list("order", flat=True)) == [1, 2]
    assert remove("Pressupostos").status_code == 302  # nobody needs it any more
    assert _titles(three_steps) == ["Subvencions"]


def test_only_the_learning_office_moves_or_removes_steps(client, three_steps, director_a, employee_a, hr_user,
                                                         clo_user):
    step = _step(three_steps, "Subvencions")
    other = Itinerary.objects.create(title="Una altra", job_family="Gestió econòmica")
    urls = [reverse("careers:itinerary_step_move", args=[three_steps.pk, step.pk]),
            reverse("careers:itinerary_step_remove", args=[three_steps.pk, step.pk])]
    for user in (director_a.user, employee_a.user, hr_user):
        client.force_login(user)
        for url in urls:
            assert client.post(url, {"direction": "up"}).status_code == 404, (user, url)
            assert client.post(url, {"direction": "up"}, HTTP_HX_REQUEST="true").status_code == 404
            assert client.get(url).status_code in (404, 405)
    assert _titles(three_steps) == ["Pressupostos", "Contractes", "Subvencions"]
    # a step named under another itinerary is not found
    client.force_login(clo_user)
    assert client.post(reverse("careers:itinerary_step_remove", args=[other.pk, step.pk])).status_code == 404
    assert _titles(three_steps) == ["Pressupostos", "Contractes", "Subvencions"]
