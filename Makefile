# The two commands of the README: `make demo` and `make test`.
# Each sets up what it needs itself (scripts/bootstrap.sh).

VENV := .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-output

.PHONY: demo test setup lint typecheck contracts unit bench clean

setup:
	@bash scripts/bootstrap.sh

demo: setup
	@$(PY) -m kiosk demo --out $(DEMO_DIR)

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	$(PY) -m mypy

contracts: setup
	$(VENV)/bin/lint-imports

unit: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

test: lint typecheck contracts unit
	$(PY) -m kiosk recipe validate recipes/*.yaml
	$(PY) -m kiosk oq run oq/car-t-full-batch.yaml --db $$(mktemp -d)/oq.sqlite

bench: setup
	$(PY) benchmarks/run_all.py

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
