"""Real processes for the fault tests: a Redis server of the test's own (on a spare port, no persistence; the
machine's Redis is left alone) and Celery workers (separate processes on the test database) to start, kill and
restart."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def require_postgresql() -> None:
    if connection.vendor != "postgresql":
        message = "needs PostgreSQL (DATABASE_URL): the worker process shares the test database"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def wait_for(condition, *, timeout: float, message: str, interval: float = 0.1):
    """Poll ``condition`` until it returns something true; fail with ``message`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            pytest.fail(f"{message} (after {timeout} s)")
        time.sleep(interval)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throw-away redis-server: no persistence, on a port nobody else uses."""

    def __init__(self, workdir: Path) -> None:
        self.port = _free_port()
        self.workdir = workdir
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [shutil.which("redis-server"), "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.workdir)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self.ping, timeout=10, message="redis-server did not start")

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


def reset_producers(app) -> None:
    """Forget the Celery app's broker connections, so that the next publish connects to the broker now configured."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    if "amqp" in app.__dict__:
        app.amqp._producer_pool = None
    from kombu import pools

    pools.reset()  # kombu keeps producer pools per connection too: one over a closed pool refuses every publish


def database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


# A worker whose code is slowed down where a test wants to kill it: ``CLO_TEST_SLOW`` names "module:function" and a
# delay in seconds; each call prints "SLOW <first argument's pk or value>" before it sleeps and goes on.
SLOW_WORKER = textwrap.dedent("""
    import importlib, os, sys, time
    import django
    django.setup()
    target, delay = os.environ["CLO_TEST_SLOW"].rsplit("=", 1)
    module_name, function_name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, function_name)
    def slow(*args, **kwargs):
        first = args[0] if args else None
        print("SLOW", getattr(first, "pk", first), flush=True)
        time.sleep(float(delay))
        return original(*args, **kwargs)
    setattr(module, function_name, slow)
    from clo.celery import app
    app.worker_main(sys.argv[1:])
""")


class Worker:
    """A Celery worker process (solo pool) on the default queue of ``redis_url``; its output is collected."""

    def __init__(self, redis_url: str, *, media: Path | None = None, slow: str | None = None,
                 pool: bool = False) -> None:
        env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": redis_url,
               "DATABASE_POOL": "true" if pool else "false", "DJANGO_SETTINGS_MODULE": "clo.settings",
               "PYTHONUNBUFFERED": "1"}
        if media is not None:
            env["MEDIA_ROOT"] = str(media)
        args = ["worker", "--pool=solo", "--concurrency=1", "--without-heartbeat", "--without-gossip",
                "--without-mingle", "--loglevel=INFO", "-n", f"faults-{os.getpid()}-{time.monotonic_ns()}@%h"]
        if slow:
            env["CLO_TEST_SLOW"] = slow
            command = [sys.executable, "-c", SLOW_WORKER, *args]
        else:
            command = [sys.executable, "-m", "celery", "-A", "clo", *args]
        self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True)
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def saw(self, *texts: str) -> int:
        """How many lines of its output contain every one of ``texts``."""
        return sum(all(text in line for text in texts) for line in list(self.lines))

    def kill(self) -> None:
        """SIGKILL, as the kernel's out-of-memory killer or a supervisor kills a lost worker: no clean-up at all."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=20)
        self._reader.join(timeout=5)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout=5)


def backend_gone(lock_sql: str, params) -> bool:
    """Whether the database server has released a session advisory lock held by a killed worker's connection (it
    notices the closed socket within moments): take it, release it, and say whether it was free."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {lock_sql.format(fn='pg_try_advisory_lock')}", params)
        held = cursor.fetchone()[0]
        if held:
            cursor.execute(f"SELECT {lock_sql.format(fn='pg_advisory_unlock')}", params)
    return held
