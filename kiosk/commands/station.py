"""`kiosk setup`, `kiosk backup` and `kiosk restore`: putting a station into service safely.

`setup` writes the station configuration, creates the record database and its
first admin, and refuses to touch an existing station unless told `--force`
(and then only after taking a verified backup). `backup` uses SQLite's online
backup (safe while the kiosk runs) and verifies the copy's hash chain.
`restore` puts a verified backup in place, keeping the current file aside.
"""

from __future__ import annotations

import argparse
import getpass
import os
import shutil
import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from kiosk.auth import Auth, AuthError
from kiosk.clock import system_clock
from kiosk.startup import open_station_store
from local_store import EventStore, StoreError

EXIT_OK, EXIT_FAIL = 0, 1

CONFIG_TEMPLATE = """\
# Station configuration written by `kiosk setup` on {when}.
# Reference: docs/admin.md. Devices are added by a technician (docs/technician.md).

[station]
id = "{station}"
db = "{db}"
recipes = "{recipes}"

[panel]
diagonal_in = {diagonal}
width_px = {width}
height_px = {height}

[security]
inactivity_minutes = {inactivity}
max_failed_logins = 5
password_days = 90

[server]
{server}
"""


def _secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def backup_database(source: Path, target: Path) -> int:
    """Copy a live station database with SQLite's online backup; returns events verified.

    Raises StoreError when the source is unreadable or the copy does not verify.
    """
    if not source.exists():
        raise StoreError(f"no database at {source}")
    if target.exists():
        raise StoreError(f"{target} exists already: choose a new backup file")
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # like the record
    except OSError as exc:
        raise StoreError(f"cannot create the backup file {target}: {exc.strerror}") from exc
    try:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            dst = sqlite3.connect(target)
            try:
                src.backup(dst)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"backup of {source} failed: {exc}") from exc
    with EventStore(target, "BACKUP-CHECK", read_only=True) as copy:
        result = copy.verify()
    if not result.ok:
        raise StoreError(
            f"the backup does not verify: event {result.bad_seq} — {result.problem}; "
            "the source may be damaged: run `kiosk audit verify` on it"
        )
    return result.events


def cmd_backup(args: argparse.Namespace, out: TextIO) -> int:
    try:
        events = backup_database(Path(args.db), Path(args.output))
    except StoreError as exc:
        print(f"backup: {exc}", file=out)
        return EXIT_FAIL
    print(f"backup written to {args.output}: {events} events, chain verified", file=out)
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, out: TextIO) -> int:
    source, target = Path(args.backup), Path(args.db)
    try:
        with EventStore(source, "RESTORE-CHECK", read_only=True) as copy:
            result = copy.verify()
    except StoreError as exc:
        print(f"restore: {exc}", file=out)
        return EXIT_FAIL
    if not result.ok:
        print(f"restore: {source} does not verify ({result.problem}); nothing changed", file=out)
        return EXIT_FAIL
    if target.exists():
        if not args.force:
            print(
                f"restore: {target} exists; add --force to replace it (it is kept aside)", file=out
            )
            return EXIT_FAIL
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        aside = target.with_name(f"{target.name}.replaced-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            old = Path(f"{target}{suffix}")
            if old.exists():
                old.rename(Path(f"{aside}{suffix}"))
        print(f"the current database was kept as {aside}", file=out)
    shutil.copy2(source, target)
    print(f"restored {result.events} events from {source} to {target}", file=out)
    return EXIT_OK


def _check_registration(server: str, token_file: Path, ca_bundle: str | None) -> str | None:
    """Ask the central server whether it accepts this station's token; the problem, or None."""
    from kiosk.sync import SyncClient, SyncError

    try:
        token = token_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        return f"cannot read the token file {token_file}: {exc.strerror}"
    try:
        with SyncClient(server, token, timeout=10, ca_bundle=ca_bundle) as client:
            client.head()
    except SyncError as exc:
        return f"the central server did not accept this station: {exc}"
    return None


def _server_key(args: argparse.Namespace, db: Path) -> tuple[str | None, str | None]:
    """The server's receipt key to pin at setup, and the problem, if any.

    ``--server-key FILE`` (from `central key`) is the key; set up online, the key the server
    serves must be the same. Without it, an online set-up takes the served key and prints its
    fingerprint for the admin to compare with `central key`. Offline without a file: none yet
    (pinned at the first push)."""
    from kiosk import receipts
    from kiosk.sync import SyncClient, SyncError, SyncState

    given = None
    if args.server_key:
        try:
            given = Path(args.server_key).read_text(encoding="ascii")
            receipts.check_key(given)
        except (OSError, UnicodeDecodeError) as exc:
            return None, f"cannot read the server key {args.server_key}: {exc}"
        except (ValueError, receipts.ReceiptError) as exc:
            return None, f"{args.server_key} is not the server's receipt key: {exc}"
    served = None
    if args.server and not args.offline:
        try:
            token = Path(args.token_file).read_text(encoding="utf-8").strip()
            with SyncClient(args.server, token, timeout=10, ca_bundle=args.ca_bundle) as client:
                answer = client.get("/keys/receipts")
        except (OSError, SyncError) as exc:
            return None, f"the server's receipt key could not be fetched: {exc}"
        served = answer.get("public_key") if isinstance(answer, dict) else None
        if not isinstance(served, str):
            return None, "the server sent no receipt key"
        if given is not None and receipts.fingerprint(served) != receipts.fingerprint(given):
            return None, (
                f"the server's receipt key ({receipts.fingerprint(served)}) is not the one in "
                f"{args.server_key} ({receipts.fingerprint(given)}): not set up"
            )
    key = given if given is not None else served
    pinned = receipts.pinned_key(SyncState.path_for(db))
    if key is not None and pinned is not None and pinned.strip() != key.strip():
        return None, (
            f"this station already trusts another server key ({receipts.fingerprint(pinned)}); "
            "a new server needs a new station database"
        )
    return key, None


def _pin_server_key(db: Path, pem: str, out: TextIO) -> None:
    from kiosk import receipts
    from kiosk.sync import SyncState

    path = SyncState(SyncState.path_for(db)).path  # made 0600: it will hold the users' hashes
    receipts.pin_key(path, pem)
    print(
        f"the server's receipt key is pinned: fingerprint {receipts.fingerprint(pem)} "
        "(compare it with `central key` at the server)",
        file=out,
    )


def cmd_setup(args: argparse.Namespace, out: TextIO) -> int:
    config, db = Path(args.config), Path(args.db)
    existing = [p for p in (config, db) if p.exists()]
    if existing and not args.force:
        print(
            f"setup: {', '.join(map(str, existing))} exist already: this station is set up. "
            "Use --force to set it up again (a backup is taken first).",
            file=out,
        )
        return EXIT_FAIL
    if db.exists():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        backup = db.with_name(f"{db.name}.before-setup-{stamp}")
        try:
            events = backup_database(db, backup)
        except StoreError as exc:
            print(f"setup: could not back up the existing database: {exc}", file=out)
            return EXIT_FAIL
        print(f"backed up {events} events to {backup}", file=out)
    server = (
        f'url = "{args.server}"\ntoken_file = "{args.token_file}"'
        + (f'\nca_bundle = "{Path(args.ca_bundle).resolve()}"' if args.ca_bundle else "")
        if args.server
        else "# standalone: no central server"
    )
    if args.server:
        from kiosk.sync import url_problem

        bad_url = url_problem(args.server)
        if bad_url is not None:
            print(f"setup: {bad_url}", file=out)
            return EXIT_FAIL
    if args.server and not args.token_file:
        print("setup: a central server needs --token-file (from `central stations add`)", file=out)
        return EXIT_FAIL
    if args.server and not args.offline:
        problem = _check_registration(args.server, Path(args.token_file), args.ca_bundle)
        if problem:
            print(f"setup: {problem} (use --offline to set up now and sync later)", file=out)
            return EXIT_FAIL
        print(f"the central server knows this station's token: {args.server}", file=out)
    server_key, problem = _server_key(args, db) if args.server else (None, None)
    if problem:
        print(f"setup: {problem}", file=out)
        return EXIT_FAIL
    db.parent.mkdir(parents=True, exist_ok=True)
    try:
        # --force on an existing database: only as the station whose record it holds
        with open_station_store(db, args.station, create=True, default=args.station) as store:
            auth = Auth(store, system_clock)
            if args.server:  # users are the server's: this station writes none (docs/admin.md)
                store.append(
                    "station.setup",
                    {"station": args.station, "server": args.server, "config": str(config)},
                    actor="system",
                )
                print(
                    "Users are managed at the central server: the station pulls them "
                    "(`central users add ...` there)",
                    file=out,
                )
            elif not args.admin or not args.admin_name:
                print("setup: a standalone station needs --admin and --admin-name", file=out)
                return EXIT_FAIL
            elif args.admin in auth.users:
                print(f"admin {args.admin} exists already in {db}", file=out)
            else:
                password = _secret(f"password for the first admin {args.admin}: ")
                auth.add_user(args.admin, args.admin_name, ["admin"], password, by="system")
                store.append(
                    "station.setup",
                    {"station": args.station, "server": args.server, "config": str(config)},
                    actor=f"u:{args.admin}",
                )
    except (StoreError, AuthError) as exc:
        print(f"setup: {exc}", file=out)
        return EXIT_FAIL
    if server_key is not None:
        _pin_server_key(db, server_key, out)
    elif args.server:
        print(
            "the server's receipt key is not pinned yet: it will be at the first push "
            "(give --server-key FILE from `central key` to pin it now)",
            file=out,
        )
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        CONFIG_TEMPLATE.format(
            when=datetime.now(UTC).isoformat(timespec="seconds"),
            station=args.station,
            db=db.resolve(),
            recipes=Path(args.recipes).resolve(),
            diagonal=args.panel_diagonal,
            width=args.panel_width,
            height=args.panel_height,
            inactivity=args.inactivity,
            server=server,
        ),
        encoding="utf-8",
    )
    print(f"station {args.station} set up: configuration {config}, records {db}", file=out)
    return EXIT_OK


def register(sub: Any) -> None:
    """Add `setup`, `backup` and `restore` to the `kiosk` command."""
    setup = sub.add_parser("setup", help="set up this station (first run)")
    setup.add_argument("--station", required=True, help="station id, e.g. CR2-K1")
    setup.add_argument("--config", default="/etc/kiosk/station.toml")
    setup.add_argument("--db", default="/var/lib/kiosk/station.sqlite")
    setup.add_argument("--recipes", default="recipes")
    setup.add_argument("--admin", help="user id of the first admin (standalone station only)")
    setup.add_argument("--admin-name", help="printed name of the first admin (standalone only)")
    setup.add_argument("--server", help="central server URL (omit for a standalone station)")
    setup.add_argument("--token-file", help="file holding this station's token")
    setup.add_argument(
        "--ca-bundle", help="PEM file of the private CA that signed the server's certificate"
    )
    setup.add_argument(
        "--offline", action="store_true", help="do not check the token with the server now"
    )
    setup.add_argument("--panel-diagonal", type=float, default=10.1)
    setup.add_argument("--panel-width", type=int, default=1280)
    setup.add_argument("--panel-height", type=int, default=800)
    setup.add_argument("--inactivity", type=float, default=5)
    setup.add_argument("--force", action="store_true", help="set up again (backs up first)")
    setup.add_argument(
        "--server-key",
        help="PEM file of the server's receipt key (`central key --out FILE` at the server), "
        "pinned now; set up online, the server must serve the same key",
    )
    setup.set_defaults(func=cmd_setup)

    backup = sub.add_parser("backup", help="online backup of the record database, verified")
    backup.add_argument("--db", required=True)
    backup.add_argument("-o", "--output", required=True)
    backup.set_defaults(func=cmd_backup)

    restore = sub.add_parser("restore", help="put a verified backup in place")
    restore.add_argument("backup")
    restore.add_argument("--db", required=True)
    restore.add_argument("--force", action="store_true", help="replace an existing database")
    restore.set_defaults(func=cmd_restore)
