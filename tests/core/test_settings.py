"""Settings as a deployment meets them: each case starts a fresh process with exactly the environment given.

A fresh process is the only honest test: settings are read once, at import, and a malformed variable must stop
start-up (``manage.py check`` exits non-zero and says which variable), not surface later.
"""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "cache": s.CACHES["default"]["BACKEND"],
    "eager": s.CELERY_TASK_ALWAYS_EAGER,
    "broker": s.CELERY_BROKER_URL,
    "redis": s.REDIS_URL,
    "debug": s.DEBUG,
    "env": s.DJANGO_ENV,
    "secure_ssl_redirect": s.SECURE_SSL_REDIRECT,
}))
"""


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run ``python <args>`` in the project with a clean environment plus ``env`` (no DATABASE_URL, no REDIS_URL)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "clo.settings",
        "SQLITE_PATH": str(tmp_path / "clo.sqlite3"),  # never touch the developer's database
        **env,
    }
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120,
    )


def random_secret(length: int = 64) -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits + "!@%^&*(-_=+)") for _ in range(length))


def test_nothing_set_gives_the_embedded_defaults(tmp_path):
    result = run(["-c", PRINT_SETTINGS], tmp_path)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "engine": "django.db.backends.sqlite3",
        "cache": "django.core.cache.backends.locmem.LocMemCache",
        "eager": True,
        "broker": "memory://",
        "redis": None,
        "debug": True,
        "env": "development",
        "secure_ssl_redirect": False,
    }


def test_database_and_redis_urls_switch_to_postgresql_and_the_broker(tmp_path):
    result = run(
        ["-c", PRINT_SETTINGS], tmp_path,
        DATABASE_URL="postgres://clo@db.internal:5432/clo", REDIS_URL="redis://cache.internal:6379/2",
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["engine"] == "django.db.backends.postgresql"
    assert seen["cache"] == "clo.core.cache.TolerantRedisCache"  # Redis down reads as a miss, never an error
    assert (seen["eager"], seen["broker"]) == (False, "redis://cache.internal:6379/2")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DATABASE_URL", "mysql://root@localhost/clo"),
        ("DATABASE_URL", "postgres://postgres@localhost:port/clo"),
        ("REDIS_URL", "http://127.0.0.1:6379/0"),
        ("REDIS_URL", "redis://127.0.0.1:99999/0"),
        ("DJANGO_DEBUG", "maybe"),
        ("DJANGO_ENV", "staging"),
        ("DATABASE_POOL", "sometimes"),
        ("SESSION_IDLE_SECONDS", "half an hour"),
        ("CELERY_TASK_TIME_LIMIT", "0"),
    ],
)
def test_a_malformed_variable_stops_start_up_and_is_named(tmp_path, name, value):
    result = run(["manage.py", "check"], tmp_path, **{name: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{name}:" in result.stderr, result.stderr[-2000:]


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = run(["manage.py", "check"], tmp_path, DJANGO_ENV="production", DJANGO_ALLOWED_HOSTS="clo.example")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY: required" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start(tmp_path):
    result = run(
        ["manage.py", "check"], tmp_path,
        DJANGO_ENV="production", DJANGO_SECRET_KEY=random_secret(20), DJANGO_ALLOWED_HOSTS="clo.example",
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY: must be at least 50 characters" in result.stderr


def test_production_settings_pass_the_deployment_checklist(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
        DJANGO_ENV="production", DJANGO_SECRET_KEY=random_secret(), DJANGO_ALLOWED_HOSTS="clo.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_reads_the_secret_key_from_a_docker_secret_file(tmp_path):
    secret = tmp_path / "secret_key"
    secret.write_text(random_secret() + "\n", encoding="utf-8")
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
        DJANGO_ENV="production", DJANGO_SECRET_KEY_FILE=str(secret), DJANGO_ALLOWED_HOSTS="clo.example",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_with_debug_forced_on_fails_the_deployment_checklist(tmp_path):
    """The check above can fail: the same command flags DEBUG left on in production."""
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path,
        DJANGO_ENV="production", DJANGO_SECRET_KEY=random_secret(), DJANGO_ALLOWED_HOSTS="clo.example",
        DJANGO_DEBUG="true",
    )
    assert result.returncode != 0
    assert "security.W018" in result.stderr + result.stdout


@pytest.mark.parametrize("media_root", ["var/static/media", "static/uploads", "."])
def test_a_media_root_inside_or_holding_a_static_folder_refuses_to_start(tmp_path, media_root):
    """Whitenoise and collectstatic publish the static folders: private files must never live in one."""
    result = run(["manage.py", "check"], tmp_path, MEDIA_ROOT=str(ROOT / media_root))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "MEDIA_ROOT:" in result.stderr, result.stderr[-2000:]


def test_a_media_root_of_its_own_starts(tmp_path):
    result = run(["manage.py", "check"], tmp_path, MEDIA_ROOT=str(tmp_path / "media"))
    assert result.returncode == 0, result.stderr[-2000:]


def test_a_replica_url_adds_a_replica_that_the_tests_mirror_and_needs_a_primary(tmp_path):
    script = ("import django, json; django.setup(); from django.conf import settings as s; "
              "r = s.DATABASES['replica']; print(json.dumps([r['HOST'], r['PORT'], r['TEST'], s.DATABASE_ROUTERS]))")
    result = run(["-c", script], tmp_path, DATABASE_URL="postgres://clo@db.internal:5432/clo",
                 DATABASE_REPLICA_URL="postgres://clo@standby.internal:5433/clo")
    assert result.returncode == 0, result.stderr
    host, port, test, routers = json.loads(result.stdout.strip().splitlines()[-1])
    assert (host, port, test["MIRROR"]) == ("standby.internal", "5433", "default")
    assert routers == ["clo.core.replica.ReplicaRouter"]
    alone = run(["manage.py", "check"], tmp_path, DATABASE_REPLICA_URL="postgres://clo@standby.internal:5433/clo")
    assert alone.returncode != 0 and "DATABASE_REPLICA_URL:" in alone.stderr
