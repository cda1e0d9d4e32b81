# `make demo` and `make test` each work on a fresh clone with Python >= 3.10 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo site-check test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev,docs,dask]"
	touch $(STAMP)

# The site: a page per model and the gallery (examples/ run by sphinx-gallery), offline.
SPHINX := MPLBACKEND=Agg $(BIN)/python -m sphinx -b html -d docs/_build/doctrees docs docs/_build/html

demo: $(STAMP)
	$(SPHINX) -q
	@echo "Open docs/_build/html/index.html to read the site."

# What make test checks of the site: a fresh build (every page re-read and rewritten, every
# example re-run) with warnings as errors, then every local link and image of the built HTML.
site-check: $(STAMP)
	rm -rf docs/_build/html
	$(SPHINX) -q -E -W --keep-going -D sphinx_gallery_conf.run_stale_examples=1
	$(BIN)/python docs/check_links.py docs/_build/html

lint: $(STAMP)
	$(BIN)/ruff check gradscratch optim examples tests
	$(BIN)/ruff format --check gradscratch optim examples tests
	$(BIN)/lint-imports

test: lint site-check
	MPLBACKEND=Agg $(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python examples/benchmark.py

clean:
	rm -rf $(VENV) docs/_build docs/auto_examples .pytest_cache
