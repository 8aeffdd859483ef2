"""`kiosk label parse`: what the kiosk reads in label text, for set-up and support.

A scanner that is set up right gives the same answer at a scan step. Typed on a
command line, GS (0x1D) can be written as the four characters `\\x1d` or as
`<GS>`; other control characters are refused like any other bad read, and are
shown escaped so they cannot disturb the terminal.
"""

from __future__ import annotations

import argparse
import json
import re
from typing import Any, TextIO

from kiosk.identity import GS, LabelError, parse_din_keyboard, parse_label

_TYPED_GS = re.compile(r"\\x1[dD]|<[Gg][Ss]>")
# A DIN typed by hand: 13 characters, an optional space, the keyboard check character K.
_KEYED_DIN = re.compile(r"[A-Za-z0-9]{13} ?[A-Za-z0-9*]")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `kiosk label parse` to the `kiosk` command."""
    label = sub.add_parser("label", help="ISBT 128 and GS1 labels").add_subparsers(
        dest="label_cmd", required=True
    )
    parse = label.add_parser(
        "parse",
        help="show what the kiosk reads in label text",
        description="Parse label text as a scanner sends it (AIM prefix optional). "
        "Write GS as \\x1d or <GS>. Exit 0 when every input is a valid label.",
    )
    parse.add_argument("--json", action="store_true", help="print a JSON array of results")
    parse.add_argument("texts", nargs="+", metavar="TEXT", help="label text, one per argument")
    parse.set_defaults(func=cmd_label_parse)
    printed = label.add_parser(
        "print",
        help="the batch's product label, from its batch record: a PDF or a printer",
        description="Write the label the batch recorded at its label step to a PDF (-o), or "
        "print it: --printer zpl://host:9100 (Zebra, ZPL; its status is checked before and "
        "after) or cups://queue (office printer, PDF through CUPS), or the station's [printer] "
        "with --config.",
    )
    printed.add_argument("--db", required=True)
    printed.add_argument("--batch", required=True)
    printed.add_argument("-o", "--output", help="the PDF to write")
    printed.add_argument("--printer", help="zpl://host:port or cups://queue")
    printed.add_argument("--config", help="station configuration (TOML) with [printer]")
    printed.set_defaults(func=cmd_label_print)


def cmd_label_print(args: argparse.Namespace, out: TextIO) -> int:
    """Print the label the batch recorded at its label step (never typed content)."""
    from kiosk.config import ConfigError, load_config
    from kiosk.labels import LabelPrintError, write_label_pdf
    from local_store import EventStore, StoreError

    printer, dpi, timeout = args.printer, 203, 5.0
    if args.config:
        try:
            configured = load_config(args.config).printer
        except ConfigError as exc:
            print(f"label print: {exc}", file=out)
            return 1
        if configured is not None:
            printer = printer or configured.url
            dpi, timeout = configured.dpi, configured.timeout
    if not args.output and not printer:
        print("label print: say where: -o FILE.pdf, --printer URL or --config FILE", file=out)
        return 1

    try:
        with EventStore(args.db, "LABEL-PRINT", read_only=True) as store:
            recorded = [
                e.payload["label"]
                for e in store.batch_history(args.batch)  # the label may be printed elsewhere
                if e.type == "step.recorded" and e.payload.get("kind") == "label_print"
            ]
    except StoreError as exc:
        print(f"label print: {exc}", file=out)
        return 1
    if not recorded:
        print(f"label print: batch {args.batch} has not reached its label step", file=out)
        return 1
    if args.output:
        try:
            write_label_pdf(recorded[-1], args.output)
        except (LabelPrintError, OSError) as exc:
            print(f"label print: {exc}", file=out)
            return 1
        print(f"wrote {args.output}: product label of batch {args.batch}", file=out)
    if printer:
        from kiosk.devices.errors import DeviceError
        from kiosk.devices.printers import print_product_label

        try:
            done = print_product_label(recorded[-1], printer, dpi=dpi, timeout=timeout)
        except (LabelPrintError, DeviceError) as exc:
            print(f"label print: {exc}", file=out)
            return 1
        print(f"{done}: product label of batch {args.batch}", file=out)
    return 0


def parse_one(text: str) -> dict[str, Any]:
    """One input as {input, ok, kind, fields, error}.

    As a scanner read first; text that is not one but is shaped like a
    hand-typed DIN (13 characters, an optional space, K) is checked as the
    engine checks manual entry, and a wrong K is said so.
    """
    try:
        label = parse_label(_TYPED_GS.sub(GS, text))
    except LabelError as exc:
        if _KEYED_DIN.fullmatch(text.strip()):
            return _keyed(text)
        return {"input": text, "ok": False, "kind": None, "fields": {}, "error": str(exc)}
    return {
        "input": text,
        "ok": True,
        "kind": label.kind,
        "fields": label.as_fields(),
        "error": None,
    }


def _keyed(text: str) -> dict[str, Any]:
    try:
        din = parse_din_keyboard(text)
    except LabelError as exc:
        return {"input": text, "ok": False, "kind": None, "fields": {}, "error": str(exc)}
    fields = {"din": din.din, "check_character": din.check_character}
    return {"input": text, "ok": True, "kind": "keyed-din", "fields": fields, "error": None}


def shown(text: str) -> str:
    """Text safe for a terminal line: GS as <GS>, other unprintables escaped."""
    return "".join("<GS>" if c == GS else c if c.isprintable() else ascii(c)[1:-1] for c in text)


def _quoted(value: str) -> str:
    text = shown(value)
    return f'"{text}"' if " " in text else text


def _line(result: dict[str, Any]) -> str:
    head = shown(result["input"])
    if not result["ok"]:
        return f"{head}: refused: {shown(result['error'])}"
    parts = [
        f"(K={shown(value)})" if name == "check_character" else f"{name}={_quoted(value)}"
        for name, value in result["fields"].items()
    ]
    return " ".join([f"{head}: ok {result['kind']}", *parts])


def cmd_label_parse(args: argparse.Namespace, out: TextIO) -> int:
    results = [parse_one(text) for text in args.texts]
    if args.json:
        out.write(json.dumps(results, indent=2) + "\n")
    else:
        for result in results:
            print(_line(result), file=out)
    return 0 if all(result["ok"] for result in results) else 1
