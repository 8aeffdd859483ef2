#!/usr/bin/env bash
# Builds the wheel, installs it into a fresh virtual environment, and runs the
# headless smoke from that install, outside the checkout: a file missing from
# the package (a migration, a recipe, a validation script, a font) fails here.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
.venv/bin/python -m pip wheel -q --no-deps -w "$tmp/dist" . >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
"$PY" -m venv "$tmp/venv"
"$tmp/venv/bin/python" -m pip install -q --disable-pip-version-check "$tmp"/dist/*.whl 2>&1 \
    | grep -v '^WARNING: Location' || true
share="$tmp/venv/share/cleanroom-kiosk"
cd "$tmp"
"$tmp/venv/bin/kiosk" --version
"$tmp/venv/bin/kiosk" recipe validate "$share"/recipes/*.yaml
"$tmp/venv/bin/kiosk" oq run "$share/oq/car-t-full-batch.yaml" --db "$tmp/smoke.sqlite" | tail -3
"$tmp/venv/bin/kiosk" audit verify --db "$tmp/smoke.sqlite"
"$tmp/venv/bin/kiosk" ebr export --db "$tmp/smoke.sqlite" --batch B-OQ-0001 -o "$tmp/record.pdf"
echo "wheel smoke: ok"
