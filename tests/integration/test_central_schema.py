"""The server's migrations and ``central/schema.py`` (what the code queries) stay equal."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect

from central import schema
from central.errors import CentralError
from central.store import CentralStore


def test_migrated_tables_match_the_schema_module(database_url: str) -> None:
    with CentralStore(database_url) as store:
        found = inspect(store.engine)
        tables = set(found.get_table_names()) - {"alembic_version"}
        assert tables == set(schema.metadata.tables)
        for name, table in schema.metadata.tables.items():
            columns = {c["name"]: c for c in found.get_columns(name)}
            assert list(columns) == [c.name for c in table.columns], name
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, (name, column.name)
            primary = found.get_pk_constraint(name)["constrained_columns"]
            assert primary == [c.name for c in table.primary_key.columns], name


def test_opening_again_skips_the_migrations(database_url: str) -> None:
    CentralStore(database_url).close()
    with CentralStore(database_url) as store, store.read() as conn:
        versions = list(conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars())
    assert versions == [schema.SCHEMA_HEAD]


def test_a_database_from_a_newer_server_is_refused(database_url: str) -> None:
    with CentralStore(database_url) as store, store.write() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = 'c9999'")
    with pytest.raises(CentralError, match="schema revision 'c9999', which this version"):
        CentralStore(database_url)
