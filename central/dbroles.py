"""PostgreSQL: the owner role migrates, the application role only reads and writes rows.

Whoever owns a table can drop its triggers, so a server running as the owner could rewrite its
own event log. The server therefore runs as an application role that owns nothing:

- ``central db upgrade`` runs the migrations, as the owner (the role that created the tables);
- ``central db grant-app ROLE`` (as the owner) creates ROLE if needed and grants it what the
  server needs: SELECT and INSERT on every table, UPDATE and DELETE only on tables without the
  append-only trigger, and the sequences. Append-only tables (the event log, incidents,
  receipts and every table a later migration protects with ``central_append_only``) get
  SELECT and INSERT only, so an UPDATE is refused by the grant before the trigger is reached;
  TRUNCATE, ALTER, DROP and ``DISABLE TRIGGER`` are refused because the role owns nothing.
  Run it again after each ``central db upgrade`` (new tables get their grants).
- ``central serve`` with the application role's URL. A server started as the application role
  on a database below its schema revision stops with one line saying to upgrade as the owner.
"""

import re
from typing import Final

from sqlalchemy import Connection, text
from sqlalchemy.exc import ProgrammingError

from central.errors import CentralError
from central.store import CentralStore

ROLE: Final = re.compile(r"[a-z_][a-z0-9_]{0,62}")
APPEND_ONLY_FUNCTION: Final = "central_append_only"


def _quote(name: str) -> str:
    if not ROLE.fullmatch(name):
        raise CentralError(
            f"a role name is lower-case letters, digits and _ (up to 63), not {name!r}"
        )
    return f'"{name}"'


def append_only_tables(conn: Connection) -> list[str]:
    """Tables of the public schema guarded by the append-only trigger function."""
    rows = conn.execute(
        text(
            "SELECT DISTINCT c.relname FROM pg_trigger t "
            "JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "JOIN pg_proc p ON p.oid = t.tgfoid "
            "WHERE n.nspname = 'public' AND p.proname = :fn AND NOT t.tgisinternal "
            "ORDER BY c.relname"
        ),
        {"fn": APPEND_ONLY_FUNCTION},
    )
    return [str(r[0]) for r in rows]


def all_tables(conn: Connection) -> list[str]:
    rows = conn.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    )
    return [str(r[0]) for r in rows]


def grant_app(store: CentralStore, role: str, password: str | None = None) -> list[str]:
    """Create (or update) the application ``role`` and grant it row access; returns the
    append-only tables it may only read and insert into."""
    if store.dialect != "postgresql":
        raise CentralError("roles are for PostgreSQL; a SQLite server is protected by its file")
    quoted = _quote(role)
    try:
        return _grant(store, role, quoted, password)
    except ProgrammingError as exc:
        first = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
        raise CentralError(
            f"PostgreSQL refused ({first}); run this as the owner of the tables, and have an "
            f"administrator create the role first (CREATE ROLE {role} LOGIN) if the owner "
            "may not create roles"
        ) from exc


def _grant(store: CentralStore, role: str, quoted: str, password: str | None) -> list[str]:
    with store.write() as conn:
        owner = str(conn.execute(text("SELECT current_user")).scalar())
        if owner == role:
            raise CentralError(f"{role} is the role running this command (the owner)")
        exists = conn.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}
        ).first()
        if exists is None:
            conn.execute(text(f"CREATE ROLE {quoted} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE"))
        else:
            attrs = conn.execute(
                text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :r"),
                {"r": role},
            ).one()
            if attrs[0] or attrs[1]:
                raise CentralError(f"{role} is a superuser: it could drop any trigger")
        if password is not None:
            # a parameter cannot stand in a utility statement; quote it as a literal
            literal = password.replace("'", "''")
            conn.execute(text(f"ALTER ROLE {quoted} PASSWORD '{literal}'"))
        database = str(conn.execute(text("SELECT current_database()")).scalar())
        conn.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {quoted}'))
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {quoted}"))
        conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM {quoted}"))
        guarded = set(append_only_tables(conn))
        for table in all_tables(conn):
            name = f'public."{table}"'
            conn.execute(text(f"REVOKE ALL ON {name} FROM {quoted}"))
            rights = "SELECT, INSERT" if table in guarded else "SELECT, INSERT, UPDATE, DELETE"
            conn.execute(text(f"GRANT {rights} ON {name} TO {quoted}"))
        conn.execute(text(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}"))
    return sorted(guarded)
