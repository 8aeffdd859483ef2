"""Orders from upstream, kept as ``order.*`` events in the server's own chain (``@central``).

The server is the source of truth for orders (authority map): an order comes from the upstream
system (``POST /api/v1/orders``, a token of role ``orders``) or an admin (``central orders add``),
is checked field by field (:mod:`central.order_model`) and against the server's data (the recipe
is on the server, the weight within the recipe's range, the order ID and its DINs not used by
another order), and is written as ``order.created``. A change is a new revision
(``order.revised``, the whole order again with a reason); a cancellation is ``order.cancelled``.
When the order is bound to a batch already (``batch_identities``), the revision or cancellation
is written with that batch's ID, so it is part of the batch's record on the server, and the
station that holds the batch records an exception when it pulls it.

Stations pull the ``order.*`` events as master data of kind ``orders`` (their version is their
place in the server's chain) and check each event's hash, as they do for users.
"""

import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, func, select

from central import chain, ownership, schema
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.order_model import OrderIn
from central.records import EVENT_COLUMNS, event_from_row
from central.store import LOCK_MASTER, CentralStore
from kiosk.recipe import RecipeError, load_recipe
from local_store import Event

TYPES: Final = ("order.created", "order.revised", "order.cancelled")
_E = schema.events
_R = schema.recipes


class OrderRefused(CentralError):
    """An order the server does not take; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Order:
    """An order as it stands after every event about it."""

    order_id: str
    data: dict[str, Any]
    revision: int
    status: str  # open | cancelled
    created_at: str
    changed_at: str
    reason: str | None = None
    batch: str | None = None
    history: list[int] = field(default_factory=list)  # the seqs of its events


def _events(conn: Connection, since: int = 0, limit: int | None = None) -> list[Event]:
    stmt = (
        select(*EVENT_COLUMNS)
        .where(_E.c.station == SERVER_STATION, _E.c.type.in_(TYPES), _E.c.seq > since)
        .order_by(_E.c.seq)
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [event_from_row(r) for r in conn.execute(stmt).all()]


def fold(events: list[Event]) -> dict[str, Order]:
    """Every order from its ``order.*`` events (oldest first)."""
    orders: dict[str, Order] = {}
    for e in events:
        p = e.payload
        if e.type == "order.cancelled":
            found = orders.get(str(p.get("order_id")))
            if found is not None:
                found.status, found.reason, found.changed_at = "cancelled", p.get("reason"), e.ts
                found.revision = int(p.get("revision", found.revision))
                found.batch = e.batch or found.batch
                found.history.append(e.seq)
            continue
        data = p.get("order")
        if not isinstance(data, dict):
            continue
        oid = str(data.get("order_id"))
        previous = orders.get(oid)
        orders[oid] = Order(
            order_id=oid,
            data=data,
            revision=int(p.get("revision", 1)),
            status="open",
            created_at=previous.created_at if previous else e.ts,
            changed_at=e.ts,
            reason=p.get("reason"),
            batch=e.batch or (previous.batch if previous else None),
            history=[*(previous.history if previous else []), e.seq],
        )
    return orders


def all_orders(store: CentralStore) -> list[Order]:
    """Every order, by order ID, with the batch bound to it (if any) filled in."""
    with store.read() as conn:
        orders = fold(_events(conn))
    for order in orders.values():
        bound = ownership.bound(store, "order", order.order_id)
        order.batch = bound[0] if bound else order.batch
    return sorted(orders.values(), key=lambda o: o.order_id)


_RANGES: dict[str, tuple[float | None, float | None]] = {}
"""Patient-weight range by recipe SHA-256 (a recipe version never changes: see master)."""


def weight_range(conn: Connection, recipe_id: str) -> tuple[float | None, float | None]:
    """The patient-weight range of the newest version of ``recipe_id``; refused if unknown."""
    row = conn.execute(
        select(_R.c.yaml, _R.c.sha256)
        .where(_R.c.recipe_id == recipe_id)
        .order_by(_R.c.version.desc())
        .limit(1)
    ).first()
    if row is None:
        raise OrderRefused(f"recipe: no recipe {recipe_id!r} on the server")
    found = _RANGES.get(str(row.sha256))
    if found is None:
        found = _RANGES[str(row.sha256)] = _load_range(recipe_id, str(row.yaml))
    return found


def _load_range(recipe_id: str, text: str) -> tuple[float | None, float | None]:
    with tempfile.TemporaryDirectory(prefix="central-order-") as tmp:
        path = Path(tmp) / f"{recipe_id}.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            recipe = load_recipe(path).recipe
        except RecipeError as exc:
            raise OrderRefused(f"recipe: {recipe_id} no longer loads ({exc})") from None
    spec = recipe.context.get("patient_weight")
    return (None, None) if spec is None or spec.range is None else spec.range


def _check(conn: Connection, order: OrderIn, current: dict[str, Order]) -> None:
    low, high = weight_range(conn, order.recipe)
    if (low is not None and order.weight_kg < low) or (high is not None and order.weight_kg > high):
        raise OrderRefused(
            f"weight_kg: {order.weight_kg:g} kg is outside {low:g}-{high:g} kg for recipe "
            f"{order.recipe}"
            if low is not None and high is not None
            else f"weight_kg: {order.weight_kg:g} kg is outside the range of recipe {order.recipe}"
        )
    for other in current.values():
        if other.order_id == order.order_id or other.status == "cancelled":
            continue
        shared = sorted(set(order.dins) & set(other.data.get("dins", [])))
        if shared:
            raise OrderRefused(f"dins: DIN {shared[0]} belongs to order {other.order_id}", 409)
        if other.data.get("coi") == order.coi and other.data.get("patient_id") != order.patient_id:
            raise OrderRefused(f"coi: CoI {order.coi} belongs to another patient's order", 409)


def add(store: CentralStore, order: OrderIn, source: str, actor: str = "system") -> Event:
    """Write ``order.created``; refused (409) for an order ID the server has already."""
    return add_many(store, [order], source, actor)[0]


def add_many(
    store: CentralStore, new: list[OrderIn], source: str, actor: str = "system"
) -> list[Event]:
    """Write one ``order.created`` per order, all or none (one transaction)."""
    written: list[Event] = []
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        current = fold(_events(conn))
        for order in new:
            where = f"order {order.order_id}: " if len(new) > 1 else ""
            if order.order_id in current:
                raise OrderRefused(f"{where}order_id: order {order.order_id} exists already", 409)
            try:
                _check(conn, order, current)
            except OrderRefused as exc:
                raise OrderRefused(f"{where}{exc}", exc.status) from None
            payload = {"order": order.payload(), "revision": 1, "source": source}
            event = chain.append(conn, "order.created", payload, actor=actor)
            current.update(fold([event]))
            written.append(event)
    return written


def revise(
    store: CentralStore, order: OrderIn, reason: str, source: str, actor: str = "system"
) -> Event:
    """Write ``order.revised`` (the whole order again, with the reason for the change)."""
    if not reason.strip():
        raise OrderRefused("reason: a change of an order needs a reason")
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        current = fold(_events(conn))
        found = current.get(order.order_id)
        if found is None:
            raise OrderRefused(f"order_id: no order {order.order_id}", 404)
        if found.status == "cancelled":
            raise OrderRefused(f"order_id: order {order.order_id} is cancelled", 409)
        if found.data == order.payload():
            raise OrderRefused(f"order {order.order_id}: nothing changed", 409)
        _check(conn, order, current)
        payload = {
            "order": order.payload(),
            "revision": found.revision + 1,
            "reason": reason.strip(),
            "source": source,
        }
        batch = _bound(conn, order.order_id)
        return chain.append(conn, "order.revised", payload, batch=batch, actor=actor)


def cancel(
    store: CentralStore, order_id: str, reason: str, source: str, actor: str = "system"
) -> Event:
    """Write ``order.cancelled``; refused for an unknown or already cancelled order."""
    if not reason.strip():
        raise OrderRefused("reason: a cancellation needs a reason")
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        found = fold(_events(conn)).get(order_id)
        if found is None:
            raise OrderRefused(f"order_id: no order {order_id}", 404)
        if found.status == "cancelled":
            raise OrderRefused(f"order_id: order {order_id} is cancelled already", 409)
        payload = {
            "order_id": order_id,
            "revision": found.revision + 1,
            "reason": reason.strip(),
            "source": source,
        }
        batch = _bound(conn, order_id)
        return chain.append(conn, "order.cancelled", payload, batch=batch, actor=actor)


def _bound(conn: Connection, order_id: str) -> str | None:
    i = schema.batch_identities
    row = conn.execute(select(i.c.batch).where(i.c.kind == "order", i.c.value == order_id)).first()
    return None if row is None else str(row.batch)


def page(store: CentralStore, since: int, limit: int) -> tuple[list[dict[str, Any]], int]:
    """(``order.*`` events after chain seq ``since`` as pull items, the newest such seq)."""
    with store.read() as conn:
        events = _events(conn, since, limit)
        latest = conn.execute(
            select(func.max(_E.c.seq)).where(_E.c.station == SERVER_STATION, _E.c.type.in_(TYPES))
        ).scalar()
    items = [{"version": e.seq, "event": e.to_dict()} for e in events]
    return items, int(latest or 0)
