"""Shared personas: the CLO, HR, a director of unit A, an employee of unit A, and a director of unit B (the outsider).

Organisation used by the personas::

    AJT  Ajuntament (root)
    ├── A   Àrea de Serveis a les Persones     (headed by director_a)
    │   └── A1  Servei d'Educació               (employee_a works here, managed by director_a)
    └── B   Àrea d'Urbanisme                    (headed by director_b, the outsider)
        └── B1  Servei de Llicències            (employee_b works here)
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

import pytest

from tests import factories as f

# CLO_TEST_NOW=2026-12-31T23:30:00+01:00 runs the whole session on that clock (time-machine, ticking), so a suite
# can be tried at the hours and on the dates that break date arithmetic: late evening, New Year's Eve, the days the
# clocks change. .ci/run runs the suites that do not leave the process (no browser, no worker) on such clocks.
_CLOCK_VARIABLE = "CLO_TEST_NOW"


def _session_clock() -> dt.datetime | None:
    value = os.environ.get(_CLOCK_VARIABLE, "").strip()
    if not value:
        return None
    try:
        instant = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"{_CLOCK_VARIABLE}={value!r} is not an ISO 8601 date and time") from None
    if instant.tzinfo is None:
        raise pytest.UsageError(f"{_CLOCK_VARIABLE}={value!r} needs a UTC offset, e.g. +01:00")
    return instant


def pytest_configure(config):
    instant = _session_clock()
    if instant is not None:
        import time_machine

        config._clo_clock = time_machine.travel(instant, tick=True)
        config._clo_clock.start()


def pytest_unconfigure(config):
    clock = getattr(config, "_clo_clock", None)
    if clock is not None:
        clock.stop()


# CLO_TEST_SHARD=k/n keeps the k-th of n shares of the test files (a file is never split, so its module fixtures
# stay whole; the files go, largest first, to the share with the fewest tests so far, ties by path). `make test` runs
# the in-process suite in four shares, one on the wall clock and one on each adversarial clock, so it runs once in all,
# not once per clock; `make test-clocks-all` runs every adversarial clock on every file.
_SHARD_VARIABLE = "CLO_TEST_SHARD"


def _shard() -> tuple[int, int] | None:
    value = os.environ.get(_SHARD_VARIABLE, "").strip()
    if not value:
        return None
    try:
        index, count = (int(part) for part in value.split("/"))
    except ValueError:
        raise pytest.UsageError(f"{_SHARD_VARIABLE}={value!r} is not k/n (e.g. 0/3)") from None
    if not 0 <= index < count:
        raise pytest.UsageError(f"{_SHARD_VARIABLE}={value!r}: k must be between 0 and n - 1")
    return index, count


def file_shares(test_ids: list[str], count: int) -> list[list[str]]:
    """The test files in ``count`` shares of about as many tests each: largest file first, to the lightest share."""
    sizes: dict[str, int] = {}
    for test_id in test_ids:
        path = test_id.split("::", 1)[0]
        sizes[path] = sizes.get(path, 0) + 1
    shares: list[list[str]] = [[] for _ in range(count)]
    totals = [0] * count
    for path in sorted(sizes, key=lambda path: (-sizes[path], path)):
        lightest = totals.index(min(totals))
        shares[lightest].append(path)
        totals[lightest] += sizes[path]
    return shares


def pytest_collection_modifyitems(config, items):
    shard = _shard()
    if shard is None:
        return
    index, count = shard
    mine = set(file_shares([item.nodeid for item in items], count)[index])
    kept = [item for item in items if item.nodeid.split("::", 1)[0] in mine]
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid.split("::", 1)[0] not in mine])
    items[:] = kept


def pytest_report_header(config):
    instant = _session_clock()
    clock = f"clock: {instant.isoformat()} ({_CLOCK_VARIABLE})" if instant else "clock: the wall clock"
    shard = _shard()
    return f"{clock}; test files: share {shard[0] + 1} of {shard[1]} ({_SHARD_VARIABLE})" if shard else clock


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """The personas hash passwords in every test; PBKDF2's production cost would make that seconds."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_two_factor(settings):
    """The personas sign in with their password alone; two-factor sign-in (MFA_ROLES) is turned on by the tests of
    tests/accounts/test_mfa.py."""
    settings.MFA_ROLES = []


@pytest.fixture(scope="session", autouse=True)
def _badge_signing_key(tmp_path_factory):
    """Badges are signed with a key generated once per test session in a temporary directory (never var/); set for
    the session, before any module-scoped fixture (the seeded demo) issues one."""
    from django.conf import settings

    settings.CLO_BADGE_SIGNING_KEY = ""
    settings.CLO_BADGE_DEV_KEY_PATH = tmp_path_factory.mktemp("badges") / "signing-key.pem"


@pytest.fixture(autouse=True)
def _data_versions_raised_at_each_change(request):
    """A test's transaction never commits: the data versions (``clo.core.versions``), raised at commit, are raised
    at the end of each statement instead, so a board cached in a test is rendered again after a change, as it is
    after a commit. Transactional tests (e2e, workers) commit, and need nothing."""
    marker = request.node.get_closest_marker("django_db")
    if "transactional_db" in request.fixturenames or (marker and marker.kwargs.get("transaction")):
        return
    if "db" in request.fixturenames:
        request.getfixturevalue("db")
    elif marker:
        request.getfixturevalue("_django_db_helper")
    else:
        return
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS core_dataversion_bump IMMEDIATE")


@dataclass
class Org:
    root: object
    unit_a: object
    unit_a1: object
    unit_b: object
    unit_b1: object


@pytest.fixture
def org(db) -> Org:
    root = f.OrgUnitFactory(code="AJT", name="Ajuntament de Vilamar", kind="area")
    unit_a = f.OrgUnitFactory(code="A", name="Àrea de Serveis a les Persones", kind="area", parent=root)
    unit_a1 = f.OrgUnitFactory(code="A1", name="Servei d'Educació", parent=unit_a)
    unit_b = f.OrgUnitFactory(code="B", name="Àrea d'Urbanisme", kind="area", parent=root)
    unit_b1 = f.OrgUnitFactory(code="B1", name="Servei de Llicències", parent=unit_b)
    return Org(root, unit_a, unit_a1, unit_b, unit_b1)


def _employee(username: str, unit, *, first: str, last: str, manager=None, groups=()):
    user = f.UserFactory(username=username, groups=list(groups))
    return f.EmployeeFactory(user=user, unit=unit, first_name=first, last_name=last, manager=manager)


@pytest.fixture
def clo_user(org):
    return _employee("clo", org.root, first="Marta", last="Gené Vidal", groups=["learning_office"]).user


@pytest.fixture
def hr_user(org):
    return _employee("rrhh", org.root, first="Joan", last="Bosch Prat", groups=["hr"]).user


@pytest.fixture
def director_a(org):
    employee = _employee("directora.a", org.unit_a, first="Carme", last="Roig Font")
    org.unit_a.heads.add(employee)
    return employee


@pytest.fixture
def employee_a(org, director_a):
    return _employee("empleat.a", org.unit_a1, first="Pere", last="Soler Camps", manager=director_a)


@pytest.fixture
def director_b(org):
    """The outsider: heads unit B, must never see unit A's people or data."""
    employee = _employee("director.b", org.unit_b, first="Xavier", last="Mir Batlle")
    org.unit_b.heads.add(employee)
    return employee


@pytest.fixture
def employee_b(org, director_b):
    return _employee("empleat.b", org.unit_b1, first="Anna", last="Pujol Sala", manager=director_b)


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def clo_client(client, clo_user):
    return login(client, clo_user)


@pytest.fixture
def hr_client(client, hr_user):
    return login(client, hr_user)


@pytest.fixture
def director_a_client(client, director_a):
    return login(client, director_a.user)


@pytest.fixture
def employee_a_client(client, employee_a):
    return login(client, employee_a.user)


@pytest.fixture
def outsider_client(client, director_b):
    return login(client, director_b.user)


@pytest.fixture
def english(client):
    """Pages (the browser asks for English) and messages built outside a request in English, as most assertions
    read them; Catalan, the default, is tested where a test asks for it."""
    from django.utils import translation

    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def eager_tasks():
    """Run the tasks queued on commit (gap refreshes, emails) in this process, as a worker would. The tasks also go
    through a real worker on Redis in the worker tests."""
    from celery import current_app

    conf = current_app.conf
    saved = conf.task_always_eager, conf.task_eager_propagates
    conf.task_always_eager, conf.task_eager_propagates = True, True
    yield
    conf.task_always_eager, conf.task_eager_propagates = saved


@pytest.fixture
def on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the suite on PostgreSQL (set DATABASE_URL)")
        pytest.skip("needs PostgreSQL (set DATABASE_URL)")
