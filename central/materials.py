"""Materials and their lots at the server: what a lot is, how much came, may it be used.

- A material has a code (``CD4CD8-BEADS``), a name and the GTINs its labels carry; no GTIN
  belongs to two materials. ``central materials add`` records one (or a change of its name or
  GTINs).
- A lot belongs to one material: its GTIN must be one of the material's. It is registered with
  the quantity received and its unit (``central lots add``).
- A kit (``central kits add``) lists registered lots, one of each material; a station takes
  a scanned kit ID for the kit's lot of the step's material.
- A quarantine, recall or release (``central lots quarantine|recall|release LOT --reason``) is
  signed by a QA or admin user (the ``material.manage`` permission, password re-entered,
  printed name, time, meaning "approved", bound to the change's SHA-256), as ``central users``
  signs user changes.

Every change is an event in the server's own chain (``material.registered``,
``lot.registered``, ``lot.status``) and, in the same transaction, a row of the versioned
``materials`` or ``lots`` table that stations pull (``central.master``).

Consumption: a station records each use of a lot as ``material.used`` with the quantity taken
(in the lot's unit). :func:`consumption` totals the events the server holds per station and
lot; a station subtracts the other stations' totals and counts its own from its own record.
"""

import json
import re
from collections import defaultdict
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from sqlalchemy import Connection, insert, select

from central import chain, schema, users
from central.errors import CentralError
from central.store import LOCK_MASTER, CentralStore, now_iso
from kiosk.identity import gtin_check_ok
from kiosk.lots import KIT_ID
from kiosk.masterdata import LOT_STATUSES
from kiosk.recipe import MATERIAL_CODE
from kiosk.units import UnitError, check_unit

MANAGE: Final = "material.manage"
STATUS_COMMANDS: Final = {"quarantine": "quarantined", "recall": "recalled", "release": "released"}

_M = schema.materials
_L = schema.lots
_K = schema.kits
_E = schema.events


class MaterialError(CentralError):
    """A material or lot change refused; ``str()`` names the field and what is wrong."""


# ---------------------------------------------------------------- reading


def current_materials(conn: Connection) -> dict[str, dict[str, Any]]:
    """The newest row of each material code, with ``gtins`` as a list."""
    found: dict[str, dict[str, Any]] = {}
    for row in conn.execute(select(_M).order_by(_M.c.version)).all():
        item = dict(row._mapping)
        item["gtins"] = json.loads(item["gtins"])
        found[item["code"]] = item
    return found


def current_lots(conn: Connection) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest row of each lot, by (GTIN, lot)."""
    rows = conn.execute(select(_L).order_by(_L.c.version)).all()
    return {(r.gtin, r.lot): dict(r._mapping) for r in rows}


def materials(store: CentralStore) -> list[dict[str, Any]]:
    with store.read() as conn:
        return sorted(current_materials(conn).values(), key=lambda m: str(m["code"]))


def lots(store: CentralStore) -> list[dict[str, Any]]:
    """Every lot as it stands now, with ``used`` (the quantity stations recorded) and
    ``remaining`` where its quantity is known."""
    with store.read() as conn:
        rows = current_lots(conn)
        used = _used(conn)
    result = []
    for key, row in sorted(rows.items()):
        total = sum(used.get(key, {}).values(), Decimal(0))
        item = {**row, "used": str(total), "remaining": None}
        if row.get("quantity") is not None:
            item["remaining"] = str(Decimal(row["quantity"]) - total)
        result.append(item)
    return result


def kits(store: CentralStore) -> list[dict[str, Any]]:
    with store.read() as conn:
        rows = conn.execute(select(_K).order_by(_K.c.kit)).all()
    return [{**dict(r._mapping), "lots": json.loads(r.lots)} for r in rows]


def consumption(store: CentralStore) -> list[dict[str, Any]]:
    """What each station used of each lot, as the events the server holds say."""
    with store.read() as conn:
        used = _used(conn)
    return [
        {"gtin": gtin, "lot": lot, "station": station, "quantity": str(amount)}
        for (gtin, lot), by_station in sorted(used.items())
        for station, amount in sorted(by_station.items())
    ]


def _used(conn: Connection) -> dict[tuple[str, str], dict[str, Decimal]]:
    """Totals of ``material.used`` quantities per lot and station (a scan of the events of
    that type; see docs/server.md for its cost)."""
    totals: dict[tuple[str, str], dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    rows = conn.execute(
        select(_E.c.station, _E.c.payload).where(_E.c.type == "material.used")
    ).all()
    for station, text in rows:
        payload = json.loads(text)
        amount = _decimal_or_none(payload.get("quantity"))
        if amount is None:
            continue
        key = (str(payload.get("gtin") or ""), str(payload.get("lot") or ""))
        totals[key][str(station)] += amount
    return totals


def _decimal_or_none(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() and number >= 0 else None


# ---------------------------------------------------------------- checks


def check_code(code: str) -> str:
    if not re.fullmatch(MATERIAL_CODE, code):
        raise MaterialError(
            f"material code {code!r}: capital letters, digits, '.', '_' or '-', at most 32"
        )
    return code


def check_gtin(gtin: str) -> str:
    if not gtin_check_ok(gtin):
        raise MaterialError(f"gtin {gtin!r}: 14 digits with a valid GS1 check digit")
    return gtin


def check_quantity(text: str) -> str:
    """A received quantity: a positive decimal number, kept as its canonical text."""
    number = _decimal_or_none(text.strip())
    if number is None or number <= 0:
        raise MaterialError(f"quantity {text!r}: give a positive number, such as 10 or 7.5")
    return f"{number.normalize():f}"


def check_lot_unit(unit: str) -> str:
    try:
        check_unit(unit)
    except UnitError as exc:
        raise MaterialError(f"unit {unit!r}: {exc}") from exc
    return unit


# ---------------------------------------------------------------- changes


def add_material(store: CentralStore, code: str, name: str, gtins: list[str]) -> int:
    """Record a material (or a change of its name or GTINs); returns the materials version."""
    check_code(code)
    if not name.strip():
        raise MaterialError("name: a material needs a name, as operators know it")
    if not gtins:
        raise MaterialError("gtin: a material needs at least one GTIN (--gtin)")
    clean = sorted({check_gtin(g) for g in gtins})
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        for other in current_materials(conn).values():
            shared = set(clean) & set(other["gtins"])
            if other["code"] != code and shared:
                raise MaterialError(
                    f"gtin: {min(shared)} is the GTIN of {other['name']} ({other['code']}) "
                    "already: one GTIN, one material"
                )
        values = {"code": code, "name": name.strip(), "gtins": json.dumps(clean)}
        chain.append(conn, "material.registered", {**values, "gtins": clean})
        values["changed_at"] = now_iso()
        return int(conn.execute(insert(_M).values(values).returning(_M.c.version)).scalar_one())


def add_lot(
    store: CentralStore,
    gtin: str,
    lot: str,
    *,
    material: str,
    expiry: date,
    quantity: str,
    unit: str,
    status: str = "released",
) -> int:
    """Register a lot of a material with the quantity received; returns the lots version."""
    if status not in LOT_STATUSES:
        raise MaterialError(f"status: one of {', '.join(LOT_STATUSES)}")
    if not lot.strip() or len(lot) > 20:
        raise MaterialError("lot: a lot number of 1 to 20 characters is required")
    check_gtin(gtin)
    amount = check_quantity(quantity)
    check_lot_unit(unit)
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        known = current_materials(conn).get(material)
        if known is None:
            raise MaterialError(
                f"material: no material {material!r} on the server (central materials add)"
            )
        if gtin not in known["gtins"]:
            raise MaterialError(
                f"gtin: {gtin} is not a GTIN of {known['name']} ({', '.join(known['gtins'])})"
            )
        if (gtin, lot) in current_lots(conn):
            raise MaterialError(
                f"lot: {lot} of {gtin} is registered already; change its status with "
                "central lots quarantine|recall|release"
            )
        values = {
            "gtin": gtin,
            "lot": lot,
            "material": material,
            "expiry": expiry.isoformat(),
            "status": status,
            "quantity": amount,
            "unit": unit,
        }
        chain.append(conn, "lot.registered", values)
        return _insert_lot(conn, values)


def add_kit(store: CentralStore, kit: str, lots: list[tuple[str, str]]) -> int:
    """Register a kit of registered lots, one per material; returns the kits version."""
    if not re.fullmatch(KIT_ID, kit):
        raise MaterialError(f"kit {kit!r}: a capital letter, then capitals, digits, . _ or -")
    if not lots:
        raise MaterialError("lot: a kit lists at least one lot (--lot GTIN/LOT)")
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        if conn.execute(select(_K.c.version).where(_K.c.kit == kit)).first() is not None:
            raise MaterialError(f"kit: {kit} is registered already")
        known = current_lots(conn)
        seen: dict[str, str] = {}
        for gtin, lot in lots:
            row = known.get((gtin, lot))
            if row is None:
                raise MaterialError(f"lot: no lot {lot} of {gtin} on the server")
            if row["material"] in seen:
                raise MaterialError(
                    f"lot: {seen[row['material']]} and {lot} are both {row['material']}: "
                    "a kit has one lot of each material"
                )
            seen[row["material"]] = lot
        listed = [{"gtin": g, "lot": n} for g, n in lots]
        chain.append(conn, "kit.registered", {"kit": kit, "lots": listed})
        values = {"kit": kit, "lots": json.dumps(listed), "changed_at": now_iso()}
        return int(conn.execute(insert(_K).values(values).returning(_K.c.version)).scalar_one())


def set_lot_status(
    store: CentralStore,
    lot: str,
    status: str,
    reason: str,
    *,
    signer: str,
    password: str,
    gtin: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """Quarantine, recall or release a lot, signed; returns (lots version, the signature)."""
    if status not in LOT_STATUSES:
        raise MaterialError(f"status: one of {', '.join(LOT_STATUSES)}")
    if not reason.strip():
        raise MaterialError("reason: say why (--reason)")
    refusal: users.Refused | None = None
    result: tuple[int, dict[str, Any]] | None = None
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        row = _find_lot(current_lots(conn), lot, gtin)
        change = {"gtin": row["gtin"], "lot": lot, "status": status, "reason": reason.strip()}
        signature, refusal = users.sign_change(conn, store, signer, password, MANAGE, change)
        if signature is not None:
            chain.append(
                conn,
                "lot.status",
                {**change, "signature": signature},
                actor=f"u:{signer}",
                reason=reason.strip(),
            )
            values = {
                **{k: v for k, v in row.items() if k not in ("version", "changed_at")},
                "status": status,
                "reason": reason.strip(),
                "changed_by": f"u:{signer}",
            }
            result = (_insert_lot(conn, values), signature)
    if refusal is not None:
        raise refusal
    assert result is not None
    return result


def _find_lot(
    rows: dict[tuple[str, str], dict[str, Any]], lot: str, gtin: str | None
) -> dict[str, Any]:
    found = [r for (g, n), r in rows.items() if n == lot and (gtin is None or g == gtin)]
    if not found:
        raise MaterialError(f"lot: no lot {lot!r} on the server")
    if len(found) > 1:
        raise MaterialError(
            f"lot: {lot} is a lot of several GTINs ({', '.join(r['gtin'] for r in found)}): "
            "say which with --gtin"
        )
    return found[0]


def _insert_lot(conn: Connection, values: dict[str, Any]) -> int:
    values = {**values, "changed_at": now_iso()}
    return int(conn.execute(insert(_L).values(values).returning(_L.c.version)).scalar_one())
