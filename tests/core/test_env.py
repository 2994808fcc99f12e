"""Typed environment helpers: good values parse, a bad one stops start-up with the variable's name."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from clo.core.env import database_from_url, env_bool, env_choice, env_int, env_list, env_str, redis_url

VAR = "CLO_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    for name in (VAR, f"{VAR}_FILE", "DATABASE_POOL_MAX"):
        monkeypatch.delenv(name, raising=False)


def refused(call) -> str:
    with pytest.raises(ImproperlyConfigured) as caught:
        call()
    message = str(caught.value)
    assert message.startswith(VAR), message
    return message


# --- env_bool --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["1", "true", "True", "YES", "on", " true "])
def test_env_bool_true(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, default=False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "OFF", ""])
def test_env_bool_false(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert env_bool(VAR, default=True) is False


def test_env_bool_unset_gives_the_default():
    assert env_bool(VAR, default=True) is True
    assert env_bool(VAR, default=False) is False


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "tru"])
def test_env_bool_malformed_names_the_variable_and_value(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    message = refused(lambda: env_bool(VAR))
    assert repr(raw) in message and "boolean" in message


# --- env_int ---------------------------------------------------------------------------------------------------


def test_env_int_parses_and_strips(monkeypatch):
    monkeypatch.setenv(VAR, " 42 ")
    assert env_int(VAR, 7) == 42


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_env_int_unset_or_blank_gives_the_default(monkeypatch, raw):
    if raw is not None:
        monkeypatch.setenv(VAR, raw)
    assert env_int(VAR, 7) == 7


@pytest.mark.parametrize("raw", ["abc", "4.5", "10s", "1e3"])
def test_env_int_malformed_names_the_variable(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    message = refused(lambda: env_int(VAR, 7))
    assert "integer" in message and repr(raw) in message


def test_env_int_below_the_minimum_is_refused(monkeypatch):
    monkeypatch.setenv(VAR, "0")
    assert "at least 1" in refused(lambda: env_int(VAR, 7, minimum=1))
    monkeypatch.setenv(VAR, "1")
    assert env_int(VAR, 7, minimum=1) == 1


# --- env_list, env_choice, env_str -----------------------------------------------------------------------------


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv(VAR, " clo.example, www.clo.example ,, ")
    assert env_list(VAR) == ["clo.example", "www.clo.example"]


def test_env_list_empty_value_is_an_empty_list_not_the_default(monkeypatch):
    monkeypatch.setenv(VAR, "")
    assert env_list(VAR, ["localhost"]) == []


def test_env_list_unset_gives_a_copy_of_the_default():
    default = ["localhost"]
    value = env_list(VAR, default)
    value.append("evil.example")
    assert default == ["localhost"]
    assert env_list(VAR) == []


def test_env_choice_is_case_insensitive(monkeypatch):
    monkeypatch.setenv(VAR, " Production ")
    assert env_choice(VAR, ("development", "production"), "development") == "production"


def test_env_choice_unset_gives_the_default():
    assert env_choice(VAR, ("development", "production"), "development") == "development"


def test_env_choice_unknown_value_lists_the_choices(monkeypatch):
    monkeypatch.setenv(VAR, "staging")
    message = refused(lambda: env_choice(VAR, ("development", "production"), "development"))
    assert "development, production" in message and "'staging'" in message


def test_env_str_default_and_value(monkeypatch):
    assert env_str(VAR, "fallback") == "fallback"
    monkeypatch.setenv(VAR, "value")
    assert env_str(VAR, "fallback") == "value"


# --- secrets from *_FILE ---------------------------------------------------------------------------------------


def test_a_secret_comes_from_the_file_named_by_var_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("  s3cr3t-from-docker-secrets\n", encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret))
    assert env_str(VAR) == "s3cr3t-from-docker-secrets"


def test_typed_helpers_read_files_too(monkeypatch, tmp_path):
    number = tmp_path / "n"
    number.write_text("25\n", encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(number))
    assert env_int(VAR, 1) == 25


def test_the_variable_wins_over_its_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("from-file", encoding="utf-8")
    monkeypatch.setenv(f"{VAR}_FILE", str(secret))
    monkeypatch.setenv(VAR, "from-env")
    assert env_str(VAR) == "from-env"


def test_an_unreadable_secret_file_names_the_file_variable(monkeypatch, tmp_path):
    missing = tmp_path / "nope"
    monkeypatch.setenv(f"{VAR}_FILE", str(missing))
    with pytest.raises(ImproperlyConfigured) as caught:
        env_str(VAR)
    assert str(caught.value).startswith(f"{VAR}_FILE: cannot read")
    assert str(missing) in str(caught.value)


# --- database_from_url -----------------------------------------------------------------------------------------


def test_database_url_becomes_a_postgresql_entry(monkeypatch):
    monkeypatch.setenv(VAR, "postgres://clo:p%40ss%2Fw@db.internal:6543/clo_prod?sslmode=require")
    db = database_from_url(VAR, pool=False)
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["NAME"], db["USER"], db["PASSWORD"]) == ("clo_prod", "clo", "p@ss/w")
    assert (db["HOST"], db["PORT"]) == ("db.internal", "6543")
    assert db["OPTIONS"] == {"sslmode": "require"}
    assert db["TEST"] == {"NAME": "test_clo_prod"}
    assert db["CONN_HEALTH_CHECKS"] is True  # a connection the server dropped is replaced before use


def test_database_url_with_pool_sizes_it_from_the_environment(monkeypatch):
    monkeypatch.setenv(VAR, "postgresql://postgres@127.0.0.1/clo")
    monkeypatch.setenv("DATABASE_POOL_MAX", "25")
    db = database_from_url(VAR, pool=True)
    assert db["OPTIONS"]["pool"]["max_size"] == 25
    assert (db["PORT"], db["PASSWORD"]) == ("", "")


def test_database_url_unset_means_the_embedded_sqlite():
    assert database_from_url(VAR, pool=True) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("mysql://root@localhost/clo", "only postgres:// URLs"),
        ("sqlite:///var/clo.sqlite3", "only postgres:// URLs"),
        ("postgres://postgres@localhost:notaport/clo", "malformed URL"),
        ("postgres://postgres@localhost:99999/clo", "malformed URL"),
        ("postgres://postgres@localhost:5432/", "names no database"),
        ("postgres://postgres@localhost", "names no database"),
    ],
)
def test_database_url_malformed_names_the_variable(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert expected in refused(lambda: database_from_url(VAR, pool=False))


# --- redis_url -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw", ["redis://127.0.0.1:6379/0", "rediss://:secret@cache.internal:6380/1", "unix:///run/redis/redis.sock"]
)
def test_redis_url_accepts_redis_urls(monkeypatch, raw):
    monkeypatch.setenv(VAR, raw)
    assert redis_url(VAR) == raw


def test_redis_url_unset_or_empty_means_no_broker(monkeypatch):
    assert redis_url(VAR) is None
    monkeypatch.setenv(VAR, "")
    assert redis_url(VAR) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("http://127.0.0.1:6379/0", "expected redis://"),
        ("127.0.0.1:6379", "expected redis://"),
        ("redis://", "expected redis://"),
        ("redis://127.0.0.1:port/0", "malformed URL"),
        ("redis://127.0.0.1:70000/0", "malformed URL"),
    ],
)
def test_redis_url_malformed_names_the_variable(monkeypatch, raw, expected):
    monkeypatch.setenv(VAR, raw)
    assert expected in refused(lambda: redis_url(VAR))
