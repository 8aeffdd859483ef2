"""`kiosk review`: the review-by-exception list of one batch, one line per item."""

# The record modules load only when the command runs, so `kiosk --help` stays fast.

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from kiosk.review import ReviewItem

EXIT_OK, EXIT_FAIL = 0, 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kiosk review` to the `kiosk` command's subparsers."""
    parser = sub.add_parser(
        "review",
        help="review by exception: a batch's review items with their dispositions",
        description=(
            "List a batch's review items, open and closed, one line each: exceptions, "
            "corrections, comments, manual and late entries, holds and aborts (which QA must "
            "disposition before release), then its CPP/CQA values for information."
        ),
    )
    parser.add_argument("--db", required=True, help="the station's record database")
    parser.add_argument("--batch", required=True, help="batch id, e.g. B-OQ-0001")
    parser.add_argument(
        "--recipes", help="folder of master recipes (default: recipes/ of this installation)"
    )
    parser.add_argument("--open", action="store_true", help="only items that still block release")
    parser.add_argument(
        "--no-values", action="store_true", help="leave out the CPP/CQA values (information)"
    )
    parser.set_defaults(func=cmd_review)


def cmd_review(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk import review
    from kiosk.ebr import RECIPES_DIR, EbrError, load_record, open_store

    try:
        with open_store(args.db) as store:
            record = load_record(store, args.batch, args.recipes or RECIPES_DIR)
    except EbrError as exc:
        print(f"review: {exc}", file=out)
        return EXIT_FAIL
    found = record.review_items(include_values=not args.no_values)
    if args.open:
        found = [item for item in found if item.blocks_release]
    counts = review.summary(record.review_items())
    print(
        f"{record.batch}  {record.recipe_id} v{record.recipe_version}  "
        f"{record.status.replace('_', ' ')}  — {counts['required']} review item(s), "
        f"{counts['open']} open; {counts['information']} CPP/CQA value(s) for information",
        file=out,
    )
    if record.recipe is None:
        print(f"  note: {record.recipe_note}", file=out)
    for damaged in record.damaged:  # listed, never fatal: the rest of the batch is reviewed
        print(f"DAMAGED   {damaged.line()}", file=out)
    required = [item for item in found if item.required]
    information = [item for item in found if not item.required]
    for item in required:
        print(_line(item), file=out)
    if not required:
        print("no review items" if not args.open else "no open review items", file=out)
    if information:
        print("CPP/CQA values (information, no disposition needed):", file=out)
        for item in information:
            print(_line(item), file=out)
    return EXIT_OK


def _line(item: ReviewItem) -> str:
    """One item: status, id, category, time, step, what, and the disposition with its signer."""
    from kiosk.ebr import fmt_ts

    status = item.status.upper() if item.blocks_release else item.status
    where = f" [{item.step}]" if item.step else ""
    line = f"{status:9} {item.id:26} {item.category:12} {fmt_ts(item.ts, seconds=False)}"
    line += f"{where} {item.message}"
    if item.disposition is not None:
        d = item.disposition
        sig = d.get("signature") or {}
        ref = f" {d['reference']}" if d.get("reference") else ""
        line += (
            f" -> {d.get('decision')}{ref} by {sig.get('name')} ({sig.get('user')}) "
            f"{fmt_ts(sig.get('ts'), seconds=False)}: {d.get('reason')}"
        )
    return line
