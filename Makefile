# Sightline: `make run` starts the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test setup system-packages test-system-packages assets venv demo-data clean help

help:
	@echo "make run   - install what is missing, migrate, load demo content and accounts, serve on http://$(HOST):$(PORT)"
	@echo "make test  - the whole test suite: SQLite and PostgreSQL, plus browser tests in Chromium"

run: system-packages setup demo-data
	@echo "Sightline is starting on http://$(HOST):$(PORT)  (Ctrl+C stops it)"
	$(FLASK) run --host $(HOST) --port $(PORT)

demo-data:
	$(FLASK) db upgrade
	$(FLASK) content import
	$(FLASK) demo

test: test-system-packages setup
	@set -euo pipefail; \
	  export SIGHTLINE_TEST_POSTGRES_URL="$$(scripts/ensure-postgres.sh)"; \
	  $(BIN)/python -m pytest $(PYTEST_ARGS)

setup: venv assets

system-packages:
	scripts/install-system-packages.sh run

test-system-packages:
	scripts/install-system-packages.sh test

venv: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

assets: static/dist/.built

static/dist/.built: package.json package-lock.json scripts/build-assets.mjs $(wildcard static/scss/*.scss)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

clean:
	rm -rf $(VENV) node_modules static/dist
