"""Portal sign-in: one row per browser session of a person at the server's web portal.

- ``portal_sessions``: who signed in, when, when the session was last used and when it ended
  (signed out, idle or absolute timeout, account disabled or locked since). The browser holds
  a random token in an HttpOnly cookie; the row keeps only its SHA-256 (``token_sha256``), so
  a copy of the database signs nobody in. Rows are updated (``last_seen``, ``ended``), never
  part of the record: the sign-in itself is a ``login.succeeded`` event in the server's chain.

Revision ID: c0012
Revises: c0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0012"
down_revision: str | None = "c0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "portal_sessions",
        sa.Column("token_sha256", sa.Text(), nullable=False),
        sa.Column("user_id", sa.Text(), nullable=False),
        sa.Column("created", sa.Text(), nullable=False),
        sa.Column("last_seen", sa.Text(), nullable=False),
        sa.Column("ended", sa.Text(), nullable=True),
        sa.Column("end_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_portal_sessions"),
        sqlite_strict=True,
    )
    op.create_index("ix_portal_sessions_user", "portal_sessions", ["user_id"])


def downgrade() -> None:
    op.drop_table("portal_sessions")
