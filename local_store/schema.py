"""The tables as the code queries them. The migrations own the DDL; a test keeps the two equal."""

from typing import Final

from sqlalchemy import (
    Column,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_HEAD: Final = "0002"
"""The newest migration revision. Opening a database already at it skips Alembic entirely."""

metadata = MetaData()

events = Table(
    "events",
    metadata,
    Column("station", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("ts", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("batch", Text, nullable=True),
    Column("type", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("prev", Text, nullable=False),
    Column("hash", Text, nullable=False),
    PrimaryKeyConstraint("station", "seq", name="pk_events"),
    Index("ix_events_batch", "batch"),
    sqlite_strict=True,
)

batch_summary = Table(
    "batch_summary",
    metadata,
    Column("batch", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("recipe_id", Text, nullable=True),
    Column("recipe_version", Integer, nullable=True),
    Column("first_ts", Text, nullable=False),
    Column("last_ts", Text, nullable=False),
    Column("events", Integer, nullable=False),
    # Which station's event set the status / the recipe, so that folding events in any order
    # that keeps each station's own order gives the same row (see projections.BatchRow).
    Column("status_station", Text, nullable=True),
    Column("recipe_station", Text, nullable=True),
    PrimaryKeyConstraint("batch", name="pk_batch_summary"),
    sqlite_strict=True,
)

foreign_events = Table(
    "foreign_events",
    metadata,
    Column("station", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("ts", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("batch", Text, nullable=True),
    Column("type", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("prev", Text, nullable=False),
    Column("hash", Text, nullable=False),
    # The importing station and its chain head when the event was imported: in the batch's
    # history the event comes after that station's own events up to that seq.
    Column("after_station", Text, nullable=False),
    Column("after_seq", Integer, nullable=False),
    Column("import_order", Integer, nullable=False),
    PrimaryKeyConstraint("station", "seq", name="pk_foreign_events"),
    UniqueConstraint("import_order", name="uq_foreign_events_import_order"),
    Index("ix_foreign_events_batch", "batch"),
    sqlite_strict=True,
)
"""Events of other stations' chains imported for a batch this station took over (append-only)."""
