"""The ``central`` command: run the server and administer it.

    central serve [--db URL] [--host H] [--port P] [--ssl-keyfile F --ssl-certfile F]
    central stations add NAME [--role station|lims|orders] | list | revoke NAME
    central orders add FILE | revise FILE --reason R | cancel ID --reason R | list [--json]
    central recipes upload FILE... --as AUTHOR | submit|review|approve ID VERSION --as USER
    central recipes list [ID] | diff ID OLD NEW
    central equipment add ASSET --kind K --serial S [--model M] --calibration-due DATE | list
    central materials add CODE --name NAME --gtin GTIN... | list          (central.cli_materials)
    central lots add GTIN LOT --material CODE --expiry DATE --quantity Q --unit U | list
    central lots quarantine|recall|release LOT --reason R --as USER
    central users add ID --name NAME --roles r1,r2 [--badge B] [--as ADMIN] | list [--json]
    central users disable|enable|reset-password ID --reason R --as ADMIN
    central users set-roles ID --roles r1,r2 --reason R --as ADMIN | password ID
    central users policy [--min-password N --reason R --as ADMIN]
    central verify
    central timestamp [--tsa-url URL] [--tsa-ca FILE] [--tsa-cert FILE]
    central dashboards refresh

Every command takes ``--db`` (a SQLAlchemy URL or a SQLite file; default ``$DATABASE_URL``, else
``central.sqlite``). Commands print operator-readable lines and exit non-zero on failure; none
prints a traceback for bad input or an unreachable database.
"""

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TextIO

from sqlalchemy import func, select

from central import (
    __version__,
    cli_batches,
    cli_dashboards,
    cli_db,
    cli_genealogy,
    cli_materials,
    cli_orders,
    cli_recipes,
    master,
    schema,
    stations,
)
from central.errors import CentralError
from central.store import CentralStore

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAIL, EXIT_USAGE = 0, 1, 2

Command = Callable[[argparse.Namespace, CentralStore, TextIO], int]


def cmd_serve(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    import uvicorn  # noqa: PLC0415  # only the server needs it

    from central.api import create_app  # noqa: PLC0415  # FastAPI import is slow for admin commands

    if bool(args.ssl_keyfile) != bool(args.ssl_certfile):
        print("serve: give both --ssl-keyfile and --ssl-certfile, or neither", file=out)
        return EXIT_USAGE
    scheme = "https" if args.ssl_certfile else "http"
    print(
        f"central {__version__}: serving {store.display_url} on {scheme}://{args.host}:{args.port}",
        file=out,
        flush=True,
    )
    uvicorn.run(
        create_app(store),
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        ssl_keyfile=args.ssl_keyfile,
        ssl_certfile=args.ssl_certfile,
        proxy_headers=args.proxy_headers,
        forwarded_allow_ips=args.forwarded_allow_ips,
    )
    return EXIT_OK


def cmd_stations(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    if args.stations_cmd == "add":
        rooms = [r.strip() for r in (args.rooms or "").split(",") if r.strip()]
        token = stations.add_station(store, args.name, rooms, role=args.role)
        what = "station" if args.role == "station" else f"{args.role} client"
        print(f"registered {what} {args.name}; its token (shown only now):", file=out)
        print(token, file=out)
        return EXIT_OK
    if args.stations_cmd == "revoke":
        stations.revoke_station(store, args.name)
        print(f"revoked the token of station {args.name}; its events stay on the server", file=out)
        return EXIT_OK
    rows = stations.list_stations(store)
    if not rows:
        print("no stations registered (add one with `central stations add NAME`)", file=out)
    for s in rows:
        state = "active" if s.active else f"revoked {s.revoked_at}"
        incidents = f", {s.incidents} incidents" if s.incidents else ""
        role = "" if s.role == "station" else f" ({s.role})"
        print(
            f"{s.name + role:20} {state:32} acknowledged {s.head_seq:>8}  "
            f"last push {s.last_push_at or 'never'}{incidents}",
            file=out,
        )
    return EXIT_OK


def cmd_equipment(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    if args.equipment_cmd == "add":
        version = master.add_equipment(
            store,
            args.asset,
            kind=args.kind,
            serial=args.serial,
            model=args.model,
            calibration_due=args.calibration_due,
            status=args.status,
        )
        print(
            f"recorded {args.asset} ({args.kind}, serial {args.serial}), version {version}",
            file=out,
        )
        return EXIT_OK
    for row in _current(master.page(store, "equipment", 0).items, ("asset",)):
        print(
            f"{row['asset']:12} {row['kind']:9} serial {row['serial']:14} {row['model']:20} "
            f"calibration due {row['calibration_due']}  {row['status']}",
            file=out,
        )
    return EXIT_OK


def _current(rows: list[dict[str, object]], key: Sequence[str]) -> list[dict[str, object]]:
    """The newest row per key (rows come oldest first)."""
    latest: dict[tuple[object, ...], dict[str, object]] = {}
    for row in rows:
        latest[tuple(row[k] for k in key)] = row
    return list(latest.values())


def cmd_verify(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    from central.verify import verify  # noqa: PLC0415  # only this command needs it

    broken = 0
    total = 0
    for check in verify(store):
        total += 1
        if check.ok:
            print(
                f"{check.station}: chain intact — {check.events} events, last seq {check.last_seq}",
                file=out,
            )
        else:
            broken += 1
            print(
                f"{check.station}: CHAIN BROKEN at seq {check.bad_seq}: {check.problem} "
                f"({check.events} events, last seq {check.last_seq})",
                file=out,
            )
    if total == 0:
        print("no stations registered", file=out)
    broken += _check_receipts(args, store, out)
    broken += _check_timestamps(store, out)
    return EXIT_FAIL if broken else EXIT_OK


def _check_timestamps(store: CentralStore, out: TextIO) -> int:
    """Every stored RFC 3161 token re-checked; the tokens with a problem."""
    from central import timestamps  # noqa: PLC0415  # only this command needs it

    config = timestamps.TsaConfig.from_env()
    bad = total = 0
    with store.read() as conn:
        checks = list(timestamps.check(conn, config))
    for c in checks:
        total += 1
        when = f"TSA time {c.tsa_time}" if c.tsa_time else "TSA time unreadable"
        if c.problems:
            bad += 1
            print(f"TIMESTAMP {c.id} ({when}): {'; '.join(c.problems)}", file=out)
        else:
            print(f"timestamp {c.id}: {when}, its {c.heads} heads are still in the chain", file=out)
    if total and not config.ca:
        print(
            f"timestamps: signatures not checked (no TSA CA bundle: set {timestamps.CA_ENV})",
            file=out,
        )
    return bad


def cmd_timestamp(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    from central import timestamps  # noqa: PLC0415  # only this command needs it

    config = timestamps.TsaConfig.from_env(args.tsa_url, args.tsa_ca, args.tsa_cert)
    done = timestamps.stamp(store, config)
    print(
        f"timestamp {done.id}: {len(done.covered)} heads time-stamped by {config.url} at "
        f"{done.tsa_time} ({', '.join(f'{h.station} seq {h.seq}' for h in done.covered)})",
        file=out,
    )
    return EXIT_OK


def _check_receipts(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    """The stored events against the receipts the server signed for them; problems found."""
    from central import receipts  # noqa: PLC0415  # only this command needs it

    database = store.url.database if store.url.drivername.startswith("sqlite") else None
    path = receipts.key_path(database)
    if not path.exists():
        print(f"receipts: not checked (no signing key at {path})", file=out)
        return 0
    public = receipts.load_or_create_key(path).public_key()
    with store.read() as conn:
        problems = list(receipts.check_against_receipts(conn, public))
        count = conn.execute(select(func.count()).select_from(schema.receipts)).scalar_one()
    for p in problems:
        print(f"{p.station}: RECORD REWRITTEN at seq {p.seq}: {p.problem}", file=out)
    if not problems:
        print(f"receipts: the events match all {count} signed receipts", file=out)
    return len(problems)


def cmd_key(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    """The public key stations check receipts with, and its fingerprint (made when missing)."""
    from central import receipts  # noqa: PLC0415  # cryptography only where keys are used
    from kiosk.receipts import fingerprint  # noqa: PLC0415

    database = store.url.database if store.url.drivername.startswith("sqlite") else None
    pem = receipts.public_pem(receipts.load_or_create_key(receipts.key_path(database)))
    if args.out:
        target = Path(args.out)
        try:
            with target.open("x", encoding="ascii") as handle:
                handle.write(pem)
        except FileExistsError:
            raise CentralError(f"{target} exists already: not overwritten") from None
        except OSError as exc:
            raise CentralError(f"cannot write {target}: {exc.strerror}") from exc
        print(f"receipt key written to {target}", file=out)
    else:
        print(pem, end="", file=out)
    print(f"fingerprint {fingerprint(pem)}", file=out)
    return EXIT_OK


def cmd_users(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    from central import users  # noqa: PLC0415  # argon2 only for this command

    if args.users_cmd == "list":
        listed = sorted(users.directory(store).values(), key=lambda u: u.id)
        if args.json:
            print(users.to_json(listed), file=out)
            return EXIT_OK
        if not listed:
            print(
                "no users yet: add the first admin with `central users add ID --name N "
                "--roles admin`",
                file=out,
            )
        for u in listed:
            password = "temporary password" if u.temporary else f"password set {u.password_set}"
            print(
                f"{u.id:16} {u.name:28} {','.join(sorted(u.roles)):24} {u.status:9} {password}",
                file=out,
            )
        return EXIT_OK
    if args.users_cmd == "policy" and args.min_password is None:
        minimum = users.password_policy(store)
        print(f"passwords set or changed from now on: at least {minimum} characters", file=out)
        return EXIT_OK
    if args.users_cmd == "password":
        old = users.read_password(f"current password of {args.user_id}: ")
        chosen = users.read_password(f"new password for {args.user_id}: ")
        users.set_password(store, args.user_id, old, chosen)
        print(f"{args.user_id}: password changed", file=out)
        return EXIT_OK
    admin: str | None = args.admin
    signed_by: str | None = (
        users.read_password(f"password of {admin} (signs the change): ") if admin else None
    )
    roles = [r for r in (args.roles or "").split(",") if r.strip()]
    if args.users_cmd == "add":
        change = users.add_user(
            store, args.user_id, args.name, roles, badge=args.badge, admin=admin, password=signed_by
        )
        how = "bootstrap: the first admin, unsigned" if admin is None else f"signed by {admin}"
        print(f"added {args.user_id} ({', '.join(sorted(set(roles)))}), {how}", file=out)
    elif args.users_cmd == "disable":
        users.disable_user(store, args.user_id, args.reason, admin=admin, password=signed_by)
        print(f"disabled {args.user_id}, signed by {admin}", file=out)
    elif args.users_cmd == "enable":
        users.enable_user(store, args.user_id, args.reason, admin=admin, password=signed_by)
        print(f"enabled {args.user_id}, signed by {admin}", file=out)
    elif args.users_cmd == "policy":
        users.set_policy(
            store, args.min_password, args.reason or "", admin=admin, password=signed_by
        )
        print(
            f"passwords set or changed from now on: at least {args.min_password} characters, "
            f"signed by {admin}; existing passwords keep working until changed",
            file=out,
        )
    elif args.users_cmd == "set-roles":
        users.set_roles(store, args.user_id, roles, args.reason, admin=admin, password=signed_by)
        print(
            f"roles of {args.user_id}: {', '.join(sorted(set(roles)))}, signed by {admin}", file=out
        )
    else:
        change = users.reset_password(
            store, args.user_id, args.reason, admin=admin, password=signed_by
        )
        print(f"reset the password of {args.user_id}, signed by {admin}", file=out)
    if args.users_cmd in ("add", "reset-password"):
        print(f"temporary password (shown only now): {change.password}", file=out)
        print("the user chooses their own password at their first login at a station", file=out)
    return EXIT_OK


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    db = argparse.ArgumentParser(add_help=False)
    db.add_argument(
        "--db",
        help="SQLAlchemy URL (postgresql+psycopg://user@host/db) or SQLite file; "
        "default $DATABASE_URL, else central.sqlite",
    )
    parser = argparse.ArgumentParser(prog="central", description="Cleanroom kiosk central server")
    parser.add_argument("--version", action="version", version=f"central {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log details to stderr")
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", parents=[db], help="run the HTTP server")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--ssl-keyfile", help="TLS private key (PEM); see docs/server.md")
    serve.add_argument("--ssl-certfile", help="TLS certificate chain (PEM)")
    serve.add_argument(
        "--proxy-headers",
        action="store_true",
        help="trust X-Forwarded-* from --forwarded-allow-ips (behind a reverse proxy)",
    )
    serve.add_argument("--forwarded-allow-ips", default="127.0.0.1")
    serve.add_argument(
        "--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"]
    )
    serve.set_defaults(func=cmd_serve)

    st = sub.add_parser("stations", help="station registration and tokens")
    st_sub = st.add_subparsers(dest="stations_cmd", required=True)
    add = st_sub.add_parser("add", parents=[db], help="register a station; prints its token once")
    add.add_argument("name")
    add.add_argument("--rooms", help="comma-separated rooms the station stands in (default: any)")
    add.add_argument(
        "--role",
        choices=stations.ROLES,
        default="station",
        help="station (pushes its record), lims (posts QC results) or orders (upstream orders)",
    )
    st_sub.add_parser("list", parents=[db], help="list stations")
    revoke = st_sub.add_parser("revoke", parents=[db], help="refuse a station's token from now on")
    revoke.add_argument("name")
    st.set_defaults(func=cmd_stations)

    cli_recipes.register(sub, db)

    eq = sub.add_parser("equipment", help="equipment master data")
    eq_sub = eq.add_subparsers(dest="equipment_cmd", required=True)
    eq_add = eq_sub.add_parser("add", parents=[db], help="record an asset or a change of it")
    eq_add.add_argument("asset", help="asset tag, e.g. BAL-7")
    eq_add.add_argument("--kind", required=True, help="balance, scanner, camera or printer")
    eq_add.add_argument("--serial", required=True, help="the serial number the device reports")
    eq_add.add_argument("--model", default="")
    eq_add.add_argument("--calibration-due", required=True, type=_day, metavar="YYYY-MM-DD")
    eq_add.add_argument("--status", default="active", choices=master.EQUIPMENT_STATUSES)
    eq_sub.add_parser("list", parents=[db], help="current equipment")
    eq.set_defaults(func=cmd_equipment)

    us = sub.add_parser("users", help="users, roles and passwords (each change signed)")
    us_sub = us.add_subparsers(dest="users_cmd", required=True)
    signer = argparse.ArgumentParser(add_help=False, parents=[db])
    signer.add_argument(
        "--as",
        dest="admin",
        metavar="ADMIN",
        help="the admin who signs (password from $CENTRAL_PASSWORD, the terminal or stdin)",
    )
    us_add = us_sub.add_parser(
        "add", parents=[signer], help="add a user; prints a temporary password"
    )
    us_add.add_argument("user_id")
    us_add.add_argument("--name", required=True, help="printed name, as shown on signatures")
    us_add.add_argument("--roles", required=True, help="comma-separated, e.g. operator,qa")
    us_add.add_argument("--badge")
    us_list = us_sub.add_parser("list", parents=[db], help="list users")
    us_list.add_argument("--json", action="store_true")
    for name, text in (
        ("disable", "no more logins or signatures"),
        ("enable", "enable again (also clears a lockout)"),
        ("reset-password", "a new temporary password; unlocks"),
        ("set-roles", "replace the user's roles"),
    ):
        cmd = us_sub.add_parser(name, parents=[signer], help=text)
        cmd.add_argument("user_id")
        cmd.add_argument("--reason", required=True)
        if name == "set-roles":
            cmd.add_argument("--roles", required=True, help="comma-separated")
    us_policy = us_sub.add_parser(
        "policy",
        parents=[signer],
        help="show, or set (signed), the minimum length of new passwords (default 12)",
    )
    us_policy.add_argument("--min-password", type=int, metavar="N")
    us_policy.add_argument("--reason")
    us_pw = us_sub.add_parser("password", parents=[db], help="change your own password")
    us_pw.add_argument("user_id")
    us.set_defaults(func=cmd_users, roles=None, badge=None, admin=None, min_password=None)

    key = sub.add_parser(
        "key",
        parents=[db],
        help="the public key stations check the server's receipts with (for `kiosk setup "
        "--server-key`), and its fingerprint",
    )
    key.add_argument("--out", help="write the PEM to this new file instead of printing it")
    key.set_defaults(func=cmd_key)
    verify = sub.add_parser("verify", parents=[db], help="re-check every station's chain")
    verify.set_defaults(func=cmd_verify)
    stamp = sub.add_parser(
        "timestamp",
        parents=[db],
        help="have an RFC 3161 time-stamp authority time-stamp every chain's head (daily timer)",
    )
    stamp.add_argument("--tsa-url", help="the TSA's URL (default $CENTRAL_TSA_URL)")
    stamp.add_argument(
        "--tsa-ca", help="PEM: the TSA's root and intermediates (default $CENTRAL_TSA_CA)"
    )
    stamp.add_argument(
        "--tsa-cert", help="PEM: the TSA's signing certificate, pinned (default $CENTRAL_TSA_CERT)"
    )
    stamp.set_defaults(func=cmd_timestamp)
    cli_batches.register(sub, db)
    cli_db.register(sub, db)
    cli_materials.register(sub, db)
    cli_genealogy.register(sub, db)
    cli_orders.register(sub, db)
    cli_dashboards.register(sub, db)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr)
    func: Command = args.func
    try:
        with CentralStore(args.db) as store:
            return func(args, store, out)
    except CentralError as exc:
        print(f"central {args.command}: {exc}", file=out)
        return EXIT_FAIL
    except KeyboardInterrupt:
        return 130
