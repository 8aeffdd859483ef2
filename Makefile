# The two commands of the README: `make demo` and `make test`.
# Each sets up what it needs itself (scripts/bootstrap.sh).

VENV := .venv
PY := $(VENV)/bin/python
DEMO_DIR ?= demo-output

.PHONY: demo test setup lint typecheck contracts recipes unit oq wheel package bench clean translations audit lock

setup:
	@bash scripts/bootstrap.sh

# With a display: the kiosk in a window with simulated devices and demo users.
# Without one: the same kiosk driven through a scripted batch under Xvfb, a PNG of
# every screen and dialog at 1280x800 and 1920x1080, then the reference CAR-T batch
# run headless through the engine, with where its record is.
demo: setup
	@mkdir -p $(DEMO_DIR)
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
		$(PY) -m kiosk gui --demo --windowed --db $(DEMO_DIR)/kiosk.sqlite; \
	else \
		echo "No display: driving the kiosk under Xvfb and saving screenshots..."; \
		rm -rf $(DEMO_DIR)/screenshots $(DEMO_DIR)/kiosk.sqlite*; \
		xvfb-run -a -s "-screen 0 1920x1080x24" \
			$(PY) -m kiosk gui --demo --db $(DEMO_DIR)/kiosk.sqlite \
			--screenshots $(DEMO_DIR)/screenshots && \
		$(PY) -m kiosk demo --out $(DEMO_DIR) && \
		echo "Screenshots of every screen and dialog: $(DEMO_DIR)/screenshots/1280x800 and $(DEMO_DIR)/screenshots/1920x1080"; \
	fi

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck: setup
	$(PY) -m mypy

contracts: setup
	$(VENV)/bin/lint-imports

# On every core (pytest-xdist; TEST_WORKERS=0 runs in one process). Each worker starts its own
# servers on free ports in its own temporary folders.
TEST_WORKERS ?= auto
unit: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal --cov=kiosk --cov=local_store --cov-branch \
		--cov-report=json:.coverage.json --cov-report=
	$(PY) scripts/check_coverage.py .coverage.json

test: lint typecheck contracts recipes unit oq wheel audit

# Known vulnerabilities in the locked station and server dependencies (pip-audit, PyPA's
# advisory database). Without a network the database cannot be reached: a notice, not a failure.
audit: setup
	@bash scripts/audit.sh

# The hash-locked dependency sets the PyInstaller build (station) and the server install use.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --generate-hashes --no-annotate \
	--python-version 3.11 --python-platform x86_64-manylinux_2_36 --custom-compile-command "make lock"
lock: setup
	$(PY) -m pip install -q "uv>=0.4" 2>&1 | grep -v '^WARNING: Location' || true
	$(LOCK) -o packaging/lock/station.txt
	$(LOCK) --extra central -o packaging/lock/central.txt

# The built wheel, installed in a fresh venv, runs the reference batch outside the checkout.
wheel: setup
	@bash scripts/wheel_smoke.sh

recipes: setup
	$(PY) -m kiosk recipe validate recipes/*.yaml

# Scripts that list `stations:` run across them against a real central server (SQLite here;
# the integration tests run them on PostgreSQL).
oq: setup
	@set -e; tmp=$$(mktemp -d); for script in oq/*.yaml; do \
		name=$$(basename $$script .yaml); \
		if grep -q '^stations:' $$script; then \
			$(PY) -m kiosk oq run $$script --central-db $$tmp/$$name-central.sqlite \
				--db-dir $$tmp/$$name-stations; \
		else $(PY) -m kiosk oq run $$script --db $$tmp/$$name.sqlite; fi; done; \
		rm -rf $$tmp

# A PyInstaller one-folder build of the station in dist/kiosk/, checked by running it.
# Built from packaging/lock/station.txt only (pip --require-hashes), in its own venv.
PKG_VENV := build/package-venv
package: setup
	rm -rf $(PKG_VENV) && $(PY) -m venv $(PKG_VENV)
	$(PKG_VENV)/bin/python -m pip install -q --require-hashes -r packaging/lock/station.txt
	$(PKG_VENV)/bin/python -m pip install -q --no-deps .
	$(PKG_VENV)/bin/python -m pip install -q "pyinstaller>=6.3" 2>&1 | grep -v '^WARNING: Location' || true
	$(PKG_VENV)/bin/python -m PyInstaller --noconfirm --clean --distpath dist \
		--workpath build/pyinstaller packaging/pyinstaller/kiosk.spec
	dist/kiosk/kiosk --version
	dist/kiosk/kiosk oq run oq/car-t-full-batch.yaml --db $$(mktemp -d)/package-smoke.sqlite

bench: setup
	@for script in benchmarks/bench_*.py benchmarks/decode/bench_decode.py; do \
		echo "== $$script"; $(PY) $$script; done

clean:
	rm -rf $(VENV) $(DEMO_DIR) build dist *.egg-info .mypy_cache .ruff_cache .pytest_cache

# the screens' German texts: update the catalogue from the code, then build the .qm
translations:
	$(VENV)/bin/pyside6-lupdate kiosk/screens/*.py -ts kiosk/screens/translations/kiosk_de.ts -no-obsolete
	$(VENV)/bin/pyside6-lrelease kiosk/screens/translations/kiosk_de.ts -qm kiosk/screens/translations/kiosk_de.qm
