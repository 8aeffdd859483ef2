"""Master data the server hands down to stations, each kind with its own increasing version.

- Recipes: YAML text exactly as an admin uploaded it (validated by ``kiosk.recipe.load_recipe``)
  with its SHA-256. A recipe version never changes: uploading the same id and version with
  different content is refused.
- Users: the ``user.*`` events of the server's own user stream (``central.users``), so that
  every station gets every user's password hash and roles; their version is the order in which
  the server wrote them. Stations never add to it.
- Equipment and material lots: one row per change (``central equipment add`` / ``lots add``);
  the newest row of an asset or lot is its current state.

A station asks for "everything since version N" and keeps the highest version it has seen.
Versions are assigned under a lock (an advisory lock on PostgreSQL) so that they become visible
in increasing order and a station never skips one that commits late.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Table, func, insert, select

from central import orders, schema
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.records import EVENT_COLUMNS, event_from_row
from central.store import LOCK_MASTER, CentralStore, now_iso
from kiosk.masterdata import EQUIPMENT_KINDS, LOT_STATUSES
from kiosk.recipe import RecipeError, load_recipe
from local_store import Event

KINDS: Final = ("recipes", "users", "equipment", "lots", "orders")
EQUIPMENT_STATUSES: Final = ("active", "retired")
MAX_PAGE: Final = 1000

_R = schema.recipes
_EQ = schema.equipment
_L = schema.lots
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


def add_recipe(store: CentralStore, path: str | Path) -> tuple[dict[str, Any], bool]:
    """Validate and upload one recipe file; returns (its row, whether it was new)."""
    try:
        loaded = load_recipe(path)
    except RecipeError as exc:
        raise CentralError("\n".join(str(p) for p in exc.problems)) from exc
    text = Path(path).read_bytes().decode("utf-8")  # load_recipe has checked it is UTF-8
    recipe = loaded.recipe
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        found = conn.execute(
            select(_R).where(_R.c.recipe_id == recipe.id, _R.c.recipe_version == recipe.version)
        ).first()
        if found is not None:
            if found.sha256 != loaded.sha256:
                raise CentralError(
                    f"recipe {recipe.id} v{recipe.version} is on the server already with other "
                    f"content (sha256 {found.sha256[:12]}…, this file {loaded.sha256[:12]}…): a "
                    "recipe version never changes, give the new content a new version"
                )
            return dict(found._mapping), False
        values = {
            "recipe_id": recipe.id,
            "recipe_version": recipe.version,
            "status": recipe.status,
            "title": recipe.title,
            "sha256": loaded.sha256,
            "yaml": text,
            "uploaded_at": now_iso(),
        }
        version = conn.execute(insert(_R).values(values).returning(_R.c.version)).scalar_one()
    return {"version": version, **values}, True


def recipe_text(store: CentralStore, recipe_id: str, version: int) -> tuple[str, str] | None:
    """(YAML text, sha256) of one recipe version, or None when the server does not have it."""
    with store.read() as conn:
        row = conn.execute(
            select(_R.c.yaml, _R.c.sha256).where(
                _R.c.recipe_id == recipe_id, _R.c.recipe_version == version
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


def add_lot(
    store: CentralStore,
    gtin: str,
    lot: str,
    *,
    material: str,
    expiry: date,
    status: str = "released",
) -> int:
    """Record a material lot (or a change of its status); returns the new lots version."""
    if status not in LOT_STATUSES:
        raise CentralError(f"lot status must be one of {', '.join(LOT_STATUSES)}")
    if not gtin.strip() or not lot.strip() or not material.strip():
        raise CentralError("a GTIN, a lot number and a material are required")
    values = {
        "gtin": gtin,
        "lot": lot,
        "material": material,
        "expiry": expiry.isoformat(),
        "status": status,
        "changed_at": now_iso(),
    }
    return _add(store, _L, values)


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
            table = {"recipes": _R, "equipment": _EQ, "lots": _L}[kind]
            latest = conn.execute(select(func.max(table.c.version))).scalar()
            rows = conn.execute(
                select(table).where(table.c.version > since).order_by(table.c.version).limit(limit)
            ).all()
            items = [dict(r._mapping) for r in rows]
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
