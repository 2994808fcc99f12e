"""Successor pools: fit and readiness against a plain-Python oracle, suggestions (critical requirements first),
the pool's actions and development plans, scoping, read log and query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clo.core.models import PersonalDataRead
from clo.talent.models import ReadinessCategory, Successor
from clo.talent.selectors import pools as sel
from clo.talent.services import pools as services
from programs.models import LearningPlanItem
from tests import factories as f

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 15)
HX = {"HTTP_HX_REQUEST": "true"}


def oracle_fit(requirements, levels) -> tuple[float, float]:
    """Weighted gap over all the requirements and over the critical ones, written the plain way."""
    indexed = list(enumerate(requirements))
    return _gap(indexed, levels), _gap([(i, r) for i, r in indexed if r[2]], levels)


def _gap(indexed, levels) -> float:
    weights = sum(r[1] for _, r in indexed)
    if not weights:
        return 0.0
    return sum(r[1] * max(r[0] - (levels.get(i) or 0), 0) for i, r in indexed) / weights


def oracle_readiness(gap: float, bounds: list[tuple[str, Decimal | None]]) -> str:
    closed = sorted((b, name) for name, b in bounds if b is not None)
    for bound, name in closed:
        if Decimal(str(round(gap, 4))) <= bound:
            return name
    return next(name for name, b in bounds if b is None)


@pytest.fixture
def competencies(db):
    framework = f.FrameworkFactory()
    area = f.AreaFactory(framework=framework)
    return [f.CompetencyFactory(area=area, framework=framework) for _ in range(5)]


requirement = st.tuples(st.integers(1, 4), st.integers(1, 10), st.booleans())


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(requirements=st.lists(requirement, min_size=1, max_size=5),
       levels=st.lists(st.one_of(st.none(), st.integers(0, 4)), min_size=5, max_size=5),
       ready_bound=st.sampled_from(["0.00", "0.25", "0.50"]), later_bound=st.sampled_from(["1.00", "1.50"]))
def test_fit_and_readiness_match_the_oracle(competencies, org, requirements, levels, ready_bound, later_bound):
    with transaction.atomic():
        ReadinessCategory.objects.filter(max_weighted_gap=Decimal("0.25")).update(max_weighted_gap=ready_bound)
        ReadinessCategory.objects.filter(max_weighted_gap=Decimal("1.00")).update(max_weighted_gap=later_bound)
        position = f.PositionFactory(unit=org.unit_a, is_critical=True)
        person = f.EmployeeFactory(unit=org.unit_a1)
        for index, (required, weight, critical) in enumerate(requirements):
            f.RequirementFactory(position=position, competency=competencies[index], required_level=required,
                                 weight=weight, is_critical=critical)
        known = {}
        for index, level in enumerate(levels):
            if level is not None:
                f.CurrentLevelFactory(employee=person, competency=competencies[index], level=level)
                known[index] = level
        fit = sel.fits(position.pk, [person.pk], today=TODAY)[person.pk]
        expected, expected_critical = oracle_fit(requirements, {i: known.get(i) for i in range(len(requirements))})
        assert fit.weighted_gap == pytest.approx(expected)
        assert fit.critical_gap == pytest.approx(expected_critical)
        categories = sel.readiness_categories()
        bounds = [(c.name_en, c.max_weighted_gap) for c in categories]
        assert sel.readiness_of(fit.weighted_gap, categories).name_en == oracle_readiness(expected, bounds)
        transaction.set_rollback(True)


def oracle_suggestions(requirements, people, limit):
    """The suggestions as first defined: every eligible person with a valid level in one of the requirements'
    competencies, by critical coverage, then coverage (Σ weight × min(level, required)), then id."""
    in_force = [r for r in requirements if not r["archived"]]
    total = sum(r["weight"] * r["required"] for r in in_force)
    weights = sum(r["weight"] for r in in_force)
    c_total = sum(r["weight"] * r["required"] for r in in_force if r["critical"])
    c_weights = sum(r["weight"] for r in in_force if r["critical"])
    ranked = []
    for person in people:
        if not person["eligible"]:
            continue
        levels = [(r, person["levels"][r["index"]]) for r in in_force if person["levels"][r["index"]] is not None]
        if not levels:
            continue
        covered = sum(r["weight"] * min(level, r["required"]) for r, level in levels)
        critical = sum(r["weight"] * min(level, r["required"]) for r, level in levels if r["critical"])
        ranked.append((-critical, -covered, person["id"],
                       (total - covered) / weights, (c_total - critical) / c_weights if c_weights else 0.0))
    return [(pk, gap, critical_gap) for _, _, pk, gap, critical_gap in sorted(ranked)[:limit]]


# per competency: no level (a quarter of the time), or (level, expired)
level_strategy = st.one_of(st.none(), *[st.tuples(st.integers(0, 4), st.sampled_from([False, False, True]))] * 3)
person_strategy = st.fixed_dictionaries({
    "levels": st.lists(level_strategy, min_size=4, max_size=4),
    "kind": st.sampled_from(["eligible"] * 6 + ["inactive", "blocked", "holder", "successor"]),
})


@settings(max_examples=40, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(requirements=st.lists(st.tuples(st.integers(1, 4), st.integers(1, 10), st.sampled_from([True, True, False])),
                             min_size=1, max_size=4),
       people=st.lists(person_strategy, min_size=6, max_size=14), limit=st.sampled_from([1, 2, 3, 20]),
       archived=st.booleans())
def test_suggestions_match_the_oracle(org, requirements, people, limit, archived):
    """Whichever way the selector narrows the people it scores, it suggests the same people, in the same order and
    with the same fit and readiness as the plain definition, skipping holders, successors, inactive and blocked
    people, expired levels and archived frameworks."""
    from clo.people.models import Employee

    with transaction.atomic():
        frameworks = [f.FrameworkFactory(), f.FrameworkFactory(status="archived")]
        competencies = [f.CompetencyFactory(area=f.AreaFactory(framework=frameworks[archived and i == 3]),
                                            framework=frameworks[archived and i == 3]) for i in range(4)]
        position = f.PositionFactory(unit=org.unit_a, is_critical=True)
        described = []
        for index, (required, weight, critical) in enumerate(requirements):
            f.RequirementFactory(position=position, competency=competencies[index], required_level=required,
                                 weight=weight, is_critical=critical)
            described.append({"index": index, "required": required, "weight": weight, "critical": critical,
                              "archived": archived and index == 3})
        oracle_people = []
        for person in people:
            holder = {"position": position} if person["kind"] == "holder" else {}
            employee = f.EmployeeFactory(unit=org.unit_a1, active=person["kind"] != "inactive", **holder)
            if person["kind"] == "blocked":
                Employee.objects.filter(pk=employee.pk).update(blocked_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
            if person["kind"] == "successor":
                Successor.objects.create(position=position, employee=employee)
            valid = {}
            for index, known in enumerate(person["levels"]):
                if known is None:
                    continue
                level, expired = known
                f.CurrentLevelFactory(employee=employee, competency=competencies[index], level=level,
                                      assessed_on=dt.date(2025, 1, 1),
                                      expires_on=dt.date(2026, 1, 1) if expired else dt.date(2027, 1, 1))
                if not expired:
                    valid[index] = level
            oracle_people.append({"id": employee.pk, "eligible": person["kind"] == "eligible",
                                  "levels": [valid.get(i) for i in range(4)]})
        everyone = Employee.objects.active().filter(blocked_at__isnull=True)
        found = sel.best_fitting(position, everyone, limit=limit, today=TODAY)
        expected = oracle_suggestions(described, oracle_people, limit)
        assert [c.employee.pk for c in found] == [pk for pk, _, _ in expected]
        assert [c.fit.weighted_gap for c in found] == pytest.approx([gap for _, gap, _ in expected])
        assert [c.fit.critical_gap for c in found] == pytest.approx([gap for _, _, gap in expected])
        categories = sel.readiness_categories()
        bounds = [(c.name_en, c.max_weighted_gap) for c in categories]
        assert [c.readiness.name_en for c in found] == [oracle_readiness(gap, bounds) for _, gap, _ in expected]
        transaction.set_rollback(True)


def test_suggestions_narrowed_to_people_meeting_a_critical_requirement_rank_like_everyone(org, competencies):
    """With enough people meeting the critical requirement, only they are scored, and the ranking is the one over
    everybody: the best on the critical requirement first, then on all, then by id."""
    from clo.people.models import Employee

    position = f.PositionFactory(unit=org.unit_a, is_critical=True)
    f.RequirementFactory(position=position, competency=competencies[0], required_level=3, weight=4, is_critical=True)
    f.RequirementFactory(position=position, competency=competencies[1], required_level=2, weight=2)
    profiles = [(3, 2), (4, 0), (3, None), (2, 2), (None, 2), (3, 1), (1, 2)]
    people = []
    for critical_level, other_level in profiles:
        person = f.EmployeeFactory(unit=org.unit_a1)
        for competency, level in ((competencies[0], critical_level), (competencies[1], other_level)):
            if level is not None:
                f.CurrentLevelFactory(employee=person, competency=competency, level=level)
        people.append(person)
    everyone = Employee.objects.active().filter(blocked_at__isnull=True)
    narrowed = sel._best_on_critical(sel._requirement_rows(position.pk), everyone, limit=3, today=TODAY)
    assert narrowed == [(people[0].pk, 16, 12), (people[5].pk, 14, 12), (people[1].pk, 12, 12)]
    found = sel.best_fitting(position, everyone, limit=5, today=TODAY)  # four meet it: everybody is ranked
    assert [c.employee for c in found] == [people[0], people[5], people[1], people[2], people[3]]


@pytest.fixture
def critical(org, competencies):
    position = f.PositionFactory(unit=org.unit_a, is_critical=True, title="Cap del Servei d'Educació")
    f.RequirementFactory(position=position, competency=competencies[0], required_level=3, weight=5, is_critical=True)
    f.RequirementFactory(position=position, competency=competencies[1], required_level=3, weight=1)
    return position


def test_suggestions_put_critical_requirements_first_and_skip_holders(org, critical, competencies, hr_user):
    strong_critical = f.EmployeeFactory(unit=org.unit_a1, first_name="Laia")
    f.CurrentLevelFactory(employee=strong_critical, competency=competencies[0], level=3)
    strong_other = f.EmployeeFactory(unit=org.unit_b1, first_name="Biel")
    f.CurrentLevelFactory(employee=strong_other, competency=competencies[1], level=4)
    f.CurrentLevelFactory(employee=strong_other, competency=competencies[0], level=1)
    holder = f.EmployeeFactory(unit=org.unit_a, position=critical)
    f.CurrentLevelFactory(employee=holder, competency=competencies[0], level=4)
    found = sel.suggested_successors(critical, hr_user, today=TODAY)
    assert [c.employee for c in found] == [strong_critical, strong_other]
    assert found[0].fit.critical_gap == 0 and found[0].fit.weighted_gap == pytest.approx(0.5)
    assert found[0].readiness.name_en == "Ready in 1–2 years"


def test_a_director_is_suggested_only_people_of_her_subtree(org, critical, competencies, director_a):
    inside = f.EmployeeFactory(unit=org.unit_a1)
    outside = f.EmployeeFactory(unit=org.unit_b1)
    for person in (inside, outside):
        f.CurrentLevelFactory(employee=person, competency=competencies[0], level=3)
    assert [c.employee for c in sel.suggested_successors(critical, director_a.user, today=TODAY)] == [inside]


def test_pool_actions_and_development_plan(org, critical, competencies, hr_client, hr_user):
    person = f.EmployeeFactory(unit=org.unit_a1, first_name="Núria")
    f.CurrentLevelFactory(employee=person, competency=competencies[0], level=3)
    other = f.EmployeeFactory(unit=org.unit_a1)
    url = reverse("talent:successor_pool", args=[critical.pk])
    assert "Núria" in hr_client.get(url).content.decode()
    response = hr_client.post(reverse("talent:successor_nominate", args=[critical.pk]), {"employee": person.pk})
    assert response.status_code == 302
    services.successor_nominate(position=critical, employee=other, by=hr_user)
    successor = Successor.objects.get(employee=person)
    update = reverse("talent:successor_update", args=[critical.pk, successor.pk])
    for data in ({"action": "confirm"}, {"action": "emergency"}, {"action": "rank", "rank": "2"}, {"action": "plan"}):
        assert hr_client.post(update, data).status_code == 302
    successor.refresh_from_db()
    assert successor.status == "confirmed" and successor.is_emergency and successor.rank == 2
    assert Successor.objects.get(employee=other).rank == 1
    items = LearningPlanItem.objects.filter(plan=successor.learning_plan, competency=competencies[1])
    assert items.count() == 1 and items.get().target_level == 3  # the gap on the non-critical requirement
    hr_client.post(update, {"action": "plan"})  # again: no second item
    assert LearningPlanItem.objects.filter(plan=successor.learning_plan, competency=competencies[1]).count() == 1
    page = hr_client.get(url).content.decode()
    assert reverse("programs:plan_pdf", args=[successor.learning_plan.pk]) in page
    bad = hr_client.post(update, {"action": "rank"})
    assert bad.status_code == 422 and "Indiqueu la posició on voleu moure" in bad.content.decode()


def test_nominating_twice_or_out_of_scope_is_refused_with_a_message(org, critical, director_a_client, director_a):
    outside = f.EmployeeFactory(unit=org.unit_b1)
    nominate = reverse("talent:successor_nominate", args=[critical.pk])
    response = director_a_client.post(nominate, {"employee": outside.pk})
    assert response.status_code == 422 and "no es pot proposar des del vostre àmbit" in response.content.decode()
    inside = f.EmployeeFactory(unit=org.unit_a1)
    director_a_client.post(nominate, {"employee": inside.pk})
    again = director_a_client.post(nominate, {"employee": inside.pk}, **HX)
    assert again.status_code == 422 and "ja és a la reserva de successors del lloc" in again.content.decode()
    assert Successor.objects.filter(position=critical).count() == 1


def test_outsider_director_gets_404_everywhere(org, critical, outsider_client, employee_a_client):
    person = f.EmployeeFactory(unit=org.unit_a1)
    successor = Successor.objects.create(position=critical, employee=person)
    urls = [reverse("talent:successor_pool", args=[critical.pk]),
            reverse("talent:successor_nominate", args=[critical.pk]),
            reverse("talent:successor_update", args=[critical.pk, successor.pk])]
    for client in (outsider_client, employee_a_client):
        for url in urls:
            assert client.get(url).status_code == 404
            assert client.get(url, **HX).status_code == 404
            assert client.post(url, {"action": "remove", "employee": person.pk}).status_code == 404
            assert client.post(url, {"action": "remove"}, **HX).status_code == 404
    assert Successor.objects.filter(pk=successor.pk).exists()


def test_a_position_not_critical_has_no_pool(org, hr_client):
    position = f.PositionFactory(unit=org.unit_a, is_critical=False)
    assert hr_client.get(reverse("talent:successor_pool", args=[position.pk])).status_code == 404


def test_the_pool_page_logs_whose_fit_was_read(org, critical, competencies, director_a_client):
    person = f.EmployeeFactory(unit=org.unit_a1)
    f.CurrentLevelFactory(employee=person, competency=competencies[0], level=2)
    director_a_client.get(reverse("talent:successor_pool", args=[critical.pk]))
    entry = PersonalDataRead.objects.get(what=PersonalDataRead.What.SUCCESSORS)
    assert entry.username == "directora.a" and entry.person_id == person.pk


@pytest.mark.parametrize("size", [3, 15])
def test_pool_page_queries_do_not_grow(org, critical, competencies, hr_client, django_assert_max_num_queries,
                                       size):
    for _ in range(size):
        person = f.EmployeeFactory(unit=org.unit_a1)
        f.CurrentLevelFactory(employee=person, competency=competencies[0], level=2)
        Successor.objects.create(position=critical, employee=f.EmployeeFactory(unit=org.unit_a1),
                                 rank=Successor.objects.filter(position=critical).count() + 1)
    with django_assert_max_num_queries(22):
        assert hr_client.get(reverse("talent:successor_pool", args=[critical.pk])).status_code == 200


def test_ready_now_successors_for_the_bench(org, critical, competencies, hr_user):
    ready = f.EmployeeFactory(unit=org.unit_a1)
    for competency in competencies[:2]:
        f.CurrentLevelFactory(employee=ready, competency=competency, level=3)
    far = f.EmployeeFactory(unit=org.unit_a1)
    unconfirmed = f.EmployeeFactory(unit=org.unit_a1)
    for competency in competencies[:2]:
        f.CurrentLevelFactory(employee=unconfirmed, competency=competency, level=4)
    for person in (ready, far):
        services.successor_confirm(successor=services.successor_nominate(position=critical, employee=person,
                                                                         by=hr_user), by=hr_user)
    services.successor_nominate(position=critical, employee=unconfirmed, by=hr_user)
    empty = f.PositionFactory(is_critical=True)
    assert sel.ready_now_successors([critical.pk, empty.pk], today=TODAY) == {critical.pk: [ready.pk]}
