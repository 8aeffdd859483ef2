"""`kiosk import cell-count`: what a count step would take from a counter's result file.

Reads only; the file is never changed. Exit 1 with one line naming the file
and line when it cannot be used.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import TextIO

EXIT_OK, EXIT_FAIL = 0, 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kiosk import cell-count` to the `kiosk` command."""
    verbs = sub.add_parser("import", help="results from instruments' files").add_subparsers(
        dest="import_cmd", required=True
    )
    count = verbs.add_parser(
        "cell-count",
        help="show what a count step would take from a cell counter's result file",
        description="Read a NucleoCounter NC-200/NC-202 or Vi-CELL BLU export (or, for a "
        "folder, the newest result of --sample in it) and show sample ID, viable and total "
        "cells/mL, viability, time, counter, and the file's name and SHA-256. With --config, "
        "the station's [cell_counter] format and column mapping apply.",
    )
    count.add_argument("path", metavar="FILE", type=Path, help="a result file or a folder")
    count.add_argument("--sample", help="the sample ID to take (required for a folder)")
    count.add_argument("--format", choices=("nucleocounter", "vicell-blu"))
    count.add_argument("--config", help="station configuration (TOML) with [cell_counter]")
    count.add_argument("--json", action="store_true", help="print one JSON object")
    count.set_defaults(func=cmd_import_cell_count)


def cmd_import_cell_count(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.devices.cellcount import CellCountError, take_cell_count

    fmt = args.format
    columns: dict[str, str] = {}
    if args.config:
        try:
            counter = load_config(args.config).cell_counter
        except ConfigError as exc:
            print(f"import: {exc}", file=out)
            return EXIT_FAIL
        if counter is not None:
            fmt = fmt or counter.format
            columns = dict(counter.columns)
    try:
        result = take_cell_count(args.path, args.sample, fmt=fmt, columns=columns)
    except CellCountError as exc:
        print(f"import: {exc}", file=out)
        return EXIT_FAIL
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False), file=out)
        return EXIT_OK
    when = result.measured_at.isoformat() if result.measured_at else "no time in the file"
    lines = [
        f"sample {result.sample_id}: viable {result.viable_per_ml / 1e6:.4g} × 10^6 cells/mL, "
        f"total {result.total_per_ml / 1e6:.4g} × 10^6 cells/mL, "
        f"viability {result.viability_pct:g} %",
        f"measured {when} on {result.source}"
        + (f" by {result.operator}" if result.operator else ""),
        f"from {result.file_name} line {result.line}, SHA-256 {result.sha256}",
    ]
    print("\n".join(lines), file=out)
    return EXIT_OK
