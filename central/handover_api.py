"""Batch hand-over between stations, and fleet-wide identity look-ups (station tokens).

- ``GET /api/v1/handovers``: batches released by their owner and waiting to be claimed.
- ``POST /api/v1/batches/{batch}/claim``: a person at this station signed "received"; the server
  gives the batch to this station and answers with the batch's events from every chain.
- ``GET /api/v1/batches/{batch}/history``: the batch's events, for the station that holds it;
  with ``server_after=N`` only the server's own events of it after the server's seq N (QA's
  decisions and the LIMS's results a running station has not taken in yet).
- ``GET /api/v1/identities/{kind}/{value}``: the batch a DIN or an order ID is bound to.

Every refusal is answered with a 4xx and recorded as an incident.
"""

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from sqlalchemy import insert, select

from central import ownership, records, schema, stations
from central.authority import SignaturePayload
from central.deps import ServicesDep, StationDep
from central.models import MAX_INT, ErrorBody, EventModel
from central.store import CentralStore, now_iso

router = APIRouter(prefix="/api/v1", tags=["hand-over"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 503)
}
BatchId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[^\x00/]+$")]


class Handover(BaseModel):
    batch: str
    released_by: str | None
    since: str
    room: str | None
    identifiers: dict[str, str] = {}  # the patient's, as the releasing station showed them


class ClaimRequest(BaseModel):
    """The receiving person's signature, meaning "received", made at the claiming station."""

    model_config = ConfigDict(extra="forbid")
    signature: SignaturePayload


class BatchHistory(BaseModel):
    batch: str
    owner: str | None
    events: list[EventModel]


class Identity(BaseModel):
    kind: Literal["din", "order"]
    value: str
    batch: str | None
    station: str | None


def _refuse(
    store: CentralStore, station: str, code: str, message: str, status: int
) -> JSONResponse:
    with store.write() as conn:
        conn.execute(
            insert(schema.incidents).values(
                station=station, seq=0, code=code, problem=message, event=None, at=now_iso()
            )
        )
    return JSONResponse({"detail": message}, status_code=status)


@router.get("/handovers", response_model=list[Handover], responses=_ERRORS)
def handovers(services: ServicesDep, _station: StationDep) -> list[Handover]:
    """Batches whose owner released them for hand-over, oldest release first."""
    rows = ownership.owners(services.store, state=ownership.RELEASED)
    return sorted(
        (
            Handover(
                batch=r.batch,
                released_by=r.previous,
                since=r.since,
                room=r.room,
                identifiers=_released_identifiers(services.store, r.batch),
            )
            for r in rows
        ),
        key=lambda h: h.since,
    )


def _released_identifiers(store: CentralStore, batch: str) -> dict[str, str]:
    """The identifiers the owner sent with its last release of ``batch`` (shown to the person
    who signs "received" before the batch's events reach their station)."""
    e = schema.events
    with store.read() as conn:
        payload = conn.execute(
            select(e.c.payload)
            .where(e.c.batch == batch, e.c.type == "batch.handover")
            .order_by(e.c.received_at.desc(), e.c.seq.desc())
            .limit(1)
        ).scalar()
    try:
        found = json.loads(payload) if isinstance(payload, str) else None
    except ValueError:
        return {}
    ids = found.get("identifiers") if isinstance(found, dict) else None
    if not isinstance(ids, dict):
        return {}
    return {str(k): str(v) for k, v in ids.items() if isinstance(v, str | int | float)}


def _history(store: CentralStore, batch: str, server_after: int | None = None) -> list[EventModel]:
    with store.read() as conn:
        if server_after is None:
            events = records.batch_events(conn, batch)
        else:
            events = records.server_events_after(conn, batch, server_after)
    return [EventModel.model_validate(e.to_dict()) for e in events]


@router.post("/batches/{batch}/claim", response_model=BatchHistory, responses=_ERRORS)
def claim(
    batch: BatchId, body: ClaimRequest, services: ServicesDep, station: StationDep
) -> BatchHistory | JSONResponse:
    """Take over a released batch on the receiver's signature; answer with its events."""
    signature = body.signature.model_dump()
    try:
        rooms = stations.station_rooms(services.store, station.name)
        ownership.claim(services.store, batch, station.name, signature, rooms)
    except ownership.ClaimRefused as exc:
        return _refuse(services.store, station.name, "claim_refused", str(exc), exc.status)
    return BatchHistory(batch=batch, owner=station.name, events=_history(services.store, batch))


@router.get("/batches/{batch}/history", response_model=BatchHistory, responses=_ERRORS)
def history(
    batch: BatchId,
    services: ServicesDep,
    station: StationDep,
    server_after: Annotated[
        int | None,
        Query(ge=0, le=MAX_INT, description="only the server's own events after this seq"),
    ] = None,
) -> BatchHistory | JSONResponse:
    """The batch's events from every chain, in ownership order, for the station holding it;
    with ``server_after``, only the server's own events of it after that seq."""
    held = ownership.owner_of(services.store, batch)
    if held is None or held.owner != station.name:
        message = f"station {station.name} does not hold batch {batch}"
        return _refuse(services.store, station.name, "not_owner", message, 403)
    events = _history(services.store, batch, server_after)
    return BatchHistory(batch=batch, owner=station.name, events=events)


@router.get("/identities/{kind}/{value}", response_model=Identity, responses=_ERRORS)
def identity(
    kind: Literal["din", "order"],
    value: Annotated[str, Path(min_length=1, max_length=128)],
    services: ServicesDep,
    _station: StationDep,
) -> Identity:
    """The batch (and station) a collection DIN or an order ID is bound to, or nulls."""
    found = ownership.bound(services.store, kind, value)
    return Identity(
        kind=kind,
        value=value,
        batch=None if found is None else found[0],
        station=None if found is None else found[1],
    )
