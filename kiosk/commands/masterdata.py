"""`kiosk equipment` and `kiosk genealogy`: master data and what went into a batch.

`kiosk materials` and `kiosk lots` are in `kiosk.commands.materials`.

Changes are signed by the person making them (`--as USER`, password from the
terminal or the first line of stdin) and recorded as events.
"""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any, TextIO

from kiosk.auth import Auth
from kiosk.clock import system_clock
from kiosk.commands.signing import sign_change
from kiosk.custody import condition_text as custody_condition
from kiosk.masterdata import MasterData, MasterDataError
from kiosk.startup import open_station_store
from local_store import EventStore, StoreError

EXIT_OK, EXIT_FAIL = 0, 1
STATION = "STATION-1"
"""The station id of a new database when --station is not given."""
STATION_HELP = "station id (default: the database's own station)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def cmd_equipment(args: argparse.Namespace, out: TextIO) -> int:
    try:
        store = (
            EventStore(args.db, args.station or STATION, read_only=True)
            if args.equipment_cmd == "list"
            else open_station_store(args.db, args.station, create=True, default=STATION)
        )
    except StoreError as exc:
        print(f"equipment: {exc}", file=out)
        return EXIT_FAIL
    with store:
        master = MasterData(store, system_clock)
        if args.equipment_cmd == "list":
            for item in master.equipment.values():
                check = item.last_check
                checked = (
                    f"checked {check.ts[:16]} {'pass' if check.passed else 'FAIL'}"
                    if check
                    else "never checked"
                )
                state = "retired" if item.retired else "active"
                problem = master.balance_problem(item.serial) if item.kind == "balance" else None
                print(
                    f"{item.id:10} {item.kind:8} serial {item.serial:14} {item.model:20} "
                    f"calibration due {item.calibration_due}  {checked}  {state}"
                    f"{'  — ' + problem if problem and not item.retired else ''}",
                    file=out,
                )
            return EXIT_OK
        auth = Auth(store, system_clock)
        change = {k: str(v) for k, v in vars(args).items() if k not in ("func", "db")}
        signed = sign_change(auth, args.as_user, "device.manage", change, out)
        if signed is None:
            return EXIT_FAIL
        actor, sig = signed
        try:
            if args.equipment_cmd == "add":
                master.register_equipment(
                    args.asset,
                    args.kind,
                    args.serial,
                    args.model,
                    args.calibration_due,
                    by=actor,
                    signature=sig,
                )
                print(f"registered {args.asset} (serial {args.serial})", file=out)
            elif args.equipment_cmd == "calibrate":
                master.calibrate(
                    args.asset, args.due, by=actor, certificate=args.certificate, signature=sig
                )
                print(f"{args.asset}: calibration due {args.due}", file=out)
            elif args.equipment_cmd == "check":
                passed = master.daily_check(
                    args.asset,
                    args.reference,
                    args.reading,
                    args.unit,
                    args.tolerance,
                    by=actor,
                    signature=sig,
                )
                print(f"{args.asset}: daily check {'passed' if passed else 'FAILED'}", file=out)
                return EXIT_OK if passed else EXIT_FAIL
            elif args.equipment_cmd == "retire":
                master.retire(args.asset, by=actor, reason=args.reason, signature=sig)
                print(f"{args.asset}: retired", file=out)
        except MasterDataError as exc:
            print(f"refused: {exc}", file=out)
            return EXIT_FAIL
    return EXIT_OK


def cmd_genealogy(args: argparse.Namespace, out: TextIO) -> int:
    """What went into a batch (--batch), or which batches used a lot (--lot)."""
    try:
        store = EventStore(args.db, args.station or STATION, read_only=True)
    except StoreError as exc:
        print(f"genealogy: {exc}", file=out)
        return EXIT_FAIL
    rows: list[dict[str, Any]] = []
    with store:
        for event in store.events(types={"material.used", "identity.bound", "custody.handover"}):
            p = event.payload
            if args.batch and event.batch != args.batch:
                continue
            if args.lot and (event.type != "material.used" or p.get("lot") != args.lot):
                continue
            rows.append({"batch": event.batch, "ts": event.ts, "type": event.type, **p})
    if not rows:
        what = f"batch {args.batch}" if args.batch else f"lot {args.lot}"
        print(f"nothing recorded for {what}", file=out)
        return EXIT_FAIL
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    for row in rows:
        if row["type"] == "material.used":
            print(
                f"{row['batch']}  {row['ts']}  {row['step']}: {row['material']} "
                f"GTIN {row['gtin']} lot {row['lot']} (expires {row['expiry']})",
                file=out,
            )
        elif row["type"] == "identity.bound":
            bound = ", ".join(f"{k.upper()} {row[k]}" for k in ("din", "coi") if row.get(k))
            print(f"{row['batch']}  {row['ts']}  patient material {bound}", file=out)
        else:
            condition = custody_condition(row.get("condition"))
            print(
                f"{row['batch']}  {row['ts']}  custody: {row['from']} → {row['to']} "
                f"at {row.get('location') or '?'} ({condition})",
                file=out,
            )
    return EXIT_OK


def register(sub: Any) -> None:
    """Add `equipment`, `lots` and `genealogy` to the `kiosk` command."""
    equipment = sub.add_parser("equipment", help="balances, scanners, cameras (technicians)")
    equipment.add_argument("--db", required=True)
    equipment.add_argument("--station", help=STATION_HELP)
    eq = equipment.add_subparsers(dest="equipment_cmd", required=True)
    eq.add_parser("list", help="registered equipment and its status").set_defaults(
        func=cmd_equipment
    )
    add = eq.add_parser("add", help="register a device")
    add.add_argument("asset")
    add.add_argument("--kind", required=True, choices=["balance", "scanner", "camera", "printer"])
    add.add_argument("--serial", required=True, help="the serial number the device reports")
    add.add_argument("--model", default="")
    add.add_argument("--calibration-due", type=_day, required=True)
    cal = eq.add_parser("calibrate", help="record a calibration")
    cal.add_argument("asset")
    cal.add_argument("--due", type=_day, required=True)
    cal.add_argument("--certificate", required=True)
    check = eq.add_parser("check", help="record a daily check with a reference weight")
    check.add_argument("asset")
    check.add_argument("--reference", type=float, required=True)
    check.add_argument("--reading", type=float, required=True)
    check.add_argument("--tolerance", type=float, required=True)
    check.add_argument("--unit", default="g")
    retire = eq.add_parser("retire", help="take a device out of use")
    retire.add_argument("asset")
    retire.add_argument("--reason", required=True)
    for parser in (add, cal, check, retire):
        parser.add_argument("--as", dest="as_user", help="technician or admin signing the change")
        parser.set_defaults(func=cmd_equipment)

    genealogy = sub.add_parser("genealogy", help="materials in a batch, or batches using a lot")
    genealogy.add_argument("--db", required=True)
    genealogy.add_argument("--station", help=STATION_HELP)
    which = genealogy.add_mutually_exclusive_group(required=True)
    which.add_argument("--batch")
    which.add_argument("--lot")
    genealogy.add_argument("--json", action="store_true")
    genealogy.set_defaults(func=cmd_genealogy)
