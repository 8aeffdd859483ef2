"""The HTTP API (FastAPI): station sync under ``/api/v1/events`` and ``/api/v1/master``, QA reads
under ``/api/v1/batches``, ``/api/v1/stations`` and ``/api/v1/incidents``, pages under ``/qa``.

Stations authenticate with ``Authorization: Bearer <station token>``; people with a portal
session (``central.portal``: sign in at ``/login``; the QA JSON routes answer 401 without one).
Every failure is a JSON body with ``detail`` in words; refusals of a push are
HTTP 409 with the code, the sequence number and the acknowledged mark (``models.Refused``).
The app holds no state but the database handle: any number of server processes may serve one
PostgreSQL database.
"""

import logging
import os
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text

from central import (
    __version__,
    dashboard_pages,
    handover_api,
    lims,
    master,
    materials_api,
    orders_api,
    people,
    planner,
    portal,
    qa,
    qa_pages,
    recipe_pages,
    stations,
    web,
)
from central import recipes as recipes_lifecycle
from central.deps import (
    ReviewerDep,
    RoleMissing,
    Services,
    ServicesDep,
    SignInRequired,
    StationDep,
    TokenBeforeBody,
)
from central.errors import CLOCK, FORBIDDEN, INVALID, BadEvent, DatabaseUnavailable
from central.ingest import StationRevoked, WrongStation, head, ingest
from central.models import (
    MAX_INT,
    Ack,
    BatchOut,
    EquipmentItem,
    ErrorBody,
    EventModel,
    Head,
    Health,
    IncidentOut,
    LotItem,
    MasterPage,
    PublicKey,
    PushRequest,
    RecipeItem,
    Refused,
    ReviewItemOut,
    ReviewOut,
    StationOut,
    UserItem,
    UserPage,
)
from central.receipts import public_pem
from central.store import CentralStore
from central.users import password_policy

log = logging.getLogger(__name__)

PREFIX = "/api/v1"
MAX_BODY = 32 * 1024 * 1024
"""Largest request body accepted (413 beyond): 1,000 events of up to ~32 KB each."""


_STATUS = {FORBIDDEN: 403, INVALID: 400, CLOCK: 400}
"""HTTP status of a refused push by its code; conflicts, broken chains and gaps are 409."""


def _errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": ErrorBody} for code in codes}


def create_app(store: CentralStore) -> FastAPI:
    """The server application over ``store`` (opened and migrated by the caller)."""
    app = FastAPI(
        title="Cleanroom kiosk central server",
        version=__version__,
        description=(
            "Receives the stations' hash-chained event logs, serves master data to them and "
            "serves QA review by exception. See docs/server.md."
        ),
        max_body_size=MAX_BODY,
    )
    app.state.services = Services(store)
    # The station's token is checked before its request body is read (see TokenBeforeBody).
    app.add_middleware(
        TokenBeforeBody, prefixes=(f"{PREFIX}/events", f"{PREFIX}/master", orders_api.PREFIX)
    )
    app.add_middleware(portal.SecurityHeaders)
    app.add_exception_handler(DatabaseUnavailable, _unavailable)
    app.add_exception_handler(SignInRequired, portal.sign_in_required)
    app.add_exception_handler(RoleMissing, portal.role_missing)
    app.include_router(health_router)
    app.include_router(sync_router)
    app.include_router(master_router)
    app.include_router(handover_api.router)
    app.include_router(lims.router)
    app.include_router(qa_router)
    app.include_router(portal.router)
    app.include_router(web.pages)
    app.include_router(qa_pages.router)
    app.include_router(people.router)
    app.include_router(recipe_pages.router)
    app.include_router(materials_api.router)
    app.include_router(materials_api.page_router)
    orders_api.install(app)
    app.include_router(planner.router)
    app.include_router(dashboard_pages.router)
    return app


def app_from_env() -> FastAPI:
    """App factory for ``uvicorn --factory central.api:app_from_env`` (reads DATABASE_URL)."""
    return create_app(CentralStore(os.environ.get("DATABASE_URL")))


def _unavailable(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=503)


health_router = APIRouter(prefix=PREFIX, tags=["health"])


@health_router.get("/health", response_model=Health, responses=_errors(503))
def health(services: ServicesDep) -> Health:
    """The server and its database answer (no sign-in)."""
    with services.store.read() as conn:
        conn.execute(text("SELECT 1"))
    return Health(status="ok", version=__version__)


# ---------------------------------------------------------------- station sync

sync_router = APIRouter(prefix=PREFIX, tags=["sync"])


@sync_router.get("/keys/receipts", response_model=PublicKey, responses=_errors(503))
def receipts_key(services: ServicesDep) -> PublicKey:
    """The public key that verifies the server's receipts (no sign-in: it is public)."""
    return PublicKey(public_key=public_pem(services.signing_key))


@sync_router.get("/events/head", response_model=Head, responses=_errors(401, 503))
def get_head(services: ServicesDep, station: StationDep) -> Head:
    """The last event of this station the server holds: push from the one after it."""
    seq, digest = head(services.store, station.name)
    return Head(station=station.name, acknowledged=seq, acknowledged_hash=digest)


@sync_router.post(
    "/events",
    response_model=Ack,
    responses={
        **_errors(401, 503),
        403: {
            "model": ErrorBody,
            "description": "events of another station, or not this station's to write (the "
            "authority map: then the body is a Refused with code `forbidden`)",
        },
        409: {"model": Refused, "description": "conflict, broken chain, or gap"},
        400: {"model": Refused, "description": "malformed event, or its clock is wrong"},
    },
)
def push(body: PushRequest, services: ServicesDep, station: StationDep) -> Ack | JSONResponse:
    """Store this station's events after checking its chain; answer with the acknowledged mark.

    Events the server already holds are acknowledged again when identical. A different event
    under a held seq (conflict) or one that does not continue the chain (broken chain) is refused
    with 409, logged and recorded as an incident; a gap is refused with 409 too (send from
    ``acknowledged + 1``). Events before the refused one are stored.
    """
    events = [e.to_event() for e in body.events]
    try:
        result = ingest(
            services.store, station.name, events, services.clock_skew_s, services.signing_key
        )
    except WrongStation as exc:
        return JSONResponse({"detail": str(exc)}, status_code=403)
    except StationRevoked as exc:
        return JSONResponse(
            {"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
    except BadEvent as exc:
        index = next(i for i, e in enumerate(events) if e.seq == exc.seq)
        problem = {"loc": ["body", "events", index], "msg": str(exc), "type": "value_error"}
        return JSONResponse({"detail": [problem]}, status_code=422)
    r = result.refusal
    if r is not None:
        refused = Refused(
            detail=r.message,
            code=r.code,
            station=r.station,
            seq=r.seq,
            problem=r.problem,
            acknowledged=r.acknowledged,
            acknowledged_hash=r.acknowledged_hash,
        )
        return JSONResponse(refused.model_dump(), status_code=_STATUS.get(r.code, 409))
    return Ack(
        station=result.station,
        acknowledged=result.acknowledged,
        acknowledged_hash=result.acknowledged_hash,
        stored=result.stored,
        duplicates=result.duplicates,
        receipt=result.receipt,
    )


# ---------------------------------------------------------------- master data

master_router = APIRouter(prefix=f"{PREFIX}/master", tags=["master data"])
Since = Annotated[int, Query(ge=0, le=MAX_INT, description="versions greater than this")]
Limit = Annotated[int, Query(ge=1, le=master.MAX_PAGE)]
_MASTER_ERRORS = _errors(401, 503)


def _page(page: master.Page) -> dict[str, Any]:
    return {
        "kind": page.kind,
        "since": page.since,
        "version": page.version,
        "latest": page.latest,
        "more": page.more,
        "items": page.items,
    }


@master_router.get("/recipes", response_model=MasterPage[RecipeItem], responses=_MASTER_ERRORS)
def recipes(
    services: ServicesDep, _station: StationDep, since: Since = 0, limit: Limit = 100
) -> dict[str, Any]:
    """Recipe versions made effective after version ``since`` (YAML text and its SHA-256);
    approved versions whose effective date has come are made effective first."""
    recipes_lifecycle.publish_due(services.store)
    return _page(master.page(services.store, "recipes", since, limit))


@master_router.get("/users", response_model=UserPage, responses=_MASTER_ERRORS)
def users(
    services: ServicesDep, _station: StationDep, since: Since = 0, limit: Limit = 1000
) -> dict[str, Any]:
    """user.* events of every station, received after version ``since``, and the password
    policy in force (``min_password``: the default when no admin has set one)."""
    page = _page(master.page(services.store, "users", since, limit))
    return {**page, "min_password": password_policy(services.store)}


@master_router.get("/equipment", response_model=MasterPage[EquipmentItem], responses=_MASTER_ERRORS)
def equipment(
    services: ServicesDep, _station: StationDep, since: Since = 0, limit: Limit = 1000
) -> dict[str, Any]:
    """Equipment changes after version ``since``; the newest row of an asset is current."""
    return _page(master.page(services.store, "equipment", since, limit))


@master_router.get("/orders", response_model=MasterPage[UserItem], responses=_MASTER_ERRORS)
def orders(
    services: ServicesDep, _station: StationDep, since: Since = 0, limit: Limit = 1000
) -> dict[str, Any]:
    """order.* events of the server's chain after version (chain seq) ``since``."""
    return _page(master.page(services.store, "orders", since, limit))


@master_router.get("/lots", response_model=MasterPage[LotItem], responses=_MASTER_ERRORS)
def lots(
    services: ServicesDep, _station: StationDep, since: Since = 0, limit: Limit = 1000
) -> dict[str, Any]:
    """Material lot changes after version ``since``; the newest row of a lot is current."""
    return _page(master.page(services.store, "lots", since, limit))


# ---------------------------------------------------------------- QA

qa_router = APIRouter(prefix=PREFIX, tags=["QA"])


@qa_router.get("/batches", response_model=list[BatchOut], responses=_errors(401, 503))
def batches(
    services: ServicesDep,
    _user: ReviewerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> list[BatchOut]:
    """Batches the server holds events of, most recently active first."""
    return [
        BatchOut.model_validate(b, from_attributes=True)
        for b in qa.list_batches(services.store, limit=limit, offset=offset)
    ]


@qa_router.get(
    "/batches/{batch:path}/events",
    response_model=list[EventModel],
    responses=_errors(401, 404, 503),
)
def batch_events(batch: str, services: ServicesDep, _user: ReviewerDep) -> list[EventModel]:
    """Every event of the batch, in (station, seq) order."""
    events = qa.batch_events(services.store, batch)
    if not events:
        raise HTTPException(404, f"no batch {batch!r} on the server")
    return [EventModel.of(e) for e in events]


@qa_router.get(
    "/batches/{batch:path}/review", response_model=ReviewOut, responses=_errors(401, 404, 503)
)
def batch_review(batch: str, services: ServicesDep, _user: ReviewerDep) -> ReviewOut:
    """The batch's review items: its exceptions and what else kiosk.review lists."""
    found = qa.review(services.store, services.recipes, batch)
    if found is None:
        raise HTTPException(404, f"no batch {batch!r} on the server")
    return ReviewOut(
        batch=found.batch,
        source=found.source,
        note=found.note,
        open=found.open,
        items=[
            ReviewItemOut(
                id=item.id,
                kind=item.kind,
                category=item.category,
                severity=item.severity,
                step=item.step,
                message=item.message,
                ts=item.ts,
                values=dict(item.values),
                required=item.required,
                status=item.status,
                disposition=item.disposition,
            )
            for item in found.items
        ],
    )


@qa_router.get(
    "/batches/{batch:path}/record.pdf",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the batch record"},
        **_errors(401, 404, 409, 501, 503),
    },
)
def batch_record(
    batch: str,
    services: ServicesDep,
    _user: ReviewerDep,
    review_only: Annotated[
        bool, Query(description="the review-by-exception report instead of the full record")
    ] = False,
) -> Response:
    """The batch record PDF (kiosk.ebr); 501 while that module is not installed on the server."""
    try:
        pdf = qa.batch_record_pdf(services.store, services.recipes, batch, review_only=review_only)
    except qa.NotAvailable as exc:
        return JSONResponse({"detail": str(exc)}, status_code=501)
    except qa.NeedsRecipe as exc:
        return JSONResponse({"detail": str(exc)}, status_code=409)
    if pdf is None:
        raise HTTPException(404, f"no batch {batch!r} on the server")
    filename = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_" for c in batch)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}.pdf"'},
    )


@qa_router.get("/stations", response_model=list[StationOut], responses=_errors(401, 503))
def station_list(services: ServicesDep, _user: ReviewerDep) -> list[StationOut]:
    """Registered stations and how far their record has been received."""
    return [
        StationOut(
            name=s.name,
            active=s.active,
            created_at=s.created_at,
            revoked_at=s.revoked_at,
            acknowledged=s.head_seq,
            last_push_at=s.last_push_at,
            incidents=s.incidents,
        )
        for s in stations.list_stations(services.store)
    ]


@qa_router.get("/incidents", response_model=list[IncidentOut], responses=_errors(401, 503))
def incidents(
    services: ServicesDep,
    _user: ReviewerDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 200,
) -> list[IncidentOut]:
    """Refused pushes that point at tampering (conflicts, broken chains), newest first."""
    return [
        IncidentOut.model_validate(i, from_attributes=True)
        for i in qa.list_incidents(services.store, limit=limit)
    ]
