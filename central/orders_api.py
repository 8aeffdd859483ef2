"""Orders from upstream over HTTP: ``/api/v1/orders`` (a token of role ``orders`` only).

The upstream orchestration or ERP system authenticates with a token of role ``orders``
(``central stations add NAME --role orders``); that token may post, revise, cancel and list
orders and nothing else, and a station or LIMS token may not call these routes. A refused order
is answered with one line naming the field (422, 409 for an order ID or DIN used already, 404
for an unknown order) and nothing is stored.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Path, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from central import orders
from central.deps import ServicesDep, bearer_token, unauthorized
from central.models import ErrorBody
from central.order_model import ORDER_ID, OrderIn
from central.stations import StationInfo, station_for_token

PREFIX = "/api/v1/orders"
router = APIRouter(prefix=PREFIX, tags=["orders"])
_ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorBody} for code in (401, 403, 404, 409, 422, 503)
}
OrderId = Annotated[str, Path(pattern=ORDER_ID)]
Reason = Annotated[str, Field(min_length=1, max_length=500)]


class RevisionIn(BaseModel):
    """A change of an order: the whole order again and why it changed."""

    model_config = ConfigDict(extra="forbid")
    order: OrderIn
    reason: Reason


class CancelIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: Reason


class OrderAck(BaseModel):
    order_id: str
    revision: int
    status: str
    seq: int  # the event's place in the server's chain
    hash: str
    batch: str | None = None  # the batch the order is bound to, if any


class OrderOut(BaseModel):
    order_id: str
    revision: int
    status: str
    order: dict[str, Any]
    created_at: str
    changed_at: str
    reason: str | None
    batch: str | None


def current_upstream(
    services: ServicesDep, token: Annotated[str | None, Depends(bearer_token)]
) -> StationInfo:
    """The upstream system whose token the request carries; 401 unknown, 403 another role."""
    if not token:
        raise unauthorized("an orders token is required (Authorization: Bearer …)", "Bearer")
    found = station_for_token(services.store, token)
    if found is None:
        raise unauthorized("unknown token", "Bearer")
    if not found.active:
        raise unauthorized(f"the token of {found.name} was revoked", "Bearer")
    if found.role != "orders":
        raise HTTPException(403, f"{found.name} is a {found.role} token: only upstream orders")
    return found


Upstream = Annotated[StationInfo, Depends(current_upstream)]


def _who(upstream: StationInfo) -> tuple[str, str]:
    """(source, actor) of what the upstream system writes."""
    return f"api:{upstream.name}", f"orders:{upstream.name}"


def _refused(exc: orders.OrderRefused) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=exc.status)


def _ack(store_orders: list[orders.Order], order_id: str, seq: int, digest: str) -> OrderAck:
    found = next(o for o in store_orders if o.order_id == order_id)
    return OrderAck(
        order_id=order_id,
        revision=found.revision,
        status=found.status,
        seq=seq,
        hash=digest,
        batch=found.batch,
    )


@router.post("", response_model=OrderAck, status_code=201, responses=_ERRORS)
def post_order(body: OrderIn, services: ServicesDep, upstream: Upstream) -> Any:
    """Take a new order (``order.created`` in the server's chain)."""
    try:
        event = orders.add(services.store, body, *_who(upstream))
    except orders.OrderRefused as exc:
        return _refused(exc)
    return _ack(orders.all_orders(services.store), body.order_id, event.seq, event.hash)


@router.put("/{order_id}", response_model=OrderAck, responses=_ERRORS)
def revise_order(
    order_id: OrderId, body: RevisionIn, services: ServicesDep, upstream: Upstream
) -> Any:
    """A new revision of the order; a batch bound to it gets an exception at its station."""
    if body.order.order_id != order_id:
        return JSONResponse({"detail": "order.order_id: differs from the path"}, status_code=422)
    try:
        event = orders.revise(services.store, body.order, body.reason, *_who(upstream))
    except orders.OrderRefused as exc:
        return _refused(exc)
    return _ack(orders.all_orders(services.store), order_id, event.seq, event.hash)


@router.post("/{order_id}/cancel", response_model=OrderAck, responses=_ERRORS)
def cancel_order(
    order_id: OrderId, body: CancelIn, services: ServicesDep, upstream: Upstream
) -> Any:
    """Cancel the order; a batch bound to it gets an exception at its station."""
    try:
        event = orders.cancel(services.store, order_id, body.reason, *_who(upstream))
    except orders.OrderRefused as exc:
        return _refused(exc)
    return _ack(orders.all_orders(services.store), order_id, event.seq, event.hash)


@router.get("", response_model=list[OrderOut], responses=_ERRORS)
def list_orders(services: ServicesDep, _upstream: Upstream) -> list[OrderOut]:
    """Every order as it stands (its newest revision), by order ID."""
    return [out(o) for o in orders.all_orders(services.store)]


def out(o: orders.Order) -> OrderOut:
    return OrderOut(
        order_id=o.order_id,
        revision=o.revision,
        status=o.status,
        order=o.data,
        created_at=o.created_at,
        changed_at=o.changed_at,
        reason=o.reason,
        batch=o.batch,
    )


async def _one_line(request: Request, exc: Exception) -> Response:
    """Under /api/v1/orders a malformed body is one line naming the field (422), else FastAPI's."""
    assert isinstance(exc, RequestValidationError)  # registered for this type only
    if not request.url.path.startswith(PREFIX):
        return await request_validation_exception_handler(request, exc)
    errors = exc.errors()
    if not errors:
        return JSONResponse({"detail": "the request body is not an order"}, status_code=422)
    first = errors[0]
    loc = [str(p) for p in first.get("loc", ()) if p != "body"]
    field = ".".join(loc) or "body"
    message = str(first.get("msg", "invalid")).removeprefix("Value error, ")
    named = message.startswith(f"{loc[-1] if loc else field}:")
    detail = message if named else f"{field}: {message}"
    return JSONResponse({"detail": detail}, status_code=422)


def install(app: FastAPI) -> None:
    """Add the orders routes and their one-line validation errors to ``app``."""
    app.include_router(router)
    app.add_exception_handler(RequestValidationError, _one_line)
