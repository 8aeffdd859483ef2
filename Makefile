# The two commands of the README: `make demo` and `make test`.
# Each sets up what it needs itself (scripts/bootstrap.sh).

VENV := .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-output

.PHONY: demo test setup lint typecheck contracts recipes unit oq bench clean

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
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest --cov=kiosk --cov=local_store --cov-branch \
		--cov-report=json:.coverage.json --cov-report=
	$(PY) scripts/check_coverage.py .coverage.json

test: lint typecheck contracts recipes unit oq

recipes: setup
	$(PY) -m kiosk recipe validate recipes/*.yaml

oq: setup
	@set -e; tmp=$$(mktemp -d); for script in oq/*.yaml; do \
		$(PY) -m kiosk oq run $$script --db $$tmp/$$(basename $$script .yaml).sqlite; done; \
		rm -rf $$tmp

bench: setup
	@for script in benchmarks/bench_*.py; do echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache
