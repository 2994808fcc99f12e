"""``manage.py bench_load --workers W --users U --seconds D``: the dashboards under concurrent use.

Starts gunicorn with W worker processes on a spare port against the current database (and Redis, if configured),
signs in U users of the four roles (the learning office, HR, a director, an employee, in turn), and lets each replay
its role's mix of pages for D seconds: boards and filtered boards, the people behind them, critical positions, home
pages, the catalogue, a need form, an assessment form (each page at least once). Then the same U users ask for /healthz for D seconds: the
floor, what the server answers when a page does nothing.

It prints ONE JSON line: per view the requests, throughput and p95 in milliseconds; the mix's throughput and its
ratio to the floor's in the same run; errors (any answer other than 200). Uses the database as it is (seed it with
seed_demo first); it writes only sessions.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from clo.demo.bench import percentile

HX = {"HX-Request": "true"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The URL of the database this process uses (the test database inside a test), for gunicorn's workers."""
    db = connection.settings_dict
    if connection.vendor != "postgresql":
        return ""
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _session_cookie(user) -> str:
    """A signed-in session for ``user``, as the login page would make it (no password needed)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "clo.accounts.backends.LocalPasswordBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


class Command(BaseCommand):
    help = ("Benchmark concurrent use: gunicorn with W workers, U signed-in users of the four roles replaying a mix of "
            "pages for D seconds, against /healthz under the same concurrency; prints one JSON line.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes (default 4)")
        parser.add_argument("--users", type=int, default=16, help="concurrent signed-in users (default 16)")
        parser.add_argument("--seconds", type=float, default=30, help="seconds of the mix, and of the floor")

    def handle(self, *args, workers: int, users: int, seconds: float, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_load signs in demo users; it does not run with DJANGO_ENV=production.")
        if workers < 1 or users < 1 or seconds <= 0:
            raise CommandError("--workers and --users must be at least 1, --seconds more than 0.")
        from clo.demo.bench import bench_personas

        personas = bench_personas()
        mixes = self._mixes(personas)
        sessions = {role: _session_cookie(user) for role, user in personas.users.items()}
        roles = list(mixes)
        port = _free_port()
        server = self._start(port, workers)
        try:
            self._warm(port, mixes, sessions)
            floor = self._replay(port, users, seconds, lambda i: ("floor", [("healthz", "/healthz", {})], ""))
            mix = self._replay(port, users, seconds,
                               lambda i: (roles[i % len(roles)], mixes[roles[i % len(roles)]],
                                          sessions[roles[i % len(roles)]]))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
        floor_rps = floor["total"] / floor["elapsed"]
        mix_rps = mix["total"] / mix["elapsed"]
        views = {}
        for name, times in sorted(mix["times"].items()):
            views[name] = {"requests": len(times), "per_s": round(len(times) / mix["elapsed"], 1),
                           "p95_ms": round(percentile(times, 95), 1)}
        print(json.dumps({
            "vendor": connection.vendor, "workers": workers, "users": users,
            "seconds": {"floor": round(floor["elapsed"], 1), "mix": round(mix["elapsed"], 1)},
            "floor": {"per_s": round(floor_rps, 1), "p95_ms": round(percentile(floor["times"]["healthz"], 95), 1)},
            "mix": {"per_s": round(mix_rps, 1), "vs_floor": round(mix_rps / floor_rps, 3) if floor_rps else None,
                    "worst_p95_ms": max((v["p95_ms"] for v in views.values()), default=None)},
            "views": views, "errors": dict(floor["errors"] | mix["errors"]),
        }))

    # --- the pages ---------------------------------------------------------------------------------------------------

    def _mixes(self, personas) -> dict[str, list[tuple[str, str, dict]]]:
        unit, area, assessment = personas.unit, personas.area, personas.assessment
        area_q = f"&area={area.pk}" if area else ""
        board = reverse("dashboard_clo")
        mixes = {
            "clo": [
                ("clo_board", board, {}),
                ("clo_board_filtered", f"{board}?kind=digital", HX),
                ("clo_board_unit_area", f"{board}?unit={unit.pk}{area_q}", HX),
                ("clo_people", f"{reverse('dashboard_people')}?unit={unit.pk}{area_q}", {}),
                ("clo_critical_positions", reverse("dashboard_critical", args=["clo"]), HX),
                ("clo_home", reverse("home"), {}),
            ],
            "hr": [
                ("hr_home", reverse("home"), {}),
                ("hr_catalogue", reverse("programs:catalogue"), {}),
            ],
            "director": [
                ("director_board", reverse("dashboard_director"), {}),
                ("director_people", f"{reverse('dashboard_people')}?unit={unit.pk}", {}),
                ("director_critical_positions", reverse("dashboard_critical", args=["director"]), HX),
                ("director_home", reverse("home"), {}),
                ("director_need_form", reverse("programs:need_create"), {}),
            ],
            "employee": [
                ("employee_home", reverse("home"), {}),
                ("employee_catalogue", reverse("programs:catalogue"), {}),
                ("employee_assessment" if assessment else "employee_assessments",
                 reverse("evaluations:assessment_detail", args=[assessment.pk]) if assessment
                 else reverse("evaluations:my_assessments"), {}),
            ],
        }
        return mixes

    # --- the server --------------------------------------------------------------------------------------------------

    def _start(self, port: int, workers: int) -> subprocess.Popen:
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "clo.settings", "DJANGO_DEBUG": "false",
               "DJANGO_ALLOWED_HOSTS": "127.0.0.1"}
        if (url := _database_url()):
            env["DATABASE_URL"] = url
        gunicorn = Path(sys.executable).with_name("gunicorn")
        server = subprocess.Popen(
            [str(gunicorn), "clo.wsgi:application", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--log-level", "warning", "--timeout", "120"],
            cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise CommandError(f"gunicorn stopped: {server.stderr.read().decode()[-2000:]}")
            try:
                status, _ = self._get(port, "/healthz", {}, "")
                if status == 200:
                    return server
            except OSError:
                pass
            time.sleep(0.2)
        server.kill()
        raise CommandError("gunicorn did not answer /healthz within 60 s")

    @staticmethod
    def _get(port: int, path: str, headers: dict, cookie: str, conn: http.client.HTTPConnection | None = None):
        own = conn is None
        conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            conn.request("GET", path, headers={**headers, "Host": "127.0.0.1", "Accept-Language": "ca",
                                               **({"Cookie": cookie} if cookie else {})})
            response = conn.getresponse()
            response.read()
            return response.status, response
        finally:
            if own:
                conn.close()

    def _warm(self, port: int, mixes: dict, sessions: dict) -> None:
        for role, pages in mixes.items():
            for name, path, headers in pages:
                for _ in range(2):
                    status, response = self._get(port, path, headers, sessions[role])
                if status != 200:
                    where = response.getheader("Location", "")
                    raise CommandError(f"{name} ({path}) answered {status} {where} to the {role}")

    def _replay(self, port: int, users: int, seconds: float, plan) -> dict:
        """``users`` threads, each with its own keep-alive connection, requesting its pages in turn until the time
        is up; returns the response times per page (ms), the total and the errors."""
        times: dict[str, list[float]] = defaultdict(list)
        errors: dict[str, int] = defaultdict(int)
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def user(index: int) -> None:
            _, pages, cookie = plan(index)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            mine: dict[str, list[float]] = defaultdict(list)
            wrong: dict[str, int] = defaultdict(int)
            turn = index
            while time.monotonic() < stop_at or turn - index < len(pages):  # every page at least once
                name, path, headers = pages[turn % len(pages)]
                turn += 1
                started = time.perf_counter()
                try:
                    status, _ = self._get(port, path, headers, cookie, conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                    status = 0
                elapsed = (time.perf_counter() - started) * 1000
                if status == 200:
                    mine[name].append(elapsed)
                else:
                    wrong[f"{name} {status}"] += 1
            conn.close()
            with lock:
                for name, values in mine.items():
                    times[name].extend(values)
                for name, count in wrong.items():
                    errors[name] += count

        threads = [threading.Thread(target=user, args=(i,), daemon=True) for i in range(users)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return {"times": times, "total": sum(len(v) for v in times.values()), "errors": errors,
                "elapsed": time.monotonic() - started}

