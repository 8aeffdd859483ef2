"""PostgreSQL roles: the server runs as a role that cannot touch the tables' triggers.

Against the real PostgreSQL the tests start. The owner role creates and migrates the database;
``central db grant-app`` makes the application role; a real server running as that role takes a
station's pushes, and that role's attempts to rewrite the record (drop or disable the trigger,
update, delete, truncate, alter) are refused by PostgreSQL itself.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text
from sqlalchemy.exc import DBAPIError

from central.cli import main as central_main
from central.store import CentralStore
from kiosk.sync import SyncClient, SyncState, push_pending
from tests.integration import pg
from tests.integration.conftest import ServerThread, make_station

OWNER = "central_owner"
APP = "central_app"


def _as(url: str, role: str) -> str:
    return make_url(url).set(username=role).render_as_string(hide_password=False)


@pytest.fixture
def owned(pg_cluster: pg.PgCluster) -> str:
    """A database owned by a plain (not super) owner role; yields the owner's URL."""
    import psycopg

    with psycopg.connect(
        f"host=127.0.0.1 port={pg_cluster.port} user={pg.SUPERUSER} dbname=postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (OWNER,)).fetchone()
        if exists is None:
            conn.execute(f"CREATE ROLE {OWNER} LOGIN CREATEROLE")
        name = f"roles_{pg.free_port()}"
        conn.execute(f'CREATE DATABASE "{name}" OWNER {OWNER}')
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_cluster.port} user={pg.SUPERUSER} dbname={name}",
        autocommit=True,
    ) as conn:
        conn.execute(f"ALTER SCHEMA public OWNER TO {OWNER}")
    return _as(pg_cluster.url(name), OWNER)


def run_central(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    return central_main(list(argv), out=out), out.getvalue()


def test_the_application_role_writes_rows_but_cannot_rewrite_the_record(
    owned: str, tmp_path: Path
) -> None:
    code, said = run_central("db", "upgrade", "--db", owned)
    assert code == 0, said
    code, said = run_central("db", "grant-app", APP, "--db", owned)
    assert code == 0, said
    assert "events" in said
    assert "incidents" in said

    app_url = _as(owned, APP)
    store = CentralStore(app_url)  # at head already: the app role needs no DDL
    server = ServerThread(store).start()
    try:
        token = _token(owned)
        station = make_station(tmp_path / "station.sqlite", "ST-1", 20)
        with SyncClient(server.url, token) as client:
            ack = push_pending(station, client, SyncState(SyncState.path_for(tmp_path / "s")))
        assert ack.acknowledged == 20
        assert ack.pending == 0
    finally:
        server.stop()
        store.close()

    engine = create_engine(app_url)
    attacks = [
        "DROP TRIGGER events_append_only ON events",
        "ALTER TABLE events DISABLE TRIGGER ALL",
        "UPDATE events SET payload = '{}' WHERE seq = 3",
        "DELETE FROM events WHERE seq = 3",
        "TRUNCATE events",
        "DELETE FROM incidents",
        "ALTER TABLE events ADD COLUMN forged text",
        "CREATE TABLE shadow (x int)",
    ]
    try:
        for attack in attacks:
            with engine.connect() as conn, pytest.raises(DBAPIError) as refused:
                conn.execute(text(attack))
            assert "permission denied" in str(refused.value) or "must be owner" in str(
                refused.value
            ), attack
        with engine.connect() as conn:
            kept = conn.execute(text("SELECT count(*) FROM events WHERE station = 'ST-1'"))
            assert kept.scalar() == 20
    finally:
        engine.dispose()


def _token(owner_url: str) -> str:
    with CentralStore(owner_url) as owner:
        from central.stations import add_station

        return add_station(owner, "ST-1")


def test_a_server_started_as_the_app_role_below_its_schema_says_to_upgrade(
    pg_cluster: pg.PgCluster,
) -> None:
    import psycopg

    name = f"empty_{pg.free_port()}"
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_cluster.port} user={pg.SUPERUSER} dbname=postgres",
        autocommit=True,
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (f"{APP}_2",))
        if exists.fetchone() is None:
            conn.execute(f"CREATE ROLE {APP}_2 LOGIN")
        conn.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(
        f"host=127.0.0.1 port={pg_cluster.port} user={pg.SUPERUSER} dbname={name}",
        autocommit=True,
    ) as conn:
        conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    code, said = run_central("stations", "list", "--db", _as(pg_cluster.url(name), f"{APP}_2"))
    assert code == 1
    assert said.count("\n") == 1, said
    assert "central db upgrade" in said
    assert "Traceback" not in said


def test_grant_app_refuses_a_bad_role_name_and_sqlite(owned: str, tmp_path: Path) -> None:
    code, said = run_central("db", "grant-app", 'x"; DROP TABLE events; --', "--db", owned)
    assert code == 1
    assert "role name" in said
    code, said = run_central("db", "grant-app", APP, "--db", str(tmp_path / "c.sqlite"))
    assert code == 1
    assert "PostgreSQL" in said
