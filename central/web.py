"""Server-rendered pages: the template environment and the root redirect (the QA pages are in
``central.qa_pages``).

Jinja2 templates in ``central/templates`` with autoescaping on, so any text that came from a
station (batch ids, messages, values) is escaped. Sign-in is the same HTTP Basic check as the QA
API; the browser asks for the user ID and password.
"""

from functools import cache
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from central import __version__

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
