"""Signing in and out of the web portal, the start page by role, and the portal's headers.

- ``GET /login``: the sign-in form (user ID, password; CSRF token as on every form).
- ``POST /login``: ``users.portal_login`` checks the credentials exactly as a station's login
  and the server's signatures do: disabled or locked first, an unknown user costs one argon2
  verification like a wrong password and gets the same words, a wrong password counts towards
  the fleet's lockout (``users.MAX_FAILED`` failures at stations and here together). On success
  a new session (``central.sessions``) and its cookie: HttpOnly, SameSite=Strict, Secure when
  the request came over HTTPS; then ``next`` (a path on this site only) or the start page.
- ``POST /logout`` (CSRF checked): the session ends on the server; the old cookie signs nobody
  in again.
- ``GET /``: the start page of the signed-in person's role.
- Every response carries the headers of :data:`SECURITY_HEADERS`; a page that needs a sign-in
  redirects there (303, ``/login?next=<path>``), a JSON route under ``/api`` answers 401, and a
  person without the page's role gets 403 with one line.

The session is for reading and moving around; a decision (release, disposition, recipe
signature, user change) still asks for the password again: that is the e-signature.
"""

import secrets
from typing import Final
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import forms, sessions, users
from central.deps import SESSION_COOKIE, PersonDep, RoleMissing, ServicesDep, SignInRequired
from central.web import TEMPLATES

router = APIRouter(include_in_schema=False)

CSP: Final = (
    "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)
SECURITY_HEADERS: Final = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
"""On every response. Styles come from ``/portal.css``; the pages have no inline style or
script, so the policy allows neither."""

LANDING: Final = (
    ("qa", "/qa"),
    ("planner", "/planner"),
    ("supervisor", "/recipes"),
    ("admin", "/admin/users"),
)
"""The start page of each role, the first role the person holds wins."""

API_PREFIX: Final = "/api/"
ENDINGS: Final = frozenset(
    {
        sessions.SIGNED_OUT,
        sessions.IDLE_TIMEOUT,
        sessions.ABSOLUTE_TIMEOUT,
        sessions.ACCOUNT_CLOSED,
    }
)
"""Why a session ended, as the sign-in page may say it (nothing else from the query is shown)."""


def safe_next(value: str | None) -> str:
    """``value`` if it is a path on this site (``/…``, not ``//host`` nor ``/\\host``, no
    scheme), else ``/``: the sign-in never redirects to another site."""
    if not value or not value.startswith("/") or value.startswith(("//", "/\\")):
        return "/"
    if any(c in value for c in "\\\r\n\t") or any(ord(c) < 0x20 for c in value):
        return "/"
    if value.split("?", 1)[0] in ("/login", "/logout"):
        return "/"
    return value


def landing(user: users.ServerUser) -> str | None:
    """Where the person starts: the page of their first portal role, or None (no portal role)."""
    return next((path for role, path in LANDING if role in user.roles), None)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


# ---------------------------------------------------------------- pages


def _login_page(
    request: Request, *, next_path: str, problem: str | None = None, note: str | None = None
) -> HTMLResponse:
    return forms.page(
        request,
        "login.html",
        status=200 if problem is None else 403,
        next=next_path,
        problem=problem,
        note=note,
    )


@router.get("/login", response_class=HTMLResponse)
def login_form(
    request: Request,
    next: str = "",  # the query parameter's name; shadows the builtin here only
    ended: str = "",
    out: str = "",
) -> HTMLResponse:
    note = None
    if out:
        note = "You are signed out."
    elif ended in ENDINGS:
        note = f"Your session ended ({ended}): sign in again."
    return _login_page(request, next_path=safe_next(next), note=note)


@router.post("/login", response_class=HTMLResponse)
async def login(request: Request, services: ServicesDep) -> Response:
    form = await forms.read_form(request)
    next_path = safe_next(form.get("next"))
    user_id = form.get("user", "").strip()
    try:
        user = users.portal_login(services.store, user_id, form.get("password", ""))
    except users.Refused as exc:
        return _login_page(request, next_path=next_path, problem=f"Sign-in refused: {exc}.")
    services.sessions.end(request.cookies.get(SESSION_COOKIE, ""))  # a new session, never reused
    token = services.sessions.start(user.id)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(
        SESSION_COOKIE, token, httponly=True, samesite="strict", path="/", secure=_secure(request)
    )
    # A fresh CSRF token for the signed-in session (one set before the sign-in is not kept).
    response.set_cookie(
        forms.CSRF_COOKIE,
        secrets.token_urlsafe(32),
        httponly=True,
        samesite="strict",
        path="/",
        secure=_secure(request),
    )
    return response


@router.post("/logout")
async def logout(request: Request, services: ServicesDep) -> RedirectResponse:
    await forms.read_form(request)  # CSRF checked: another site cannot sign the person out
    services.sessions.end(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/login?out=1", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="strict", secure=_secure(request)
    )
    return response


@router.get("/", response_class=HTMLResponse)
def start(request: Request, user: PersonDep) -> Response:
    """The start page of the person's role, or one line saying the portal has none for them."""
    found = landing(user)
    if found is not None:
        return RedirectResponse(found, status_code=303)
    roles = ", ".join(sorted(user.roles)) or "none"
    return forms.page(
        request,
        "forbidden.html",
        status=403,
        user=user,
        message=f"The portal has no pages for your roles ({roles}).",
    )


@router.get("/portal.css")
def stylesheet() -> Response:
    css = (TEMPLATES / "portal.css").read_text(encoding="utf-8")
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


# ---------------------------------------------------------------- refusals and headers


def sign_in_required(request: Request, exc: Exception) -> Response:
    """A page: 303 to the sign-in (with the path to come back to, for a GET); ``/api``: 401."""
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"detail": str(exc)}, status_code=401)
    query: dict[str, str] = {}
    if request.method == "GET":
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        query["next"] = path
    ended = exc.ended if isinstance(exc, SignInRequired) else None
    if ended:
        query["ended"] = ended
    target = "/login" + (f"?{urlencode(query, quote_via=quote)}" if query else "")
    return RedirectResponse(target, status_code=303)


def role_missing(request: Request, exc: Exception) -> Response:
    """403 with one line (a page) or a JSON detail (``/api``): never a redirect loop."""
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"detail": str(exc)}, status_code=403)
    user = exc.user if isinstance(exc, RoleMissing) else None
    return forms.page(request, "forbidden.html", status=403, user=user, message=str(exc))


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every response; ``Cache-Control: no-store``
    on every one that does not say otherwise (record pages, PDFs, CSV, JSON)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
                if "cache-control" not in headers:
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, with_headers)
