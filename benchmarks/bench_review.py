"""Review by exception, measured: what QA must judge in the reference batch against everything
the batch recorded.

Runs the reference OQ batch (``oq/car-t-full-batch.yaml``, receipt to release, through the real
engine) and counts, from its record:

- **review items**: what ``kiosk.review`` lists (required: QA dispositions each; information:
  the CPP/CQA values, shown for reading);
- **recorded values**: every value in the record (``step.recorded``, ``result.recorded``,
  ``step.corrected``);
- **signatures**: every e-signature in the record (``signature.applied`` and each signature
  carried by acknowledgements, dispositions, overrides, state changes and the release).

Usage: ``PYTHONPATH=. .venv/bin/python benchmarks/bench_review.py [--script oq/X.yaml]``
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from pathlib import Path
from typing import Any

from kiosk import ebr, review
from kiosk.oq import run_script
from local_store import EventStore

ROOT = Path(__file__).resolve().parents[1]
VALUE_TYPES = ("step.recorded", "result.recorded", "step.corrected")


def signatures_in(payload: Any) -> int:
    """Signature payloads (a dict with user, name, meaning and signed) anywhere in ``payload``."""
    if isinstance(payload, dict):
        own = 1 if {"user", "name", "meaning", "signed"} <= payload.keys() else 0
        return own + sum(signatures_in(v) for v in payload.values())
    if isinstance(payload, list):
        return sum(signatures_in(v) for v in payload)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--script", default=str(ROOT / "oq" / "car-t-full-batch.yaml"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-review-") as tmp:
        db = Path(tmp) / "station.sqlite"
        out = io.StringIO()
        if not run_script(Path(args.script), db, out, fast_hash=True):
            print(out.getvalue(), file=sys.stderr)
            return 1
        with EventStore(db, "BENCH", create=False) as store:
            (summary,) = store.batches()
            record = ebr.load_record(store, summary.batch, ROOT / "recipes")
        events = record.events
        found = record.review_items()
        counts = review.summary(found)
        values = sum(1 for e in events if e.type in VALUE_TYPES)
        signatures = sum(signatures_in(e.payload) for e in events if e.batch is not None)
    print(f"batch {summary.batch} ({Path(args.script).name}): {len(events)} events")
    print(f"recorded values: {values}")
    print(f"signatures: {signatures}")
    print(f"review items QA must disposition: {counts['required']}")
    print(f"review items for information (CPP/CQA values): {counts['information']}")
    judged = counts["required"]
    print(
        f"QA judges {judged} of {values + signatures} values and signatures "
        f"({100 * judged / max(1, values + signatures):.1f} %)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
