#!/usr/bin/env bash
# `make audit`: known vulnerabilities in the hash-locked dependency sets (packaging/lock/),
# checked with pip-audit against PyPI's advisory data. Offline tolerant: when pip-audit cannot
# be installed or the advisory service cannot be reached, it prints a notice and exits 0.
# A reachable service that reports a vulnerability fails the target (exit 1).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python

if ! "$PY" -m pip_audit --version >/dev/null 2>&1; then
    "$PY" -m pip install -q "pip-audit>=2.7" 2>&1 | grep -v '^WARNING: Location' >/dev/null
    if ! "$PY" -m pip_audit --version >/dev/null 2>&1; then
        echo "audit: SKIPPED — pip-audit could not be installed (no package index reachable?)"
        exit 0
    fi
fi
if ! "$PY" - <<'PROBE'
import sys
import urllib.request

try:
    urllib.request.urlopen("https://pypi.org/pypi/pip/json", timeout=10).close()
except Exception as exc:  # any failure to reach the service means: no verdict, not a pass
    print(f"audit: SKIPPED — the advisory database (pypi.org) cannot be reached: {exc}")
    sys.exit(1)
PROBE
then
    exit 0
fi
status=0
for lock in packaging/lock/station.txt packaging/lock/central.txt; do
    report=$("$PY" -m pip_audit --require-hashes --disable-pip --progress-spinner off -r "$lock" 2>&1)
    code=$?
    pinned=$(grep -c '^[A-Za-z0-9]' "$lock")
    skipped=$(grep -c 'could not be audited' <<<"$report")
    if [ "$code" -ne 0 ]; then
        echo "$report"
        echo "audit: $lock: KNOWN VULNERABILITIES (above)"
        status=1
    elif [ "$skipped" -gt 0 ]; then
        echo "audit: $lock: NOT CHECKED for $skipped of $pinned packages (the advisory service did"
        echo "       not know their versions: offline mirror or a version newer than its data)"
    else
        echo "audit: $lock: no known vulnerabilities in $pinned packages"
    fi
done
exit $status
