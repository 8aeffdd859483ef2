"""Forms on the server's pages: one way to render a page that has forms, read a posted form
and check its CSRF token.

Every page with a POST form is rendered with :func:`page`, which hands the template a
``csrf`` value and sets it as a SameSite=Strict, HttpOnly cookie (double submit: another site
can neither read the cookie nor set it). Each form carries it back in a hidden field::

    <input type="hidden" name="csrf" value="{{ csrf }}">

and the route reads the body with :func:`read_form`, which refuses (403) a form whose field
does not match the cookie and (413) a body over ``MAX_FORM`` bytes, before anything is done.
Record pages are ``Cache-Control: no-store``.
"""

import hmac
import secrets
from typing import Any, Final
from urllib.parse import parse_qs

from fastapi import HTTPException, Request
from fastapi.responses import HTMLResponse

from central import web  # a module: web also imports this one

CSRF_COOKIE: Final = "central_csrf"
CSRF_FIELD: Final = "csrf"
MAX_FORM: Final = 16 * 1024


def csrf_token(request: Request) -> str:
    """The browser's CSRF token: the one in its cookie, or a new one."""
    return request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(32)


def page(request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
    """``template`` rendered with ``context`` and ``csrf``, the cookie set, not cached."""
    token = csrf_token(request)
    html = web.environment().get_template(template).render(csrf=token, **context)
    response = HTMLResponse(html, status_code=status)
    response.set_cookie(
        CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def parse(body: bytes) -> dict[str, str]:
    """A urlencoded form as a dict (the last value of a repeated field)."""
    parsed = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
    return {k: v[-1] for k, v in parsed.items()}


async def read_form(request: Request, limit: int = MAX_FORM) -> dict[str, str]:
    """The posted form, after its size (at most ``limit`` bytes; a recipe upload allows more)
    and CSRF token were checked (413 / 403 otherwise)."""
    body = await request.body()
    if len(body) > limit:
        raise HTTPException(413, f"form too large (over {limit} bytes)")
    form = parse(body)
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = form.get(CSRF_FIELD, "")
    if not cookie or not sent or not hmac.compare_digest(cookie.encode(), sent.encode()):
        raise HTTPException(
            403, "refused: the form's CSRF token is missing or wrong; reload the page"
        )
    return form
