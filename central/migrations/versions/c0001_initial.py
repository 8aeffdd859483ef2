"""Create the server's tables: stations, the events they pushed, master data, QA projections.

The event log is append-only on the server too: triggers refuse UPDATE and DELETE on ``events``
and ``user_events`` (and TRUNCATE on PostgreSQL), so the record cannot be changed through SQL
without first dropping or disabling them, which ``central verify`` would then expose.

Revision ID: c0001
Revises:
Create Date: 2026-11-27
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "c0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY = ("events", "user_events")

SQLITE_TRIGGERS = tuple(
    f"""
    CREATE TRIGGER {table}_no_{action} BEFORE {action.upper()} ON {table}
    BEGIN
        SELECT RAISE(ABORT, '{table} are append-only');
    END
    """
    for table in APPEND_ONLY
    for action in ("update", "delete")
)

POSTGRES_TRIGGERS = (
    """
    CREATE FUNCTION central_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
    END
    $$
    """,
    *(
        f"""
        CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION central_append_only()
        """
        for table in APPEND_ONLY
    ),
    *(
        f"""
        CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION central_append_only()
        """
        for table in APPEND_ONLY
    ),
)


def upgrade() -> None:
    strict = {"sqlite_strict": True}
    op.create_table(
        "stations",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("token_hash", sa.Text(), nullable=False),
        sa.Column("created_at", sa.Text(), nullable=False),
        sa.Column("revoked_at", sa.Text(), nullable=True),
        sa.Column("head_seq", sa.Integer(), nullable=False),
        sa.Column("head_hash", sa.Text(), nullable=False),
        sa.Column("last_push_at", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("name", name="pk_stations"),
        sa.UniqueConstraint("token_hash", name="uq_stations_token_hash"),
        **strict,
    )
    op.create_table(
        "events",
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
        sa.Column("received_at", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("station", "seq", name="pk_events"),
        sa.ForeignKeyConstraint(["station"], ["stations.name"], name="fk_events_station"),
        **strict,
    )
    op.create_index("ix_events_batch", "events", ["batch"])
    op.create_table(
        "user_events",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("station", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["station", "seq"], ["events.station", "events.seq"], name="fk_user_events_event"
        ),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_table(
        "recipes",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("recipe_id", sa.Text(), nullable=False),
        sa.Column("recipe_version", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("sha256", sa.Text(), nullable=False),
        sa.Column("yaml", sa.Text(), nullable=False),
        sa.Column("uploaded_at", sa.Text(), nullable=False),
        sa.UniqueConstraint("recipe_id", "recipe_version", name="uq_recipes_id_version"),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_table(
        "equipment",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("asset", sa.Text(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("serial", sa.Text(), nullable=False),
        sa.Column("model", sa.Text(), nullable=False),
        sa.Column("calibration_due", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_index("ix_equipment_asset", "equipment", ["asset"])
    op.create_table(
        "lots",
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("gtin", sa.Text(), nullable=False),
        sa.Column("lot", sa.Text(), nullable=False),
        sa.Column("material", sa.Text(), nullable=False),
        sa.Column("expiry", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("changed_at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_index("ix_lots_gtin_lot", "lots", ["gtin", "lot"])
    op.create_table(
        "batches",
        sa.Column("batch", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("recipe_id", sa.Text(), nullable=True),
        sa.Column("recipe_version", sa.Integer(), nullable=True),
        sa.Column("first_ts", sa.Text(), nullable=False),
        sa.Column("last_ts", sa.Text(), nullable=False),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.Column("status_station", sa.Text(), nullable=True),
        sa.Column("recipe_station", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("batch", name="pk_batches"),
        **strict,
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("station", sa.Text(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("code", sa.Text(), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("event", sa.Text(), nullable=True),
        sa.Column("at", sa.Text(), nullable=False),
        sqlite_autoincrement=True,
        **strict,
    )
    op.create_index("ix_incidents_station", "incidents", ["station"])
    dialect = op.get_bind().dialect.name
    for statement in POSTGRES_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    raise NotImplementedError("the server's record is never downgraded")
