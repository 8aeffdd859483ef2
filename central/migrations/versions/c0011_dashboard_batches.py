"""Dashboards: one row of figures per batch, so the QA dashboards read 5,000 batches in one query.

- ``dashboard_batches``: a projection of each batch's events (``central/dashboards.py``): when
  it started and finished, collection and release times, exceptions by category, review items,
  recorded values and signatures, and every numeric CPP/CQA value. ``events`` is the batch's
  version the row was computed at (``batches.events`` plus the server's own events about the
  batch); a row whose version differs is stale and is computed again before any page uses it.
  It holds nothing that is not derived from the stored events: dropping it loses nothing.

Revision ID: c0011
Revises: c0004
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0011"
down_revision: str | None = "c0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "dashboard_batches",
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("recipe_id", sa.Text(), nullable=True),
        sa.Column("recipe_version", sa.Integer(), nullable=True),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("started", sa.Text(), nullable=False),
        sa.Column("finished", sa.Text(), nullable=True),
        sa.Column("collected", sa.Text(), nullable=True),
        sa.Column("ebr_completed", sa.Text(), nullable=True),
        sa.Column("released", sa.Text(), nullable=True),
        sa.Column("exceptions", sa.Integer(), nullable=False),
        sa.Column("review_items", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("signatures", sa.Integer(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),  # JSON {category: count}
        sa.Column("critical", sa.Text(), nullable=False),  # JSON list of CPP/CQA values
        sa.PrimaryKeyConstraint("batch", name="pk_dashboard_batches"),
        sqlite_strict=True,
    )
    op.create_index("ix_dashboard_batches_recipe", "dashboard_batches", ["recipe_id", "started"])
    op.create_index("ix_dashboard_batches_started", "dashboard_batches", ["started"])


def downgrade() -> None:
    op.drop_table("dashboard_batches")
