# linkage — two commands: `make demo` (environment + flagship report), `make test` (test suite).
# The environment lives in .venv and is (re)built whenever pyproject.toml changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test env lab lint sample clean-env

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "linkage needs Python >= 3.11 (set PYTHON=python3.11)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

env: $(STAMP)          ## build the environment only

demo: $(STAMP)         ## full report (HTML + Word) of a sample county + a 3-region batch (index, summary, metrics); prints where
	$(BIN)/linkage demo

test: $(STAMP)         ## run the whole test suite, on up to 4 cores (pytest-xdist)
	$(BIN)/python -m pytest -n auto --maxprocesses 4 --dist loadscope

lab: $(STAMP)          ## JupyterLab on notebooks/ (teaching notebooks first), kernel "linkage" registered, offline
	$(BIN)/linkage lab

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

sample: $(STAMP)       ## regenerate the bundled sample data
	$(BIN)/linkage sample --out data/raw/sample --force

clean-env:
	rm -rf $(VENV)
