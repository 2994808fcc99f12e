"""Every read of a learning plan is logged (who, whose, what, when): the page and its downloads, the list and its
download, one PDF, the zip of a bulk job; set-based whatever the number of people, and never kept by a cache."""

from __future__ import annotations

import pytest
from django.urls import reverse

from clo.core.models import PersonalDataRead
from programs.services import learning_plans as services
from programs.services.learning_plans import pdfs as plan_pdfs
from tests import factories as f
from tests.programs.plans.test_pdfs import _job, _people_with_plans

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def plan(plan_world, employee_a):
    return services.learning_plan_generate(employee_id=employee_a.pk, year=plan_world.year)


def _only_read():
    read = PersonalDataRead.objects.get()
    return read, sorted(read.subjects.values_list("person_id", flat=True))


@pytest.mark.parametrize("query,what", [({}, "plan"), ({"export": "csv"}, "plan_export"),
                                        ({"export": "xlsx", "table": "gaps"}, "plan_export")])
def test_the_plan_page_and_its_downloads_are_logged(director_a_client, director_a, plan, employee_a, query, what):
    response = director_a_client.get(reverse("programs:plan_detail", args=[plan.pk]), query)
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    read, subjects = _only_read()
    assert (read.user, read.username, read.what, read.person_id, subjects) == (
        director_a.user, "directora.a", what, employee_a.pk, [employee_a.pk])
    assert read.path.startswith(f"/learning-plans/{plan.pk}/")


def test_one_pdf_is_logged(hr_client, hr_user, plan, employee_a):
    response = hr_client.get(reverse("programs:plan_pdf", args=[plan.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    read, subjects = _only_read()
    assert (read.user, read.what, subjects) == (hr_user, "plan_pdf", [employee_a.pk])


def test_the_outsider_reads_nothing_and_nothing_is_logged(outsider_client, plan):
    assert outsider_client.get(reverse("programs:plan_detail", args=[plan.pk])).status_code == 404
    assert outsider_client.get(reverse("programs:plan_pdf", args=[plan.pk])).status_code == 404
    assert not PersonalDataRead.objects.exists()


@pytest.mark.parametrize("extra", [3, 40])
def test_the_list_logs_the_people_on_its_page_in_one_entry(hr_client, hr_user, plan, org, employee_a, extra,
                                                          django_assert_max_num_queries):
    people = [f.EmployeeFactory(unit=org.unit_a1) for _ in range(extra)]
    with django_assert_max_num_queries(15):  # the units of the unit filter: 1 more
        assert hr_client.get(reverse("programs:plan_list"), {"year": plan.period_start.year}).status_code == 200
    read, subjects = _only_read()
    everyone = f.EmployeeFactory._meta.model.objects.active()
    assert (read.user, read.what) == (hr_user, "plan_list")
    assert len(subjects) == read.subject_count == min(50, everyone.count())  # the page on screen
    assert employee_a.pk in subjects and {p.pk for p in people} <= set(subjects)


@pytest.mark.parametrize("extra", [3, 60])
def test_the_list_download_logs_everyone_in_it_without_a_query_per_person(hr_client, plan, org, extra,
                                                                         django_assert_max_num_queries):
    for _ in range(extra):
        f.EmployeeFactory(unit=org.unit_a1)
    with django_assert_max_num_queries(13):
        response = hr_client.get(reverse("programs:plan_list"), {"year": plan.period_start.year, "export": "csv"})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    read, subjects = _only_read()
    everyone = f.EmployeeFactory._meta.model.objects.active()
    assert read.what == "plan_list_export" and read.subject_count == everyone.count() >= extra
    assert subjects == sorted(everyone.values_list("pk", flat=True))


def test_a_director_downloading_the_list_names_only_their_people(director_a_client, plan, employee_a, employee_b):
    director_a_client.get(reverse("programs:plan_list"), {"year": plan.period_start.year, "export": "csv"})
    read, subjects = _only_read()
    assert employee_a.pk in subjects and employee_b.pk not in subjects


def test_an_employee_reading_their_own_plans_is_logged(employee_a_client, employee_a, plan):
    f.LearningPlanFactory(employee=employee_a, period_start=plan.period_start.replace(year=plan.period_start.year - 1),
                          period_end=plan.period_start.replace(year=plan.period_start.year - 1, month=12, day=31))
    assert employee_a_client.get(reverse("programs:plan_list")).status_code == 200
    read, subjects = _only_read()
    assert (read.what, subjects) == ("plan_list", [employee_a.pk])


def test_the_zip_of_a_bulk_job_logs_the_people_whose_plans_it_holds(hr_client, hr_user, plan_world, org,
                                                                    employee_a):
    inside = _people_with_plans(org, employee_a.position, 3)
    outside = _people_with_plans(org, employee_a.position, 1, unit=org.unit_b1)
    job = plan_pdfs.plan_pdf_job_run(_job(unit=org.unit_a).pk)
    response = hr_client.get(reverse("programs:pdf_job_download", args=[job.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    read, subjects = _only_read()
    assert (read.user, read.what, read.subject_count) == (hr_user, "plan_pdfs", 3)
    assert subjects == sorted(p.pk for p in inside) and outside[0].pk not in subjects
