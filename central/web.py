"""Server-rendered pages: the template environment and the root redirect (the QA pages are in
``central.qa_pages``).

Jinja2 templates in ``central/templates`` with autoescaping on, so any text that came from a
station (batch ids, messages, values) is escaped. People sign in at ``/login``
(``central.portal``); the start page ``/`` is there too.
"""

from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from central import __version__, forms, genealogy
from central.cli_genealogy import HEADINGS
from central.deps import RECIPE_ROLES, ReviewerDep, ServicesDep

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
    env.globals["recipe_roles"] = frozenset(RECIPE_ROLES)
    return env


pages = APIRouter(include_in_schema=False)


@pages.get("/qa/genealogy", response_class=HTMLResponse)
def genealogy_page(
    request: Request, services: ServicesDep, user: ReviewerDep, lot: str = "", batch: str = ""
) -> HTMLResponse:
    """The recall (``?lot=``: every batch and patient that used it) and what went into a batch
    (``?batch=``: lots, devices, people, stations); both forms when neither is given."""
    lot, batch = lot.strip(), batch.strip()
    with services.store.read() as conn:
        used = genealogy.batches_using_lot(conn, lot) if lot else None
        parts = genealogy.batch_genealogy(conn, batch) if batch else None
    return forms.page(
        request,
        "genealogy.html",
        user=user,
        lot=lot,
        batch=batch,
        used=used,
        parts=parts,
        kinds=HEADINGS,
    )
