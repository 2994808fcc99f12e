"""The deployment files agree with each other and with the code.

docker-compose.yml, .env.example, the Dockerfile, .dockerignore, the Makefile and the README are checked
against each other and against the variables clo/settings.py really reads. No Docker engine is used and no
database.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from fnmatch import fnmatch
from pathlib import Path

import pytest
import yaml
from django.urls import resolve

ROOT = Path(__file__).resolve().parents[1]
PROMISED_SERVICES = {"web", "worker", "beat", "db", "redis"}
APP_SERVICES = ("migrate", "web", "worker", "beat")
# What the image build copies and needs: .dockerignore must let these through.
BUILD_INPUTS = (
    "README.md", "pyproject.toml", "requirements.lock", "manage.py", "clo", "static", "templates", "locale",
)

# Calls of the typed helpers of clo/core/env.py with a literal variable name.
ENV_HELPERS = "env_str|env_bool|env_int|env_list|env_choice|database_from_url|redis_url"
ENV_CALL = re.compile(rf"\b(?:{ENV_HELPERS})\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")
# ${NAME}, ${NAME:-default}, ${NAME:?message}; "$$" is Compose's escape for a literal "$" (a container's own).
INTERPOLATION = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
ENV_LINE = re.compile(r"^\s*(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")


def _read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


def _settings_variables() -> set[str]:
    # env.py reads DATABASE_POOL_MAX itself, when it builds the pool options.
    sources = _read("clo/settings.py") + _read("clo/core/env.py")
    return set(ENV_CALL.findall(sources))


def _compose() -> dict:
    return yaml.safe_load(_read("docker-compose.yml"))


def _compose_variables(text: str) -> set[str]:
    return {match.group(1) for match in INTERPOLATION.finditer(text.replace("$$", ""))}


def _env_example() -> dict[str, tuple[str, bool]]:
    """Name -> (value, active); ``# NAME=value`` lines are documented but inactive."""
    found = {}
    for line in _read(".env.example").splitlines():
        match = ENV_LINE.match(line)
        if match:
            found[match.group(2)] = (match.group(3), match.group(1) is None)
    return found


def _readme_section(title: str) -> str:
    readme = _read("README.md")
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", readme, flags=re.M | re.S)
    assert match, f"README has no '## {title}' section"
    return match.group(1)


def _first_column(section: str) -> list[str]:
    """Back-quoted names in the first column of the Markdown tables of a section."""
    names = []
    for line in section.splitlines():
        if line.startswith("|") and not line.startswith("|---"):
            names += re.findall(r"`([^`]+)`", line.split("|")[1])
    return names


def _dockerfile() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in _read("Dockerfile").splitlines():
        if not current and (not line.strip() or line.lstrip().startswith("#")):
            continue
        current += line.rstrip().removesuffix("\\") + " "
        if not line.rstrip().endswith("\\"):
            keyword, _, arguments = current.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
            current = ""
    return instructions


def _interpolate(value: str, variables: dict[str, str]) -> str:
    def substitute(match: re.Match) -> str:
        name, operator, argument = match.groups()
        current = variables.get(name, "")
        if operator in (":?", "?") and not current:
            raise AssertionError(f"compose would stop: {argument}")
        if operator in (":-", "-") and not current:
            return argument
        return current

    return INTERPOLATION.sub(substitute, value.replace("$$", "$"))


# --- docker-compose.yml -------------------------------------------------------------------------------------


def test_compose_file_is_compose_spec_with_the_services_the_readme_promises():
    compose = _compose()
    assert "version" not in compose, "the Compose spec has no 'version:' key"
    services = set(compose["services"])
    assert PROMISED_SERVICES <= services
    # The README's table of services and the compose file name the same services.
    assert set(_first_column(_readme_section("Production"))) >= services


def test_app_services_run_production_settings_on_postgres_and_redis():
    services = _compose()["services"]
    for name in APP_SERVICES:
        service = services[name]
        assert service["env_file"] in (".env", [".env"]), name
        environment = service["environment"]
        assert environment["DJANGO_ENV"] == "production", name
        database_url = environment["DATABASE_URL"]
        assert re.fullmatch(r"postgres://clo:\$\{POSTGRES_PASSWORD[^}]*\}@db:5432/clo", database_url), name
        assert environment["REDIS_URL"] == "redis://redis:6379/0", name


def test_web_worker_and_beat_start_after_migrations_succeed():
    services = _compose()["services"]
    assert "migrate" in " ".join(services["migrate"]["command"])
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name


def test_services_run_the_documented_commands_and_ports():
    services = _compose()["services"]
    assert "command" not in services["web"], "web runs the image's CMD (gunicorn)"
    assert any(str(port).endswith(":8000:8000") for port in services["web"]["ports"])
    worker = " ".join(services["worker"]["command"])
    assert worker.startswith("celery -A clo worker") and "--concurrency=2" in worker
    beat = " ".join(services["beat"]["command"])
    assert beat.startswith("celery -A clo beat") and "--schedule /app/var/celerybeat-schedule" in beat
    assert any(volume.endswith(":/app/var") for volume in services["beat"]["volumes"]), "schedule not kept"
    for name in ("web", "worker"):
        assert "media:/app/media" in services[name]["volumes"], f"{name} does not share the generated files"


def test_database_and_redis_are_healthchecked_and_persistent():
    compose = _compose()
    db, redis = compose["services"]["db"], compose["services"]["redis"]
    assert db["image"].startswith("postgres:15")
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert redis["image"].startswith("redis:7")
    assert "redis-cli ping" in " ".join(redis["healthcheck"]["test"])
    assert "pgdata:/var/lib/postgresql/data" in db["volumes"]
    assert any(volume.endswith(":/data") for volume in redis["volumes"])
    used = {
        volume.split(":")[0]
        for service in compose["services"].values()
        for volume in service.get("volumes", [])
        if not volume.startswith((".", "/"))
    }
    assert used <= set(compose["volumes"]), "a named volume is used but not declared"


# --- .env.example -------------------------------------------------------------------------------------------


def test_every_compose_variable_is_set_in_env_example():
    example = _env_example()
    used = _compose_variables(_read("docker-compose.yml"))
    assert "POSTGRES_PASSWORD" in used
    missing = {name for name in used if not example.get(name, ("", False))[1]}
    assert not missing, f"used in docker-compose.yml but not set in .env.example: {sorted(missing)}"


def test_env_example_names_only_variables_something_reads():
    known = _settings_variables() | _compose_variables(_read("docker-compose.yml")) | _compose_variables(
        _read("Dockerfile")
    )
    unknown = set(_env_example()) - known
    assert not unknown, f".env.example names variables nothing reads: {sorted(unknown)}"


def _production_environment(overrides: dict[str, str]) -> dict[str, str]:
    """The environment of the web container: .env.example as the .env file, then compose's `environment:`."""
    settings_names = _settings_variables()
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in settings_names and key.removesuffix("_FILE") not in settings_names
        # set by the browser tests' conftest for Playwright's event loop; never set in a container
        and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    dotenv = {name: value for name, (value, active) in _env_example().items() if active}
    dotenv.update(overrides)
    environment.update(dotenv)
    for key, value in _compose()["services"]["web"]["environment"].items():
        environment[key] = _interpolate(str(value), dotenv)
    return environment


def _deploy_check(environment: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_env_example_once_its_secrets_are_filled_passes_the_deploy_checks():
    environment = _production_environment(
        {"DJANGO_SECRET_KEY": "k3y-" + "x7Qz" * 16, "POSTGRES_PASSWORD": "0123456789abcdef"}
    )
    assert environment["DATABASE_URL"] == "postgres://clo:0123456789abcdef@db:5432/clo"
    result = _deploy_check(environment)
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_as_shipped_cannot_start_in_production():
    """Its placeholders are not secrets anyone could deploy with: clo and compose both refuse."""
    with pytest.raises(AssertionError, match="POSTGRES_PASSWORD"):
        _production_environment({})
    result = _deploy_check(_production_environment({"POSTGRES_PASSWORD": "0123456789abcdef"}))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


# --- README -------------------------------------------------------------------------------------------------


def test_readme_documents_every_variable_settings_read():
    names = _settings_variables()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL", "DATABASE_POOL_MAX"} <= names, "regex is blind"
    documented = set(_first_column(_readme_section("Environment")))
    missing = names - documented
    assert not missing, f"README, 'Environment', does not document: {sorted(missing)}"


def test_readme_environment_table_lists_only_variables_settings_read():
    names = _settings_variables()
    stale = {name for name in _first_column(_readme_section("Environment")) if name not in names}
    assert not stale, f"README documents variables settings do not read: {sorted(stale)}"


def test_quick_start_is_exactly_make_run_and_make_test():
    section = _readme_section("Quick start")
    before_subsections = section.split("\n### ")[0]
    blocks = re.findall(r"^```[a-z]*\n(.*?)^```", before_subsections, flags=re.M | re.S)
    commands = [line.strip() for block in blocks for line in block.splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


def test_make_targets_named_in_the_readme_exist():
    makefile = _read("Makefile")
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", makefile, flags=re.M))
    assert {"run", "test"} <= targets
    named = set(re.findall(r"\bmake ([a-z][\w-]*)", _read("README.md")))
    assert {"run", "test", "check", "worker", "beat", "lock", "seed"} <= named
    assert named <= targets, f"README names make targets the Makefile lacks: {sorted(named - targets)}"


# --- Dockerfile and .dockerignore ---------------------------------------------------------------------------


def test_dockerfile_serves_clo_wsgi_with_gunicorn_as_a_non_root_user():
    instructions = _dockerfile()
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")
    command = [arguments for keyword, arguments in instructions if keyword == "CMD"][-1]
    assert "gunicorn clo.wsgi:application" in command and "--bind 0.0.0.0:8000" in command
    assert "${WEB_CONCURRENCY:-3}" in command
    assert ("EXPOSE", "8000") in instructions
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_dockerfile_installs_the_locked_runtime_dependencies_only():
    runs = " ".join(arguments for keyword, arguments in _dockerfile() if keyword == "RUN")
    assert "pip install -c requirements.lock ." in runs
    assert "[dev]" not in _read("Dockerfile")
    assert "collectstatic" in runs and "DJANGO_ENV=production" in runs and "compilemessages" in runs


def test_dockerfile_healthcheck_hits_an_anonymous_health_url():
    healthcheck = [arguments for keyword, arguments in _dockerfile() if keyword == "HEALTHCHECK"]
    assert len(healthcheck) == 1
    path = re.search(r"http://127\.0\.0\.1:8000(/[^'\"\s]*)", healthcheck[0]).group(1)
    match = resolve(path)
    assert match.url_name == "healthz"
    # Behind LoginRequiredMiddleware a protected URL would answer with the login page: a false "healthy".
    assert getattr(match.func, "login_required", True) is False


def test_dockerignore_keeps_secrets_and_local_state_out_but_not_the_sources():
    patterns = [
        line.strip().rstrip("/")
        for line in _read(".dockerignore").splitlines()
        if line.strip() and not line.startswith(("#", "!"))
    ]

    def ignored(name: str) -> bool:
        return any(fnmatch(name, pattern) for pattern in patterns)

    for name in (".env", ".git", ".venv", "var", "clo/__pycache__"):
        assert ignored(name), name
    for name in BUILD_INPUTS:
        assert not ignored(name), name
