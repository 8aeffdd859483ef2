"""The record database's schema: Alembic migrations run from code, at open."""

import sqlite3
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine

import local_store.schema
import local_store.store
from local_store import EventStore, StoreError
from local_store.schema import SCHEMA_HEAD, metadata
from local_store.store import MIGRATIONS_DIR

STATION = "CR2-K1"


def schema_of(path: Path) -> list[tuple[str, str, str]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name"
        ).fetchall()
    finally:
        conn.close()


def version_of(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT version_num FROM alembic_version")]
    finally:
        conn.close()


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    return config


def test_new_file_is_upgraded_to_head(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    EventStore(path, STATION).close()
    assert version_of(path) == [SCHEMA_HEAD]
    names = {(kind, name) for kind, name, _ in schema_of(path)}
    assert {
        ("table", "events"),
        ("table", "batch_summary"),
        ("index", "ix_events_batch"),
        ("trigger", "events_no_update"),
        ("trigger", "events_no_delete"),
        ("trigger", "events_extend_chain"),
    } <= names
    sql = {(kind, name): text for kind, name, text in schema_of(path)}
    assert sql["table", "events"].rstrip().endswith("STRICT")


def test_head_constant_is_the_newest_migration() -> None:
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == SCHEMA_HEAD


def test_migrated_schema_matches_the_tables_the_code_queries(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    EventStore(path, STATION).close()
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    finally:
        engine.dispose()


def test_opening_again_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "db.sqlite"
    with EventStore(path, STATION) as store:
        written = store.append("x", {"a": 1}, actor="system")
    before = schema_of(path)

    def no_migration(*args: object) -> None:
        raise AssertionError("a database at head must not be migrated again")

    monkeypatch.setattr(EventStore, "_migrate", no_migration)
    for _ in range(2):
        with EventStore(path, STATION, create=False) as store:
            assert list(store.events()) == [written]
    assert schema_of(path) == before
    assert version_of(path) == [SCHEMA_HEAD]


def test_migration_done_meanwhile_by_another_process_is_not_repeated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "db.sqlite"
    EventStore(path, STATION).close()
    real = local_store.store._schema_state
    calls = 0

    def stale_first_look(conn: object) -> tuple[set[str], str | None]:
        # The first look (before the write lock) sees an empty file; by the time the write
        # lock is held, another process has created the schema.
        nonlocal calls
        calls += 1
        return (set(), None) if calls == 1 else real(conn)  # type: ignore[arg-type]

    monkeypatch.setattr(local_store.store, "_schema_state", stale_first_look)
    with EventStore(path, STATION) as store:
        assert store.count() == 0
    assert calls == 2
    assert version_of(path) == [SCHEMA_HEAD]


def test_unknown_revision_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    EventStore(path, STATION).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'f00dfeed9999'")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError) as info:
        EventStore(path, STATION)
    message = str(info.value)
    assert "schema revision 'f00dfeed9999'" in message
    assert "does not know" in message
    assert str(path) in message
    assert version_of(path) == ["f00dfeed9999"]  # left as it was


def test_version_table_without_a_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    EventStore(path, STATION).close()
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM alembic_version")
    conn.commit()
    conn.close()
    with pytest.raises(StoreError, match="damaged or not a kiosk database"):
        EventStore(path, STATION)


def test_downgrade_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    with EventStore(path, STATION) as store:
        store.append("x", {}, actor="system")
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            with pytest.raises(NotImplementedError, match="never downgraded"):
                command.downgrade(config, "base")
    finally:
        engine.dispose()
    with EventStore(path, STATION) as store:
        assert store.count() == 1


def test_migrations_refuse_to_run_without_the_stores_connection() -> None:
    with pytest.raises(RuntimeError, match=r"run through local_store\.EventStore"):
        command.upgrade(alembic_config(), "head")


def test_migrations_ship_inside_the_package() -> None:
    package = Path(local_store.store.__file__).parent
    assert package / "migrations" == MIGRATIONS_DIR
    assert (MIGRATIONS_DIR / "env.py").is_file()
    assert list((MIGRATIONS_DIR / "versions").glob("*.py"))


def test_database_at_a_known_older_revision_is_upgraded(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # A file written by the release before foreign events (revision 0001), with one event.
    path = tmp_path / "db.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.begin() as conn:
            config = alembic_config()
            config.attributes["connection"] = conn
            command.upgrade(config, "0001")
    finally:
        engine.dispose()
    assert version_of(path) == ["0001"]
    with caplog.at_level("INFO", logger="local_store.store"), EventStore(path, STATION) as store:
        store.append("x", {}, actor="system")
        assert store.count() == 1
        assert store.batch_history("B1") == []
    assert f"migrating {path} from schema 0001 to 0002" in caplog.text
    assert version_of(path) == [SCHEMA_HEAD] == ["0002"]


@pytest.mark.parametrize("revision", ["0001_initial", "0002_foreign_events"])
def test_every_revision_refuses_to_go_down(revision: str) -> None:
    import importlib.util

    import local_store

    path = Path(local_store.__file__).parent / "migrations" / "versions" / f"{revision}.py"
    spec = importlib.util.spec_from_file_location(f"migration_{revision}", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    with pytest.raises(NotImplementedError, match="never downgraded"):
        module.downgrade()
