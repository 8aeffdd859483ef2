"""The `kiosk` command: one entry point for the station's headless tools.

Every command prints operator-readable lines and exits non-zero on failure;
none prints a traceback for bad input. Qt is loaded only by commands that
open a window.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import importlib
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from kiosk import __version__
from kiosk.commands import MODULES
from kiosk.logsetup import setup_logging
from kiosk.text import Text

if TYPE_CHECKING:
    from kiosk.auth import Auth
    from local_store import EventStore

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2


def _default_station() -> str:
    return os.environ.get("KIOSK_STATION", "STATION-1")


# ---------------------------------------------------------------- recipe


def cmd_recipe_validate(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.recipe import RecipeError, load_recipe

    bad = 0
    for name in args.files:
        try:
            loaded = load_recipe(name)
        except RecipeError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem, file=out)
            continue
        r = loaded.recipe
        steps = sum(len(s.steps) for s in r.stages)
        print(
            f"{name}: ok — {r.id} v{r.version} ({r.status}), {len(r.stages)} stages, "
            f"{steps} steps, sha256 {loaded.sha256[:12]}",
            file=out,
        )
    return EXIT_FAIL if bad else EXIT_OK


def cmd_recipe_schema(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.recipe import recipe_json_schema

    text = json.dumps(recipe_json_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"wrote {args.output}", file=out)
    else:
        out.write(text)
    return EXIT_OK


# ---------------------------------------------------------------- audit


def cmd_audit_verify(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.config import ConfigError
    from local_store import EventStore, StoreError

    try:
        with EventStore(args.db, _default_station(), read_only=True) as store:
            result = store.verify()
    except StoreError as exc:
        print(f"audit verify: {exc}", file=out)
        return EXIT_FAIL
    if result.ok:
        checked, problem = _receipts_problem(args.db)
        asked = ""
        if problem is None:
            try:
                asked, problem = _server_problem(args.config, args.db)
            except ConfigError as exc:
                print(f"audit verify: {exc}", file=out)
                return EXIT_FAIL
        if problem is not None:
            print(f"{args.db}: RECORD REWRITTEN: {problem}", file=out)
            return EXIT_FAIL
        against = f"; matches the server's {checked} signed receipts" if checked else ""
        print(
            f"{args.db}: chain intact — {result.events} events, {result.batches} batches, "
            f"{result.first_ts or '-'} to {result.last_ts or '-'}{against}{asked}",
            file=out,
        )
        return EXIT_OK
    station = f"station {result.bad_station} " if result.bad_station else ""
    print(f"{args.db}: CHAIN BROKEN at {station}event {result.bad_seq}: {result.problem}", file=out)
    return EXIT_FAIL


def _receipts_problem(db: str) -> tuple[int, str | None]:
    """Check the chain against the server's receipts kept beside the database (read only)."""
    from kiosk import receipts
    from kiosk.sync import SyncState
    from local_store import EventStore

    sync_file = SyncState.path_for(db)
    if not sync_file.exists():
        return 0, None
    with EventStore(db, _default_station(), read_only=True) as store:
        owners = store.stations()
    if len(owners) != 1:
        return 0, None
    with EventStore(db, owners[0], read_only=True) as store:
        return receipts.check(store, sync_file)


def _server_problem(config: str | None, db: str) -> tuple[str, str | None]:
    """(what was said, the problem or None) of the chain against the last event the server
    holds of it, when ``config`` names a server; a server out of reach is said, not a problem.
    This catches a file rewritten together with the receipts beside it."""
    from kiosk.config import load_config
    from kiosk.sync import SyncClient, SyncError
    from local_store import EventStore, StoreError

    server = load_config(config).server if config else None
    if server is None or not server.url:
        return "", None
    try:
        token = server.token_file.read_text(encoding="utf-8").strip() if server.token_file else ""
        with SyncClient(server.url, token, timeout=10, ca_bundle=server.ca_bundle) as client:
            head = client.head()
    except (SyncError, OSError) as exc:
        return f"; the server was not asked ({exc})", None
    if head.acknowledged == 0:
        return "; the server holds none of its events yet", None
    try:
        with EventStore(db, head.station, read_only=True) as store:
            after = store.events(station=head.station, after_seq=head.acknowledged - 1)
            found = next(iter(after), None)
    except StoreError as exc:
        return "", f"the server's token is for {head.station}: {exc}"
    if found is None or found.seq != head.acknowledged:
        return "", (
            f"event {head.acknowledged} of {head.station}, which the server holds, is not in this "
            "file: the record was cut"
        )
    if found.hash != head.acknowledged_hash:
        return "", (
            f"event {head.acknowledged} of {head.station} is not the event the server holds (its "
            "hash differs): the record was rewritten at or before it"
        )
    return f"; matches the server's head (event {head.acknowledged})", None


# ---------------------------------------------------------------- users


def _server_for(args: argparse.Namespace) -> str | None:
    """The central server this station syncs with: --config's [server], $KIOSK_SERVER, or a
    sync file beside the database (it has talked to one). None for a standalone station."""
    from kiosk.config import load_config
    from kiosk.sync import SyncState

    if getattr(args, "config", None):
        url = load_config(args.config).server.url
        if url:
            return url
    if os.environ.get("KIOSK_SERVER"):
        return os.environ["KIOSK_SERVER"]
    if SyncState.path_for(args.db).exists():
        return "the central server this station syncs with"
    return None


def _open_auth(db: str, station: str | None, server: str | None = None) -> tuple[EventStore, Auth]:
    from kiosk.auth import Auth
    from kiosk.clock import system_clock
    from kiosk.startup import open_station_store

    store = open_station_store(db, station, create=True, default=_default_station())
    if server is None:
        return store, Auth(store, system_clock)
    from kiosk.sync import ServerUsers, SyncClient, SyncError, SyncState

    def offline() -> SyncClient:
        raise SyncError(Text("the command line sets no passwords"))

    pulled = ServerUsers(SyncState(SyncState.path_for(db)), offline)
    return store, Auth(store, system_clock, authority=pulled)


def cmd_users(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.auth import MANAGED, AuthError
    from kiosk.commands.signing import read_secret, sign_change
    from kiosk.config import ConfigError
    from kiosk.sync import SyncError
    from local_store import StoreError

    try:
        server = _server_for(args)
        store, auth = _open_auth(args.db, args.station, server)
    except (StoreError, ConfigError, SyncError) as exc:
        print(f"users: {exc}", file=out)
        return EXIT_FAIL
    with store:
        if server is not None and args.users_cmd != "list":
            print(
                f"users: refused: {MANAGED} ({server}): use `central users "
                f"{args.users_cmd} ...` there; this station holds a read-only copy",
                file=out,
            )
            return EXIT_FAIL
        if args.users_cmd == "list":
            if server is not None:
                print(f"{MANAGED} ({server}); this is the station's read-only copy", file=out)
            for user in auth.users.values():
                flags = [
                    f for f, on in (("disabled", user.disabled), ("locked", user.locked)) if on
                ]
                print(
                    f"{user.id:16} {user.name:28} {','.join(sorted(user.roles)):24} "
                    f"{' '.join(flags) or 'active'}",
                    file=out,
                )
            return EXIT_OK
        change: dict[str, object] = {"command": args.users_cmd, "user": args.user_id}
        if args.users_cmd == "add":
            change.update(name=args.name, roles=sorted(args.role), badge=args.badge)
        else:
            change["reason"] = args.reason
        try:
            if args.users_cmd == "add" and not auth.users:
                if "admin" not in args.role:
                    print("the first user must be an admin (--role admin)", file=out)
                    return EXIT_FAIL
                password = read_secret(f"password for new user {args.user_id}: ")
                auth.add_user(args.user_id, args.name, args.role, password, by="system")
                print(f"added {args.user_id} ({', '.join(sorted(args.role))})", file=out)
                return EXIT_OK
            signed = sign_change(auth, args.admin, "user.manage", change, out)
            if signed is None:
                return EXIT_FAIL
            actor, signature = signed
            if args.users_cmd == "add":
                password = read_secret(f"password for new user {args.user_id}: ")
                auth.add_user(
                    args.user_id,
                    args.name,
                    args.role,
                    password,
                    by=actor,
                    badge=args.badge,
                    temporary=True,
                    signature=signature,
                )
                print(f"added {args.user_id} ({', '.join(sorted(args.role))})", file=out)
            elif args.users_cmd == "disable":
                auth.disable(args.user_id, by=actor, reason=args.reason, signature=signature)
                print(f"disabled {args.user_id}", file=out)
            else:
                password = read_secret(f"temporary password for {args.user_id}: ")
                auth.reset_password(
                    args.user_id, password, by=actor, reason=args.reason, signature=signature
                )
                print(
                    f"reset the password of {args.user_id}: they choose a new one at login",
                    file=out,
                )
        except AuthError as exc:
            print(f"refused: {exc}", file=out)
            return EXIT_FAIL
    return EXIT_OK


# ---------------------------------------------------------------- oq and demo


def cmd_oq_run(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.oq import OqError, run_script

    if args.db is None and args.central_db is None:
        print("oq: give --db FILE, or --central-db URL for a script across stations", file=out)
        return EXIT_FAIL
    ok = True
    for script in args.scripts:
        try:
            ok = (
                run_script(
                    Path(script),
                    Path(args.db) if args.db else None,
                    out,
                    central_db=args.central_db,
                    db_dir=Path(args.db_dir) if args.db_dir else None,
                )
                and ok
            )
        except OqError as exc:
            print(f"oq: {exc}", file=out)
            return EXIT_FAIL
    return EXIT_OK if ok else EXIT_FAIL


def cmd_demo(args: argparse.Namespace, out: TextIO) -> int:
    """Headless demo until the screens exist: the reference batch through the engine."""
    from kiosk.oq import OqError, run_script
    from kiosk.resources import oq_dir

    script = oq_dir() / "car-t-full-batch.yaml"
    target = Path(args.out).resolve()
    target.mkdir(parents=True, exist_ok=True)
    db = target / "demo.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    try:
        ok = run_script(script, db, out)
    except OqError as exc:
        print(f"demo: {exc}", file=out)
        return EXIT_FAIL
    from kiosk.ebr import EbrError, export

    batch = "B-OQ-0001"
    try:
        for name, options in (
            ("batch-record.pdf", {}),
            ("review-report.pdf", {"review_only": True}),
            ("batch-record.batchml.xml", {"fmt": "batchml"}),
        ):
            print(export(db, batch, target / name, **options), file=out)
    except EbrError as exc:
        print(f"demo: {exc}", file=out)
        return EXIT_FAIL
    print(
        f"\nThe electronic record is in {db}; its printed copies are beside it.\n"
        f"  Check its audit trail:  .venv/bin/kiosk audit verify --db {db}\n"
        f"  Review by exception:    .venv/bin/kiosk review --db {db} --batch {batch}\n"
        f"  Read the record:        {target / 'batch-record.pdf'}\n",
        file=out,
    )
    return EXIT_OK if ok else EXIT_FAIL


# ---------------------------------------------------------------- parser


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Cleanroom kiosk station tools")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    parser.add_argument("--log-file", type=Path, help="also write a rotated JSON log here")
    sub = parser.add_subparsers(dest="command", required=True)

    recipe = sub.add_parser("recipe", help="master recipes").add_subparsers(
        dest="recipe_cmd", required=True
    )
    validate = recipe.add_parser("validate", help="check recipe files")
    validate.add_argument("files", nargs="+")
    validate.set_defaults(func=cmd_recipe_validate)
    schema = recipe.add_parser("schema", help="print or write the recipe JSON Schema")
    schema.add_argument("-o", "--output")
    schema.set_defaults(func=cmd_recipe_schema)

    audit = sub.add_parser("audit", help="the audit trail").add_subparsers(
        dest="audit_cmd", required=True
    )
    verify = audit.add_parser("verify", help="walk the hash chain")
    verify.add_argument("--db", required=True)
    verify.add_argument(
        "--config", help="the station configuration: with a [server], also check its head there"
    )
    verify.set_defaults(func=cmd_audit_verify)

    users = sub.add_parser(
        "users", help="user administration (admins; a standalone station only, else read-only)"
    )
    users.add_argument("--db", required=True)
    users.add_argument("--config", help="the station configuration (a [server] makes it read-only)")
    users.add_argument(
        "--station", help="station id (default: the database's own; a new one: $KIOSK_STATION)"
    )
    users_sub = users.add_subparsers(dest="users_cmd", required=True)
    users_sub.add_parser("list", help="list users").set_defaults(func=cmd_users)
    add = users_sub.add_parser("add", help="add a user (password read from the terminal or stdin)")
    add.add_argument("user_id")
    add.add_argument("--name", required=True, help="printed name, as shown on signatures")
    add.add_argument("--role", action="append", required=True)
    add.add_argument("--badge")
    add.add_argument("--admin", help="the admin making the change (asks for their password)")
    add.set_defaults(func=cmd_users)
    for name in ("disable", "reset-password"):
        cmd = users_sub.add_parser(name)
        cmd.add_argument("user_id")
        cmd.add_argument("--reason", required=True)
        cmd.add_argument("--admin", required=True)
        cmd.set_defaults(func=cmd_users)

    oq = sub.add_parser("oq", help="validation scripts").add_subparsers(
        dest="oq_cmd", required=True
    )
    run = oq.add_parser("run", help="run OQ scripts against a database")
    run.add_argument("scripts", nargs="+")
    run.add_argument("--db", help="the station database (a script of one station)")
    run.add_argument(
        "--central-db",
        help="a script across stations: the central server's database (SQLAlchemy URL or "
        "SQLite file); a real server is started on it",
    )
    run.add_argument(
        "--db-dir", help="where each station's database goes (default: beside --central-db)"
    )
    run.set_defaults(func=cmd_oq_run)

    demo = sub.add_parser(
        "demo",
        help="the reference batch, headless, with its printed record (`kiosk gui --demo`: screens)",
    )
    demo.add_argument("--out", default="demo-output")
    demo.set_defaults(func=cmd_demo)
    for name in MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    setup_logging(args.verbose, args.log_file)
    func: Callable[[argparse.Namespace, TextIO], int] = args.func
    try:
        return func(args, out)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`kiosk users list | head`): nothing more can be said to it
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAIL
    except Exception as exc:
        line = environment_failure(exc)
        if line is None:
            raise  # a programming error: its traceback is what a developer needs
        log.debug("%s failed", args.command, exc_info=True)
        print(f"{_command_name(args)}: {line}", file=out)
        return EXIT_FAIL


def environment_failure(exc: BaseException) -> str | None:
    """The one line for a failure of the environment (store, disk, files), or None for a bug.

    Every command ends here when the environment fails under it: the record database raises
    StoreError with a sentence already; a full disk, a missing or read-only file raise OSError.
    """
    from local_store import StoreError  # imported here: kiosk --help stays fast

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return "out of memory"
    if isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return f"the disk is full{where}"
        if exc.errno == errno.EROFS:
            return f"the file system is read-only{where}"
        return f"{exc.strerror or exc}{where}"
    return None


def _command_name(args: argparse.Namespace) -> str:
    sub = next(
        (v for k, v in vars(args).items() if k.endswith("_cmd") and isinstance(v, str)), None
    )
    return f"{args.command} {sub}" if sub else str(args.command)
