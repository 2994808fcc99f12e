"""Talent reviews: opening, rating potential (performance from evidence), calibration kept apart from the raw
values, the 9-box reading calibrated values, the person never seeing their own rating, scoping, read log,
retention and query counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from clo.core.models import PersonalDataRead
from clo.core.retention import apply_retention
from clo.talent.models import PotentialRating, TalentReview
from clo.talent.services import reviews as services
from tests import factories as f

pytestmark = pytest.mark.django_db
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def review(org, clo_user):
    return services.talent_review_open(name="Revisió de talent 2026", unit=org.unit_a, by=clo_user)


def _cell(html: str, performance: str, potential: str) -> int:
    found = re.search(rf'data-performance="{performance}" data-potential="{potential}" data-count="(\d+)"', html)
    return int(found.group(1))


def test_the_learning_office_opens_a_review_and_others_cannot(org, clo_client, director_a):
    response = clo_client.post(reverse("talent:review_list"), {"name": "Revisió A", "unit": org.unit_a.pk})
    assert response.status_code == 302 and TalentReview.objects.filter(name="Revisió A").exists()
    bad = clo_client.post(reverse("talent:review_list"), {"name": "", "unit": org.unit_a.pk}, **HX)
    assert bad.status_code == 422 and "field-errors" in bad.content.decode()
    clo_client.force_login(director_a.user)
    assert clo_client.post(reverse("talent:review_list"), {"name": "X", "unit": org.unit_a.pk}).status_code == 404
    assert not TalentReview.objects.filter(name="X").exists()


def test_director_rates_potential_and_performance_comes_from_evidence(org, review, director_a_client, employee_a):
    competency = f.CompetencyFactory()
    for level, required in ((3, 3), (1, 2)):
        other = f.CompetencyFactory(area=competency.area, framework=competency.framework)
        f.RequirementFactory(position=employee_a.position, competency=other, required_level=required)
        f.CurrentLevelFactory(employee=employee_a, competency=other, level=level)
    url = reverse("talent:potential_rate", args=[review.pk, employee_a.pk])
    prefix = f"p{employee_a.pk}"
    response = director_a_client.post(url, {f"{prefix}-potential": "high", f"{prefix}-comment": "Lidera projectes"})
    assert response.status_code == 302
    rating = PotentialRating.objects.get(employee=employee_a)
    assert (rating.potential, rating.performance, float(rating.performance_percent_met)) == ("high", "moderate", 50.0)
    bad = director_a_client.post(url, {f"{prefix}-potential": "stellar"}, **HX)
    assert bad.status_code == 422 and "Trieu un dels nivells de potencial" in bad.content.decode()


def test_calibration_keeps_raw_values_and_the_nine_box_reads_calibrated_ones(org, review, clo_user, hr_client,
                                                                             employee_a, director_a):
    rating = services.potential_rate(review=review, employee=employee_a, potential="low", by=director_a.user)
    services.talent_review_set_status(review=review, status="calibrating")
    box = reverse("talent:nine_box", args=[review.pk])
    before = hr_client.get(box).content.decode()
    assert sum(_cell(before, x, y) for x in ("low", "moderate", "high") for y in ("low", "moderate", "high")) == 0
    url = reverse("talent:calibrate", args=[review.pk, rating.pk])
    prefix = f"c{rating.pk}"
    assert hr_client.post(url, {f"{prefix}-potential": "high", f"{prefix}-performance": "high"}).status_code == 302
    rating.refresh_from_db()
    assert (rating.potential, rating.calibrated_potential, rating.calibrated_performance) == ("low", "high", "high")
    after = hr_client.get(box).content.decode()
    assert _cell(after, "high", "high") == 1
    assert _cell(after, "low", "low") == 0 and _cell(after, rating.performance or "low", "low") == 0
    assert "<details" in after and employee_a.full_name in after  # the table behind the toggle


def _main(response) -> str:
    """The page without its header (which names the signed-in person)."""
    return response.content.decode().split('<main id="main"', 1)[-1]


def test_the_person_never_sees_their_own_rating(org, review, clo_user, director_a, client, employee_a):
    services.potential_rate(review=review, employee=director_a, potential="high", by=clo_user)
    services.potential_rate(review=review, employee=employee_a, potential="moderate", by=director_a.user)
    services.talent_review_set_status(review=review, status="calibrating")
    services.potential_calibrate(rating=PotentialRating.objects.get(employee=director_a), potential="high",
                                 performance="high", by=clo_user)
    client.force_login(director_a.user)
    detail = _main(client.get(reverse("talent:review_detail", args=[review.pk])))
    assert employee_a.full_name in detail and director_a.full_name not in detail
    box = client.get(reverse("talent:nine_box", args=[review.pk])).content.decode()
    assert _cell(box, "high", "high") == 0 and director_a.full_name not in _main_box(box)
    client.force_login(employee_a.user)
    for name in ("review_detail", "nine_box", "review_calibration"):
        assert client.get(reverse(f"talent:{name}", args=[review.pk])).status_code == 404
    assert client.get(reverse("talent:review_list")).status_code == 404


def _main_box(html: str) -> str:
    return html.split('id="box"', 1)[-1]


def test_outsider_director_gets_404_on_get_post_and_htmx(org, review, clo_user, outsider_client, employee_a):
    rating = services.potential_rate(review=review, employee=employee_a, potential="high", by=clo_user)
    urls = [reverse("talent:review_detail", args=[review.pk]), reverse("talent:nine_box", args=[review.pk]),
            reverse("talent:review_calibration", args=[review.pk]), reverse("talent:review_status", args=[review.pk]),
            reverse("talent:potential_rate", args=[review.pk, employee_a.pk]),
            reverse("talent:calibrate", args=[review.pk, rating.pk])]
    for url in urls:
        assert outsider_client.get(url).status_code == 404
        assert outsider_client.get(url, **HX).status_code == 404
        assert outsider_client.post(url, {f"p{employee_a.pk}-potential": "low"}).status_code == 404
        assert outsider_client.post(url, {"status": "calibrating"}, **HX).status_code == 404
    rating.refresh_from_db()
    assert rating.potential == "high"


def test_reads_of_potential_ratings_are_logged(org, review, clo_user, hr_client, employee_a):
    services.potential_rate(review=review, employee=employee_a, potential="high", by=clo_user)
    hr_client.get(reverse("talent:review_calibration", args=[review.pk]))
    entry = PersonalDataRead.objects.get(what=PersonalDataRead.What.POTENTIAL)
    assert entry.username == "rrhh" and entry.person_id == employee_a.pk


def test_retention_blocks_then_deletes_old_potential_ratings(org, review, clo_user, employee_a, settings):
    settings.RETENTION_DAYS = {"assessments": 365}
    settings.RETENTION_GRACE_DAYS = 30
    rating = services.potential_rate(review=review, employee=employee_a, potential="high", by=clo_user)
    PotentialRating.objects.filter(pk=rating.pk).update(rated_at=timezone.now() - dt.timedelta(days=400))
    counts = apply_retention()
    assert counts["potential_ratings"]["blocked"] == 1
    assert not PotentialRating.objects.shown().exists()
    apply_retention(now=timezone.now() + dt.timedelta(days=31))
    assert not PotentialRating.objects.filter(pk=rating.pk).exists()


@pytest.mark.parametrize("size", [3, 15])
def test_review_pages_queries_do_not_grow(org, review, clo_user, hr_client, django_assert_max_num_queries, size):
    for _ in range(size):
        services.potential_rate(review=review, employee=f.EmployeeFactory(unit=org.unit_a1), potential="moderate",
                                by=clo_user)
    services.talent_review_set_status(review=review, status="calibrating")
    for name in ("review_detail", "review_calibration", "nine_box"):
        with django_assert_max_num_queries(16):
            assert hr_client.get(reverse(f"talent:{name}", args=[review.pk])).status_code == 200
