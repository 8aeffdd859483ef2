"""Signed receipts of acknowledged pushes, kept append-only (``central/receipts.py``).

Revision ID: c0003
Revises: c0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0003"
down_revision: str | None = "c0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_TRIGGERS = tuple(
    f"""
    CREATE TRIGGER receipts_no_{action} BEFORE {action.upper()} ON receipts
    BEGIN
        SELECT RAISE(ABORT, 'receipts are append-only');
    END
    """
    for action in ("update", "delete")
)

POSTGRES_TRIGGERS = (
    """
    CREATE TRIGGER receipts_append_only BEFORE UPDATE OR DELETE ON receipts
    FOR EACH ROW EXECUTE FUNCTION central_append_only()
    """,
    """
    CREATE TRIGGER receipts_no_truncate BEFORE TRUNCATE ON receipts
    FOR EACH STATEMENT EXECUTE FUNCTION central_append_only()
    """,
)


def upgrade() -> None:
    op.create_table(
        "receipts",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("station", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("head", sa.Text(), nullable=False),
        sa.Column("at", sa.Text(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        sqlite_strict=True,
    )
    op.create_index("ix_receipts_station", "receipts", ["station", "seq"])
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the server's record is never downgraded")
