"""HTTP for materials (station token): the ``materials`` master-data kind and lot consumption.

- ``GET /api/v1/master/materials?since=N``: materials changed after version ``N`` (code, name,
  GTINs), pulled like the other kinds (``central.master``).
- ``/qa/lots`` (a QA page, signed in like the other QA pages): materials and lots, their
  status, the last change and what is left.
- ``GET /api/v1/master/kits?since=N``: kits registered after version ``N``.
- ``GET /api/v1/lots/consumption``: what each station used of each lot, totalled from the
  ``material.used`` events the server holds (``central.materials.consumption``). A station
  subtracts the other stations' totals from a lot's quantity; its own it counts itself.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from pydantic import BaseModel

from central import forms, master, materials
from central.deps import ReviewerDep, ServicesDep, StationDep
from central.models import MAX_INT, ErrorBody, MasterPage
from central.store import now_iso

router = APIRouter(prefix="/api/v1", tags=["master data"])
page_router = APIRouter(include_in_schema=False)
_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorBody},
    503: {"model": ErrorBody},
}


class MaterialItem(BaseModel):
    version: int
    code: str
    name: str
    gtins: list[str]
    changed_at: str


class KitLot(BaseModel):
    gtin: str
    lot: str


class KitItem(BaseModel):
    version: int
    kit: str
    lots: list[KitLot]
    changed_at: str


class LotUse(BaseModel):
    gtin: str
    lot: str
    station: str
    quantity: str  # decimal text, in the lot's unit


class Consumption(BaseModel):
    at: str
    items: list[LotUse]


@router.get("/master/materials", response_model=MasterPage[MaterialItem], responses=_ERRORS)
def materials_page(
    services: ServicesDep,
    _station: StationDep,
    since: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,  # versions are 32-bit integers
    limit: Annotated[int, Query(ge=1, le=master.MAX_PAGE)] = 1000,
) -> dict[str, Any]:
    """Material changes after version ``since``; the newest row of a code is current."""
    page = master.page(services.store, "materials", since, limit)
    return {
        "kind": page.kind,
        "since": page.since,
        "version": page.version,
        "latest": page.latest,
        "more": page.more,
        "items": page.items,
    }


@router.get("/master/kits", response_model=MasterPage[KitItem], responses=_ERRORS)
def kits_page(
    services: ServicesDep,
    _station: StationDep,
    since: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,  # versions are 32-bit integers
    limit: Annotated[int, Query(ge=1, le=master.MAX_PAGE)] = 1000,
) -> dict[str, Any]:
    """Kits registered after version ``since`` (a kit ID and its lots)."""
    page = master.page(services.store, "kits", since, limit)
    return {
        "kind": page.kind,
        "since": page.since,
        "version": page.version,
        "latest": page.latest,
        "more": page.more,
        "items": page.items,
    }


@router.get("/lots/consumption", response_model=Consumption, responses=_ERRORS)
def consumption(services: ServicesDep, _station: StationDep) -> dict[str, Any]:
    """Quantities used per lot and station, as the server's events say, and when."""
    return {"at": now_iso(), "items": materials.consumption(services.store)}


@page_router.get("/qa/lots", response_class=HTMLResponse)
def lots_page(request: Request, services: ServicesDep, user: ReviewerDep) -> HTMLResponse:
    listed = materials.materials(services.store)
    return forms.page(
        request,
        "lots.html",
        user=user,
        materials=listed,
        names={m["code"]: m["name"] for m in listed},
        lots=materials.lots(services.store),
    )
