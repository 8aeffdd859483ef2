"""Orders at the station: the server's ``order.*`` events as pulled, and what a batch takes.

The server is the source of truth for orders (docs/architecture.md, authority map). A station
pulls the ``order.*`` events of the server's chain as master data of kind ``orders``
(``kiosk.sync``) and folds them here into the orders as they stand. An operator starts a batch
by choosing an open order (:func:`context_for` fills the batch's context from it; nothing
identifying is typed), and the batch keeps the order's identity (:func:`identity_of`: order ID,
revision, CoI, expected DINs) in its ``batch.started`` event, so every scan that binds the bag is
checked against it (:func:`mismatch`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kiosk.recipe import Recipe
from local_store import Event

ORDER_TYPES = ("order.created", "order.revised", "order.cancelled")


@dataclass(frozen=True)
class StationOrder:
    """An order as the station last pulled it."""

    order_id: str
    revision: int
    status: str  # open | cancelled
    data: Mapping[str, Any]
    reason: str | None = None
    seq: int = 0  # the server-chain seq of the order's newest event

    @property
    def patient_id(self) -> str:
        return str(self.data.get("patient_id", ""))

    @property
    def recipe(self) -> str:
        return str(self.data.get("recipe", ""))

    @property
    def coi(self) -> str:
        return str(self.data.get("coi", ""))

    @property
    def dins(self) -> list[str]:
        return [str(d) for d in self.data.get("dins", [])]


def fold(events: Iterable[Event]) -> dict[str, StationOrder]:
    """The orders as they stand after ``events`` (the server's order, oldest first)."""
    orders: dict[str, StationOrder] = {}
    for e in events:
        p = e.payload
        if e.type == "order.cancelled":
            old = orders.get(str(p.get("order_id")))
            if old is not None:
                revision = int(p.get("revision", old.revision + 1))
                orders[old.order_id] = StationOrder(
                    old.order_id, revision, "cancelled", old.data, p.get("reason"), e.seq
                )
        elif e.type in ("order.created", "order.revised") and isinstance(p.get("order"), dict):
            data = p["order"]
            oid = str(data.get("order_id"))
            orders[oid] = StationOrder(
                oid, int(p.get("revision", 1)), "open", data, p.get("reason"), e.seq
            )
    return orders


def context_for(order: StationOrder, recipe: Recipe) -> dict[str, Any]:
    """The batch context the recipe asks for, taken from the order (nothing typed)."""
    collected = datetime.fromisoformat(str(order.data.get("collection_time")))
    utc = collected.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
    known: dict[str, Any] = {
        "patient_id": order.patient_id,
        "order_id": order.order_id,
        "patient_weight": order.data.get("weight_kg"),
        "collection_time": utc,
        "shipment": order.data.get("shipment"),
        "coi": order.coi,
    }
    return {name: known[name] for name in recipe.context if name in known}


def identity_of(order: StationOrder) -> dict[str, Any]:
    """What ``batch.started`` keeps of the order: every scan of the bag is checked against it."""
    return {
        "order_id": order.order_id,
        "revision": order.revision,
        "coi": order.coi,
        "dins": order.dins,
        "patient_id": order.patient_id,
    }


def mismatch(identity: Mapping[str, Any] | None, kind: str, value: str) -> str | None:
    """Why a scanned DIN or CoI is not the order's (None when it is, or there is no order)."""
    if not identity:
        return None
    order = identity.get("order_id")
    if kind == "din":
        dins = [str(d) for d in identity.get("dins", [])]
        if value not in dins:
            return (
                f"wrong bag: DIN {value} is not a collection of order {order} "
                f"(expected {', '.join(dins)})"
            )
    elif kind == "coi" and value != identity.get("coi"):
        return f"wrong bag: CoI {value} is not the CoI of order {order} ({identity.get('coi')})"
    return None


def from_mapping(data: Mapping[str, Any], recipe: str) -> StationOrder:
    """An order written out by hand (an OQ script, the demo data): the same fields as the
    server's, with the recipe given and ``status``/``revision`` optional."""
    fields = {k: v for k, v in data.items() if k not in ("status", "revision", "reason")}
    fields.setdefault("recipe", recipe)
    fields["dins"] = [str(d) for d in fields.get("dins", [])]
    return StationOrder(
        str(fields.get("order_id", "")),
        int(data.get("revision", 1)),
        str(data.get("status", "open")),
        fields,
        data.get("reason"),
    )
