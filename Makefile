# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://helhedsplan:helhedsplan@127.0.0.1:5432/helhedsplan

.PHONY: run test lint typecheck gates test-sqlite test-postgres smoke system-deps messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11+ kræves"'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $@

messages: $(STAMP)
	@$(PY) scripts/compile_messages.py

## make run: install, migrate, load the Slagelse demo and serve it on http://127.0.0.1:8000
run: $(STAMP) messages
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_demo
	@echo "Åbn http://$(HOST):$(PORT)/ og log ind med en af demo-brugerne ovenfor."
	$(PY) manage.py runserver $(HOST):$(PORT)

system-deps:
	@bash scripts/system_deps.sh

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy helhedsplan tests scripts

gates: $(STAMP) messages
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run
	@# The README's production settings: any deployment warning (HSTS, HTTPS, cookies) fails.
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=helhedsplan.example.dk CSRF_TRUSTED_ORIGINS=https://helhedsplan.example.dk \
	  $(PY) manage.py check --deploy --fail-level WARNING

# In parallel: one process per core (CI has two), each with its own test database
# (pytest-django suffixes it _gw0, _gw1 ...) and its own live-server port.
PYTEST_WORKERS ?= 2
PYTEST := $(VENV)/bin/pytest -n $(PYTEST_WORKERS)

test-sqlite: $(STAMP) messages
	$(PYTEST)

test-postgres: $(STAMP) messages system-deps
	@bash scripts/postgres_test_db.sh
	DATABASE_URL=$(PG_URL) $(PYTEST)

## make smoke: the production shape on PostgreSQL (gunicorn, 2 workers, DEBUG=0, the task
## worker, collectstatic, WhiteNoise), every page as each of the six roles: no 5xx.
## Its own database, <PG_URL's name>_smoke, created and dropped (scripts/smoke.py).
smoke: $(STAMP) messages system-deps
	@bash scripts/postgres_test_db.sh
	$(PY) scripts/smoke.py --database-url $(PG_URL)

## make test: every gate, then the whole suite on SQLite and on PostgreSQL, then the smoke test
test: system-deps lint typecheck gates test-sqlite test-postgres smoke

## make bench: the national data set in a throwaway PostgreSQL database, every page's whole
## response against its raw-SQL floor, then 50 users against gunicorn (README, `make bench`).
## BENCH_ARGS passes options: make bench BENCH_ARGS="--plans 10 --no-load"
BENCH_ARGS ?=
bench: $(STAMP) messages system-deps
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles
