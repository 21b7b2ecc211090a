# WalkWell: the README's two commands are `make run` and `make test`.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
WALKWELL_HOME ?= $(HOME)/.walkwell
export WALKWELL_HOME
# make run PORT=8123 HOST=0.0.0.0. HOST is taken from the command line only:
# some shells export HOST as the machine's name.
PORT ?= 8000
ifneq ($(origin HOST),command line)
HOST := 127.0.0.1
endif

.PHONY: run test lint typecheck unit bench install install-dev clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# axe-core for the browser tests' accessibility checks (pinned in package-lock.json)
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

## run: set up under WALKWELL_HOME (SQLite) and start WalkWell with its import
## worker on http://HOST:PORT (default 127.0.0.1:8000)
run: install
	$(BIN)/walkwell setup
	$(BIN)/walkwell serve --host '$(HOST)' --port '$(PORT)'

## test: lint, type-check and run the whole suite (SQLite, and PostgreSQL when
## WALKWELL_TEST_POSTGRES_URL is set)
test: install-dev lint typecheck unit

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/bandit -ll -q -r src
	WALKWELL_HOME=$$(mktemp -d) $(BIN)/walkwell manage makemigrations --check --dry-run

typecheck: install-dev
	$(BIN)/mypy src tests benchmarks

# The suite runs on every core (pytest-xdist: each worker has its own test
# database); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
unit: install-dev node_modules/.installed
	WALKWELL_HOME=$$(mktemp -d) $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS)
	@if [ -n "$$WALKWELL_TEST_POSTGRES_URL" ]; then \
	  echo "== the suite again, on PostgreSQL =="; \
	  WALKWELL_HOME=$$(mktemp -d) DATABASE_URL="$$WALKWELL_TEST_POSTGRES_URL" \
	    TEST_DATABASE_NAME="walkwell_test_$$$$" \
	    $(BIN)/pytest -p no:cacheprovider -n $(TEST_WORKERS) -m "not e2e"; \
	fi

## bench: run the benchmarks and print their figures beside their references
bench: install-dev
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
