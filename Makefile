# reader: the two commands that set everything up on a fresh machine.
#   make run   - install into .venv, bring the index of config.toml's corpus up to date, open the app
#   make test  - install with dev extras, run ruff, mypy and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test check lint typecheck bench bench-postgres fuzz faults screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev,postgresql]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/reader index
	$(BIN)/reader

lint: $(DEVSTAMP)
	$(BIN)/ruff check reader tests
	$(BIN)/ruff format --check reader tests

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

# The tests run in one process per core (pytest-xdist); `.venv/bin/pytest -q tests/test_x.py` runs
# some of them in this process.
test: lint typecheck
	$(BIN)/pytest -q -n auto

check: test

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m tests.bench $(BENCH_ARGS)

# Both backends on one synthetic corpus, a throwaway PostgreSQL cluster, 1/4/16 searchers.
bench-postgres: $(DEVSTAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m tests.bench.postgres $(BENCH_ARGS)

fuzz: $(DEVSTAMP)
	READER_FUZZ_EXAMPLES=10000 $(BIN)/pytest -q tests -k fuzz

# Kill rebuilds and note saves, damage index files, fill a small disk; check recovery each time.
# FAULT_RUNS (default 10) bounds it; FAULT_SEED repeats a sequence. The disk-full runs need root.
faults: $(DEVSTAMP)
	$(BIN)/python -m tests.faults

# The app in real terminals (xterm, mlterm) under Xvfb, a PNG of each main screen, to look at
# by eye. Installs Xvfb, xterm, mlterm, xdotool and x11-apps with apt-get if they are missing.
# Prints the folder (a new one under /tmp unless SCREENS_ARGS="--out DIR"). Not in `make test`.
screenshots: $(STAMP)
	$(BIN)/python -m tests.screens $(SCREENS_ARGS)

clean:
	rm -rf $(VENV) .reader .pytest_cache .mypy_cache .ruff_cache
