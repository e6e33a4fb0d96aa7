# Two commands on a fresh Debian machine with Python 3.11: `make site`, `make test`.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
PORTAL  := $(BIN)/portal
RUNTIME := $(VENV)/.runtime-installed
TESTENV := $(VENV)/.test-installed
VNU     := $(VENV)/share/vnu-26.9.27.jar

.PHONY: site test check serve lint golden docs bench bench-10k faults fuzz clean

site: $(RUNTIME)            ## build the bundled example portal into site/
	$(PORTAL) build

check: $(RUNTIME)           ## validate content/ only
	$(PORTAL) check

serve: $(RUNTIME)           ## live preview on http://127.0.0.1:8000/
	$(PORTAL) serve

test: $(TESTENV) $(VNU)     ## the whole suite, as CI runs it
	scripts/setup-system.sh chromium
	scripts/setup-system.sh java
	$(BIN)/ruff check generator tests scripts bench
	$(BIN)/ruff format --check generator tests scripts bench
	$(BIN)/mypy
	$(BIN)/pytest

lint: $(TESTENV)
	$(BIN)/ruff check --fix generator tests scripts bench
	$(BIN)/ruff format generator tests scripts bench

bench: $(TESTENV)           ## scale (N = 100, 1,000), search cost, importer, history -> bench/results/
	scripts/setup-system.sh chromium
	$(BIN)/python -m bench.scale 100 1000
	$(BIN)/python -m bench.search_cost
	$(BIN)/python -m bench.importer
	$(BIN)/python -m bench.history 1000 10000

bench-10k: $(TESTENV)       ## scale and search cost at N = 10,000 (about 45 minutes, 16 GB)
	scripts/setup-system.sh chromium
	$(BIN)/python -m bench.scale 10000
	$(BIN)/python -m bench.search_cost --notices 1000 10000

golden: $(TESTENV)          ## regenerate golden files; review them as a diff
	$(BIN)/python -m tests.golden

docs: $(RUNTIME)            ## regenerate the notice-format reference from the schema
	$(PORTAL) schema --reference --lang zh > docs/notice-format.md
	$(PORTAL) schema --reference --lang en > docs/notice-format.en.md

$(VENV)/bin/python:
	scripts/setup-system.sh venv
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUNTIME): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	touch $@

$(TESTENV): pyproject.toml $(RUNTIME)
	$(BIN)/pip install -q -e '.[test]'
	touch $@

$(VNU): scripts/fetch-vnu.py | $(VENV)/bin/python
	$(BIN)/python scripts/fetch-vnu.py $@

fuzz: $(TESTENV)            ## the fuzz tests with 5,000 examples each instead of 200
	PORTAL_FUZZ_EXAMPLES=5000 $(BIN)/pytest -q tests/test_fuzz.py

faults: $(TESTENV)          ## the fault-injection tests with 200 kills instead of 20
	PORTAL_KILL_TRIALS=200 $(BIN)/pytest -q -s tests/test_faults.py

clean:
	rm -rf $(VENV) site .portal
