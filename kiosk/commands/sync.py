"""`kiosk sync push|pull|status`: exchange the station's record with the central server.

    kiosk sync push   --db PATH --server URL --token T   send every event not yet acknowledged
    kiosk sync pull   --db PATH --server URL --token T   fetch master data newer than held
    kiosk sync status --db PATH [--server URL --token T]  what is sent, what is not
    kiosk sync results --db PATH --server URL --token T [--recipes DIR]
                                                  take in the LIMS's QC results for held batches

The server address and token may also come from ``KIOSK_SERVER`` and ``KIOSK_SYNC_TOKEN`` (a
token on the command line is visible to other users of the machine in the process list). The
station is the token's: the server names it. ``push`` exits 0 only when the server has
acknowledged every event; a server that cannot be reached is one line and exit 1, and nothing is
lost (events count as sent only once acknowledged).
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from kiosk.sync import SyncClient, SyncState
    from local_store import EventStore

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def register(sub: Any) -> None:
    """Add `kiosk sync` and its subcommands to the `kiosk` parser's subparsers."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", required=True, help="the station's record database")
    common.add_argument("--server", help="central server URL (default $KIOSK_SERVER)")
    common.add_argument("--token", help="this station's token (default $KIOSK_SYNC_TOKEN)")
    common.add_argument("--timeout", type=float, default=10.0, help="seconds per request (10)")
    common.add_argument(
        "--ca-bundle", help="PEM file of a private CA for the server (default $KIOSK_CA_BUNDLE)"
    )
    sync = sub.add_parser("sync", help="exchange records with the central server")
    sync_sub = sync.add_subparsers(dest="sync_cmd", required=True)
    push = sync_sub.add_parser("push", parents=[common], help="send events not yet acknowledged")
    push.add_argument("--batch-size", type=int, default=500, help="events per request (500)")
    push.set_defaults(func=cmd_push)
    pull = sync_sub.add_parser("pull", parents=[common], help="fetch newer master data")
    pull.add_argument("--recipes-dir", help="also write pulled recipes here as YAML files")
    pull.set_defaults(func=cmd_pull)
    status = sync_sub.add_parser("status", parents=[common], help="what is sent, what is not")
    status.set_defaults(func=cmd_status)
    results = sync_sub.add_parser(
        "results", parents=[common], help="take in QC results from the LIMS for held batches"
    )
    results.add_argument("--recipes", help="folder of master recipes (default: the bundled ones)")
    results.set_defaults(func=cmd_results)


def _endpoint(args: argparse.Namespace, out: TextIO) -> tuple[str, str] | None:
    server = args.server or os.environ.get("KIOSK_SERVER")
    token = args.token or os.environ.get("KIOSK_SYNC_TOKEN")
    if not server or not token:
        print(
            f"sync {args.sync_cmd}: give the server and this station's token "
            "(--server URL --token T, or KIOSK_SERVER and KIOSK_SYNC_TOKEN)",
            file=out,
        )
        return None
    return server, token


def _client(args: argparse.Namespace, server: str, token: str) -> SyncClient:
    from kiosk.sync import SyncClient  # httpx loads only for sync commands

    ca_bundle = args.ca_bundle or os.environ.get("KIOSK_CA_BUNDLE") or None
    return SyncClient(server, token, timeout=args.timeout, ca_bundle=ca_bundle)


def _open(db: str, station: str) -> EventStore:
    from local_store import EventStore

    return EventStore(db, station, create=False)


def _not_sent(db: str, state: SyncState) -> str:
    """'N events wait to be sent' from local knowledge only (the server may be unreachable)."""
    from local_store import StoreError

    stations = state.stations()
    try:
        if stations:
            with _open(db, stations[0]) as store:
                last = store.last()
                waiting = (last.seq if last else 0) - state.acknowledged(stations[0])[0]
        else:
            with _open(db, "unknown") as store:
                waiting = store.count()
    except StoreError:
        return "nothing was lost"
    return f"nothing was lost: {max(0, waiting)} events wait to be sent"


def _station_of_db(store: EventStore) -> str | None:
    """The station whose events the database holds (None when empty)."""
    events = store.events()
    try:
        first = next(events, None)
    finally:
        close = getattr(events, "close", None)
        if callable(close):
            close()
    return first.station if first is not None else None


def _check_db_station(store: EventStore, out: TextIO) -> bool:
    if store.last() is None and store.count():
        print(
            f"sync: {store.path} holds the record of station {_station_of_db(store)}, but the "
            f"token belongs to station {store.station}",
            file=out,
        )
        return False
    return True


def cmd_push(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.sync import ServerUnavailable, SyncError, SyncState, push_pending
    from local_store import StoreError

    endpoint = _endpoint(args, out)
    if endpoint is None:
        return EXIT_USAGE
    if not Path(args.db).exists():
        print(f"sync push: no database at {args.db}", file=out)
        return EXIT_FAIL
    state = SyncState(SyncState.path_for(args.db))
    try:
        with _client(args, *endpoint) as client:
            station = client.head().station
            with _open(args.db, station) as store:
                if not _check_db_station(store, out):
                    return EXIT_FAIL
                result = push_pending(store, client, state, batch_size=args.batch_size)
    except ServerUnavailable as exc:
        print(f"sync push: {exc}; {_not_sent(args.db, state)}", file=out)
        return EXIT_FAIL
    except (SyncError, StoreError) as exc:
        print(f"sync push: {exc}", file=out)
        return EXIT_FAIL
    if result.pending:
        print(
            f"sync push: sent {result.sent} events to {endpoint[0]}; {result.pending} of station "
            f"{result.station} are still not acknowledged",
            file=out,
        )
        return EXIT_FAIL
    print(
        f"sent {result.sent} events to {endpoint[0]}; all {result.acknowledged} events of station "
        f"{result.station} are acknowledged",
        file=out,
    )
    return EXIT_OK


def cmd_pull(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.sync import SyncError, SyncState, pull_master

    endpoint = _endpoint(args, out)
    if endpoint is None:
        return EXIT_USAGE
    if not Path(args.db).exists():
        print(f"sync pull: no database at {args.db}", file=out)
        return EXIT_FAIL
    state = SyncState(SyncState.path_for(args.db))
    try:
        with _client(args, *endpoint) as client:
            received = pull_master(client, state)
    except SyncError as exc:
        print(f"sync pull: {exc}; the master data held before is unchanged", file=out)
        return EXIT_FAIL
    counts = ", ".join(
        f"{kind} {received[kind]} new (version {state.master_version(kind)})" for kind in received
    )
    print(f"pulled from {endpoint[0]}: {counts}", file=out)
    if args.recipes_dir:
        written = _write_recipes(state, Path(args.recipes_dir))
        print(f"wrote {written} recipe files to {args.recipes_dir}", file=out)
    return EXIT_OK


def _write_recipes(state: SyncState, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for item in state.master_items("recipes"):
        name = f"{item['recipe_id']}-v{item['recipe_version']}.yaml"
        safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in name)
        (folder / safe).write_text(item["yaml"], encoding="utf-8")
        count += 1
    return count


def cmd_status(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.sync import KINDS, SyncError, SyncState
    from local_store import StoreError

    if not Path(args.db).exists():
        print(f"sync status: no database at {args.db}", file=out)
        return EXIT_FAIL
    state = SyncState(SyncState.path_for(args.db))
    code = EXIT_OK
    try:
        stations = state.stations()
        if not stations:
            with _open(args.db, "unknown") as store:
                print(f"{args.db}: never synced; {store.count()} events not yet sent", file=out)
        for station in stations:
            acknowledged, _digest, at = state.acknowledged(station)
            with _open(args.db, station) as store:
                last = store.last()
            total = last.seq if last else 0
            print(
                f"station {station}: {total} events, {acknowledged} acknowledged by the server "
                f"(as of {at or 'never'}), {max(0, total - acknowledged)} not yet sent",
                file=out,
            )
    except StoreError as exc:
        print(f"sync status: {exc}", file=out)
        return EXIT_FAIL
    versions = ", ".join(f"{kind} v{state.master_version(kind)}" for kind in KINDS)
    print(f"master data held: {versions}", file=out)
    server = args.server or os.environ.get("KIOSK_SERVER")
    token = args.token or os.environ.get("KIOSK_SYNC_TOKEN")
    if server and token:
        try:
            with _client(args, server, token) as client:
                head = client.head()
            print(
                f"server {server}: online, holds {head.acknowledged} events of station "
                f"{head.station}",
                file=out,
            )
        except SyncError as exc:
            print(f"server {server}: offline — {exc}", file=out)
            code = EXIT_FAIL
    return code


def cmd_results(args: argparse.Namespace, out: TextIO) -> int:
    """Apply the server's new ``qc.result`` events to the batches this station holds, and take
    in QA's portal decisions on them (dispositions, releases, deviations: ``kiosk.qa_pull``)."""
    from kiosk.auth import Auth
    from kiosk.clock import system_clock
    from kiosk.engine import Engine
    from kiosk.qa_pull import pull_qa
    from kiosk.recipebook import from_pulled, load_folder
    from kiosk.resources import recipes_dir
    from kiosk.results import pull_results
    from kiosk.sync import SyncError, SyncState
    from local_store import StoreError

    endpoint = _endpoint(args, out)
    if endpoint is None:
        return EXIT_USAGE
    if not Path(args.db).exists():
        print(f"sync results: no database at {args.db}", file=out)
        return EXIT_FAIL
    folder = Path(args.recipes) if args.recipes else recipes_dir()
    try:
        with _client(args, *endpoint) as client:
            station = client.head().station
            with _open(args.db, station) as store:
                if not _check_db_station(store, out):
                    return EXIT_FAIL
                engine = Engine(store, Auth(store, system_clock), {}, system_clock)
                pulled = from_pulled(SyncState(SyncState.path_for(args.db)).master_items("recipes"))
                for loaded in [*load_folder(folder).values(), *pulled.values()]:
                    engine.add_recipe(loaded)  # every version: old batches go on
                report = pull_results(engine, client)
                decisions = pull_qa(engine, client)
    except (SyncError, StoreError) as exc:
        print(f"sync results: {exc}", file=out)
        return EXIT_FAIL
    for line in report.applied:
        print(f"taken in: {line}", file=out)
    for batch, count in decisions.taken.items():
        print(f"QA decisions taken in: {batch} ({count} server events)", file=out)
    report.unreachable += decisions.unreachable
    for line in report.refused + report.unreachable:
        print(f"not taken: {line}", file=out)
    print(
        f"results: {len(report.applied)} taken in, {len(report.refused)} refused, "
        f"{len(report.unreachable)} batches not reached",
        file=out,
    )
    return EXIT_OK if not (report.refused or report.unreachable) else EXIT_FAIL
