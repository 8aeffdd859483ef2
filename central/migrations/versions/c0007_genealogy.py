"""Genealogy: a projection of what went into each batch, for recall (``central/genealogy.py``).

- ``genealogy`` (batch, kind, value): lots, devices, people, stations, patient, order, DIN;
  ``ix_genealogy_value`` (kind, value) answers "which batches used lot L" by index.
- Filled from the events already stored, in this migration's transaction.

Revision ID: c0007
Revises: c0004
Create Date: 2026-12-04
"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from central.genealogy import project
from local_store import Event

revision: str = "c0007"
down_revision: str | None = "c0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000


def upgrade() -> None:
    op.create_table(
        "genealogy",
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("station", sa.Text(), nullable=False),
        sa.Column("ts", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("batch", "kind", "value", name="pk_genealogy"),
        sqlite_strict=True,
    )
    op.create_index("ix_genealogy_value", "genealogy", ["kind", "value"])
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT station, seq, ts, actor, batch, type, payload, reason, prev, hash "
            "FROM events WHERE batch IS NOT NULL ORDER BY station, seq"
        )
    )
    chunk: list[Event] = []
    for r in rows:
        chunk.append(
            Event(r[0], int(r[1]), r[2], r[3], r[4], r[5], json.loads(r[6]), r[7], r[8], r[9])
        )
        if len(chunk) >= CHUNK:
            project(conn, chunk)
            chunk = []
    if chunk:
        project(conn, chunk)


def downgrade() -> None:
    raise NotImplementedError("the server's record is never downgraded")
