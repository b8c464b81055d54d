# areasend: `make run` serves the demo on http://127.0.0.1:8000; `make test` runs every check.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.8
UV := $(VENV)/bin/uv
AREASEND := $(VENV)/bin/areasend
HOST ?= 127.0.0.1:8000
STATIC_BUILD := src/areasend/static_build/govuk/application.css

.PHONY: help deps install run test lint types pytest bench frontend chromium clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

DEPS := $(VENV)/.synced
$(DEPS): $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --inexact --compile-bytecode --quiet
	@touch $(DEPS)

deps: $(DEPS) ## Create .venv and install the locked Python dependencies

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

$(STATIC_BUILD): node_modules/.package-lock.json frontend/build.mjs frontend/application.scss frontend/application.mjs
	npm run --silent build

frontend: $(STATIC_BUILD) ## Build GOV.UK Frontend into the ignored static folder

install: deps frontend ## Everything `make run` does before serving: dependencies, front end, database, demo data
	$(AREASEND) migrate --noinput -v 0
	$(AREASEND) collectstatic --noinput -v 0
	$(AREASEND) demo

run: install ## Install, load the demo and serve on http://127.0.0.1:8000 with a background worker
	@echo "Serving on http://$(HOST)/ with a background-jobs worker (Ctrl+C stops both)"
	@$(AREASEND) worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(AREASEND) runserver $(HOST) --noreload

chromium: ## Install Debian's Chromium for the browser tests when it is missing
	@command -v /usr/bin/chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

lint: deps ## ruff (lint and format)
	$(UV) run --frozen ruff check src conftest.py $(wildcard bench)
	$(UV) run --frozen ruff format --check src conftest.py $(wildcard bench)

types: deps ## mypy (strict on domain/)
	$(UV) run --frozen mypy src

pytest: deps frontend chromium ## All tests on SQLite, then on PostgreSQL when DATABASE_URL names one
	env -u DATABASE_URL $(UV) run --frozen pytest -q
	@# The concurrency tests (marked postgres) are skipped on SQLite and run here.
	@if [[ "$${DATABASE_URL:-}" == postgres* ]]; then \
	  echo "Running the suite again on PostgreSQL ($${DATABASE_URL%%@*}@...), with the concurrency tests"; \
	  $(UV) run --frozen pytest -q -m "not browser"; \
	fi

test: lint types pytest ## Install what tests need, then lint, types and all tests

bench: deps ## Run every benchmark and record the results in docs/benchmarks.md
	$(UV) run --frozen python bench/run_all.py

clean: ## Remove the virtualenv, node_modules, built static files and the demo database
	rm -rf $(VENV) node_modules src/areasend/static_build areasend.sqlite3
