"""``central orders add FILE | revise FILE --reason R | cancel ID --reason R | list [--json]``."""

import argparse
import getpass
import json
from pathlib import Path
from typing import Any, TextIO

from central import orders
from central.errors import CentralError
from central.order_model import OrderError, parse_file
from central.store import CentralStore

EXIT_OK = 0


def _source() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name in this environment
        return "cli"


def _read(name: str) -> list[Any]:
    path = Path(name)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise CentralError(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        return list(parse_file(path.name, raw))
    except OrderError as exc:
        raise CentralError(f"{name}: {exc}; nothing stored") from None


def cmd_orders(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    if args.orders_cmd == "list":
        return _list(store, out, as_json=args.json)
    if args.orders_cmd == "cancel":
        event = orders.cancel(store, args.order_id, args.reason, _source())
        on = f" (batch {event.batch} gets an exception)" if event.batch else ""
        print(f"cancelled order {args.order_id}{on}", file=out)
        return EXIT_OK
    parsed = _read(args.file)
    if args.orders_cmd == "revise":
        for order in parsed:
            event = orders.revise(store, order, args.reason, _source())
            on = f" (batch {event.batch} gets an exception)" if event.batch else ""
            print(f"revised order {order.order_id}{on}", file=out)
        return EXIT_OK
    try:
        orders.add_many(store, parsed, _source())
    except CentralError as exc:
        raise CentralError(f"{args.file}: {exc}; nothing stored") from None
    for order in parsed:
        print(f"added order {order.order_id} for patient {order.patient_id}", file=out)
    return EXIT_OK


def _list(store: CentralStore, out: TextIO, *, as_json: bool) -> int:
    rows = orders.all_orders(store)
    if as_json:
        data = [
            {
                "order_id": o.order_id,
                "revision": o.revision,
                "status": o.status,
                "batch": o.batch,
                "reason": o.reason,
                "order": o.data,
            }
            for o in rows
        ]
        print(json.dumps(data, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    if not rows:
        print("no orders on the server", file=out)
    for o in rows:
        d = o.data
        batch = f"batch {o.batch}" if o.batch else "no batch yet"
        print(
            f"{o.order_id:16} r{o.revision:<3} {o.status:9} patient {d.get('patient_id', '?'):12} "
            f"CoI {d.get('coi', '?')} DIN {','.join(d.get('dins', []))} "
            f"{d.get('recipe', '?')} due {d.get('due', '?')}  {batch}",
            file=out,
        )
    return EXIT_OK


def register(sub: Any, db: argparse.ArgumentParser) -> None:
    """Add ``orders`` to the ``central`` command."""
    od = sub.add_parser("orders", help="orders from upstream (the server is their source)")
    od_sub = od.add_subparsers(dest="orders_cmd", required=True)
    od_add = od_sub.add_parser("add", parents=[db], help="add orders from a .json or .csv file")
    od_add.add_argument("file")
    od_rev = od_sub.add_parser("revise", parents=[db], help="a new revision of orders (file)")
    od_rev.add_argument("file")
    od_rev.add_argument("--reason", required=True)
    od_cancel = od_sub.add_parser("cancel", parents=[db], help="cancel an order")
    od_cancel.add_argument("order_id")
    od_cancel.add_argument("--reason", required=True)
    od_list = od_sub.add_parser("list", parents=[db], help="every order as it stands")
    od_list.add_argument("--json", action="store_true", help="machine-readable output")
    od.set_defaults(func=cmd_orders)
