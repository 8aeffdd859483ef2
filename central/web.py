"""Server-rendered pages for QA: the batch list and a batch's review by exception.

Jinja2 templates in ``central/templates`` with autoescaping on, so any text that came from a
station (batch ids, messages, values) is escaped. Sign-in is the same HTTP Basic check as the QA
API; the browser asks for the user ID and password.
"""

from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from central import __version__, genealogy, ownership, qa, stations
from central.cli_genealogy import HEADINGS
from central.deps import ReviewerDep, ServicesDep

TEMPLATES = Path(__file__).resolve().with_name("templates")


@cache
def environment() -> Environment:
    """The template environment (autoescaping on for every template)."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["urlpart"] = lambda value: quote(str(value), safe="")
    env.globals["version"] = __version__
    return env


pages = APIRouter(include_in_schema=False)


@pages.get("/")
def index() -> RedirectResponse:
    return RedirectResponse("/qa", status_code=303)


@pages.get("/qa", response_class=HTMLResponse)
def batch_list(services: ServicesDep, user: ReviewerDep) -> HTMLResponse:
    store = services.store
    html = (
        environment()
        .get_template("batches.html")
        .render(
            user=user,
            batches=qa.list_batches(store, limit=500),
            stations=stations.list_stations(store),
            incidents=qa.list_incidents(store, limit=20),
        )
    )
    return HTMLResponse(html)


@pages.get("/qa/batches/{batch:path}", response_class=HTMLResponse)
def batch_page(batch: str, services: ServicesDep, user: ReviewerDep) -> HTMLResponse:
    found = qa.review(services.store, services.recipes, batch)
    if found is None:
        raise HTTPException(404, f"no batch {batch!r} on the server")
    summary = qa.batch_summary(services.store, batch)
    held = ownership.owner_of(services.store, batch)
    html = (
        environment()
        .get_template("batch.html")
        .render(
            user=user,
            review=found,
            summary=summary,
            batch=batch,
            held=held,
            writers=ownership.writers(services.store, batch),
            custody=qa.custody_timeline(services.store, batch),
        )
    )
    return HTMLResponse(html)


@pages.get("/qa/genealogy", response_class=HTMLResponse)
def genealogy_page(
    services: ServicesDep, user: ReviewerDep, lot: str = "", batch: str = ""
) -> HTMLResponse:
    """The recall (``?lot=``: every batch and patient that used it) and what went into a batch
    (``?batch=``: lots, devices, people, stations); both forms when neither is given."""
    lot, batch = lot.strip(), batch.strip()
    with services.store.read() as conn:
        used = genealogy.batches_using_lot(conn, lot) if lot else None
        parts = genealogy.batch_genealogy(conn, batch) if batch else None
    html = (
        environment()
        .get_template("genealogy.html")
        .render(user=user, lot=lot, batch=batch, used=used, parts=parts, kinds=HEADINGS)
    )
    return HTMLResponse(html)
