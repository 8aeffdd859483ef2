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

# Debian packages the kiosk and its tests use:
#   libzbar0        pyzbar's decoder (the second camera backend)
#   xvfb, xauth     a virtual screen for `make demo` screenshots without a display
#   Qt's runtime    libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 libdbus-1-3
#                   and the xcb libraries for a real window under Xvfb
#   postgresql      the central server's production database, started by the tests
#   poppler-utils   pdftoppm, to look at printed PDFs in tests
#   fonts-dejavu-core  a font with °, µ, ± for screens and PDFs
#   chromium       the QA portal tested in a real browser (Playwright drives it)
debs=()
"$PY" -c 'import venv, ensurepip' >/dev/null 2>&1 || debs+=(python3-venv)
want=(libzbar0 xvfb xauth libegl1 libgl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1
      libdbus-1-3 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-shape0
      libxcb-render-util0 libxcb-image0 libxcb-xinerama0 libxcb-randr0 postgresql poppler-utils
      fonts-dejavu-core chromium)
if command -v dpkg-query >/dev/null 2>&1; then
    for pkg in "${want[@]}"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || debs+=("$pkg")
    done
fi

if [ ${#debs[@]} -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ]; then
        echo "bootstrap: installing Debian packages: ${debs[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${debs[@]}" >/dev/null
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
    .venv/bin/python -c 'import kiosk, local_store, sqlalchemy, alembic, pydantic, yaml, argon2, zxingcpp, cv2, PySide6, playwright' || {
        echo "bootstrap: installing the Python packages failed (see above)." >&2
        exit 1
    }
    touch "$stamp"
fi
