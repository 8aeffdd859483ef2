"""Fail when a module on the 100 %-coverage list is not fully covered (STYLE.md practice 14).

Reads the JSON report pytest-cov writes (`--cov-report=json:.coverage.json`).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MUST_BE_FULL = (
    "kiosk/identity.py",
    "kiosk/expressions.py",
    "kiosk/units.py",
    "kiosk/recipe.py",
    "local_store/",
)


def main(report: str = ".coverage.json") -> int:
    data = json.loads(Path(report).read_text(encoding="utf-8"))
    short: list[str] = []
    checked = 0
    for name, info in sorted(data["files"].items()):
        if not name.startswith(MUST_BE_FULL):
            continue
        checked += 1
        summary = info["summary"]
        missing = summary["missing_lines"] + summary.get("missing_branches", 0)
        if missing:
            lines = ",".join(str(n) for n in info["missing_lines"][:12])
            short.append(f"  {name}: {summary['percent_covered']:.1f} % (missing lines {lines})")
    total = data["totals"]["percent_covered"]
    if short:
        print("coverage: these modules must stay at 100 %:")
        print("\n".join(short))
        return 1
    print(f"coverage: {checked} modules on the 100 % list fully covered; overall {total:.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
