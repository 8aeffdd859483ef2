"""`kiosk materials` and `kiosk lots`: what a lot is, how much is left, how old the list is.

At a station with a server, materials and lots are the server's (`central materials`,
`central lots`), pulled by the sync worker; `kiosk lots list` shows them with what is left and
how old the pulled list is. A station without a server keeps its own: `kiosk materials add`
and `kiosk lots add|status`, each signed by a QA or admin user (`--as USER`, password from the
terminal or the first line of stdin) and recorded as events.
"""

from __future__ import annotations

import argparse
from datetime import UTC, date, datetime
from typing import Any, TextIO

from kiosk.auth import Auth
from kiosk.clock import system_clock
from kiosk.commands.signing import sign_change
from kiosk.masterdata import LOT_STATUSES, MasterData, MasterDataError, pulled_age
from kiosk.startup import open_station_store
from kiosk.sync import SyncError, SyncState
from local_store import EventStore, StoreError

EXIT_OK, EXIT_FAIL = 0, 1
STATION = "STATION-1"
MANAGE = "material.manage"
STATION_HELP = "station id (default: the database's own station)"


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not value > 0 or value == float("inf"):
        raise argparse.ArgumentTypeError(f"quantity {text!r} is not a positive number")
    return value


def _open(args: argparse.Namespace, listing: bool) -> EventStore:
    if listing:
        return EventStore(args.db, args.station or STATION, read_only=True)
    return open_station_store(args.db, args.station, create=True, default=STATION)


def _pulled(master: MasterData, db: str) -> str:
    """Attach the pulled copy when the station has one; the line saying how old it is."""
    path = SyncState.path_for(db)
    if not path.exists():
        return "lots: this station's own (no server)"
    try:
        master.attach(SyncState(path))
    except SyncError as exc:
        return f"lots: the pulled list cannot be read ({exc})"
    at = master.lots_as_of()
    age = pulled_age(at, datetime.now(UTC))
    return f"lots from the server: {age}" + (f" (pulled {at})" if at else "")


def cmd_materials(args: argparse.Namespace, out: TextIO) -> int:
    try:
        store = _open(args, args.materials_cmd == "list")
    except StoreError as exc:
        print(f"materials: {exc}", file=out)
        return EXIT_FAIL
    with store:
        master = MasterData(store, system_clock)
        if args.materials_cmd == "list":
            _pulled(master, args.db)
            for m in sorted(master.materials.values(), key=lambda m: m.code):
                print(f"{m.code:16} {m.name:30} GTIN {', '.join(m.gtins)}", file=out)
            return EXIT_OK
        change = {k: str(v) for k, v in vars(args).items() if k not in ("func", "db")}
        signed = sign_change(Auth(store, system_clock), args.as_user, MANAGE, change, out)
        if signed is None:
            return EXIT_FAIL
        actor, sig = signed
        try:
            master.register_material(args.code, args.name, args.gtin, by=actor, signature=sig)
        except MasterDataError as exc:
            print(f"refused: {exc}", file=out)
            return EXIT_FAIL
        print(f"registered material {args.code} ({args.name})", file=out)
    return EXIT_OK


def cmd_lots(args: argparse.Namespace, out: TextIO) -> int:
    try:
        store = _open(args, args.lots_cmd == "list")
    except StoreError as exc:
        print(f"lots: {exc}", file=out)
        return EXIT_FAIL
    with store:
        master = MasterData(store, system_clock)
        if args.lots_cmd == "list":
            print(_pulled(master, args.db), file=out)
            for lot in master.lots.values():
                left = master.remaining(lot.gtin, lot.lot)
                amount = "" if left is None else f"  {left:g} of {lot.quantity:g} {lot.unit} left"
                print(
                    f"{lot.gtin} {lot.lot:16} {master.material_name(lot.material):28} "
                    f"expires {lot.expiry}  {lot.status}{amount}",
                    file=out,
                )
            return EXIT_OK
        change = {k: str(v) for k, v in vars(args).items() if k not in ("func", "db")}
        signed = sign_change(Auth(store, system_clock), args.as_user, MANAGE, change, out)
        if signed is None:
            return EXIT_FAIL
        actor, sig = signed
        try:
            if args.lots_cmd == "add":
                master.register_lot(
                    args.gtin,
                    args.lot,
                    args.material,
                    args.expiry,
                    by=actor,
                    status=args.status,
                    signature=sig,
                    quantity=args.quantity,
                    unit=args.unit,
                )
                print(f"registered lot {args.lot} ({args.material})", file=out)
            else:
                master.set_lot_status(
                    args.gtin, args.lot, args.status, by=actor, reason=args.reason, signature=sig
                )
                print(f"lot {args.lot}: {args.status}", file=out)
        except MasterDataError as exc:
            print(f"refused: {exc}", file=out)
            return EXIT_FAIL
    return EXIT_OK


def register(sub: Any) -> None:
    materials = sub.add_parser("materials", help="materials: code, name, GTINs (QA)")
    materials.add_argument("--db", required=True)
    materials.add_argument("--station", help=STATION_HELP)
    mt = materials.add_subparsers(dest="materials_cmd", required=True)
    mt.add_parser("list", help="known materials").set_defaults(func=cmd_materials)
    madd = mt.add_parser("add", help="register a material")
    madd.add_argument("code", help="e.g. CD4CD8-BEADS: what recipe steps name")
    madd.add_argument("--name", required=True)
    madd.add_argument("--gtin", required=True, action="append", help="a GTIN of its labels")
    madd.add_argument("--as", dest="as_user", help="QA or admin signing the change")
    madd.set_defaults(func=cmd_materials)

    lots = sub.add_parser("lots", help="material lots (QA)")
    lots.add_argument("--db", required=True)
    lots.add_argument("--station", help=STATION_HELP)
    lt = lots.add_subparsers(dest="lots_cmd", required=True)
    lt.add_parser("list", help="lots, what is left, how old the list is").set_defaults(
        func=cmd_lots
    )
    ladd = lt.add_parser("add", help="register a lot of a material")
    ladd.add_argument("--gtin", required=True)
    ladd.add_argument("--lot", required=True)
    ladd.add_argument("--material", required=True, help="the material's code")
    ladd.add_argument("--expiry", type=_day, required=True)
    ladd.add_argument("--quantity", type=_positive, help="received (with --unit)")
    ladd.add_argument("--unit", help="e.g. mL, or 1 for a count")
    ladd.add_argument("--status", default="released", choices=["released", "quarantined"])
    lstat = lt.add_parser("status", help="release, quarantine, recall or reject a lot")
    lstat.add_argument("--gtin", required=True)
    lstat.add_argument("--lot", required=True)
    lstat.add_argument("--status", required=True, choices=list(LOT_STATUSES))
    lstat.add_argument("--reason", required=True)
    for parser in (ladd, lstat):
        parser.add_argument("--as", dest="as_user", help="QA or admin signing the change")
        parser.set_defaults(func=cmd_lots)
