"""The reads dashboards use: one query each, whatever the size of the organisation."""

from __future__ import annotations

import pytest

from evaluations.gaps import selectors, services
from tests.gaps.conftest import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation(build):
    framework = build.framework()
    c1, c2 = build.competency(framework), build.competency(framework)
    root = build.unit()
    units = [build.unit(root) for _ in range(3)]
    position = build.position()
    build.requirement(position, c1, 3, weight=5, critical=True)
    build.requirement(position, c2, 1)
    for unit in units:
        for _ in range(3):
            employee = build.employee(unit, position)
            build.assessment(employee, {c1: 1, c2: 1}, role="manager", status="validated")
    services.gaps_full_run(full_consolidation=True, today=TODAY)
    return root, units, employee, c1


def test_selectors_read_the_stored_figures_in_one_query_each(organisation, django_assert_num_queries):
    root, units, employee, c1 = organisation
    with django_assert_num_queries(1):
        figures = selectors.unit_figures(root.pk)
    assert (figures.people, figures.people_with_gap, figures.requirements) == (9, 9, 18)
    with django_assert_num_queries(1):
        rows = list(selectors.unit_competency_gaps(root.pk))
    assert rows[0].competency == c1 and rows[0].mean_gap == 2.0 and rows[0].critical_gaps == 9
    with django_assert_num_queries(1):
        assert len(list(selectors.unit_area_gaps(root.pk))) == 2
    with django_assert_num_queries(1):
        assert len(list(selectors.children_figures([u.pk for u in units]))) == 3
    with django_assert_num_queries(1):
        gaps = list(selectors.employee_gaps(employee.pk))
    assert [(g.competency_id, g.required_level, g.current_level, g.gap, g.not_assessed) for g in gaps] == [
        (c1.pk, 3, 1, 2, False), (gaps[1].competency_id, 1, 1, 0, False)]
    with django_assert_num_queries(1):
        points = selectors.trend()
    assert [p.as_of for p in points] == [TODAY] and selectors.latest_run().trend_point == points[0]
    assert selectors.run_in_progress() is None
