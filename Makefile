# ttsync: `make demo` tries it, `make test` checks it. Needs Python >= 3.11 and make.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: test lint typecheck pytest demo bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check --no-cache daemon simulators tests bench
	$(BIN)/ruff format --no-cache --check daemon simulators tests bench

typecheck: $(STAMP)
	$(BIN)/mypy --strict daemon simulators

pytest: $(STAMP)
	$(BIN)/pytest -q -n 2 --dist loadgroup

demo: $(STAMP)
	$(BIN)/python -m daemon demo

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis
