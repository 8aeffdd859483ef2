"""Master data the server hands down to stations, each kind with its own increasing version.

- Recipes: the versions that became effective (``central.recipes``: uploaded, submitted,
  reviewed and approved, each signed), with their YAML text exactly as uploaded and its SHA-256.
  A version enters the feed on its effective date, once; a recipe version never changes.
- Users: the ``user.*`` events of the server's own user stream (``central.users``), so that
  every station gets every user's password hash and roles; their version is the order in which
  the server wrote them. Stations never add to it.
- Equipment, materials and material lots: one row per change (``central equipment add``,
  ``central materials add``, ``central lots add|quarantine|recall|release``, see
  ``central.materials``); the newest row of an asset, material or lot is its current state.

A station asks for "everything since version N" and keeps the highest version it has seen.
Versions are assigned under a lock (an advisory lock on PostgreSQL) so that they become visible
in increasing order and a station never skips one that commits late.
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Final

from sqlalchemy import Table, func, insert, select

from central import orders, schema
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.records import EVENT_COLUMNS, event_from_row
from central.store import LOCK_MASTER, CentralStore, now_iso
from kiosk.masterdata import EQUIPMENT_KINDS
from local_store import Event

KINDS: Final = ("recipes", "users", "equipment", "materials", "lots", "kits", "orders")
EQUIPMENT_STATUSES: Final = ("active", "retired")
MAX_PAGE: Final = 1000

_R = schema.recipes
_RV = schema.recipe_versions
_EQ = schema.equipment
_L = schema.lots
_M = schema.materials
_K = schema.kits
_E = schema.events
_U = schema.user_events


@dataclass(frozen=True)
class Page:
    """Items of one kind with versions greater than ``since``, oldest first."""

    kind: str
    since: int
    version: int  # the highest version in ``items`` (``since`` when there are none)
    latest: int  # the highest version the server has of this kind
    items: list[dict[str, Any]]

    @property
    def more(self) -> bool:
        return self.version < self.latest


def recipe_text(store: CentralStore, recipe_id: str, version: int) -> tuple[str, str] | None:
    """(YAML text, sha256) of one recipe version, or None when the server does not have it."""
    with store.read() as conn:  # every uploaded version, whatever its status
        row = conn.execute(
            select(_RV.c.yaml, _RV.c.sha256).where(
                _RV.c.recipe_id == recipe_id, _RV.c.recipe_version == version
            )
        ).first()
    return None if row is None else (str(row.yaml), str(row.sha256))


def add_equipment(
    store: CentralStore,
    asset: str,
    *,
    kind: str,
    serial: str,
    model: str,
    calibration_due: date,
    status: str = "active",
) -> int:
    """Record an asset (or a change of it); returns the new equipment version."""
    if kind not in EQUIPMENT_KINDS:
        raise CentralError(f"equipment kind must be one of {', '.join(EQUIPMENT_KINDS)}")
    if status not in EQUIPMENT_STATUSES:
        raise CentralError(f"equipment status must be one of {', '.join(EQUIPMENT_STATUSES)}")
    if not asset.strip() or not serial.strip():
        raise CentralError("an asset tag and a serial number are required")
    values = {
        "asset": asset,
        "kind": kind,
        "serial": serial,
        "model": model,
        "calibration_due": calibration_due.isoformat(),
        "status": status,
        "changed_at": now_iso(),
    }
    return _add(store, _EQ, values)


def _add(store: CentralStore, table: Table, values: dict[str, Any]) -> int:
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        return int(
            conn.execute(insert(table).values(values).returning(table.c.version)).scalar_one()
        )


def page(store: CentralStore, kind: str, since: int, limit: int = MAX_PAGE) -> Page:
    """Items of ``kind`` (one of KINDS) newer than version ``since``, at most ``limit``."""
    limit = max(1, min(limit, MAX_PAGE))
    if kind == "orders":  # events of the server's chain: their version is their seq
        items, newest = orders.page(store, since, limit)
        version = int(items[-1]["version"]) if items else since
        return Page(kind, since, version, max(newest, version), items)
    with store.read() as conn:
        if kind == "users":
            own = _U.c.station == SERVER_STATION
            latest = conn.execute(select(func.max(_U.c.version)).where(own)).scalar()
            rows = conn.execute(
                select(_U.c.version, *EVENT_COLUMNS)
                .join(_E, (_E.c.station == _U.c.station) & (_E.c.seq == _U.c.seq))
                .where(_U.c.version > since, own)
                .order_by(_U.c.version)
                .limit(limit)
            ).all()
            items = [{"version": r[0], "event": event_from_row(r[1:]).to_dict()} for r in rows]
        else:
            tables = {"recipes": _R, "equipment": _EQ, "lots": _L, "materials": _M, "kits": _K}
            table = tables[kind]
            latest = conn.execute(select(func.max(table.c.version))).scalar()
            rows = conn.execute(
                select(table).where(table.c.version > since).order_by(table.c.version).limit(limit)
            ).all()
            items = [dict(r._mapping) for r in rows]
            if kind == "materials":
                items = [{**item, "gtins": json.loads(item["gtins"])} for item in items]
            elif kind == "kits":
                items = [{**item, "lots": json.loads(item["lots"])} for item in items]
    version = int(items[-1]["version"]) if items else since
    return Page(kind, since, version, max(int(latest or 0), version), items)


def user_events(store: CentralStore) -> Iterator[Event]:
    """Every user.* event, in the order the server received them (the users' version order)."""
    with store.read() as conn:
        rows = conn.execute(
            select(*EVENT_COLUMNS)
            .join(_U, (_E.c.station == _U.c.station) & (_E.c.seq == _U.c.seq))
            .order_by(_U.c.version)
        ).all()
    for row in rows:
        yield event_from_row(row)
