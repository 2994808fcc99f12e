# clo — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

# The clocks that break date arithmetic: New Year's Eve at 23:30 in Madrid (half an hour from a new local year, while
# UTC keeps the old one for an hour more), and the days the clocks change in Europe/Madrid (a 23-hour and a 25-hour day).
TEST_CLOCKS ?= 2026-12-31T23:30:00+01:00 2027-03-28T23:30:00+02:00 2027-10-31T00:30:00+02:00

.PHONY: run test test-clocks test-clocks-all install check migrate seed worker beat lock messages docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs exactly the pinned versions of requirements.lock (regenerate with `make lock`).
$(STAMP): $(BIN)/python pyproject.toml requirements.lock
	scripts/ensure-system-packages build
	$(BIN)/pip install --quiet -c requirements.lock -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --no-input

messages: install
	$(BIN)/python manage.py compilemessages --ignore=.venv

seed: migrate
	$(BIN)/python manage.py seed_demo --if-empty

run: migrate
	$(BIN)/python manage.py seed_demo --if-empty
	$(BIN)/python manage.py demo_accounts
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# The README's test command. The tests that stay in this process run once, each test file on one of four clocks: the
# wall clock and TEST_CLOCKS (the files dealt among them by CLO_TEST_SHARD, tests/conftest.py), so no test may depend
# on the hour or the date and the suite still costs one run. Then the browser and worker tests (Chromium, a live
# server, real Celery workers and servers) on the wall clock. Every run goes to the end and any failure fails; a run
# that PYTEST_ARGS leaves with nothing to select (a file of the other kind) is not one.
IN_PROCESS_CLOCKS := wall $(TEST_CLOCKS)

test: install
	scripts/ensure-browser
	scripts/ensure-system-packages test
	scripts/ensure-lrs
	$(BIN)/python manage.py makemigrations --check --dry-run
	@failed=0; n=$(words $(IN_PROCESS_CLOCKS)); k=0; for clock in $(IN_PROCESS_CLOCKS); do \
		now=$$clock; [ "$$clock" = wall ] && now=; \
		echo "==> in-process tests on $${now:-the wall clock}: test files $$((k + 1)) of every $$n"; \
		CLO_TEST_NOW=$$now CLO_TEST_SHARD=$$k/$$n $(BIN)/python -m pytest -m "not e2e and not worker" -q $(PYTEST_ARGS) \
			|| { rc=$$?; [ $$rc -eq 5 ] || failed=1; }; \
		k=$$((k + 1)); \
	done; \
	echo "==> browser and worker tests on the wall clock"; \
	$(BIN)/python -m pytest -m "e2e or worker" $(PYTEST_ARGS) || { rc=$$?; [ $$rc -eq 5 ] || failed=1; }; \
	exit $$failed

# The in-process suites once more, each test file on one of the adversarial clocks alone (TEST_CLOCKS, dealt in turn).
test-clocks: install
	scripts/ensure-lrs
	@failed=0; n=$(words $(TEST_CLOCKS)); k=0; for clock in $(TEST_CLOCKS); do \
		echo "==> clock $$clock, test files $$((k + 1)) of every $$n"; \
		CLO_TEST_NOW=$$clock CLO_TEST_SHARD=$$k/$$n $(BIN)/python -m pytest -m "not e2e and not worker" -q $(PYTEST_ARGS) \
			|| failed=1; \
		k=$$((k + 1)); \
	done; exit $$failed

# The same suites whole on each adversarial clock (three times the cost: before a release, or after date arithmetic
# changed).
test-clocks-all: install
	@set -e; for clock in $(TEST_CLOCKS); do \
		echo "==> clock $$clock"; \
		CLO_TEST_NOW=$$clock $(BIN)/python -m pytest -m "not e2e and not worker" -q $(PYTEST_ARGS); \
	done

# Lint (ruff), the layers of DESIGN.md (import-linter, [tool.importlinter]) and types (mypy, [tool.mypy]); any
# finding fails.
check: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_ENV=production DJANGO_SECRET_KEY=$$(printf 'x%.0s' {1..64})-check DJANGO_ALLOWED_HOSTS=clo.example \
		$(BIN)/python manage.py check --deploy --fail-level WARNING

worker: install
	$(BIN)/celery -A clo worker --loglevel=INFO

beat: install
	$(BIN)/celery -A clo beat --loglevel=INFO

lock: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	$(BIN)/pip freeze --exclude-editable | sort > requirements.lock

# The README's screenshots (docs/screenshots/, taken by the browser test of every role's first five minutes) and its
# sample documents (docs/samples/, made by docs_samples), from a demo council of their own (var/docs.sqlite3).
DOCS_ENV := env -u DATABASE_URL -u REDIS_URL SQLITE_PATH=var/docs.sqlite3
docs: install
	rm -f var/docs.sqlite3
	$(DOCS_ENV) $(BIN)/python manage.py migrate --no-input -v 0
	$(DOCS_ENV) $(BIN)/python manage.py seed_demo
	$(DOCS_ENV) $(BIN)/python manage.py docs_samples --out docs/samples
	scripts/ensure-browser
	CLO_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -p no:cacheprovider -q tests/e2e/test_first_five_minutes.py

clean:
	rm -rf $(VENV) var
