"""The career explorer: a person's gap to a position or a position family (the highest level its positions require),
from their current levels, with the programs that would close it as learning plans rank them; scoped; a fixed number
of queries whatever the size of the family and the catalogue."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clo.careers.selectors.explorer import explore
from tests import factories as f

pytestmark = pytest.mark.django_db

FAMILY = "Gestió econòmica"


@pytest.fixture
def target(employee_a):
    framework = f.FrameworkFactory()
    area = f.AreaFactory(framework=framework)
    budgets, contracts, audit = (f.CompetencyFactory(area=area, framework=framework, name=name)
                                 for name in ("Pressupostos", "Contractació", "Auditoria"))
    treasurer = f.PositionFactory(title="Tresorer/a", job_family=FAMILY)
    auditor = f.PositionFactory(title="Interventor/a", job_family=FAMILY)
    f.RequirementFactory(position=treasurer, competency=budgets, required_level=3)
    f.RequirementFactory(position=treasurer, competency=contracts, required_level=2)
    f.RequirementFactory(position=auditor, competency=budgets, required_level=2)
    f.RequirementFactory(position=auditor, competency=audit, required_level=4, is_critical=True)
    f.CurrentLevelFactory(employee=employee_a, competency=budgets, level=2)
    f.CurrentLevelFactory(employee=employee_a, competency=contracts, level=3)
    closes = f.ProgramFactory(title="Pressupostos públics avançat")
    f.ProgramCompetencyFactory(program=closes, competency=budgets, level_reached=3)
    f.SessionFactory(program=closes, starts_at=timezone.now() + dt.timedelta(days=10))
    f.ProgramCompetencyFactory(program=f.ProgramFactory(title="Pressupostos inicial"), competency=budgets,
                               level_reached=2)  # does not raise a level 2
    f.ProgramCompetencyFactory(program=f.ProgramFactory(title="Auditoria pública"), competency=audit,
                               level_reached=4)
    return treasurer, auditor, budgets, contracts, audit


def test_the_gap_to_a_position_and_the_programs_that_close_it(employee_a, target):
    treasurer, _auditor, budgets, contracts, _audit = target
    result = explore(employee_id=employee_a.pk, position_id=treasurer.pk)
    by_competency = {row.competency_id: row for row in result.rows}
    assert by_competency[budgets.pk].gap == 1 and by_competency[contracts.pk].gap == 0
    assert [p.program.title for p in by_competency[budgets.pk].programs] == ["Pressupostos públics avançat"]
    assert by_competency[budgets.pk].programs[0].closes and by_competency[budgets.pk].programs[0].next_session_on
    assert result.met == 1 and result.uncovered == 0


def test_a_family_asks_the_highest_level_of_its_positions(employee_a, target):
    _treasurer, _auditor, budgets, _contracts, audit = target
    result = explore(employee_id=employee_a.pk, family=FAMILY)
    assert [row.competency_id for row in result.rows][0] == audit.pk  # critical first
    rows = {row.competency_id: row for row in result.rows}
    assert rows[budgets.pk].required_level == 3
    assert rows[audit.pk].current_level is None and rows[audit.pk].gap == 4
    assert [p.program.title for p in rows[audit.pk].programs] == ["Auditoria pública"]
    assert rows[audit.pk].programs[0].next_session_on is None


def test_the_page_for_oneself_and_scope(client, employee_a, director_a, director_b, hr_user, employee_b, target,
                                        english):
    treasurer = target[0]
    client.force_login(employee_a.user)
    page = client.get(reverse("careers:explorer"), {"family": FAMILY, "position": treasurer.pk})
    assert page.status_code == 200 and "Pressupostos públics avançat" in page.content.decode()
    partial = client.get(reverse("careers:explorer"), {"family": FAMILY}, HTTP_HX_REQUEST="true").content.decode()
    assert "Auditoria pública" in partial and "<html" not in partial
    assert client.get(reverse("careers:explorer"), {"position": "999999"}).status_code == 422
    assert client.get(reverse("careers:explorer_person", args=[employee_b.pk])).status_code == 404
    for user, status in ((director_a.user, 200), (hr_user, 200), (director_b.user, 404)):
        client.force_login(user)
        assert client.get(reverse("careers:explorer_person", args=[employee_a.pk]),
                          {"family": FAMILY}).status_code == status


def _grow(size: int, family_positions: list, competencies: list) -> None:
    """More positions in the family, more requirements and programs."""
    for n in range(size):
        position = f.PositionFactory(job_family=FAMILY)
        competency = f.CompetencyFactory(area=competencies[0].area, framework=competencies[0].framework)
        f.RequirementFactory(position=position, competency=competency, required_level=2)
        program = f.ProgramFactory()
        f.ProgramCompetencyFactory(program=program, competency=competency, level_reached=2 + n % 2)
        f.SessionFactory(program=program, starts_at=timezone.now() + dt.timedelta(days=5 + n))
        family_positions.append(position)


def test_queries_do_not_grow_with_the_family_or_the_catalogue(client, employee_a, target):
    client.force_login(employee_a.user)
    url = reverse("careers:explorer")
    counts = []
    positions: list = []
    client.get(url, {"family": FAMILY})  # the connection's one-off checks (SQLite asks once whether it has JSON)
    for size in (2, 12):
        _grow(size, positions, [target[2]])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, {"family": FAMILY})
        assert response.status_code == 200
        counts.append(len(queries))
    # of which 7 are the sign-in, scope and session, and 1 the data versions the families are cached under
    assert counts[0] == counts[1] <= 18, counts



def test_the_position_list_offers_a_family_s_positions_found_by_search_and_at_most_fifty(client, employee_a, target,
                                                                                        english):
    from clo.careers.selectors.explorer import POSITIONS_SHOWN

    treasurer = target[0]
    competency = target[2]
    for n in range(POSITIONS_SHOWN + 5):  # one post per unit: a big council has thousands of them in a family
        f.RequirementFactory(position=f.PositionFactory(title=f"Administratiu/iva {n:03}", code=f"ADM{n:03}",
                                                        job_family=FAMILY), competency=competency)
    client.force_login(employee_a.user)
    url = reverse("careers:explorer")

    def offered(response) -> list[str]:
        form = response.context["form"]
        return [label for value, label in form.fields["position"].choices if value]

    family = client.get(url, {"family": FAMILY})
    assert len(offered(family)) == POSITIONS_SHOWN
    assert "Only the first 50 positions are listed" in family.content.decode()
    found = client.get(url, {"family": FAMILY, "q": "tresorer"})
    assert offered(found) == [f"Tresorer/a ({treasurer.code})"] and "Only the first" not in found.content.decode()
    assert offered(client.get(url, {"q": "ADM054"})) == ["Administratiu/iva 054 (ADM054)"]  # any family, by code
    # a position chosen from a search is still accepted and listed with nothing else chosen
    chosen = client.get(url, {"position": treasurer.pk})
    assert chosen.status_code == 200 and offered(chosen) == [f"Tresorer/a ({treasurer.code})"]
    assert "Pressupostos públics avançat" in chosen.content.decode()
    assert offered(client.get(url)) == []  # nothing asked: no list of every position of the council
