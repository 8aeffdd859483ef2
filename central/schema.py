"""The server's tables as the code queries them. The migrations own the DDL.

All text, all integers: the same schema runs on SQLite and PostgreSQL. Event payloads are kept
as their canonical JSON text, exactly as hashed, so that the chain can be re-verified from the
stored rows without re-encoding anything (``central verify``). Timestamps are UTC ISO-8601 text.
"""

from typing import Final

from sqlalchemy import (
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    Table,
    Text,
    UniqueConstraint,
)

SCHEMA_HEAD: Final = "c0013"
"""The newest migration revision. A database already at it skips Alembic entirely."""

metadata = MetaData()

stations = Table(
    "stations",
    metadata,
    Column("name", Text, nullable=False),
    Column("token_hash", Text, nullable=False),
    Column("created_at", Text, nullable=False),
    Column("revoked_at", Text, nullable=True),
    # The acknowledged high-water mark: the last event stored for the station and its hash.
    Column("head_seq", Integer, nullable=False),
    Column("head_hash", Text, nullable=False),
    Column("last_push_at", Text, nullable=True),
    Column("rooms", Text, nullable=True),  # JSON list of room names; null: every room
    Column("role", Text, nullable=False, server_default="station"),  # station or lims
    PrimaryKeyConstraint("name", name="pk_stations"),
    UniqueConstraint("token_hash", name="uq_stations_token_hash"),
    sqlite_strict=True,
)

events = Table(
    "events",
    metadata,
    Column("station", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("ts", Text, nullable=False),
    Column("actor", Text, nullable=False),
    Column("batch", Text, nullable=True),
    Column("type", Text, nullable=False),
    Column("payload", Text, nullable=False),
    Column("reason", Text, nullable=True),
    Column("prev", Text, nullable=False),
    Column("hash", Text, nullable=False),
    Column("received_at", Text, nullable=False),
    PrimaryKeyConstraint("station", "seq", name="pk_events"),
    ForeignKeyConstraint(["station"], ["stations.name"], name="fk_events_station"),
    Index("ix_events_batch", "batch"),
    sqlite_strict=True,
)

user_events = Table(
    "user_events",
    metadata,
    # The version stations pull users by: the order in which the server received user.* events.
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("station", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    ForeignKeyConstraint(
        ["station", "seq"], ["events.station", "events.seq"], name="fk_user_events_event"
    ),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

recipes = Table(
    "recipes",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("recipe_id", Text, nullable=False),
    Column("recipe_version", Integer, nullable=False),
    Column("status", Text, nullable=False),
    Column("title", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("yaml", Text, nullable=False),
    Column("uploaded_at", Text, nullable=False),
    UniqueConstraint("recipe_id", "recipe_version", name="uq_recipes_id_version"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

recipe_versions = Table(
    "recipe_versions",
    metadata,
    # Every uploaded recipe version and its lifecycle status (a projection of the server's
    # recipe.* events, central/recipes.py); ``recipes`` above is what stations pull.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recipe_id", Text, nullable=False),
    Column("recipe_version", Integer, nullable=False),
    Column("title", Text, nullable=False),
    Column("sha256", Text, nullable=False),
    Column("yaml", Text, nullable=False),
    Column("uploaded_at", Text, nullable=False),
    Column("author", Text, nullable=True),
    Column("status", Text, nullable=False),
    Column("effective_from", Text, nullable=True),
    UniqueConstraint("recipe_id", "recipe_version", name="uq_recipe_versions_id_version"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

equipment = Table(
    "equipment",
    metadata,
    # One row per change: the newest version of an asset is its current state.
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("asset", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("serial", Text, nullable=False),
    Column("model", Text, nullable=False),
    Column("calibration_due", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("changed_at", Text, nullable=False),
    Index("ix_equipment_asset", "asset"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

lots = Table(
    "lots",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("gtin", Text, nullable=False),
    Column("lot", Text, nullable=False),
    Column("material", Text, nullable=False),
    Column("expiry", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("changed_at", Text, nullable=False),
    # c0006: the material is its code; the received quantity (decimal text) and its unit; why
    # and by whom the row was written (a status change is signed, see central.materials).
    Column("quantity", Text, nullable=True),
    Column("unit", Text, nullable=True),
    Column("reason", Text, nullable=True),
    Column("changed_by", Text, nullable=True),
    Index("ix_lots_gtin_lot", "gtin", "lot"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

materials = Table(
    "materials",
    metadata,
    # c0006. One row per change, like equipment: the newest version of a code is the material.
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("code", Text, nullable=False),
    Column("name", Text, nullable=False),
    Column("gtins", Text, nullable=False),  # JSON array of GTIN-14s, sorted
    Column("changed_at", Text, nullable=False),
    Index("ix_materials_code", "code"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

kits = Table(
    "kits",
    metadata,
    # c0006. A kit ID and the lots in it (JSON list of {gtin, lot}); one row per kit.
    Column("version", Integer, primary_key=True, autoincrement=True),
    Column("kit", Text, nullable=False),
    Column("lots", Text, nullable=False),
    Column("changed_at", Text, nullable=False),
    Index("ix_kits_kit", "kit"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

batches = Table(
    "batches",
    metadata,
    # The same columns as local_store's batch_summary, folded by the same BatchRow.
    Column("batch", Text, nullable=False),
    Column("status", Text, nullable=False),
    Column("recipe_id", Text, nullable=True),
    Column("recipe_version", Integer, nullable=True),
    Column("first_ts", Text, nullable=False),
    Column("last_ts", Text, nullable=False),
    Column("events", Integer, nullable=False),
    Column("status_station", Text, nullable=True),
    Column("recipe_station", Text, nullable=True),
    PrimaryKeyConstraint("batch", name="pk_batches"),
    sqlite_strict=True,
)

incidents = Table(
    "incidents",
    metadata,
    # Refused pushes that point at tampering (a conflict or a broken chain), for QA and admins.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("station", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("code", Text, nullable=False),
    Column("problem", Text, nullable=False),
    Column("event", Text, nullable=True),
    Column("at", Text, nullable=False),
    Index("ix_incidents_station", "station"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

batch_owners = Table(
    "batch_owners",
    metadata,
    # Who holds each batch now (a projection of the server's chain: ``batch.owner`` events).
    Column("batch", Text, nullable=False),
    Column("owner", Text, nullable=True),  # null while released for hand-over
    Column("state", Text, nullable=False),  # "held" or "released"
    Column("since", Text, nullable=False),
    Column("previous", Text, nullable=True),  # the station that released it
    Column("room", Text, nullable=True),  # where the releasing station sent it, if it said
    PrimaryKeyConstraint("batch", name="pk_batch_owners"),
    sqlite_strict=True,
)

batch_identities = Table(
    "batch_identities",
    metadata,
    # Every collection DIN ("din") and order ID ("order") bound to a batch, fleet-wide; the first
    # binding wins, a later one for another batch is an identity exception.
    Column("kind", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("batch", Text, nullable=False),
    Column("station", Text, nullable=False),
    Column("at", Text, nullable=False),
    PrimaryKeyConstraint("kind", "value", name="pk_batch_identities"),
    sqlite_strict=True,
)

receipts = Table(
    "receipts",
    metadata,
    # Every signed receipt the server issued (central/receipts.py); append-only.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("station", Text, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("head", Text, nullable=False),
    Column("at", Text, nullable=False),
    Column("body", Text, nullable=False),  # the receipt's canonical JSON, signature included
    Index("ix_receipts_station", "station", "seq"),
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

timestamps = Table(
    "timestamps",
    metadata,
    # RFC 3161 time-stamp tokens of the server's heads (central/timestamps.py); append-only.
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", Text, nullable=False),  # server time the request was made
    Column("tsa_url", Text, nullable=False),
    Column("tsa_time", Text, nullable=False),  # the TSA's genTime, UTC
    Column("covered", Text, nullable=False),  # canonical JSON: at, heads [{station, seq, hash}]
    Column("imprint", Text, nullable=False),  # hex SHA-256 of ``covered``
    Column("nonce", Text, nullable=False),
    Column("token", Text, nullable=False),  # base64 of the DER TimeStampResp
    sqlite_autoincrement=True,
    sqlite_strict=True,
)

genealogy = Table(
    "genealogy",
    metadata,
    # What went into each batch (central/genealogy.py): lots, devices, people, stations, the
    # pseudonymous patient, the order and the DIN; a projection of the stored events.
    Column("batch", Text, nullable=False),
    Column("kind", Text, nullable=False),
    Column("value", Text, nullable=False),
    Column("detail", Text, nullable=True),
    Column("station", Text, nullable=False),  # where it was first recorded
    Column("ts", Text, nullable=False),
    PrimaryKeyConstraint("batch", "kind", "value", name="pk_genealogy"),
    Index("ix_genealogy_value", "kind", "value"),
    sqlite_strict=True,
)


dashboard_batches = Table(
    "dashboard_batches",
    metadata,
    # The dashboards' figures per batch (central/dashboards.py), computed from the batch's events
    # when ``events`` differs from ``batches.events``; derived only, never a record.
    Column("batch", Text, nullable=False),
    Column("events", Integer, nullable=False),
    Column("recipe_id", Text, nullable=True),
    Column("recipe_version", Integer, nullable=True),
    Column("status", Text, nullable=False),
    Column("started", Text, nullable=False),
    Column("finished", Text, nullable=True),
    Column("collected", Text, nullable=True),
    Column("ebr_completed", Text, nullable=True),
    Column("released", Text, nullable=True),
    Column("exceptions", Integer, nullable=False),
    Column("review_items", Integer, nullable=False),
    Column("records", Integer, nullable=False),
    Column("signatures", Integer, nullable=False),
    Column("categories", Text, nullable=False),
    Column("critical", Text, nullable=False),
    PrimaryKeyConstraint("batch", name="pk_dashboard_batches"),
    Index("ix_dashboard_batches_recipe", "recipe_id", "started"),
    Index("ix_dashboard_batches_started", "started"),
    sqlite_strict=True,
)

portal_sessions = Table(
    "portal_sessions",
    metadata,
    # A person's browser session at the web portal (central/sessions.py): only the SHA-256 of
    # the cookie's token; updated while in use and when it ends, never part of the record.
    Column("token_sha256", Text, nullable=False),
    Column("user_id", Text, nullable=False),
    Column("created", Text, nullable=False),
    Column("last_seen", Text, nullable=False),
    Column("ended", Text, nullable=True),
    Column("end_reason", Text, nullable=True),
    PrimaryKeyConstraint("token_sha256", name="pk_portal_sessions"),
    Index("ix_portal_sessions_user", "user_id"),
    sqlite_strict=True,
)
