"""``central db upgrade`` and ``central db grant-app ROLE``: the owner migrates, the server
runs as an application role that cannot drop triggers (central/dbroles.py)."""

import argparse
import os
from pathlib import Path
from typing import TextIO

from central import dbroles, schema
from central.errors import CentralError
from central.store import CentralStore

EXIT_OK = 0


def cmd_upgrade(_args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    # opening the store migrated it to head, or said why it could not
    print(f"{store.display_url} is at schema revision {schema.SCHEMA_HEAD}", file=out)
    return EXIT_OK


def _password(args: argparse.Namespace) -> str | None:
    if args.password_file is None:
        return None
    path = Path(args.password_file)
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise CentralError(f"cannot read the password file {path}: {exc.strerror}") from exc
    if not text or "\n" in text:
        raise CentralError(f"the password file {path} must hold one line, the password")
    if path.stat().st_mode & 0o077 and os.name == "posix":
        raise CentralError(f"the password file {path} is readable by others: chmod 600 it")
    return text


def cmd_grant_app(args: argparse.Namespace, store: CentralStore, out: TextIO) -> int:
    guarded = dbroles.grant_app(store, args.role, _password(args))
    print(
        f"{args.role} may read and write rows; append-only (read and insert only): "
        f"{', '.join(guarded)}. It cannot alter, drop or truncate tables or their triggers.",
        file=out,
    )
    return EXIT_OK


def register(
    sub: "argparse._SubParsersAction[argparse.ArgumentParser]", db: argparse.ArgumentParser
) -> None:
    parser = sub.add_parser("db", help="the PostgreSQL owner and application roles")
    db_sub = parser.add_subparsers(dest="db_cmd", required=True)
    upgrade = db_sub.add_parser(
        "upgrade", parents=[db], help="migrate the database to this server's schema (as owner)"
    )
    upgrade.set_defaults(func=cmd_upgrade)
    grant = db_sub.add_parser(
        "grant-app",
        parents=[db],
        help="create or update the role the server runs as: rows only, no DDL (as owner)",
    )
    grant.add_argument("role", help="the application role, e.g. central_app")
    grant.add_argument("--password-file", help="a 0600 file with the role's login password")
    grant.set_defaults(func=cmd_grant_app)
