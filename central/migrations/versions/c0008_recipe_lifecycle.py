"""Recipe lifecycle at the server: every uploaded version, its status and who signed it.

- ``recipe_versions``: every recipe version uploaded (``central recipes upload``), its YAML
  text and SHA-256, its author and its status (``draft`` → ``submitted`` → ``reviewed`` →
  ``approved`` → ``effective`` → ``retired``): a projection of the ``recipe.*`` events of the
  server's chain, updated in the transaction that writes each event.
- ``recipes`` stays the feed stations pull; from now on a version enters it only when it
  becomes effective. Rows already in it (uploaded before this revision) are copied into
  ``recipe_versions`` with the status they were served with and no author.

Revision ID: c0008
Revises: c0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0008"
down_revision: str | None = "c0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recipe_versions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("recipe_id", sa.Text(), nullable=False),
        sa.Column("recipe_version", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=True),  # null: uploaded before the lifecycle
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("effective_from", sa.Text(), nullable=True),  # YYYY-MM-DD, set at approval
        sa.UniqueConstraint("recipe_id", "recipe_version", name="uq_recipe_versions_id_version"),
        sqlite_autoincrement=True,
        sqlite_strict=True,
    )
    op.execute(
        "INSERT INTO recipe_versions "
        "(recipe_id, recipe_version, title, sha256, yaml, uploaded_at, author, status) "
        "SELECT recipe_id, recipe_version, title, sha256, yaml, uploaded_at, NULL, status "
        "FROM recipes ORDER BY version"
    )


def downgrade() -> None:
    op.drop_table("recipe_versions")
