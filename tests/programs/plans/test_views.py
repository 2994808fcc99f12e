"""Learning plan pages: who sees and edits which plan, bad input answered at the field, HTMX partials, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from programs.models import LearningPlanItem
from programs.services import learning_plans as services
from tests import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def plan(plan_world, employee_a):
    return services.learning_plan_generate(employee_id=employee_a.pk, year=plan_world.year)


def _urls(plan):
    item = plan.items.first()
    return {
        "detail": ("get", reverse("programs:plan_detail", args=[plan.pk]), {}),
        "pdf": ("get", reverse("programs:plan_pdf", args=[plan.pk]), {}),
        "add": ("post", reverse("programs:plan_item_add", args=[plan.pk]), {"kind": "mentoring", "title": "x"}),
        "edit": ("get", reverse("programs:plan_item_edit", args=[plan.pk, item.pk]), {}),
        "edit-post": ("post", reverse("programs:plan_item_edit", args=[plan.pk, item.pk]), {"status": "done"}),
        "done": ("post", reverse("programs:plan_item_done", args=[plan.pk, item.pk]), {}),
        "generate": ("post", reverse("programs:plan_generate", args=[plan.employee_id]), {"year": 2026}),
    }


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("name", ["detail", "pdf", "add", "edit", "edit-post", "done", "generate"])
def test_the_outsider_director_gets_404_everywhere(outsider_client, plan, name, htmx):
    method, url, data = _urls(plan)[name]
    response = getattr(outsider_client, method)(url, data, **(HTMX if htmx else {}))
    assert response.status_code == 404
    assert plan.items.filter(status="done").count() == 0 and plan.items.filter(kind="mentoring").count() == 0


@pytest.mark.parametrize("name", ["add", "edit", "edit-post", "done"])
def test_the_employee_cannot_edit_their_own_plan(employee_a_client, plan, name):
    method, url, data = _urls(plan)[name]
    assert getattr(employee_a_client, method)(url, data).status_code == 403
    assert not plan.items.filter(status="done").exists()


def test_the_employee_cannot_regenerate_their_own_plan(employee_a_client, plan):
    method, url, data = _urls(plan)["generate"]
    assert employee_a_client.post(url, data).status_code == 404


def test_another_employee_gets_404_for_someone_elses_plan(client, plan, employee_b):
    client.force_login(employee_b.user)
    for name in ("detail", "pdf", "done"):
        method, url, data = _urls(plan)[name]
        assert getattr(client, method)(url, data).status_code == 404


@pytest.mark.parametrize("name", ["detail", "pdf", "add", "done"])
def test_anonymous_is_sent_to_log_in(client, plan, name):
    method, url, data = _urls(plan)[name]
    response = getattr(client, method)(url, data)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_employee_sees_their_plan_and_its_progress(employee_a_client, plan):
    services.learning_plan_item_mark_done(item=plan.items.first())
    page = employee_a_client.get(reverse("programs:plan_list"), follow=True).content.decode()
    assert "1 of 2 actions done" in page
    assert "Clear administrative writing" in page and "Data protection in the council" in page
    assert "Mark as done" not in page and "Add an activity" not in page  # reading only


def test_the_director_adds_an_activity_that_is_not_a_program(director_a_client, plan):
    due = plan.period_start + dt.timedelta(days=100)
    response = director_a_client.post(reverse("programs:plan_item_add", args=[plan.pk]), {
        "kind": "job_rotation", "title": "Three months in the registry office", "due_date": due.isoformat(),
    })
    assert response.status_code == 302
    item = plan.items.get(kind="job_rotation")
    assert (item.title, item.due_date, item.origin, item.edited) == ("Three months in the registry office", due,
                                                                      "manual", True)
    page = director_a_client.get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()
    assert "Three months in the registry office" in page


def test_a_due_date_outside_the_period_is_refused_at_the_field(hr_client, plan):
    response = hr_client.post(reverse("programs:plan_item_add", args=[plan.pk]), {
        "kind": "mentoring", "title": "Mentoring", "due_date": f"{plan.period_end.year + 1}-02-01",
    }, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html  # only the partial comes back
    assert "The due date must fall within the plan" in html
    assert 'aria-describedby="id_due_date_error"' in html and 'id="id_due_date_error"' in html
    assert not plan.items.filter(kind="mentoring").exists()


def test_a_level_outside_the_scale_is_refused_at_the_field(hr_client, plan, plan_world):
    response = hr_client.post(reverse("programs:plan_item_add", args=[plan.pk]), {
        "kind": "challenge", "title": "Rewrite the forms", "competency": plan_world.writing.pk, "target_level": 7,
    })
    assert response.status_code == 422
    html = response.content.decode()
    assert "Level 7 is outside the scale of this competency (1 to 4)." in html
    assert 'aria-describedby="id_target_level_error"' in html
    assert "<html" in html  # without HTMX the whole page comes back


def test_a_program_item_needs_its_program(hr_client, plan):
    response = hr_client.post(reverse("programs:plan_item_add", args=[plan.pk]), {"kind": "program"}, **HTMX)
    assert response.status_code == 422
    assert "Choose the program." in response.content.decode()


def test_changing_an_item_marks_it_edited_and_checks_the_period(hr_client, plan):
    item = plan.items.get(critical=False)
    url = reverse("programs:plan_item_edit", args=[plan.pk, item.pk])
    bad = hr_client.post(url, {"due_date": "1999-01-01", "status": "planned", "target_level": 3}, **HTMX)
    assert bad.status_code == 422 and "The due date must fall within the plan" in bad.content.decode()
    item.refresh_from_db()
    assert not item.edited
    new_day = plan.period_start + dt.timedelta(days=40)
    response = hr_client.post(url, {"due_date": new_day.isoformat(), "status": "in_progress", "target_level": 3})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.due_date, item.status, item.edited) == (new_day, "in_progress", True)


def test_marking_done_through_htmx_returns_the_updated_list(director_a_client, plan):
    item = plan.items.get(critical=True)
    response = director_a_client.post(reverse("programs:plan_item_done", args=[plan.pk, item.pk]), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and 'id="plan-body"' in html
    assert "1 of 2 actions done" in html
    item.refresh_from_db()
    assert item.status == LearningPlanItem.Status.DONE


def test_the_generate_button_makes_the_plan(director_a_client, employee_a, plan_world):
    response = director_a_client.post(reverse("programs:plan_generate", args=[employee_a.pk]), {"year": 2031})
    plan = employee_a.learning_plans.get(period_start=dt.date(2031, 1, 1))
    assert response.status_code == 302 and response.url == reverse("programs:plan_detail", args=[plan.pk])
    assert plan.items.count() == 2


def test_the_pdf_downloads_directly(hr_client, plan):
    response = hr_client.get(reverse("programs:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]  # named in the language of the PDF, the person's (Catalan)
    assert "pla-d-aprenentatge-" in disposition and "soler-camps-pere" in disposition
    assert response["Content-Disposition"].startswith("attachment") and "no-store" in response["Cache-Control"]


def test_the_list_shows_people_in_scope_with_their_plans(director_a_client, plan, employee_b):
    html = director_a_client.get(reverse("programs:plan_list"), {"year": plan.period_start.year}).content.decode()
    assert "Pere Soler Camps" in html and "0 of 2 actions done" in html
    assert "Anna Pujol Sala" not in html  # unit B is not the director's


def test_the_list_as_an_htmx_partial(hr_client, plan):
    response = hr_client.get(reverse("programs:plan_list"), {"year": plan.period_start.year}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and 'id="people"' in html


@pytest.mark.parametrize("extra", [3, 40])
def test_list_queries_do_not_grow_with_the_organisation(hr_client, plan, org, employee_a, extra,
                                                        django_assert_max_num_queries):
    for _ in range(extra):
        person = f.EmployeeFactory(unit=org.unit_a1, position=employee_a.position)
        f.LearningPlanItemFactory(plan=f.LearningPlanFactory(employee=person, period_start=plan.period_start,
                                                             period_end=plan.period_end))
    with django_assert_max_num_queries(15):  # 12, the units of the unit filter, and the read logged in 2 INSERTs
        response = hr_client.get(reverse("programs:plan_list"), {"year": plan.period_start.year})
    assert response.status_code == 200


@pytest.mark.parametrize("extra_items", [1, 30])
def test_plan_page_queries_do_not_grow_with_the_plan(hr_client, plan, extra_items, django_assert_max_num_queries):
    for _ in range(extra_items):
        f.LearningPlanItemFactory(plan=plan, due_date=plan.period_end)
    with django_assert_max_num_queries(18):  # 16, the catalogue read to flag the gaps the plan does not cover, and the
        # resources for its gaps (competencies.selectors.resources_for_gaps)
        response = hr_client.get(reverse("programs:plan_detail", args=[plan.pk]))
    assert response.status_code == 200


def test_a_target_level_on_an_activity_without_competency_is_refused_at_the_field(hr_client, plan):
    item = f.LearningPlanItemFactory(plan=plan, due_date=plan.period_end)
    response = hr_client.post(reverse("programs:plan_item_edit", args=[plan.pk, item.pk]),
                              {"due_date": plan.period_end.isoformat(), "status": "planned", "target_level": 2}, **HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert "<html" not in html and "targets no competency" in html
    item.refresh_from_db()
    assert item.target_level is None and not item.edited


def test_my_plan_goes_straight_to_the_only_plan(employee_a_client, employee_a, plan):
    response = employee_a_client.get(reverse("programs:plan_list"))
    assert response.status_code == 302 and response.url == reverse("programs:plan_detail", args=[plan.pk])


def test_my_plan_lists_the_plans_when_there_are_several(employee_a_client, employee_a, plan):
    older = f.LearningPlanFactory(employee=employee_a, period_start=dt.date(plan.period_start.year - 1, 1, 1),
                                  period_end=dt.date(plan.period_start.year - 1, 12, 31))
    page = employee_a_client.get(reverse("programs:plan_list")).content.decode()
    assert reverse("programs:plan_detail", args=[plan.pk]) in page
    assert reverse("programs:plan_detail", args=[older.pk]) in page
