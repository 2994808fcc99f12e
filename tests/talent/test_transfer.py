"""Knowledge-transfer plans: who needs one, deadlines before the leaving date, scoping, progress, the reminders to the
mentor and the director, and a validated shadowing session raising the successor's level through the gap engine.

Every date comes from one fixed instant (``TODAY``, frozen for the whole module), never the wall clock."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from clo.talent.models import HandoverItem, TransferPlan
from clo.talent.selectors.transfer import holders_without_transfer_plan
from clo.talent.services import transfer as services
from clo.talent.tasks import transfer_reminders_send as reminders_task
from evaluations.models import CurrentLevel, Evidence, Gap
from tests import factories as f

pytestmark = pytest.mark.django_db

MADRID = ZoneInfo("Europe/Madrid")
TODAY = dt.date(2026, 3, 10)
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(dt.datetime.combine(TODAY, dt.time(11), tzinfo=MADRID), tick=False):
        yield


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def critical_a(org):
    return f.PositionFactory(code="CAP-EDU", title="Cap del Servei d'Educació", unit=org.unit_a1, is_critical=True)


@pytest.fixture
def mentor_a(org, critical_a, director_a):
    user = f.UserFactory(username="mentor.a")
    return f.EmployeeFactory(user=user, unit=org.unit_a1, position=critical_a, first_name="Àngels",
                             last_name="Font Riba", expected_retirement_date=days(300), manager=director_a)


@pytest.fixture
def plan_a(mentor_a, employee_a, clo_user):
    return services.transfer_plan_create(holder=mentor_a, successor=employee_a, leaving_on=None,
                                         reason="retirement", created_by=clo_user, today=TODAY)


@pytest.fixture
def plan_b(org, employee_b, clo_user):
    position = f.PositionFactory(code="CAP-LLI", title="Cap de Llicències", unit=org.unit_b1, is_critical=True)
    holder = f.EmployeeFactory(unit=org.unit_b1, position=position, first_name="Bru", last_name="Llicències Secret",
                               expected_retirement_date=days(200))
    plan = services.transfer_plan_create(holder=holder, successor=employee_b, leaving_on=None, reason="retirement",
                                         created_by=clo_user, today=TODAY)
    services.handover_item_add(plan=plan, kind="document", title="Expedients secrets de B", due_on=days(30))
    return plan


# --- Who needs a plan ------------------------------------------------------------------------------------------------


def test_holders_without_a_plan_are_the_critical_holders_retiring_within_the_horizon(org, critical_a, director_a,
                                                                                    mentor_a, employee_a, clo_user):
    later = f.EmployeeFactory(unit=org.unit_a1, position=critical_a, expected_retirement_date=days(3 * 365))
    ordinary = f.EmployeeFactory(unit=org.unit_a1, expected_retirement_date=days(100))  # not a critical position
    outside = f.EmployeeFactory(unit=org.unit_b1, position=critical_a, expected_retirement_date=days(100))
    assert set(holders_without_transfer_plan(today=TODAY)) == {mentor_a, outside}
    assert set(holders_without_transfer_plan(today=TODAY, years=4)) == {mentor_a, outside, later}
    assert set(holders_without_transfer_plan(today=TODAY, user=director_a.user)) == {mentor_a}
    assert set(holders_without_transfer_plan(today=TODAY, unit_paths=(org.unit_b.path,))) == {outside}
    assert ordinary not in holders_without_transfer_plan(today=TODAY, years=10)
    services.transfer_plan_create(holder=mentor_a, successor=employee_a, leaving_on=None, reason="retirement",
                                  created_by=clo_user, today=TODAY)
    assert set(holders_without_transfer_plan(today=TODAY)) == {outside}


def test_the_director_sees_who_needs_a_plan_and_creates_it(director_a_client, mentor_a, employee_a, english):
    page = director_a_client.get(reverse("talent:transfer_plan_list"))
    assert page.status_code == 200
    create_url = reverse("talent:transfer_plan_create", args=[mentor_a.pk])
    assert create_url in page.content.decode()
    response = director_a_client.post(create_url, {"successor": employee_a.employee_number, "reason": "retirement"})
    plan = TransferPlan.objects.get(holder=mentor_a)
    assert response.status_code == 302 and response.url == plan.get_absolute_url()
    assert (plan.successor, plan.leaving_on, plan.position) == (employee_a, mentor_a.expected_retirement_date,
                                                                mentor_a.position)
    page = director_a_client.get(reverse("talent:transfer_plan_list")).content.decode()
    assert create_url not in page and "0 of 0 items done" in page


def test_a_departure_needs_its_date_and_an_unknown_successor_is_refused_at_the_field(director_a_client, org,
                                                                                    critical_a, english):
    leaving = f.EmployeeFactory(unit=org.unit_a1, position=critical_a, expected_retirement_date=None)
    url = reverse("talent:transfer_plan_create", args=[leaving.pk])
    response = director_a_client.post(url, {"successor": "NOBODY", "reason": "departure"}, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert "No active employee has this number." in body
    assert "<html" not in body  # the form partial only
    successor = f.EmployeeFactory(unit=org.unit_a1)
    response = director_a_client.post(url, {"successor": successor.employee_number, "reason": "departure"})
    assert response.status_code == 422
    assert "Give the leaving date: this person has no expected retirement date." in response.content.decode()
    assert not TransferPlan.objects.exists()


# --- Deadlines before the leaving date ------------------------------------------------------------------------------


def test_a_deadline_on_or_after_the_leaving_date_is_refused_at_the_field(plan_a, director_a_client, english):
    url = reverse("talent:handover_item_add", args=[plan_a.pk])
    data = {"kind": "procedure", "title": "Write down the grants procedure",
            "due_on": plan_a.leaving_on.isoformat()}
    response = director_a_client.post(url, data, **HX)
    assert response.status_code == 422
    body = response.content.decode()
    assert 'id="id_due_on_error"' in body
    assert "The deadline must fall before the leaving date (4 January 2027)." in body
    assert not HandoverItem.objects.exists()
    data["due_on"] = (plan_a.leaving_on - dt.timedelta(days=1)).isoformat()
    response = director_a_client.post(url, data, **HX)
    assert response.status_code == 200
    assert "0 of 1 items done" in response.content.decode()
    assert HandoverItem.objects.get().due_on == plan_a.leaving_on - dt.timedelta(days=1)


def test_the_deadline_message_is_in_catalan(plan_a):
    from django.utils import translation

    with translation.override("ca"), pytest.raises(ValidationError) as error:
        services.handover_item_add(plan=plan_a, kind="contact", title="Secretaria", due_on=days(400))
    assert error.value.message_dict["due_on"] == [
        "El termini ha de ser anterior a la data de sortida (4 de gener de 2027)."]


def test_only_a_shadowing_session_shows_a_competency_and_its_level_is_on_the_scale(plan_a):
    competency = f.CompetencyFactory()
    with pytest.raises(ValidationError) as error:
        services.handover_item_add(plan=plan_a, kind="document", title="Arxiu", due_on=days(10),
                                   competency=competency, level=2)
    assert "competency" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        services.handover_item_add(plan=plan_a, kind="shadowing", title="Comissió", due_on=days(10),
                                   competency=competency, level=9)
    assert "level" in error.value.message_dict


# --- Scoping --------------------------------------------------------------------------------------------------------


def test_the_outsider_director_gets_404_everywhere_on_a_plan_of_another_unit(plan_a, outsider_client, mentor_a):
    item = services.handover_item_add(plan=plan_a, kind="shadowing", title="Consell escolar", due_on=days(20))
    urls = [
        reverse("talent:transfer_plan_detail", args=[plan_a.pk]),
        reverse("talent:transfer_plan_create", args=[mentor_a.pk]),
        reverse("talent:handover_item_add", args=[plan_a.pk]),
        reverse("talent:handover_item_done", args=[plan_a.pk, item.pk]),
        reverse("talent:handover_item_validate", args=[plan_a.pk, item.pk]),
    ]
    for url in urls:
        for headers in ({}, HX):
            assert outsider_client.get(url, **headers).status_code in (404, 405), url
            posted = outsider_client.post(url, {"kind": "document", "title": "x", "due_on": days(5).isoformat(),
                                                "successor": "E000001", "reason": "retirement"}, **headers)
            # the plan's page takes no POST (405, as the URL walk allows); every action answers 404
            assert posted.status_code == (405 if url == urls[0] else 404), url
            assert mentor_a.full_name not in posted.content.decode()
    list_page = outsider_client.get(reverse("talent:transfer_plan_list")).content.decode()
    assert mentor_a.full_name not in list_page
    assert plan_a.items.count() == 1 and plan_a.items.get().done_on is None
    assert TransferPlan.objects.count() == 1


def test_a_colleague_outside_the_pair_gets_404_and_the_mentor_only_marks_items_done(plan_a, client, mentor_a,
                                                                                    org):
    item = services.handover_item_add(plan=plan_a, kind="shadowing", title="Consell escolar", due_on=days(20),
                                      competency=f.CompetencyFactory(), level=2)
    colleague = f.EmployeeFactory(unit=org.unit_a1, user=f.UserFactory(username="colleague"))
    client.force_login(colleague.user)
    assert client.get(plan_a.get_absolute_url()).status_code == 404
    assert client.get(reverse("talent:transfer_plan_list")).status_code == 404
    client.force_login(mentor_a.user)
    assert client.get(plan_a.get_absolute_url()).status_code == 200
    add = client.post(reverse("talent:handover_item_add", args=[plan_a.pk]),
                      {"kind": "document", "title": "x", "due_on": days(5).isoformat()})
    assert add.status_code == 404
    assert client.post(reverse("talent:handover_item_done", args=[plan_a.pk, item.pk])).status_code == 302
    assert client.post(reverse("talent:handover_item_validate", args=[plan_a.pk, item.pk])).status_code == 404
    item.refresh_from_db()
    assert item.done_on == TODAY and item.validated_on is None


# --- Query counts ---------------------------------------------------------------------------------------------------


def _more_plans(org, clo_user, count: int) -> None:
    for n in range(count):
        position = f.PositionFactory(unit=org.unit_a1, is_critical=True)
        holder = f.EmployeeFactory(unit=org.unit_a1, position=position, expected_retirement_date=days(100 + n))
        f.EmployeeFactory(unit=org.unit_a1, position=position, expected_retirement_date=days(200 + n))  # no plan
        plan = services.transfer_plan_create(holder=holder, successor=f.EmployeeFactory(unit=org.unit_a1),
                                             leaving_on=None, reason="retirement", created_by=clo_user, today=TODAY)
        services.handover_item_add(plan=plan, kind="contact", title=f"Contact {n}", due_on=days(50))


@pytest.mark.parametrize("size", [1, 8])
def test_the_list_and_a_plan_take_the_same_queries_at_two_sizes(size, org, clo_user, director_a_client,
                                                                 django_assert_max_num_queries):
    _more_plans(org, clo_user, size)
    plan = TransferPlan.objects.order_by("pk").first()
    for n in range(size):
        services.handover_item_add(plan=plan, kind="document", title=f"Doc {n}", due_on=days(60))
    with django_assert_max_num_queries(12):
        page = director_a_client.get(reverse("talent:transfer_plan_list"))
    assert len(page.context["plans"]) == size
    assert len(page.context["holders"]) == size
    with django_assert_max_num_queries(14):
        page = director_a_client.get(plan.get_absolute_url())
    assert page.context["progress"].total == size + 1


# --- Reminders ------------------------------------------------------------------------------------------------------


def test_reminders_go_to_the_mentor_and_the_director_in_their_language_once_a_week(plan_a, mentor_a, director_a,
                                                                                  settings):
    settings.CLO_BASE_URL = "https://formacio.ajuntament.example"
    director_a.language = "es"
    director_a.save(update_fields=["language"])
    mentor_a.language = "ca"
    mentor_a.save(update_fields=["language"])
    services.handover_item_add(plan=plan_a, kind="procedure", title="Procediment de beques", due_on=days(5))
    done = services.handover_item_add(plan=plan_a, kind="contact", title="Inspecció educativa", due_on=days(3))
    services.handover_item_mark_done(item=done, today=TODAY)
    services.handover_item_add(plan=plan_a, kind="document", title="Conveni escoles bressol", due_on=days(60))

    assert services.transfer_reminders_send(today=TODAY) == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    to_mentor, to_director = by_address[mentor_a.email], by_address[director_a.email]
    assert to_mentor.subject == "Traspàs de coneixement d'Àngels Font Riba: elements de traspàs pendents"
    assert "Procediment de beques" in to_mentor.body and "15 de març de 2026" in to_mentor.body
    assert "Inspecció educativa" not in to_mentor.body  # done
    assert "Conveni escoles bressol" not in to_mentor.body  # not due within a week
    assert to_director.subject == "Traspaso de conocimiento de Àngels Font Riba: elementos de traspaso pendientes"
    assert f"https://formacio.ajuntament.example/succession/transfer-plans/{plan_a.pk}/" in to_director.body

    assert services.transfer_reminders_send(today=TODAY) == 0  # claimed: a second run sends nothing
    assert services.transfer_reminders_send(today=days(6)) == 0  # within the week
    assert services.transfer_reminders_send(today=days(7)) == 2  # a week later, still overdue
    assert "vençut des del 15 de març de 2026" in mail.outbox[-1].body + mail.outbox[-2].body


def test_no_reminder_when_nothing_is_due_soon(plan_a):
    services.handover_item_add(plan=plan_a, kind="document", title="Arxiu", due_on=days(30))
    assert services.transfer_reminders_send(today=TODAY) == 0
    assert mail.outbox == []


def test_the_task_sends_them_and_runs_every_morning_from_the_beat_schedule(plan_a):
    services.handover_item_add(plan=plan_a, kind="document", title="Arxiu", due_on=days(2))
    assert reminders_task() == 2
    entry = settings.CELERY_BEAT_SCHEDULE["transfer-plan-reminders"]
    assert entry["task"] == "talent.transfer_reminders_send" and entry["schedule"].hour == {8}


# --- Shadowing as evidence ------------------------------------------------------------------------------------------


@pytest.mark.usefixtures("eager_tasks")
def test_a_validated_shadowing_session_raises_the_successors_level_through_the_gap_engine(
        plan_a, employee_a, director_a_client, django_capture_on_commit_callbacks):
    competency = f.CompetencyFactory(name="Gestió de beques")
    f.RequirementFactory(position=employee_a.position, competency=competency, required_level=3, is_critical=True)
    item = services.handover_item_add(plan=plan_a, kind="shadowing", title="Comissió de beques", due_on=days(20),
                                      competency=competency, level=3)
    gap = Gap.objects.get(employee=employee_a, competency=competency)
    assert (gap.current_level, gap.gap) == (0, 3)
    with django_capture_on_commit_callbacks(execute=True):
        director_a_client.post(reverse("talent:handover_item_done", args=[plan_a.pk, item.pk]))
        director_a_client.post(reverse("talent:handover_item_validate", args=[plan_a.pk, item.pk]))
    item.refresh_from_db()
    assert item.validated_on == TODAY and item.evidence is not None
    piece = Evidence.objects.get(employee=employee_a, competency=competency)
    assert (piece.level, piece.evidenced_on) == (3, TODAY)
    level = CurrentLevel.objects.get(employee=employee_a, competency=competency)
    assert (level.level, level.assessed_on) == (3, TODAY)
    assert Gap.objects.get(employee=employee_a, competency=competency).gap == 0
    with django_capture_on_commit_callbacks(execute=True):  # validating twice writes nothing more
        director_a_client.post(reverse("talent:handover_item_validate", args=[plan_a.pk, item.pk]))
    assert Evidence.objects.filter(employee=employee_a).count() == 1


def test_a_session_not_done_cannot_be_validated(plan_a, director_a_client, english):
    item = services.handover_item_add(plan=plan_a, kind="shadowing", title="Comissió", due_on=days(20),
                                      competency=f.CompetencyFactory(), level=2)
    url = reverse("talent:handover_item_validate", args=[plan_a.pk, item.pk])
    response = director_a_client.post(url, follow=True)
    assert "Mark the session as done before validating it." in response.content.decode()
    partial = director_a_client.post(url, **HX)  # HTMX: the message comes with the swapped region
    assert partial.status_code == 422
    assert 'role="alert"' in partial.content.decode()
    assert "Mark the session as done before validating it." in partial.content.decode()
    assert not Evidence.objects.exists()
