"""The QA portal's pages: batches, a batch's review with disposition and release, deviations.

Read pages render with ``central.forms.page`` (CSRF token set); every POST reads its body with
``forms.read_form`` (CSRF and size checked) and, on success, redirects back to the page it came
from (303). A refused decision is shown on that page in one line, with nothing written
(``central.release.QaRefused``).
"""

from datetime import UTC, datetime
from typing import Any, Final
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from central import dashboards, forms, ownership, qa, stations
from central import release as rel
from central.deps import ReviewerDep, ServicesDep
from kiosk import deviations as dev
from kiosk import review as rv
from kiosk.batch import BatchState

router = APIRouter(include_in_schema=False)
LIST_LIMIT = 100  # a row rebuilds its batch (open items, room, EBR time) once per version


def _ago(ts: str | None) -> str:
    """'3 h 20 min' since ``ts`` (UTC ISO), or '—'."""
    if not ts:
        return "—"
    try:
        then = datetime.fromisoformat(ts.replace("Z", "+00:00"))
    except ValueError:
        return "—"
    minutes = max(0, int((datetime.now(UTC) - then).total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    return f"{days} d {hours} h" if days else f"{hours} h {mins} min" if hours else f"{mins} min"


def ebr_completed_at(state: BatchState, events: list[Any]) -> str | None:
    """When the batch reached QA release (its last step work before it), or None."""
    if not rv.ebr_complete(state):
        return None
    moves = ("step.completed", "step.skipped", "result.pending", "stage.started")
    return next((e.ts for e in reversed(events) if e.type in moves), None)


def _derived(services: Any, batch: str) -> dict[str, Any] | None:
    """What the list shows of a batch that comes from rebuilding it from its events (the
    expensive part: every event read and folded), or None when it cannot be rebuilt."""
    events = qa.batch_events(services.store, batch)
    state, _loaded, _note = qa.rebuild_state(events, services.recipes)
    if state is None:
        return None
    return {
        "status": state.state,
        "room": state.stage.room if state.stage is not None else None,
        "step": state.step_key,
        "open": len(rv.open_items(state, history=events)),
        "deviations": sum(1 for d in state.deviations.values() if d.is_open),
        "ebr_done": ebr_completed_at(state, events),
    }


NOT_REBUILT: Final[dict[str, Any]] = {}


def _row(services: Any, summary: Any, version: int | None) -> dict[str, Any]:
    """One row of the batch list; the rebuilt part is taken from ``services.batch_rows`` while
    the batch's version is unchanged (the list would otherwise fold every batch each time)."""
    derived = services.batch_rows.get(summary.batch, version)
    if derived is None:
        derived = _derived(services, summary.batch) or NOT_REBUILT
        services.batch_rows.put(summary.batch, version, derived)
    held = ownership.owner_of(services.store, summary.batch)
    row: dict[str, Any] = {"summary": summary, "held": held, "open": None, "room": None}
    row["station"] = held.owner if held is not None and held.owner else None
    if derived is NOT_REBUILT:
        row["status"] = summary.status
        return row
    row.update({k: v for k, v in derived.items() if k != "ebr_done"})
    done = derived["ebr_done"]
    row["ebr"] = _ago(done) if done else None
    return row


@router.get("/qa", response_class=HTMLResponse)
def batch_list(request: Request, services: ServicesDep, user: ReviewerDep) -> HTMLResponse:
    store = services.store
    listed = qa.list_batches(store, limit=LIST_LIMIT)
    with store.read() as conn:
        tags = dashboards.versions(conn, [b.batch for b in listed])
    rows = [_row(services, b, tags.get(b.batch)) for b in listed]
    return forms.page(
        request,
        "batches.html",
        user=user,
        rows=rows,
        stations=stations.list_stations(store),
        incidents=qa.list_incidents(store, limit=20),
    )


def item_context(events: list[Any]) -> dict[str, str]:
    """Who and at which station, per review item ID or step key: 'olivia at OQ-CART-1'."""
    found: dict[str, str] = {}
    for e in events:
        who = f"{e.actor.removeprefix('u:')} at {e.station}"
        if e.type == "exception.raised" and isinstance(e.payload.get("id"), str):
            found[e.payload["id"]] = who
        elif e.type in ("step.recorded", "step.corrected") and isinstance(
            e.payload.get("step"), str
        ):
            found.setdefault(e.payload["step"], who)
    return found


def _batch_page(
    request: Request, services: Any, user: Any, batch: str, problem: str | None = None
) -> HTMLResponse:
    found = qa.review(services.store, services.recipes, batch)
    if found is None:
        raise HTTPException(404, f"no batch {batch!r} on the server")
    events = qa.batch_events(services.store, batch)
    state, _loaded, _note = qa.rebuild_state(events, services.recipes)
    reasons = rel.release_reasons(services.store, services.recipes, batch, user.id)
    return forms.page(
        request,
        "batch.html",
        status=200 if problem is None else 409,
        user=user,
        review=found,
        summary=qa.batch_summary(services.store, batch),
        batch=batch,
        state=state,
        held=ownership.owner_of(services.store, batch),
        writers=ownership.writers(services.store, batch),
        custody=qa.custody_timeline(services.store, batch),
        deviations=rel.deviations(services.store, batch=batch),
        reasons=reasons,
        context=item_context(events),
        required=[i for i in found.items if i.required],
        information=[i for i in found.items if not i.required],
        released=state.released_by_server if state is not None else None,
        problem=problem,
        decisions=rel.DECISIONS,
        classifications=dev.CLASSIFICATIONS,
    )


def _back(batch: str) -> RedirectResponse:
    return RedirectResponse(f"/qa/batches/{quote(batch, safe='')}", status_code=303)


@router.post("/qa/batches/{batch:path}/disposition")
async def post_disposition(
    batch: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> Response:
    form = await forms.read_form(request)
    try:
        rel.disposition(
            services.store, services.recipes, batch, user, form.get("password", ""), form
        )
    except rel.QaRefused as exc:
        return _batch_page(request, services, user, batch, str(exc))
    return _back(batch)


@router.post("/qa/batches/{batch:path}/release")
async def post_release(
    batch: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> Response:
    form = await forms.read_form(request)
    try:
        rel.release(services.store, services.recipes, batch, user, form.get("password", ""))
    except rel.QaRefused as exc:
        return _batch_page(request, services, user, batch, str(exc))
    return _back(batch)


@router.post("/qa/batches/{batch:path}/deviations")
async def post_deviation(
    batch: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> Response:
    form = await forms.read_form(request)
    try:
        event = rel.open_deviation(services.store, services.recipes, batch, user, form)
    except rel.QaRefused as exc:
        return _batch_page(request, services, user, batch, str(exc))
    ident = str(event.payload["id"])
    return RedirectResponse(f"/qa/deviations/{quote(ident, safe='')}", status_code=303)


@router.get("/qa/batches/{batch:path}", response_class=HTMLResponse)
def batch_page(
    batch: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> HTMLResponse:
    return _batch_page(request, services, user, batch)


@router.get("/qa/deviations", response_class=HTMLResponse)
def deviation_list(request: Request, services: ServicesDep, user: ReviewerDep) -> HTMLResponse:
    return forms.page(
        request, "deviations.html", user=user, deviations=rel.deviations(services.store)
    )


def _deviation_page(
    request: Request, services: Any, user: Any, ident: str, problem: str | None = None
) -> HTMLResponse:
    found = rel.deviation(services.store, ident)
    if found is None:
        raise HTTPException(404, f"no deviation {ident!r} on the server")
    return forms.page(
        request,
        "deviation.html",
        status=200 if problem is None else 409,
        user=user,
        d=found,
        fields=dev.FIELDS,
        labels=dev.LABELS,
        classifications=dev.CLASSIFICATIONS,
        missing=rel.close_problems(found),
        problem=problem,
    )


@router.get("/qa/deviations/{ident}", response_class=HTMLResponse)
def deviation_page(
    ident: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> HTMLResponse:
    return _deviation_page(request, services, user, ident)


@router.post("/qa/deviations/{ident}")
async def post_deviation_update(
    ident: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> Response:
    form = await forms.read_form(request)
    try:
        rel.update_deviation(services.store, ident, user, form)
    except rel.QaRefused as exc:
        return _deviation_page(request, services, user, ident, str(exc))
    return RedirectResponse(f"/qa/deviations/{quote(ident, safe='')}", status_code=303)


@router.post("/qa/deviations/{ident}/close")
async def post_deviation_close(
    ident: str, request: Request, services: ServicesDep, user: ReviewerDep
) -> Response:
    form = await forms.read_form(request)
    try:
        rel.close_deviation(services.store, ident, user, form.get("password", ""))
    except rel.QaRefused as exc:
        return _deviation_page(request, services, user, ident, str(exc))
    return RedirectResponse(f"/qa/deviations/{quote(ident, safe='')}", status_code=303)
