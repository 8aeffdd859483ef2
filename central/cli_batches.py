"""``central batches list`` and ``central incidents``: who holds what, and what was refused."""

import argparse
import json
from typing import Any, TextIO

from sqlalchemy import func, select

from central import schema
from central.store import CentralStore

EXIT_OK = 0


def batch_rows(store: CentralStore) -> list[dict[str, Any]]:
    """Every batch: ID, status, owning station (None while released), the station that released
    it, and every station that wrote to it (in the order they first did)."""
    b, o, e = schema.batches, schema.batch_owners, schema.events
    with store.read() as conn:
        rows = conn.execute(
            select(b.c.batch, b.c.status, o.c.owner, o.c.state, o.c.previous, o.c.room)
            .outerjoin(o, o.c.batch == b.c.batch)
            .order_by(b.c.batch)
        ).all()
        writers: dict[str, list[tuple[str, str]]] = {}
        for batch, station, first in conn.execute(
            select(e.c.batch, e.c.station, func.min(e.c.received_at))
            .where(e.c.batch.is_not(None))
            .group_by(e.c.batch, e.c.station)
        ):
            writers.setdefault(str(batch), []).append((str(first), str(station)))
    return [
        {
            "batch": r.batch,
            "status": r.status,
            "owner": r.owner,
            "ownership": r.state or "held",
            "released_by": r.previous if r.state == "released" else None,
            "room": r.room,
            "stations": [name for _first, name in sorted(writers.get(r.batch, []))],
        }
        for r in rows
    ]


def incident_rows(store: CentralStore) -> list[dict[str, Any]]:
    i = schema.incidents
    with store.read() as conn:
        rows = conn.execute(
            select(i.c.id, i.c.at, i.c.station, i.c.seq, i.c.code, i.c.problem).order_by(i.c.id)
        )
        return [dict(row._mapping) for row in rows]


def cmd_batches(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    rows = batch_rows(store)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    if not rows:
        print("no batches on the server", file=out)
    for r in rows:
        if r["ownership"] == "released":
            holder = f"released by {r['released_by']}" + (f" for {r['room']}" if r["room"] else "")
        else:
            holder = f"held by {r['owner']}"
        print(
            f"{r['batch']:24} {r['status']:12} {holder:36} written at {', '.join(r['stations'])}",
            file=out,
        )
    return EXIT_OK


def cmd_incidents(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    rows = incident_rows(store)
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False), file=out)
        return EXIT_OK
    if not rows:
        print("no incidents", file=out)
    for r in rows:
        where = f"{r['station']} event {r['seq']}" if r["seq"] else str(r["station"])
        print(f"#{r['id']} {r['at']} {where} [{r['code']}]: {r['problem']}", file=out)
    return EXIT_OK


def register(sub: Any, db: argparse.ArgumentParser) -> None:
    """Add ``batches list`` and ``incidents`` to the ``central`` command."""
    bt = sub.add_parser("batches", help="batches, their owning station and who wrote to them")
    bt_sub = bt.add_subparsers(dest="batches_cmd", required=True)
    bt_list = bt_sub.add_parser("list", parents=[db], help="every batch and its owner")
    bt_list.add_argument("--json", action="store_true", help="machine-readable output")
    bt.set_defaults(func=cmd_batches)
    inc = sub.add_parser("incidents", parents=[db], help="refused pushes, claims and duplicates")
    inc.add_argument("--json", action="store_true", help="machine-readable output")
    inc.set_defaults(func=cmd_incidents)
