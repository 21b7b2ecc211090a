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

.PHONY: run test lint typecheck unit bench install install-dev lock clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Every package is installed from a lock with its hashes (requirements/*.txt: Python
# 3.11 on Linux x86_64), then WalkWell itself without resolving anything more.
LOCK := requirements/main.txt
DEV_LOCK := requirements/dev.txt

$(VENV)/.installed: pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(LOCK) $(DEV_LOCK) | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r $(DEV_LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## lock: refresh requirements/main.txt and requirements/dev.txt from pyproject.toml
## (the newest versions its ranges allow, each with its hashes), with uv
UV ?= $(or $(shell command -v uv 2>/dev/null),$(BIN)/uv)
LOCK_FLAGS := --generate-hashes --upgrade --quiet --python-version 3.11 \
  --python-platform x86_64-unknown-linux-gnu --custom-compile-command 'make lock'
lock: | $(BIN)/python
	@command -v $(UV) >/dev/null || $(BIN)/pip install --quiet uv
	$(UV) pip compile $(LOCK_FLAGS) --extra redis pyproject.toml -o $(LOCK)
	$(UV) pip compile $(LOCK_FLAGS) --extra redis --extra dev -c $(LOCK) \
	  pyproject.toml -o $(DEV_LOCK)

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
