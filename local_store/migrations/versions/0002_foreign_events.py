"""Events pulled from other stations' chains for the batches this station has claimed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TRIGGERS = (
    """
    CREATE TRIGGER foreign_events_no_update BEFORE UPDATE ON foreign_events
    BEGIN
        SELECT RAISE(ABORT, 'foreign events are append-only');
    END
    """,
    """
    CREATE TRIGGER foreign_events_no_delete BEFORE DELETE ON foreign_events
    BEGIN
        SELECT RAISE(ABORT, 'foreign events are append-only');
    END
    """,
    # INSERT OR REPLACE deletes without firing delete triggers: refuse any insert over a held
    # (station, seq), and any insert whose prev does not link to a held predecessor.
    """
    CREATE TRIGGER foreign_events_insert_once BEFORE INSERT ON foreign_events
    WHEN EXISTS (SELECT 1 FROM foreign_events WHERE station = NEW.station AND seq = NEW.seq)
        OR NEW.prev IS NOT COALESCE(
            (SELECT hash FROM foreign_events WHERE station = NEW.station AND seq = NEW.seq - 1),
            NEW.prev)
    BEGIN
        SELECT RAISE(ABORT, 'foreign events are append-only and must link to their chain');
    END
    """,
)


def upgrade() -> None:
    op.create_table(
        "foreign_events",
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
        sa.Column("after_station", sa.Text(), nullable=False),
        sa.Column("after_seq", sa.Integer(), nullable=False),
        sa.Column("import_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("station", "seq", name="pk_foreign_events"),
        sa.UniqueConstraint("import_order", name="uq_foreign_events_import_order"),
        sqlite_strict=True,
    )
    op.create_index("ix_foreign_events_batch", "foreign_events", ["batch"])
    for trigger in TRIGGERS:
        op.execute(trigger)


def downgrade() -> None:
    raise NotImplementedError("the record is never downgraded: a station keeps every event")
