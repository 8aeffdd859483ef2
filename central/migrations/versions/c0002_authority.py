"""The server as the authority: its own chain, batch ownership, fleet-wide identities.

- A stations row named ``central`` holds the server's own hash chain in ``events`` (ownership
  changes, identity exceptions); its token hash can never match a real token.
- ``batch_owners``: which station holds each batch, or that it is released for hand-over.
- ``batch_identities``: every collection DIN and order ID bound to a batch, fleet-wide.
- ``incidents`` become append-only like the events.
- ``stations.rooms``: the rooms a station is registered for.

Revision ID: c0002
Revises: c0001
Create Date: 2026-12-04
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "c0002"
down_revision: str | None = "c0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NO_TOKEN = "none: the server's own chain takes no pushes"  # noqa: S105  # not a secret

SQLITE_TRIGGERS = tuple(
    f"""
    CREATE TRIGGER incidents_no_{action} BEFORE {action.upper()} ON incidents
    BEGIN
        SELECT RAISE(ABORT, 'incidents are append-only');
    END
    """
    for action in ("update", "delete")
)

POSTGRES_TRIGGERS = (
    """
    CREATE TRIGGER incidents_append_only BEFORE UPDATE OR DELETE ON incidents
    FOR EACH ROW EXECUTE FUNCTION central_append_only()
    """,
    """
    CREATE TRIGGER incidents_no_truncate BEFORE TRUNCATE ON incidents
    FOR EACH STATEMENT EXECUTE FUNCTION central_append_only()
    """,
)


def upgrade() -> None:
    # The rooms a station stands in (JSON list; null: every room).
    op.add_column("stations", sa.Column("rooms", sa.Text(), nullable=True))
    op.create_table(
        "batch_owners",
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("owner", sa.Text(), nullable=True),
        sa.Column("state", sa.Text(), nullable=False),
        sa.Column("since", sa.Text(), nullable=False),
        sa.Column("previous", sa.Text(), nullable=True),
        sa.Column("room", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("batch", name="pk_batch_owners"),
        sqlite_strict=True,
    )
    op.create_table(
        "batch_identities",
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("station", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "value", name="pk_batch_identities"),
        sqlite_strict=True,
    )
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    op.execute(
        sa.text(
            "INSERT INTO stations (name, token_hash, created_at, revoked_at, head_seq, head_hash) "
            "VALUES ('@central', :token, :now, NULL, 0, :zero)"
        ).bindparams(token=NO_TOKEN, now=now, zero="0" * 64)
    )
    # Batches already on the server stay with the station that started them.
    op.execute(
        "INSERT INTO batch_owners (batch, owner, state, since, previous, room) "
        "SELECT batch, station, 'held', ts, NULL, NULL FROM events "
        "WHERE type = 'batch.started' AND batch IS NOT NULL"
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the server's record is never downgraded")
