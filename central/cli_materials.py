"""``central materials`` and ``central lots``: what a lot is, how much came, whether it may be used.

    central materials add CODE --name NAME --gtin GTIN [--gtin GTIN ...] | list
    central lots add GTIN LOT --material CODE --expiry DATE --quantity Q --unit U | list
    central lots quarantine|recall|release LOT [--gtin GTIN] --reason R --as USER
    central kits add KIT --lot GTIN/LOT [--lot GTIN/LOT ...] | list

A quarantine, recall or release is signed (QA or admin, password from ``$CENTRAL_PASSWORD``,
the terminal or stdin); see ``central.materials``.
"""

import argparse
from datetime import date
from typing import Any, TextIO

from central import materials, users
from central.store import CentralStore

EXIT_OK = 0


def cmd_materials(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    if args.materials_cmd == "add":
        version = materials.add_material(store, args.code, args.name, args.gtin)
        print(f"recorded material {args.code} ({args.name}), version {version}", file=out)
        return EXIT_OK
    listed = materials.materials(store)
    if not listed:
        print("no materials yet: central materials add CODE --name NAME --gtin GTIN", file=out)
    for row in listed:
        print(f"{row['code']:16} {row['name']:30} GTIN {', '.join(row['gtins'])}", file=out)
    return EXIT_OK


def cmd_lots(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    if args.lots_cmd == "add":
        version = materials.add_lot(
            store,
            args.gtin,
            args.lot,
            material=args.material,
            expiry=args.expiry,
            quantity=args.quantity,
            unit=args.unit,
            status=args.status,
        )
        print(
            f"recorded lot {args.lot} of {args.material} ({args.quantity} {args.unit}, "
            f"{args.status}), version {version}",
            file=out,
        )
        return EXIT_OK
    if args.lots_cmd in materials.STATUS_COMMANDS:
        status = materials.STATUS_COMMANDS[args.lots_cmd]
        password = users.read_password(f"password of {args.signer} (signs the change): ")
        version, signature = materials.set_lot_status(
            store,
            args.lot,
            status,
            args.reason,
            signer=args.signer,
            password=password,
            gtin=args.gtin,
        )
        print(
            f"lot {args.lot}: {status}, signed by {signature['name']} at {signature['ts']}, "
            f"version {version}",
            file=out,
        )
        return EXIT_OK
    names = {m["code"]: m["name"] for m in materials.materials(store)}
    for row in materials.lots(store):
        left = "" if row["remaining"] is None else f"  {row['remaining']} of {row['quantity']}"
        name = names.get(row["material"], row["material"])
        print(
            f"{row['gtin']} {row['lot']:14} {name:26} expires {row['expiry']}  "
            f"{row['status']:11}{left} {row['unit'] or ''}".rstrip(),
            file=out,
        )
    return EXIT_OK


def cmd_kits(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    if args.kits_cmd == "add":
        version = materials.add_kit(store, args.kit, args.lot)
        print(f"recorded kit {args.kit} ({len(args.lot)} lots), version {version}", file=out)
        return EXIT_OK
    listed = materials.kits(store)
    if not listed:
        print("no kits yet: central kits add KIT --lot GTIN/LOT", file=out)
    for row in listed:
        lots = ", ".join(f"{i['lot']} ({i['gtin']})" for i in row["lots"])
        print(f"{row['kit']:16} {lots}", file=out)
    return EXIT_OK


def _gtin_lot(text: str) -> tuple[str, str]:
    gtin, slash, lot = text.partition("/")
    if not slash or not gtin or not lot:
        raise argparse.ArgumentTypeError(f"--lot {text!r}: give GTIN/LOT")
    return gtin, lot


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def register(sub: Any, db: argparse.ArgumentParser) -> None:
    """Add ``materials`` and ``lots`` to the ``central`` command."""
    mt = sub.add_parser("materials", help="materials: code, name and GTINs")
    mt_sub = mt.add_subparsers(dest="materials_cmd", required=True)
    mt_add = mt_sub.add_parser("add", parents=[db], help="record a material or a change of it")
    mt_add.add_argument("code", help="e.g. CD4CD8-BEADS: what recipe steps name")
    mt_add.add_argument("--name", required=True, help="as operators know it")
    mt_add.add_argument("--gtin", required=True, action="append", help="a GTIN of its labels")
    mt_sub.add_parser("list", parents=[db], help="current materials")
    mt.set_defaults(func=cmd_materials)

    lt = sub.add_parser("lots", help="material lots: registration, quarantine, recall, release")
    lt_sub = lt.add_subparsers(dest="lots_cmd", required=True)
    lt_add = lt_sub.add_parser("add", parents=[db], help="register a lot of a material")
    lt_add.add_argument("gtin")
    lt_add.add_argument("lot")
    lt_add.add_argument("--material", required=True, help="the material's code")
    lt_add.add_argument("--expiry", required=True, type=_day, metavar="YYYY-MM-DD")
    lt_add.add_argument("--quantity", required=True, help="the quantity received, e.g. 75")
    lt_add.add_argument("--unit", required=True, help="its unit, e.g. mL (1 for a count)")
    lt_add.add_argument("--status", default="released")
    for name, text in (
        ("quarantine", "no station may use the lot until it is released"),
        ("recall", "the lot is withdrawn"),
        ("release", "the lot may be used again"),
    ):
        cmd = lt_sub.add_parser(name, parents=[db], help=f"{text} (signed)")
        cmd.add_argument("lot")
        cmd.add_argument("--gtin", help="when the lot number is used under several GTINs")
        cmd.add_argument("--reason", required=True)
        cmd.add_argument(
            "--as",
            dest="signer",
            required=True,
            metavar="USER",
            help="the QA or admin user who signs (password from $CENTRAL_PASSWORD, the "
            "terminal or stdin)",
        )
    lt_sub.add_parser("list", parents=[db], help="current lots and what is left of them")
    lt.set_defaults(func=cmd_lots)

    kt = sub.add_parser("kits", help="kits: a kit ID and the lots in it")
    kt_sub = kt.add_subparsers(dest="kits_cmd", required=True)
    kt_add = kt_sub.add_parser("add", parents=[db], help="register a kit of registered lots")
    kt_add.add_argument("kit", help="the kit ID on its label, e.g. KIT-0001")
    kt_add.add_argument(
        "--lot", required=True, action="append", type=_gtin_lot, help="GTIN/LOT, one per material"
    )
    kt_sub.add_parser("list", parents=[db], help="kits and their lots")
    kt.set_defaults(func=cmd_kits)
