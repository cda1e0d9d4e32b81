# `make demo` and `make test` each work on a fresh clone with Python >= 3.10 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

demo: $(STAMP)
	MPLBACKEND=Agg $(BIN)/python examples/run_all.py --out gallery
	@echo "Open gallery/index.html to see the convergence gallery."

lint: $(STAMP)
	$(BIN)/ruff check gradscratch optim examples tests
	$(BIN)/ruff format --check gradscratch optim examples tests
	$(BIN)/lint-imports

test: lint
	MPLBACKEND=Agg $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python examples/benchmark.py

clean:
	rm -rf $(VENV) gallery .pytest_cache
