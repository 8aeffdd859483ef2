"""Token roles: a token is a station's (pushes its chain) or a LIMS's (posts QC results only).

- ``stations.role``: ``station`` (every existing row) or ``lims``. A LIMS token may call
  ``POST /api/v1/batches/{id}/results`` and nothing else; a station token may not call it.

Revision ID: c0004
Revises: c0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0004"
down_revision: str | None = "c0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "stations",
        sa.Column("role", sa.Text(), nullable=False, server_default="station"),
    )


def downgrade() -> None:
    with op.batch_alter_table("stations") as batch:
        batch.drop_column("role")
