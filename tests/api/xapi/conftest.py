"""A real Learning Record Store for the xAPI tests: ralph (ralph-malph) with its file system backend, from its own
virtualenv (.venv-lrs, scripts/ensure-lrs), started once per test session on a spare port; each test starts with an
empty store. Missing: skipped on a developer's machine, a failure under CI=true."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[3]
PYTHON = ROOT / ".venv-lrs" / "bin" / "python"
USERNAME, PASSWORD = "clo", "clo-test-lrs-secret"
# bcrypt of PASSWORD (cost 4: a test credential), as `ralph auth` writes it.
HASH = "$2b$04$0U6BjcUQdoVRAdVjhNG0zONx8MsvZNckDgf0mKd6FFJVOdJ4CEkHa"


@dataclass
class Lrs:
    endpoint: str
    data: Path

    def post(self, statements: list[dict]) -> list[str]:
        response = requests.post(f"{self.endpoint}statements", json=statements, auth=(USERNAME, PASSWORD),
                                 headers={"X-Experience-API-Version": "1.0.3"}, timeout=10)
        assert response.status_code == 200, response.text
        return response.json()

    def statements(self) -> list[dict]:
        """Every statement the LRS holds (following its ``more`` links)."""
        found, url = [], f"{self.endpoint}statements?limit=500"
        while url:
            body = requests.get(url, auth=(USERNAME, PASSWORD), headers={"X-Experience-API-Version": "1.0.3"},
                                timeout=10).json()
            found += body["statements"]
            url = requests.compat.urljoin(url, body["more"]) if body.get("more") and body["statements"] else ""
        return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def lrs_server(tmp_path_factory):
    if not PYTHON.exists():
        message = f"{PYTHON} is missing: run scripts/ensure-lrs (make test does)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    home = tmp_path_factory.mktemp("lrs")
    (home / "auth.json").write_text(json.dumps([{"agent": {"mbox": "mailto:lrs@clo.example", "objectType": "Agent"},
                                                 "scopes": ["all"], "hash": HASH, "username": USERNAME}]))
    data = home / "data"
    data.mkdir()
    port = _free_port()
    env = {**os.environ, "RALPH_AUTH_FILE": str(home / "auth.json"), "RALPH_APP_DIR": str(home / "app"),
           "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(data)}
    log = (home / "lrs.log").open("w")
    process = subprocess.Popen([str(PYTHON), str(ROOT / "scripts" / "ralph_lrs.py"), "127.0.0.1", str(port)],
                               env=env, stdout=log, stderr=subprocess.STDOUT)
    endpoint = f"http://127.0.0.1:{port}/xAPI/"
    deadline = time.monotonic() + 60
    while True:
        try:
            if requests.get(f"http://127.0.0.1:{port}/__heartbeat__", timeout=1).ok:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"The LRS did not start: {(home / 'lrs.log').read_text()[-2000:]}", pytrace=False)
        time.sleep(0.2)
    yield Lrs(endpoint, data)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()


@pytest.fixture
def lrs(lrs_server, settings) -> Lrs:
    """The LRS, empty, and clo configured to use it."""
    for stored in lrs_server.data.glob("*"):
        stored.unlink()
    settings.CLO_XAPI_ENDPOINT = lrs_server.endpoint
    settings.CLO_XAPI_USERNAME, settings.CLO_XAPI_PASSWORD = USERNAME, PASSWORD
    return lrs_server

