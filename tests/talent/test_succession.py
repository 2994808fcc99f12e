"""Succession: critical positions, the knowledge-at-risk figures (kept by the gap engine's refreshes) and bench
strength: scoping, the figures against a plain-Python oracle, incremental changes, the PDF and query counts."""

from __future__ import annotations

import datetime as dt
import subprocess
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.cache import cache
from django.urls import reverse
from hypothesis import given, settings as hsettings
from hypothesis import strategies as st

from clo.core import versions
from clo.people import services as people_services
from clo.people.models import Employee, Position
from clo.talent.models import KnowledgeRisk
from clo.talent.selectors import succession as selectors
from clo.talent.services import succession as services
from evaluations import services as evaluation_services
from evaluations.gaps import services as gap_services
from evaluations.models import CurrentLevel
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)
IMPORT = CurrentLevel.Source.IMPORT  # levels that stand on evidence: a refresh re-consolidates them as they are
HX = {"HTTP_HX_REQUEST": "true"}


# --- The score against a plain-Python oracle ----------------------------------------------------------------------


def oracle_score(criticality: int, experts: int, retiring: int) -> float:
    share = retiring / experts if experts > 0 else 1.0
    return criticality * share * (1 / experts if experts > 0 else 1.0)


@given(criticality=st.integers(0, 3), experts=st.integers(0, 500), data=st.data())
@hsettings(max_examples=300, deadline=None)
def test_risk_score_matches_the_oracle(criticality, experts, data):
    retiring = data.draw(st.integers(0, experts))
    score = selectors.risk_score(criticality=criticality, experts=experts, retiring=retiring)
    assert float(score) == pytest.approx(oracle_score(criticality, experts, retiring))
    # nobody holds the knowledge: the score is the criticality itself, the highest it can be
    if experts == 0:
        assert score == criticality
    assert 0 <= score <= criticality


# --- A small world: unit A1 holds a critical position needing a competency ----------------------------------------


@pytest.fixture
def world(org, director_a, employee_a, director_b):
    framework = f.FrameworkFactory(name="Marc tècnic")  # a scale of 4: expert from 3
    competency = f.CompetencyFactory(framework=framework, area=f.AreaFactory(framework=framework),
                                     code="LIC", name="Llicències urbanístiques")
    position = f.PositionFactory(code="CAP-LIC", title="Cap de llicències", unit=org.unit_a1, is_critical=True,
                                 criticality=3, critical_reason="Únic expert")
    f.RequirementFactory(position=position, competency=competency, required_level=3, is_critical=True)
    holder = f.EmployeeFactory(unit=org.unit_a1, position=position, first_name="Rosa", last_name="Expert Gran",
                               hire_date=dt.date(1990, 1, 1), expected_retirement_date=dt.date(2028, 6, 1))
    junior = f.EmployeeFactory(unit=org.unit_a1, position=position, first_name="Nil", last_name="Jove Aprenent",
                               hire_date=dt.date(2020, 1, 1), expected_retirement_date=dt.date(2060, 6, 1))
    f.CurrentLevelFactory(employee=holder, competency=competency, level=4, source=IMPORT)
    f.CurrentLevelFactory(employee=junior, competency=competency, level=2, source=IMPORT)
    outsider = f.EmployeeFactory(unit=org.unit_b1, position=position, first_name="Berta", last_name="Fora Unitat",
                                 hire_date=dt.date(1990, 1, 1), expected_retirement_date=dt.date(2027, 3, 1))
    f.CurrentLevelFactory(employee=outsider, competency=competency, level=3, source=IMPORT)
    services.knowledge_risk_rebuild(today=TODAY)
    return {"org": org, "competency": competency, "position": position, "holder": holder, "junior": junior,
            "outsider": outsider}


def cell(unit, competency, *, subtree=True):
    row = KnowledgeRisk.objects.filter(unit=unit, competency=competency, subtree=subtree).first()
    return None if row is None else (row.criticality, row.experts, row.retiring_1, row.retiring_3, row.retiring_5)


def oracle_cell(unit, competency, today=TODAY):
    """The figures of a unit's subtree from the rows themselves, in plain Python."""
    people = [e for e in Employee.objects.select_related("unit", "position")
              if e.active and e.unit.path.startswith(unit.path)]
    levels = {(lv.employee_id): lv.level for lv in competency.current_levels.all()}
    experts = [e for e in people if levels.get(e.pk, 0) >= 3]
    crit = max([e.position.criticality or 0 for e in people
                if e.position.is_critical and e.position.requirements.filter(competency=competency).exists()],
               default=0)

    def retiring(years):
        limit = today.replace(year=today.year + years)
        return sum(1 for e in experts if e.expected_retirement_date and e.expected_retirement_date <= limit)

    return (crit, len(experts), retiring(1), retiring(3), retiring(5))


def test_the_stored_figures_match_the_oracle_up_the_tree(world):
    org, competency = world["org"], world["competency"]
    for unit in (org.root, org.unit_a, org.unit_a1, org.unit_b, org.unit_b1):
        assert cell(unit, competency) == oracle_cell(unit, competency), unit.name
    assert cell(org.unit_a1, competency) == (3, 1, 0, 1, 1)  # Rosa retires in 2028: within 3 years, not 1
    assert cell(org.root, competency) == (3, 2, 1, 2, 2)  # Berta (unit B) retires in 2027


def test_a_rating_reaches_the_map_without_a_full_run(world, django_capture_on_commit_callbacks, eager_tasks):
    org, competency, junior = world["org"], world["competency"], world["junior"]
    with django_capture_on_commit_callbacks(execute=True):
        evaluation_services.evidence_record(employee_id=junior.pk, competency_id=competency.pk, level=4,
                                            evidenced_on=TODAY - dt.timedelta(days=3))
    # the gap engine's refresh of Nil queued the knowledge-risk refresh of unit A1 and its ancestors
    assert cell(org.unit_a1, competency)[1] == 2
    assert cell(org.root, competency)[1] == 3


def test_a_retirement_date_and_a_move_reach_the_map(world, django_capture_on_commit_callbacks):
    org, competency, holder = world["org"], world["competency"], world["holder"]
    Employee.objects.filter(pk=holder.pk).update(expected_retirement_date=dt.date(2027, 1, 15))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        people_services.employee_saved(employee_id=holder.pk)
    assert callbacks  # the gap refresh is queued; run it as the worker would
    gap_services.gaps_refresh_employee(holder.pk, today=TODAY)
    services.knowledge_risk_refresh_units([org.unit_a1.pk], today=TODAY)
    assert cell(org.unit_a1, competency) == (3, 1, 1, 1, 1)
    assert cell(org.root, competency) == oracle_cell(org.root, competency)

    holder.refresh_from_db()
    people_services.employee_move(employee=holder, unit=org.unit_b1)
    gap_services.gaps_refresh_employee(holder.pk, also_unit_ids=[org.unit_a1.pk], today=TODAY)
    services.knowledge_risk_refresh_units([org.unit_a1.pk, org.unit_b1.pk], today=TODAY)
    for unit in (org.root, org.unit_a, org.unit_a1, org.unit_b, org.unit_b1):
        assert cell(unit, competency) == oracle_cell(unit, competency), unit.name
    assert cell(org.unit_a1, competency)[1] == 0  # A1 lost its only expert: the score is the criticality
    risk = selectors.risk_cell(org.unit_a1, competency.pk, horizon=5)
    assert risk.score == 3 and risk.bus_factor == 0


def test_the_gap_engine_queues_the_knowledge_risk_refresh(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        gap_services.gaps_refresh_units([world["org"].unit_a1.pk])
    names = [getattr(cb, "args", [None])[0] for cb in callbacks]
    assert any("knowledge_risk_refresh_units" in repr(cb) for cb in callbacks), names


# --- Critical positions: flag, import -----------------------------------------------------------------------------


def test_the_flag_and_the_criticality_go_together(world):
    position = f.PositionFactory(code="ARX", title="Arxiver")
    services.position_set_criticality(position=position, criticality=2, reason="Fons antic")
    position.refresh_from_db()
    assert (position.is_critical, position.criticality, position.critical_reason) == (True, 2, "Fons antic")
    services.position_set_criticality(position=position, criticality=None)
    position.refresh_from_db()
    assert (position.is_critical, position.criticality) == (False, None)
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Position.objects.filter(pk=position.pk).update(is_critical=True)


def test_hr_flags_a_position_on_screen(world, hr_client, english):
    position = f.PositionFactory(code="ARX", title="Arxiver")
    url = reverse("talent:succession_position_flag", args=[position.pk])
    response = hr_client.post(url, {"criticality": "9", "critical_reason": ""})
    assert response.status_code == 422 and "Select a valid choice" in response.content.decode()
    response = hr_client.post(url, {"criticality": "", "critical_reason": "why"}, **HX)
    assert response.status_code == 422 and "Only a critical position has a reason" in response.content.decode()
    assert 'id="flag-form"' in response.content.decode() and "<html" not in response.content.decode()
    response = hr_client.post(url, {"criticality": "1", "critical_reason": "Fons antic"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert position.is_critical and position.criticality == 1
    page = hr_client.get(reverse("talent:succession_positions")).content.decode()
    assert "ARX Arxiver" in page and "Fons antic" in page


def test_the_positions_import_refuses_a_criticality_without_the_flag(world):
    from clo.core.imports.registry import Row
    from clo.people.imports import PositionImporter

    good = Row(number=2, values={"code": "P1", "title": "Primer", "group": "A1", "critical": "sí",
                                 "criticality": "3", "critical_reason": "Únic"})
    default = Row(number=3, values={"code": "P3", "title": "Tercer", "group": "A1", "critical": "yes",
                                    "criticality": "", "critical_reason": ""})
    bad = Row(number=4, values={"code": "P2", "title": "Segon", "group": "A2", "critical": "no",
                                "criticality": "2", "critical_reason": ""})
    importer = PositionImporter()
    plan = importer.plan([good, default, bad])
    assert [(e.row, e.column) for e in plan.errors] == [(4, "criticality")]
    plan = importer.plan([good, default])
    assert not plan.errors
    importer.apply(plan)
    assert Position.objects.get(code="P1").criticality == 3
    assert Position.objects.get(code="P3").criticality == 2


# --- Pages and scoping --------------------------------------------------------------------------------------------


def test_the_director_sees_her_subtree_only(world, director_a_client, english):
    position = world["position"]
    page = director_a_client.get(reverse("talent:succession_position", args=[position.pk])).content.decode()
    assert "Rosa Expert Gran" in page and "Berta" not in page  # B's holder of the same position is not shown
    page = director_a_client.get(reverse("talent:succession_map")).content.decode()
    assert "Llicències urbanístiques" in page
    people = director_a_client.get(reverse("talent:succession_map_people",
                                           args=[world["org"].unit_a.pk, world["competency"].pk]))
    assert "Rosa Expert Gran" in people.content.decode() and "Nil" not in people.content.decode()


def test_a_critical_position_leads_to_its_successor_pool_and_its_holders_transfer_plans(world, director_a_client,
                                                                                        hr_user, english):
    from clo.talent.services import transfer as transfer_services

    position, holder, junior = world["position"], world["holder"], world["junior"]
    plan = transfer_services.transfer_plan_create(holder=holder, successor=junior, leaving_on=None,
                                                  reason="retirement", created_by=hr_user, today=TODAY)
    page = director_a_client.get(reverse("talent:succession_position", args=[position.pk])).content.decode()
    pool = reverse("talent:successor_pool", args=[position.pk])
    assert f'href="{pool}"' in page and director_a_client.get(pool).status_code == 200
    assert reverse("talent:transfer_plan_detail", args=[plan.pk]) in page  # Rosa's plan
    assert reverse("talent:transfer_plan_create", args=[junior.pk]) in page  # Nil has none yet: the way to open one
    assert director_a_client.get(reverse("talent:transfer_plan_create", args=[junior.pk])).status_code == 200


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("headers", [{}, HX])
def test_the_outsider_director_gets_404(world, outsider_client, method, headers):
    org, position, competency = world["org"], world["position"], world["competency"]
    Employee.objects.filter(pk=world["outsider"].pk).update(position=f.PositionFactory(code="OTHER"))
    urls = [
        reverse("talent:succession_position", args=[position.pk]),
        reverse("talent:succession_position_flag", args=[position.pk]),
        reverse("talent:succession_map") + f"?unit={org.unit_a.pk}",
        reverse("talent:succession_map_people", args=[org.unit_a.pk, competency.pk]),
        reverse("talent:succession_bench"),
        reverse("talent:succession_bench_pdf"),
    ]
    for url in urls:
        response = getattr(outsider_client, method)(url, **headers)
        assert response.status_code in (404, 405) if method == "post" else response.status_code == 404, url
        if method == "post":
            assert response.status_code == 404 or "flag" not in url, url


def test_the_map_shows_every_component(world, clo_client, english):
    response = clo_client.get(reverse("talent:succession_map") + f"?unit={world['org'].unit_a.pk}&horizon=3")
    page = response.content.decode()
    assert "crit. 3 · experts 1 · retiring 0/1/1 · bus 0" in page
    assert ">3.00<" in page  # criticality 3 × share 1/1 × 1/1 expert
    partial = clo_client.get(reverse("talent:succession_map") + "?horizon=1", **HX).content.decode()
    assert 'id="risk-map"' in partial and "<html" not in partial
    csv = clo_client.get(reverse("talent:succession_map") + f"?unit={world['org'].unit_a.pk}&export=csv")
    assert "Llicències urbanístiques" in csv.content.decode("utf-8-sig")


def test_bench_strength_page_pdf_and_exports(world, clo_client, english):
    response = clo_client.get(reverse("talent:succession_bench"))
    page = response.content.decode()
    assert "CAP-LIC Cap de llicències" in page  # no successor pools yet: no position has a ready-now successor
    assert "0.0 % (0 of 1)" in page
    csv = clo_client.get(reverse("talent:succession_bench") + "?export=csv&table=groups").content.decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Group;")
    pdf = clo_client.get(reverse("talent:succession_bench_pdf"))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf.content, capture_output=True, check=True).stdout
    text = text.decode()
    # the report for the governing bodies is in the council's language, Catalan, like the other PDFs by default
    assert "Solidesa del relleu" in text and "CAP-LIC" in text and "Jubilacions dels propers 10 anys" in text


def test_bench_strength_selector(world):
    org = world["org"]
    bench = selectors.bench_strength(org.root, today=TODAY)
    assert bench.positions == 1 and bench.covered == 0 and bench.covered_percent == 0.0
    # 2027-03 and 2028-06: within 2 years; nobody has a transfer plan until the plans exist
    assert [e.last_name for e in bench.retiring_without_plan] == ["Fora Unitat", "Expert Gran"]
    a2 = dict((g, total) for g, _, total in bench.by_group)["A2"]
    assert a2 == Employee.objects.filter(active=True, position__group="A2",
                                         expected_retirement_date__gte=TODAY,
                                         expected_retirement_date__lt=dt.date(2036, 1, 1)).count()


def test_bench_strength_counts_ready_now_successors_and_transfer_plans(world, hr_user):
    """The board reads the successor pools' and the transfer plans' own definitions."""
    from clo.talent.services import pools as pool_services
    from clo.talent.services import transfer as transfer_services

    org, position, competency = world["org"], world["position"], world["competency"]
    ready = f.EmployeeFactory(unit=org.unit_a1, first_name="Laia", last_name="Relleu Preparat")
    f.CurrentLevelFactory(employee=ready, competency=competency, level=3, source=IMPORT)
    pool_services.successor_confirm(
        successor=pool_services.successor_nominate(position=position, employee=ready, by=hr_user), by=hr_user)
    transfer_services.transfer_plan_create(holder=world["holder"], successor=ready, leaving_on=None,
                                           reason="retirement", created_by=hr_user, today=TODAY)
    bench = selectors.bench_strength(org.root, today=TODAY)
    assert (bench.positions, bench.covered, bench.covered_percent, bench.uncovered) == (1, 1, 100.0, [])
    assert [e.last_name for e in bench.retiring_without_plan] == ["Fora Unitat"]  # Rosa has her plan now


def grow(world, size):
    """``size`` more units below the root, each with a critical position and an expert holder retiring soon."""
    org = world["org"]
    for n in range(size):
        unit = f.OrgUnitFactory(parent=org.root, name=f"Unitat extra {n}")
        position = f.PositionFactory(unit=unit, is_critical=True, criticality=1 + n % 3)
        f.RequirementFactory(position=position, competency=world["competency"], required_level=2)
        holder = f.EmployeeFactory(unit=unit, position=position, expected_retirement_date=dt.date(2027, 5, 1))
        f.CurrentLevelFactory(employee=holder, competency=world["competency"], level=4)
    services.knowledge_risk_rebuild(today=TODAY)


@pytest.mark.parametrize("size", [1, 6])
def test_query_counts_do_not_grow(world, clo_client, size, django_assert_max_num_queries):
    grow(world, size)
    for url in (reverse("talent:succession_map"), reverse("talent:succession_bench"),
                reverse("talent:succession_positions")):
        cache.clear()  # rendered afresh (served from the cache: tests/talent/test_succession_pages.py)
        with django_assert_max_num_queries(17):
            assert clo_client.get(url).status_code == 200


def test_the_score_is_exact_fractions():
    assert selectors.risk_score(criticality=2, experts=4, retiring=1) == Fraction(1, 8)


# --- Bench strength at scale: the stored retirement map, ready-now successors set-based -------------------------


def oracle_retirements(unit, today=TODAY):
    """The ten-year retirement map of a unit's subtree from the people themselves: per group and per year."""
    counts: dict = {}
    for e in Employee.objects.select_related("unit", "position"):
        day = e.expected_retirement_date
        if e.active and e.unit.path.startswith(unit.path) and day and today <= day and day.year < today.year + 10:
            key = (e.position.group if e.position else "", day.year)
            counts[key] = counts.get(key, 0) + 1
    return counts


def stored_retirements(unit, today=TODAY):
    bench = selectors.bench_strength(unit, today=today)
    counts = {(group, year): n for group, values, _ in bench.by_group for year, n in zip(bench.years, values) if n}
    return counts, bench


def test_the_retirement_map_is_stored_and_follows_a_retirement_date_without_a_full_run(world):
    org, holder = world["org"], world["holder"]
    clerk = f.PositionFactory(group="C2")
    f.EmployeeFactory(unit=org.unit_b1, position=clerk, expected_retirement_date=dt.date(2029, 2, 1))
    services.knowledge_risk_rebuild(today=TODAY)
    counts, bench = stored_retirements(org.root)
    expected = oracle_retirements(org.root)
    assert counts == {k: n for k, n in expected.items() if k[0]}  # the table per group: people with a position
    assert sum(total for _, _, total in bench.by_unit) == sum(expected.values())  # per unit: everybody
    assert (holder.position.group, 2028) in counts

    # HR moves Rosa's date to 2031: the gap engine's refresh of her unit queues the talent refresh, as on a worker
    Employee.objects.filter(pk=holder.pk).update(expected_retirement_date=dt.date(2031, 9, 1))
    services.knowledge_risk_refresh_units([org.unit_a1.pk], today=TODAY)
    for unit in (org.root, org.unit_a, org.unit_a1, org.unit_b):
        counts, _ = stored_retirements(unit)
        assert counts == {k: n for k, n in oracle_retirements(unit).items() if k[0]}, unit.name
    row = dict((u.pk, values) for u, values, _ in selectors.bench_strength(org.unit_a, today=TODAY).by_unit)
    assert row[org.unit_a1.pk][2031 - 2026] >= 1 and row[org.unit_a1.pk][2028 - 2026] == 0


def _bench_world(world, hr_user, size):
    """``size`` more critical positions, each with a confirmed successor: one ready now, one not (by turns)."""
    from clo.talent.services import pools as pool_services

    org, competency = world["org"], world["competency"]
    for n in range(size):
        position = f.PositionFactory(unit=org.unit_a, is_critical=True, criticality=1 + n % 3)
        f.RequirementFactory(position=position, competency=competency, required_level=3, weight=2, is_critical=True)
        person = f.EmployeeFactory(unit=org.unit_a1)
        f.CurrentLevelFactory(employee=person, competency=competency, level=3 if n % 2 == 0 else 1, source=IMPORT)
        pool_services.successor_confirm(
            successor=pool_services.successor_nominate(position=position, employee=person, by=hr_user), by=hr_user)


def test_ready_now_successors_match_the_per_position_fit(world, hr_user):
    """The grouped, set-based count gives what each position's own fit and readiness give."""
    from clo.talent.models import Successor
    from clo.talent.selectors import pools

    _bench_world(world, hr_user, 4)
    categories = pools.readiness_categories()
    expected: dict = {}
    for s in Successor.objects.filter(status=Successor.Status.CONFIRMED).order_by("position_id", "rank", "pk"):
        fit = pools.fits(s.position_id, [s.employee_id], today=TODAY)[s.employee_id]
        if pools.readiness_of(fit.weighted_gap, categories).counts_as_ready_now:
            expected.setdefault(s.position_id, []).append(s.employee_id)
    positions = Position.objects.filter(is_critical=True).values_list("pk", flat=True)
    assert pools.ready_now_successors(positions, today=TODAY) == expected
    assert len(expected) == 2  # two of the four have the level the position asks for


# the page's queries: session, user, roles and scope (5), the unit, the critical positions (counted, and the first
# without a ready-now successor), the ready-now successors
# (successors, categories, requirements' totals, coverage), the holders retiring without a plan, the child units,
# the stored retirement map (2), the session's save (3), the data versions (the board cache's key)
BENCH_QUERIES = 20


@pytest.mark.parametrize("size", [2, 8])
def test_bench_strength_queries_do_not_grow_with_the_pools(world, clo_client, hr_user, size):
    """The same number of queries with 2 and with 8 positions holding confirmed successors."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _bench_world(world, hr_user, size)
    services.knowledge_risk_rebuild(today=TODAY)
    clo_client.get(reverse("talent:succession_bench"))  # sessions and caches warm
    cache.clear()  # the board rendered afresh, not served from the board cache
    with CaptureQueriesContext(connection) as queries:
        page = clo_client.get(reverse("talent:succession_bench"))
    assert page.status_code == 200
    assert page.context["bench"].covered == size // 2
    # on SQLite (the embedded default) nothing is versioned, so the board cache reads no data versions
    expected = BENCH_QUERIES if versions.enabled() else BENCH_QUERIES - 1
    assert len(queries) == expected, [q["sql"][:120] for q in queries]



def test_the_board_shows_the_first_uncovered_positions_and_the_download_all(world, clo_client, hr_user, english,
                                                                           monkeypatch):
    _bench_world(world, hr_user, 2)  # one of the two new positions has no ready-now successor: two uncovered
    monkeypatch.setattr(selectors, "UNCOVERED_SHOWN", 1)
    bench = selectors.bench_strength(world["org"].root, today=TODAY, uncovered_limit=1)
    assert (bench.positions, bench.covered, bench.uncovered_total, len(bench.uncovered)) == (3, 1, 2, 1)
    assert bench.uncovered[0].code == "CAP-LIC"  # criticality 3: the most critical first
    page = clo_client.get(reverse("talent:succession_bench")).content.decode()
    assert "The 1 most critical of 2 are shown; the download has them all." in page
    csv = clo_client.get(reverse("talent:succession_bench") + "?export=csv").content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + 2


# --- Settings: readiness categories and expert levels -----------------------------------------------------------


def test_the_learning_office_edits_a_readiness_category_and_an_expert_level(world, clo_client, english,
                                                                           django_capture_on_commit_callbacks):
    from clo.talent.models import ReadinessCategory

    page = clo_client.get(reverse("talent:succession_settings")).content.decode()
    assert "Readiness categories" in page and "Marc tècnic" in page
    ready = ReadinessCategory.objects.get(counts_as_ready_now=True)
    prefix = f"rc{ready.pk}"
    data = {f"{prefix}-name_ca": "A punt", f"{prefix}-name_es": "Listo", f"{prefix}-name_en": "Ready",
            f"{prefix}-max_weighted_gap": "0.40", f"{prefix}-counts_as_ready_now": "on"}
    response = clo_client.post(reverse("talent:readiness_category_update", args=[ready.pk]), data)
    assert response.status_code == 302
    ready.refresh_from_db()
    assert (ready.name_ca, ready.max_weighted_gap) == ("A punt", Decimal("0.40"))

    # a second open category breaks the list's rule: the form comes back with the message, nothing is written
    new = {"new-name_ca": "Sense límit", "new-name_es": "", "new-name_en": "", "new-max_weighted_gap": ""}
    response = clo_client.post(reverse("talent:readiness_category_add"), new, **HX)
    assert response.status_code == 422
    assert "Only one category can be without a highest weighted gap." in response.content.decode()
    assert "<h1>" not in response.content.decode()  # the partial only
    assert not ReadinessCategory.objects.filter(name_ca="Sense límit").exists()

    framework = world["competency"].framework
    url = reverse("talent:expert_level_set", args=[framework.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert clo_client.post(url, {f"fw{framework.pk}-expert_level": "4"}).status_code == 302
    framework.refresh_from_db()
    assert framework.expert_level == 4
    assert any("knowledge_risk_rebuild" in repr(cb) for cb in callbacks)  # the map follows who counts as expert
    services.knowledge_risk_rebuild(today=TODAY)
    assert cell(world["org"].unit_a1, world["competency"])[1] == 1  # only Rosa (4) remains an expert; Nil has 2
    assert clo_client.post(url, {f"fw{framework.pk}-expert_level": "9"}).status_code == 422  # not on the scale


@pytest.mark.parametrize("method", ["get", "post"])
def test_only_hr_and_the_learning_office_reach_the_settings(world, director_a_client, hr_user, method):
    from clo.talent.models import ReadinessCategory

    category = ReadinessCategory.objects.first()
    framework = world["competency"].framework
    urls = [reverse("talent:succession_settings"), reverse("talent:readiness_category_add"),
            reverse("talent:readiness_category_update", args=[category.pk]),
            reverse("talent:expert_level_set", args=[framework.pk])]
    for url in urls:
        assert getattr(director_a_client, method)(url).status_code == 404, url
        assert getattr(director_a_client, method)(url, **HX).status_code == 404, url
    director_a_client.force_login(hr_user)
    assert director_a_client.get(urls[0]).status_code == 200
