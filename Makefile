# reader: the two commands that set everything up on a fresh machine.
#   make run   - install into .venv, bring the index of config.toml's corpus up to date, open the app
#   make test  - install with dev extras, run ruff, mypy and pytest
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEVSTAMP := $(VENV)/.installed-dev

.PHONY: run test check lint typecheck bench fuzz clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(DEVSTAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP) $@

run: $(STAMP)
	$(BIN)/reader index
	$(BIN)/reader

lint: $(DEVSTAMP)
	$(BIN)/ruff check reader tests
	$(BIN)/ruff format --check reader tests

typecheck: $(DEVSTAMP)
	$(BIN)/mypy

test: lint typecheck
	$(BIN)/pytest -q

check: test

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python -m reader.bench $(BENCH_ARGS)

fuzz: $(DEVSTAMP)
	READER_FUZZ_EXAMPLES=10000 $(BIN)/pytest -q tests -k fuzz

clean:
	rm -rf $(VENV) .reader .pytest_cache .mypy_cache .ruff_cache
