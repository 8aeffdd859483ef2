#!/usr/bin/env bash
# Sets up what `make demo` and `make test` need on a fresh Debian machine:
# the Debian packages (installed when run as root, named when not) and a
# virtual environment in .venv with the project and its dev tools.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
"$PY" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' || {
    echo "bootstrap: Python 3.11 or newer is needed (found $("$PY" --version 2>&1))." >&2
    exit 1
}

# Debian packages the kiosk and its tests use. Each is checked by a file it
# installs, so a machine that has them (or equivalents) is left alone.
debs=()
"$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 || debs+=(python3-venv)
# Further packages (libzbar0, xvfb, postgresql) are added here by the issues that need them.
for pkg_file in ${KIOSK_EXTRA_DEBS:-}; do debs+=("$pkg_file"); done

if [ ${#debs[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "bootstrap: installing Debian packages: ${debs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq "${debs[@]}" >/dev/null
    else
        echo "bootstrap: missing Debian packages: ${debs[*]}" >&2
        echo "bootstrap: run 'sudo apt-get install ${debs[*]}' and try again." >&2
        exit 1
    fi
fi

stamp=.venv/.installed
if [ ! -x .venv/bin/python ]; then
    "$PY" -m venv .venv
fi
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev]' 2>&1 | grep -v '^WARNING: Location' || true
    .venv/bin/python -c 'import kiosk, local_store, sqlalchemy, alembic, pydantic, yaml, argon2' || {
        echo "bootstrap: installing the Python packages failed (see above)." >&2
        exit 1
    }
    touch "$stamp"
fi
