"""QC results from the LIMS: ``POST /api/v1/batches/{batch}/results`` (a LIMS token only).

The LIMS authenticates with a token of role ``lims`` (``central stations add NAME --role lims``);
that token may post results and nothing else, and a station token may not post them. Each result
is written as a ``qc.result`` event in the server's own chain (station ``@central``), so it is
part of the batch's record at the server at once; the station that holds the batch pulls it with
``GET /api/v1/batches/{batch}/history`` and applies it through its engine
(``kiosk.sync.pull_results``). The same LIMS reference posted again is answered with the event
already written, not a second one.
"""

import json
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, model_validator
from sqlalchemy import select

from central import chain, ownership, schema
from central.authority import SERVER_STATION
from central.deps import ServicesDep, bearer_token, unauthorized
from central.models import ErrorBody
from central.stations import StationInfo, station_for_token

router = APIRouter(prefix="/api/v1", tags=["LIMS"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 422, 503)
}
_E = schema.events
BatchId = Annotated[str, Path(min_length=1, max_length=128, pattern=r"^[^\x00/]+$")]
QUALITATIVE = frozenset({"sterility", "mycoplasma"})
"""Tests whose result is a word (negative / positive), not a number."""


class QcResultIn(BaseModel):
    """One release test result as the LIMS reports it."""

    model_config = ConfigDict(extra="forbid")
    test: Literal["endotoxin", "vcn", "sterility", "mycoplasma", "potency"]
    value: float | Annotated[str, Field(min_length=1, max_length=64)]
    unit: Annotated[str, Field(min_length=1, max_length=32)] | None = None
    method: Annotated[str, Field(min_length=1, max_length=200)]
    sample_id: Annotated[str, Field(min_length=1, max_length=128)]
    result_time: datetime
    lims_ref: Annotated[str, Field(min_length=1, max_length=128)]

    @model_validator(mode="after")
    def _value_fits_the_test(self) -> "QcResultIn":
        if self.result_time.tzinfo is None:
            raise ValueError("result_time: give the time zone (e.g. 2026-12-01T09:00:00Z)")
        if self.test in QUALITATIVE:
            if not isinstance(self.value, str):
                raise ValueError(f"value: a {self.test} result is negative or positive")
        elif isinstance(self.value, str) or self.unit is None:
            raise ValueError(f"value: a {self.test} result is a number with its unit")
        return self


class QcResultAck(BaseModel):
    batch: str
    seq: int  # the qc.result event's place in the server's chain
    hash: str
    duplicate: bool = False


def current_lims(
    services: ServicesDep, token: Annotated[str | None, Depends(bearer_token)]
) -> StationInfo:
    """The LIMS client whose token the request carries; 401 unknown, 403 not a LIMS token."""
    if not token:
        raise unauthorized("a LIMS token is required (Authorization: Bearer …)", "Bearer")
    found = station_for_token(services.store, token)
    if found is None:
        raise unauthorized("unknown token", "Bearer")
    if not found.active:
        raise unauthorized(f"the token of {found.name} was revoked", "Bearer")
    if found.role != "lims":
        raise HTTPException(403, f"{found.name} is a {found.role} token: only a LIMS posts results")
    return found


@router.post(
    "/batches/{batch}/results", response_model=QcResultAck, status_code=201, responses=_ERRORS
)
def post_result(
    batch: BatchId,
    body: QcResultIn,
    services: ServicesDep,
    lims: Annotated[StationInfo, Depends(current_lims)],
) -> QcResultAck | JSONResponse:
    """Record a QC result for the batch in the server's chain (``qc.result``)."""
    if ownership.owner_of(services.store, batch) is None:
        return JSONResponse({"detail": f"no batch {batch} on the server"}, status_code=404)
    payload = {
        **body.model_dump(mode="json"),
        "lims": lims.name,
    }

    with services.store.write() as conn:
        rows = conn.execute(
            select(_E.c.seq, _E.c.hash, _E.c.payload).where(
                _E.c.station == SERVER_STATION, _E.c.batch == batch, _E.c.type == "qc.result"
            )
        ).all()
        for seq, digest, text in rows:
            if json.loads(text).get("lims_ref") == body.lims_ref:
                ack = QcResultAck(batch=batch, seq=seq, hash=digest, duplicate=True)
                return JSONResponse(ack.model_dump(), status_code=200)
        event = chain.append(conn, "qc.result", payload, batch=batch, actor=f"lims:{lims.name}")
    return QcResultAck(batch=batch, seq=event.seq, hash=event.hash)
