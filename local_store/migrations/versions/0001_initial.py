"""Create the event log, its append-only triggers and the batch summary projection.

Revision ID: 0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = (
    """
    CREATE TRIGGER events_no_update BEFORE UPDATE ON events
    BEGIN
        SELECT RAISE(ABORT, 'events are append-only');
    END
    """,
    """
    CREATE TRIGGER events_no_delete BEFORE DELETE ON events
    BEGIN
        SELECT RAISE(ABORT, 'events are append-only');
    END
    """,
    # INSERT OR REPLACE deletes without firing delete triggers; this also refuses it, and makes
    # the database itself refuse any insert that does not extend its station's chain.
    """
    CREATE TRIGGER events_extend_chain BEFORE INSERT ON events
    WHEN NEW.seq IS NOT
            COALESCE((SELECT max(seq) FROM events WHERE station = NEW.station), 0) + 1
        OR NEW.prev IS NOT COALESCE(
            (SELECT hash FROM events WHERE station = NEW.station AND seq = NEW.seq - 1),
            '0000000000000000000000000000000000000000000000000000000000000000')
    BEGIN
        SELECT RAISE(ABORT, 'events must extend the chain');
    END
    """,
)


def upgrade() -> None:
    op.create_table(
        "events",
        sa.Column("station", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("ts", sa.Text(), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("batch", sa.Text(), nullable=True),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("prev", sa.Text(), nullable=False),
        sa.Column("hash", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("station", "seq", name="pk_events"),
        sqlite_strict=True,
    )
    op.create_index("ix_events_batch", "events", ["batch"])
    for trigger in TRIGGERS:
        op.execute(trigger)
    op.create_table(
        "batch_summary",
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("recipe_id", sa.Text(), nullable=True),
        sa.Column("recipe_version", sa.Integer(), nullable=True),
        sa.Column("first_ts", sa.Text(), nullable=False),
        sa.Column("last_ts", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("status_station", sa.Text(), nullable=True),
        sa.Column("recipe_station", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("batch", name="pk_batch_summary"),
        sqlite_strict=True,
    )


def downgrade() -> None:
    raise NotImplementedError("the record is never downgraded: a station keeps every event")
