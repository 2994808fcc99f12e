"""The knowledge-at-risk map and the bench-strength board are kept in the cache under the versions of the data they
read (clo.core.board_cache, the "succession" source for the talent tables): a change committed through a service
shows on the next request, a cached page costs a few queries whatever the size, and the scope is checked before the
cache is asked. The critical positions come a page at a time, in the same queries whatever their number, and their
download has them all."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from clo.talent.services import pools as pool_services
from clo.talent.services import succession as services
from evaluations import services as evaluation_services
from evaluations.models import CurrentLevel
from tests import factories as f
from tests.conftest import login
from tests.dashboards.test_board_cache import board_cache, versioned  # noqa: F401  (fixtures: locmem, then Redis)
from tests.talent.test_succession import HX, TODAY, grow, world  # noqa: F401  (world: fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_the_worlds_day():
    """The world's figures are built for TODAY; the pages and the refreshes a change queues read the clock's day, so
    the clock stands on TODAY (at noon in Madrid), whatever day or clock the suite runs on."""
    with time_machine.travel(dt.datetime(TODAY.year, TODAY.month, TODAY.day, 12, 0,
                                         tzinfo=dt.timezone(dt.timedelta(hours=1)))):
        yield

IMPORT = CurrentLevel.Source.IMPORT
# a page from the cache: the session (read, and saved in a savepoint: an idle timeout, 4), the user, their scope
# (3), the unit asked for, the data versions
HIT_BUDGET = 10


def _map(client, unit):
    return client.get(reverse("talent:succession_map") + f"?unit={unit.pk}&horizon=3")


def test_a_rating_shows_on_the_next_map_request(board_cache, world, clo_client, english, eager_tasks,  # noqa: F811
                                                django_capture_on_commit_callbacks, django_assert_max_num_queries):
    org, competency, junior = world["org"], world["competency"], world["junior"]
    assert "experts 1 · retiring 0/1/1" in _map(clo_client, org.unit_a).content.decode()
    # served from the cache (a Redis that times out on a loaded machine is a miss, by design: a looser budget)
    with django_assert_max_num_queries(HIT_BUDGET if board_cache == "locmem" else 16):
        assert "experts 1 · retiring 0/1/1" in _map(clo_client, org.unit_a).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the gap and knowledge-risk refreshes, as a worker
        evaluation_services.evidence_record(employee_id=junior.pk, competency_id=competency.pk, level=4,
                                            evidenced_on=TODAY - dt.timedelta(days=3))
    # Nil is an expert now and retires in 2060: two experts, one retiring within 3 years
    page = _map(clo_client, org.unit_a).content.decode()
    assert "experts 2 · retiring 0/1/1" in page and "experts 1 · retiring 0/1/1" not in page
    partial = clo_client.get(reverse("talent:succession_map") + f"?unit={org.unit_a.pk}&horizon=3", **HX)
    assert partial.content.decode().strip().startswith('<section id="risk-map"')
    assert "experts 2 · retiring 0/1/1" in partial.content.decode()


def test_a_confirmed_successor_shows_on_the_next_board_request(board_cache, world, clo_client, hr_user,  # noqa: F811
                                                               english):
    org, position, competency = world["org"], world["position"], world["competency"]
    assert "0.0 % (0 of 1)" in clo_client.get(reverse("talent:succession_bench")).content.decode()
    assert "0.0 % (0 of 1)" in clo_client.get(reverse("talent:succession_bench")).content.decode()
    ready = f.EmployeeFactory(unit=org.unit_a1, first_name="Laia", last_name="Relleu Preparat")
    f.CurrentLevelFactory(employee=ready, competency=competency, level=3, source=IMPORT)
    pool_services.successor_confirm(
        successor=pool_services.successor_nominate(position=position, employee=ready, by=hr_user), by=hr_user)
    assert "100.0 % (1 of 1)" in clo_client.get(reverse("talent:succession_bench")).content.decode()
    partial = clo_client.get(reverse("talent:succession_bench"), **HX).content.decode()
    assert partial.startswith('<div id="bench"') and "100.0 % (1 of 1)" in partial


def test_a_retirement_map_rebuild_shows_on_the_next_board_request(world, clo_client, english):  # noqa: F811
    from clo.people.models import Employee

    page = clo_client.get(reverse("talent:succession_bench")).content.decode()
    assert "Fora Unitat" in page  # Berta retires in 2027 with no transfer plan
    Employee.objects.filter(pk=world["outsider"].pk).update(expected_retirement_date=dt.date(2045, 1, 1))
    services.knowledge_risk_rebuild(today=TODAY)
    assert "Fora Unitat" not in clo_client.get(reverse("talent:succession_bench")).content.decode()


def test_the_scope_is_checked_before_the_cache(world, client, clo_user, director_a, director_b):  # noqa: F811
    org = world["org"]
    login(client, clo_user)
    for url in (reverse("talent:succession_map") + f"?unit={org.unit_a.pk}", reverse("talent:succession_bench"),
                reverse("talent:succession_map") + f"?unit={org.unit_a.pk}&horizon=3"):
        assert client.get(url).status_code == 200 and client.get(url, **HX).status_code == 200
    client.logout()
    login(client, director_b.user)  # the outsider: unit A's map, cached for the learning office, is not theirs
    for url in (reverse("talent:succession_map") + f"?unit={org.unit_a.pk}", reverse("talent:succession_bench")):
        assert client.get(url).status_code == 404 and client.get(url, **HX).status_code == 404
    client.logout()
    login(client, director_a.user)  # a director's own map is theirs, not the learning office's whole council
    page = client.get(reverse("talent:succession_map")).content.decode()
    assert org.unit_a.name in page and "Fora Unitat" not in page
    assert client.get(reverse("talent:succession_bench")).status_code == 404  # directors see the map, not the board


@pytest.mark.parametrize("url,headers", [
    (reverse("talent:succession_map"), {}), (reverse("talent:succession_map") + "?horizon=1", HX),
    (reverse("talent:succession_bench"), {}), (reverse("talent:succession_bench"), HX),
])
def test_a_cached_page_costs_a_few_queries_whatever_the_size(url, headers, world, clo_client, settings,  # noqa: F811
                                                             versioned, django_assert_max_num_queries):  # noqa: F811
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "s"}}
    misses, hits = [], []
    for size in (1, 6):
        grow(world, size)  # new figures: the next request renders again
        for counts in (misses, hits):
            with django_assert_max_num_queries(24) as captured:
                assert clo_client.get(url, **headers).status_code == 200
            counts.append(len(captured))
    assert misses[0] == misses[1] and hits[0] == hits[1], (misses, hits)
    assert hits[0] <= HIT_BUDGET < misses[0], (misses, hits)


# --- Critical positions, a page at a time -------------------------------------------------------------------------


def _critical(world, size):
    org = world["org"]
    for n in range(size):
        f.PositionFactory(code=f"CP-{n:03}", title=f"Lloc crític {n}", unit=org.unit_a, is_critical=True,
                          criticality=1 + n % 3)


@pytest.mark.parametrize("size", [3, 70])
def test_the_critical_positions_come_a_page_at_a_time(world, clo_client, english, size,  # noqa: F811
                                                      django_assert_num_queries):
    from clo.talent.views.succession import POSITIONS_PER_PAGE

    _critical(world, size)
    total = size + 1  # and the world's CAP-LIC
    url = reverse("talent:succession_positions")
    clo_client.get(url)  # the session warm
    # the session, the user, their scope (3), the count, the page's positions (their holders counted), the
    # session's save (3)
    with django_assert_num_queries(10):
        page = clo_client.get(url)
    html = page.content.decode()
    assert f"{total} critical positions" in html
    rows = page.context["page"].object_list
    assert len(rows) == min(total, POSITIONS_PER_PAGE) and rows[0].code == "CAP-LIC"  # the most critical first
    csv = clo_client.get(url + "?export=csv").content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == 1 + total  # the download has every one
    if total > POSITIONS_PER_PAGE:
        assert "Page 1 of 2" in html and 'hx-get="?page=2"' in html
        with django_assert_num_queries(10):
            partial = clo_client.get(url + "?page=2", **HX)
        text = partial.content.decode()
        assert text.strip().startswith('<section id="critical"') and "<html" not in text and "Page 2 of 2" in text
        assert len(partial.context["page"].object_list) == total - POSITIONS_PER_PAGE
    else:
        assert "Page 1 of" not in html


def test_a_page_out_of_range_shows_the_last(world, clo_client, english):  # noqa: F811
    for value in ("999", "abc", "-1"):
        page = clo_client.get(reverse("talent:succession_positions") + f"?page={value}")
        assert page.status_code == 200 and "CAP-LIC Cap de llicències" in page.content.decode()


def test_the_search_still_answers_with_its_own_region(world, hr_client, english):  # noqa: F811
    f.PositionFactory(code="TEC-ARX", title="Tècnic d'arxiu", is_critical=False)
    partial = hr_client.get(reverse("talent:succession_positions") + "?q=arx", **HX).content.decode()
    assert partial.strip().startswith('<div id="found"') and "TEC-ARX" in partial


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()
