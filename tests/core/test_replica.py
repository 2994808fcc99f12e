"""Reads on a real PostgreSQL hot standby (clo/core/replica.py).

The fixture makes a standby of the test server on this machine: pg_basebackup of the primary, a second PostgreSQL on
a spare port that streams from it. Boards read there; a write, a read inside a write, a person who has just written,
a standby that lags or is down: all read the primary. Nothing is mocked.
"""

from __future__ import annotations

import datetime as dt
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clo.core import replica
from clo.people.models import Employee
from evaluations import services as evaluation_services
from evaluations.gaps.services import gaps_full_run
from tests import factories as f
from tests.dashboards.pages import read

# A real second server, like the worker tests: run once, not again on each test clock.
pytestmark = [pytest.mark.django_db(transaction=True, databases=["default", "replica"]), pytest.mark.worker]

CLO_URL = "/dashboards/learning-office/"
EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _fail_or_skip(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI must run the replica tests: {reason}")
    pytest.skip(reason)


def _bin(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        major = int(cursor.fetchone()[0]) // 10000
    path = Path(f"/usr/lib/postgresql/{major}/bin/{name}")
    if path.exists():
        return str(path)
    found = shutil.which(name)
    if not found:
        _fail_or_skip(f"{name} (PostgreSQL {major}) is not installed")
    return found


def _as_postgres(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """The server refuses to run as root: run PostgreSQL's programs as the postgres user when we are root."""
    if os.geteuid() == 0:
        command = ["runuser", "-u", "postgres", "--", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=180, **kwargs)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _allow_replication(host: str, user: str) -> None:
    """The primary must accept a replication connection from this machine (Debian's default pg_hba.conf does not
    list one for TCP): add the line and reload, as whoever runs this server would."""
    with connection.cursor() as cursor:
        cursor.execute("SHOW hba_file")
        hba = Path(cursor.fetchone()[0])
        line = f"host replication {user} 127.0.0.1/32 trust"
        try:
            text = hba.read_text()
            if line not in text:
                hba.write_text(text.rstrip("\n") + "\n" + line + "\n")
        except OSError as error:
            _fail_or_skip(f"cannot allow replication in {hba}: {error}")
        cursor.execute("SELECT pg_reload_conf()")


def _wait_for(predicate, *, seconds: float = 30, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"waited {seconds} s for {what}")


@pytest.fixture(scope="module")
def standby(django_db_setup, django_db_blocker):
    """A hot standby of the test database's server, added to the connections as "replica" for this module."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            _fail_or_skip("needs PostgreSQL (set DATABASE_URL)")
        primary = connection.settings_dict
        host, user = primary["HOST"] or "127.0.0.1", primary["USER"] or "postgres"
        if host not in ("127.0.0.1", "localhost"):
            _fail_or_skip("the standby is made on this machine: the primary must be local")
        _allow_replication(host, user)
        data = Path(tempfile.mkdtemp(prefix="clo-standby-"))
        if os.geteuid() == 0:
            postgres = pwd.getpwnam("postgres")
            os.chown(data, postgres.pw_uid, postgres.pw_gid)
        data.chmod(0o700)
        port = _free_port()
        backup = _as_postgres([_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary["PORT"] or 5432),
                               "-U", user, "-D", str(data), "-R", "-X", "stream", "-c", "fast"])
        if backup.returncode:
            shutil.rmtree(data, ignore_errors=True)
            _fail_or_skip(f"pg_basebackup failed: {backup.stderr.strip()}")
        # Debian keeps the configuration outside the data directory: the standby gets its own, minimal, with the
        # limits a standby must not set below the primary's.
        with connection.cursor() as cursor:
            limits = []
            for name in ("max_connections", "max_worker_processes", "max_wal_senders", "max_prepared_transactions",
                         "max_locks_per_transaction"):
                cursor.execute(f"SHOW {name}")
                limits.append(f"{name} = {cursor.fetchone()[0]}\n")
        for name, text in (("postgresql.conf", f"port = {port}\nlisten_addresses = '127.0.0.1'\n"
                                               f"unix_socket_directories = '{data}'\nhot_standby = on\n"
                                               "shared_buffers = 32MB\nmax_standby_streaming_delay = -1\n"
                                               + "".join(limits)),
                           ("pg_hba.conf", "local all all trust\nhost all all 127.0.0.1/32 trust\n"),
                           ("pg_ident.conf", "")):
            target = data / name
            if not target.exists() or name == "postgresql.conf":
                _as_postgres(["tee", str(target)], input=text)
        started = _as_postgres([_bin("pg_ctl"), "-D", str(data), "-l", str(data / "server.log"), "-w", "-t", "60",
                                "start"])
        if started.returncode:
            log = (data / "server.log").read_text() if (data / "server.log").exists() else ""
            shutil.rmtree(data, ignore_errors=True)
            _fail_or_skip(f"the standby did not start: {started.stderr.strip()} {log[-2000:]}")
        settings_dict = {**primary, "PORT": str(port), "OPTIONS": {**primary["OPTIONS"], "connect_timeout": "2"},
                         "TEST": {**primary["TEST"], "MIRROR": "default"}}  # MIRROR: never flushed by the tests
        settings_dict["OPTIONS"].pop("pool", None)
        connections.settings[replica.REPLICA] = settings_dict
        replica.forget_state()
        try:
            with connections[replica.REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_is_in_recovery()")
                assert cursor.fetchone()[0], "the replica must be a standby"
            yield {"port": port, "data": data}
        finally:
            connections[replica.REPLICA].close()
            del connections[replica.REPLICA]
            connections.settings.pop(replica.REPLICA, None)
            replica.forget_state()
            _as_postgres([_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
            shutil.rmtree(data, ignore_errors=True)


def caught_up() -> None:
    """Wait until the standby has replayed everything the primary wrote so far."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_wal_lsn()")
        target = cursor.fetchone()[0]

    def replayed() -> bool:
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_last_wal_replay_lsn() >= %s::pg_lsn", [target])
            return bool(cursor.fetchone()[0])

    _wait_for(replayed, what="the standby to replay the primary's writes")
    replica.forget_state()


@pytest.fixture
def world(org, clo_user, employee_a, eager_tasks, settings):
    """employee_a must write at level 3 and is at 1: one requirement, not met. Boards read the replica."""
    settings.DATABASE_REPLICA_CHECK_SECONDS = 0
    area = f.AreaFactory(framework=f.FrameworkFactory(code="REP"), code="DIG", name="Digital area")
    writing = f.CompetencyFactory(area=area, code="D1", name="Digital writing")
    f.RequirementFactory(position=employee_a.position, competency=writing, required_level=3)
    f.CurrentLevelFactory(employee=employee_a, competency=writing, level=1, source="import",
                          assessed_on=timezone.localdate() - dt.timedelta(days=30))
    gaps_full_run()
    return writing


def requirements_met(client) -> str:
    response = client.get(CLO_URL, **EN)
    assert response.status_code == 200
    return read(response).figures["headline"]["Requirements met"]


def test_a_rating_written_on_the_primary_appears_on_the_board_read_from_the_standby(standby, world, clo_client,
                                                                                     employee_a):
    caught_up()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert requirements_met(clo_client).startswith("0")
    assert len(on_standby) > 0, "the board read the primary"

    with transaction.atomic():  # a record of level 3, through the evidence service; the engine refreshes on commit
        evaluation_services.evidence_record(employee_id=employee_a.pk, competency_id=world.pk, level=3,
                                            evidenced_on=timezone.localdate())
    caught_up()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert requirements_met(clo_client).startswith("100")
    assert len(on_standby) > 0


def test_a_person_who_has_just_written_reads_the_primary(standby, world, clo_client, settings):
    settings.DATABASE_REPLICA_PIN_SECONDS = 60
    caught_up()
    response = clo_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        requirements_met(clo_client)
    assert len(on_standby) == 0, "a person who has just written read the standby"


def test_other_pages_and_reads_inside_a_write_read_the_primary(standby, world, clo_client, employee_a):
    caught_up()
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
        assert clo_client.get(reverse("programs:triage"), **EN).status_code == 200  # not a board: not listed
        with replica.reads_from_replica():
            assert Employee.objects.filter(pk=employee_a.pk).exists()  # a block that opts in reads the standby
            reads = len(on_standby)
            with transaction.atomic():
                Employee.objects.filter(pk=employee_a.pk).update(first_name="Anna")
                assert Employee.objects.get(pk=employee_a.pk).first_name == "Anna"  # inside a write: the primary
    assert reads > 0 and len(on_standby) == reads


def test_a_lagging_standby_is_left_aside_until_it_catches_up(standby, world, clo_client, settings):
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 0.2
    caught_up()
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_wal_replay_pause()")
    try:
        f.EmployeeFactory()  # something new on the primary that the paused standby does not replay
        time.sleep(0.5)
        replica.forget_state()
        assert replica.state().state == "lagging"
        with CaptureQueriesContext(connections[replica.REPLICA]) as on_standby:
            requirements_met(clo_client)
        assert not [q for q in on_standby.captured_queries if "pg_is_in_recovery" not in q["sql"]]
        health = clo_client.get("/healthz").json()
        assert health["status"] == "ok" and health["replica"]["state"] == "lagging"
        assert health["replica"]["lag_seconds"] > 0.2
        assert "replica" not in Client().get("/healthz").json()  # an anonymous visitor learns ok, nothing more
    finally:
        with connections[replica.REPLICA].cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_resume()")
    settings.DATABASE_REPLICA_MAX_LAG_SECONDS = 10
    caught_up()
    assert replica.state().state == "ok"
    assert clo_client.get("/healthz").json()["replica"]["state"] == "ok"


def test_a_standby_that_is_down_leaves_the_board_on_the_primary(standby, world, clo_client):
    saved = connections.settings[replica.REPLICA]["PORT"]
    connections[replica.REPLICA].close()
    connections.settings[replica.REPLICA]["PORT"] = str(_free_port())  # nothing listens there
    connections[replica.REPLICA].settings_dict["PORT"] = connections.settings[replica.REPLICA]["PORT"]
    replica.forget_state()
    try:
        assert requirements_met(clo_client).startswith("0")
        health = clo_client.get("/healthz").json()
        assert health["status"] == "ok" and health["replica"] == {"state": "down"}
    finally:
        connections[replica.REPLICA].close()
        connections.settings[replica.REPLICA]["PORT"] = saved
        connections[replica.REPLICA].settings_dict["PORT"] = saved
        replica.forget_state()
