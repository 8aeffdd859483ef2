"""Handing a batch from one station to the next (Qt-free; used by the screens and the OQ runner).

The central server decides who holds a batch (``docs/architecture.md``, "Authority map"):

1. :func:`release`: the owner writes ``batch.handover`` in its chain. From then on this station
   writes nothing more for the batch; once the event is pushed, the server has every event of
   the batch up to it and the batch is released.
2. :func:`claim`: at the next station a person signs "received"; the server gives the batch to
   this station and sends its events from every chain. They are checked (each event's hash,
   each chain's links) and kept beside this station's own (``EventStore.import_foreign``), then
   ``batch.claimed`` is written here with the signature, and the engine continues from the step
   where the batch stands.

While the owner is offline its release cannot reach the server, so nobody can claim the batch.
:func:`local_owner` tells, from this station's own chain, whether it still holds a batch.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from kiosk.sync import SyncClient, SyncError, SyncRefused
from kiosk.text import Text
from local_store import Event, EventStore, StoreError

RELEASED: Final = "released for hand-over"
""":func:`local_owner`'s answer for a batch this station released and no longer holds."""
OWNERSHIP_TYPES: Final = ("batch.started", "batch.claimed", "batch.handover")


class HandoverError(Exception):
    """A hand-over step that cannot be done; ``str()`` is a sentence for the operator."""


@dataclass(frozen=True)
class Waiting:
    """A batch released by its owner and waiting to be claimed."""

    batch: str
    released_by: str | None
    since: str
    room: str | None
    identifiers: dict[str, str] = field(default_factory=dict)  # as the releasing station showed


def local_owner(store: EventStore, batch: str) -> str | None:
    """This station's name while its own chain says it holds ``batch`` (started or claimed it
    last), :data:`RELEASED` after it released it, None if it never held it."""
    last: str | None = None
    for event in store.events(batch=batch, station=store.station, types=OWNERSHIP_TYPES):
        last = event.type
    if last is None:
        return None
    return RELEASED if last == "batch.handover" else store.station


def release(
    store: EventStore,
    batch: str,
    user: str,
    name: str,
    room: str | None,
    identifiers: Mapping[str, str] | None = None,
) -> Event:
    """Write ``batch.handover``: this station gives the batch up (sent with the next push).

    ``identifiers`` (the patient's, as the identity banner shows them) travel with the release so
    that the receiving station can show them before anyone signs "received"."""
    if local_owner(store, batch) != store.station:
        raise HandoverError(Text("batch {batch} is not held by this station", batch=batch))
    payload: dict[str, Any] = {"room": room, "by": name}
    if identifiers:
        payload["identifiers"] = dict(identifiers)
    return store.append("batch.handover", payload, actor=f"u:{user}", batch=batch)


def released_to(store: EventStore, batch: str) -> str | None:
    """The room this station last handed ``batch`` over to (None: none named, or never)."""
    room: str | None = None
    for event in store.events(batch=batch, station=store.station, types=("batch.handover",)):
        found = event.payload.get("room")
        room = found if isinstance(found, str) else None
    return room


def holder_text(store: EventStore, batch: str) -> str | None:
    """Who holds ``batch`` as far as this station's own chain knows, for ``Engine(owner_of=)``:
    this station, "another station (handed over to room R)" after a release, None if never."""
    held = local_owner(store, batch)
    if held != RELEASED:
        return held
    room = released_to(store, batch)
    return f"another station (handed over to room {room})" if room else "another station"


def waiting(client: SyncClient) -> list[Waiting]:
    """Batches released at their station and not yet claimed (the server's list)."""
    data = client.get("/handovers")
    if not isinstance(data, list):
        raise HandoverError(Text("the server sent a hand-over list of unknown form"))
    found = []
    for item in data:
        if isinstance(item, dict) and isinstance(item.get("batch"), str):
            ids = item.get("identifiers")
            found.append(
                Waiting(
                    item["batch"],
                    item.get("released_by"),
                    str(item.get("since")),
                    item.get("room"),
                    {str(k): str(v) for k, v in ids.items()} if isinstance(ids, dict) else {},
                )
            )
    return found


def bound_elsewhere(client: SyncClient, kind: str, value: str) -> str | None:
    """The batch a DIN (``din``) or an order ID (``order``) is bound to fleet-wide, or None."""
    data = client.get(f"/identities/{kind}/{value}")
    batch = data.get("batch") if isinstance(data, dict) else None
    return batch if isinstance(batch, str) else None


def fleet_bound(client: SyncClient, kind: str, value: str) -> str | None:
    """:func:`bound_elsewhere`, or None when the server cannot be asked now (offline, the
    station decides from what it knows; the server raises an identity exception later)."""
    try:
        return bound_elsewhere(client, kind, value)
    except SyncError:
        return None


def claim(
    store: EventStore,
    client: SyncClient,
    batch: str,
    signature: dict[str, Any],
) -> int:
    """Claim ``batch`` here on the receiver's signature ("received"); returns how many events
    of other stations were taken. HandoverError says why not (nothing is written then)."""
    if local_owner(store, batch) == store.station:
        raise HandoverError(Text("batch {batch} is held by this station already", batch=batch))
    try:
        data = client.post(f"/batches/{batch}/claim", {"signature": signature})
    except SyncRefused as exc:
        raise HandoverError(Text("the server refused the claim: {exc}", exc=exc)) from exc
    except SyncError as exc:
        raise HandoverError(Text("the batch cannot be claimed now: {exc}", exc=exc)) from exc
    events = _events(data, batch)
    foreign = [e for e in events if e.station != store.station]
    previous = next((e.station for e in reversed(foreign) if e.type == "batch.handover"), None)
    try:
        store.import_foreign(foreign, after_seq=_head(store))
        store.append(
            "batch.claimed",
            {"from": previous or "?", "signature": signature},
            actor=f"u:{signature['user']}",
            batch=batch,
        )
    except StoreError as exc:
        raise HandoverError(
            Text("the batch's events from the server were not taken: {exc}", exc=exc)
        ) from exc
    return len(foreign)


def _head(store: EventStore) -> int:
    last = store.last()
    return 0 if last is None else last.seq


def _events(data: Any, batch: str) -> list[Event]:
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise HandoverError(Text("the server answered the claim with something of unknown form"))
    events = []
    for item in data["events"]:
        try:
            event = Event.from_dict(item)
        except (TypeError, ValueError) as exc:
            raise HandoverError(
                Text(
                    "the server sent a malformed event of batch {batch}: {exc}",
                    batch=batch,
                    exc=exc,
                )
            ) from exc
        if event.batch != batch:
            raise HandoverError(
                Text(
                    "the server sent an event of batch {batch} for {batch2}",
                    batch=event.batch,
                    batch2=batch,
                )
            )
        events.append(event)
    return events
