"""Materials: the master data that says what a lot is and how much of it was received.

- ``materials``: one row per change (code, name, the material's GTINs as a JSON array); the
  newest row of a code is the material. Stations pull it as the ``materials`` kind.
- ``lots``: the material is now its code; ``quantity`` (decimal text) and ``unit`` received;
  ``reason`` and ``changed_by`` of the change (a quarantine, recall or release is signed and
  written to the server's chain as ``lot.status``, see ``central.materials``).
- ``kits``: a kit ID and the lots in it (JSON list of GTIN and lot), one lot per material.

Revision ID: c0006
Revises: c0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0006"
down_revision: str | None = "c0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LOT_COLUMNS = ("quantity", "unit", "reason", "changed_by")


def upgrade() -> None:
    strict = {"sqlite_strict": True} if op.get_bind().dialect.name == "sqlite" else {}
    op.create_table(
        "materials",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("gtins", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_index("ix_materials_code", "materials", ["code"])
    for name in LOT_COLUMNS:
        op.add_column("lots", sa.Column(name, sa.Text(), nullable=True))
    op.create_table(
        "kits",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("kit", sa.Text(), nullable=False),
        sa.Column("lots", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_index("ix_kits_kit", "kits", ["kit"])


def downgrade() -> None:
    raise NotImplementedError("the server's record is never downgraded")
