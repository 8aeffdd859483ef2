"""``central genealogy``: the recall (``--lot``) and what went into a batch (``--batch``)."""

import argparse
import json
from typing import Any, TextIO

from central.genealogy import batch_genealogy, batches_using_lot
from central.store import CentralStore

EXIT_OK, EXIT_FAIL = 0, 1

HEADINGS = {
    "patient": "patient (pseudonym)",
    "order": "order",
    "din": "DIN",
    "lot": "lots",
    "device": "devices",
    "person": "people",
    "station": "stations",
}


def cmd_genealogy(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    with store.read() as conn:
        if args.lot is not None:
            rows: Any = batches_using_lot(conn, args.lot)
            found = bool(rows)
        else:
            rows = batch_genealogy(conn, args.batch)
            found = any(rows.values())
    if not found:
        what = f"lot {args.lot}" if args.lot is not None else f"batch {args.batch}"
        print(f"genealogy: nothing recorded for {what}", file=out)
        return EXIT_FAIL
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=out)
    elif args.lot is not None:
        print(f"lot {args.lot}: {len(rows)} batch(es)", file=out)
        for r in rows:
            print(
                f"{r['batch']:24} patient {r['patient'] or '?':16} {r['material']} "
                f"(first used {r['first_used']} at {r['station']})",
                file=out,
            )
    else:
        print(f"batch {args.batch}", file=out)
        for kind, heading in HEADINGS.items():
            items = rows.get(kind, [])
            print(f"{heading}: {'none' if not items else ''}", file=out)
            for item in items:
                detail = f"  {item['detail']}" if item["detail"] else ""
                print(
                    f"  {item['value']}{detail}  (first {item['first']} at {item['station']})",
                    file=out,
                )
    return EXIT_OK


def register(sub: Any, db: argparse.ArgumentParser) -> None:
    """Add ``genealogy`` to the ``central`` command."""
    ge = sub.add_parser(
        "genealogy", parents=[db], help="which batches used a lot; what went into a batch"
    )
    which = ge.add_mutually_exclusive_group(required=True)
    which.add_argument("--lot", help="every batch and pseudonymous patient that used this lot")
    which.add_argument("--batch", help="every lot, device, person and station in this batch")
    ge.add_argument("--json", action="store_true", help="machine-readable output")
    ge.set_defaults(func=cmd_genealogy)
