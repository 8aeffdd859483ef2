"""RFC 3161 time-stamp tokens of the server's heads, kept append-only (``central/timestamps.py``).

- ``timestamps``: one row per token a time-stamp authority granted and the server checked: the
  canonical JSON of the heads it covers (``covered``), its SHA-256 (``imprint``), the nonce asked
  for, the TSA's time and the DER response (base64). ``central verify`` re-checks each.

Revision ID: c0013
Revises: c0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0013"
down_revision: str | None = "c0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = tuple(
    f"""
    CREATE TRIGGER timestamps_no_{action} BEFORE {action.upper()} ON timestamps
    BEGIN
        SELECT RAISE(ABORT, 'timestamps are append-only');
    END
    """
    for action in ("update", "delete")
)

POSTGRES_TRIGGERS = (
    """
    CREATE TRIGGER timestamps_append_only BEFORE UPDATE OR DELETE ON timestamps
    FOR EACH ROW EXECUTE FUNCTION central_append_only()
    """,
    """
    CREATE TRIGGER timestamps_no_truncate BEFORE TRUNCATE ON timestamps
    FOR EACH STATEMENT EXECUTE FUNCTION central_append_only()
    """,
)


def upgrade() -> None:
    op.create_table(
        "timestamps",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("tsa_url", sa.Text(), nullable=False),
        sa.Column("tsa_time", sa.Text(), nullable=False),
        sa.Column("covered", sa.Text(), nullable=False),
        sa.Column("imprint", sa.Text(), nullable=False),
        sa.Column("nonce", sa.Text(), nullable=False),
        sa.Column("token", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        sqlite_strict=True,
    )
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the server's record is never downgraded")
