"""`kiosk ebr export`: the batch record as PDF, review report, JSON or BatchML."""

# The record modules load only when the command runs, so `kiosk --help` stays fast.

from __future__ import annotations

import argparse
from typing import TextIO

EXIT_OK, EXIT_FAIL = 0, 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kiosk ebr` to the `kiosk` command's subparsers."""
    ebr = sub.add_parser("ebr", help="the electronic batch record").add_subparsers(
        dest="ebr_cmd", required=True
    )
    export = ebr.add_parser(
        "export",
        help="write a batch's record: PDF, review-by-exception PDF, JSON or BatchML",
        description=(
            "Write a complete copy of a batch's record (21 CFR 11.10(b)): a PDF for people, or "
            "an electronic copy (JSON: the events verbatim; BatchML: MESA B2MML V0700)."
        ),
    )
    export.add_argument("--db", required=True, help="the station's record database")
    export.add_argument("--batch", required=True, help="batch id, e.g. B-OQ-0001")
    export.add_argument("-o", "--output", required=True, help="file to write")
    export.add_argument(
        "--format", choices=("pdf", "json", "batchml"), default="pdf", help="default: pdf"
    )
    export.add_argument(
        "--review-only",
        action="store_true",
        help="PDF of the review by exception only (review items, CPP/CQA table, trends)",
    )
    export.add_argument(
        "--recipes", help="folder of master recipes (default: recipes/ of this installation)"
    )
    export.set_defaults(func=cmd_ebr_export)


def cmd_ebr_export(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.ebr import RECIPES_DIR, EbrError, export

    if args.review_only and args.format != "pdf":
        print(
            "ebr: --review-only is a PDF report; leave out --format or use --format pdf", file=out
        )
        return EXIT_FAIL
    try:
        line = export(
            args.db,
            args.batch,
            args.output,
            fmt=args.format,
            review_only=args.review_only,
            recipes_dir=args.recipes or RECIPES_DIR,
        )
    except EbrError as exc:
        print(f"ebr: {exc}", file=out)
        return EXIT_FAIL
    except ModuleNotFoundError as exc:
        print(f"ebr: this needs the {exc.name} package, which is not installed", file=out)
        return EXIT_FAIL
    except OSError as exc:
        print(f"ebr: cannot write {args.output}: {exc.strerror or exc}", file=out)
        return EXIT_FAIL
    print(line, file=out)
    return EXIT_OK
