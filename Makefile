# Sightline: `make run` starts the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000
# One test worker per core (pytest-xdist); each test file runs whole on one worker.
PYTEST_WORKERS ?= auto

.PHONY: run test setup system-packages test-system-packages assets venv demo-data clean help lock audit

help:
	@echo "make run   - install what is missing, migrate, load demo content and accounts, serve on http://$(HOST):$(PORT)"
	@echo "make test  - the whole test suite: SQLite and PostgreSQL, plus browser tests in Chromium"
	@echo "make lock  - re-resolve requirements.lock from pyproject.toml after changing a dependency"
	@echo "make audit - check every locked version against the PyPI/OSV vulnerability database (needs network)"

run: system-packages setup demo-data
	@echo "Sightline is starting on http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

demo-data:
	$(FLASK) db upgrade
	$(FLASK) content import --keep-browser-edits
	$(FLASK) demo

test: test-system-packages setup
	@set -euo pipefail; \
	  export SIGHTLINE_TEST_POSTGRES_URL="$$(scripts/ensure-postgres.sh)"; \
	  $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

setup: venv assets

system-packages:
	scripts/install-system-packages.sh run

test-system-packages:
	scripts/install-system-packages.sh test

venv: $(VENV)/.installed

# Installs exactly the versions in requirements.lock (resolved from pyproject.toml's ranges by
# `make lock`), so every machine and CI run tests the same set, and `pip-audit -r` can audit it.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

lock: venv
	$(BIN)/python -m pip install --quiet 'uv>=0.13,<0.14'
	$(BIN)/uv pip compile pyproject.toml --extra test --python-version 3.11 --quiet -o requirements.lock

audit: venv
	$(BIN)/python -m pip install --quiet 'pip-audit>=2.10,<3'
	$(BIN)/pip-audit --strict -r requirements.lock

assets: static/dist/.built

static/dist/.built: package.json package-lock.json scripts/build-assets.mjs $(wildcard static/scss/*.scss) $(wildcard static/js/src/*.js)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

clean:
	rm -rf $(VENV) node_modules static/dist
