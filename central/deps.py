"""FastAPI dependencies: the app's services, the station behind a token, the person signed in
at the portal (a session, ``central.sessions``) with the role a page needs."""

import os
from collections.abc import Callable
from typing import Annotated, Final, cast

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from central import qa, receipts, sessions, stations, users
from central.errors import CentralError, DatabaseUnavailable
from central.ingest import DEFAULT_SKEW_S
from central.store import CentralStore

bearer = HTTPBearer(auto_error=False, description="the station's token (`central stations add`)")


class Services:
    """What the routes need: the store and the recipe cache. One per app (and per process)."""

    def __init__(self, store: CentralStore) -> None:
        self.store = store
        self.clock_skew_s = clock_skew()
        database = store.url.database if store.url.drivername.startswith("sqlite") else None
        self.signing_key = receipts.load_or_create_key(receipts.key_path(database))
        self.recipes = qa.RecipeCache(store)
        self.sessions = sessions.Sessions(store)
        self.batch_rows = qa.VersionedCache()  # the /qa list's rows (central.qa_pages)


SKEW_ENV = "CENTRAL_CLOCK_SKEW_S"


def clock_skew() -> float:
    """How far ahead of the server's clock a pushed event may be dated, in seconds:
    ``$CENTRAL_CLOCK_SKEW_S`` (validation runs on a simulated clock set it), else 300."""
    try:
        value = float(os.environ.get(SKEW_ENV, DEFAULT_SKEW_S))
    except ValueError:
        return DEFAULT_SKEW_S
    return value if value >= 0 else DEFAULT_SKEW_S


def unauthorized(detail: str, scheme: str) -> HTTPException:
    return HTTPException(401, detail, headers={"WWW-Authenticate": scheme})


def services_of(request: Request) -> Services:
    return cast(Services, request.app.state.services)


ServicesDep = Annotated[Services, Depends(services_of)]


def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> str | None:
    """The bearer token of the request, if any."""
    return None if credentials is None else credentials.credentials


def current_station(
    services: ServicesDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Security(bearer)],
) -> stations.StationInfo:
    """The station whose token the request carries; 401 for none, unknown or revoked; 403 for
    a token of another role (a LIMS token may post results and nothing else)."""
    if credentials is None or not credentials.credentials:
        raise unauthorized("a station token is required (Authorization: Bearer …)", "Bearer")
    found = stations.station_for_token(services.store, credentials.credentials)
    if found is None:
        raise unauthorized("unknown station token", "Bearer")
    if not found.active:
        raise unauthorized(f"the token of station {found.name} was revoked", "Bearer")
    if found.role != "station":
        raise HTTPException(403, f"{found.name} is a {found.role} token, not a station's")
    return found


SESSION_COOKIE: Final = "central_session"
"""The portal session's cookie (``central.portal``): a random token, HttpOnly, SameSite=Strict."""


class SignInRequired(CentralError):
    """No valid portal session: a page redirects to ``/login`` (303), ``/api`` answers 401."""

    def __init__(self, ended: str | None = None) -> None:
        why = f" (session ended: {ended})" if ended else ""
        super().__init__(f"sign in at /login first{why}")
        self.ended = ended


class RoleMissing(CentralError):
    """Signed in, without a role the page needs (HTTP 403, one line)."""

    def __init__(self, message: str, user: users.ServerUser) -> None:
        super().__init__(message)
        self.user = user


def signed_in(request: Request, services: ServicesDep) -> users.ServerUser:
    """The person whose portal session the request's cookie carries; SignInRequired otherwise.

    The account is checked on every request: a user disabled or locked since signing in loses
    the session at once. HTTP Basic credentials are ignored: people sign in at ``/login``.
    """
    token = request.cookies.get(SESSION_COOKIE, "")
    found = services.sessions.user_of(token)
    if isinstance(found, sessions.Ended):
        raise SignInRequired(found.reason)
    if found is None:
        raise SignInRequired()
    user = users.active_user(services.store, found)
    if user is None:
        services.sessions.end(token, sessions.ACCOUNT_CLOSED)
        raise SignInRequired(sessions.ACCOUNT_CLOSED)
    return user


PersonDep = Annotated[users.ServerUser, Depends(signed_in)]


def _needs(roles: tuple[str, ...], what: str) -> Callable[[users.ServerUser], users.ServerUser]:
    """A dependency: the signed-in person, who must hold one of ``roles`` (403 otherwise)."""

    def person_with_role(user: PersonDep) -> users.ServerUser:
        if not user.roles & set(roles):
            raise RoleMissing(
                f"{user.name} ({user.id}) is not {what}: this page is not for you", user
            )
        return user

    person_with_role.__doc__ = f"The signed-in person, {what}."
    return person_with_role


RECIPE_ROLES = ("supervisor", "qa", "admin")
"""Who takes part in the recipe lifecycle (author, reviewer, QA approver): ``/recipes`` pages."""

current_reviewer = _needs((qa.QA_ROLE,), "a QA reviewer")
current_admin = _needs(("admin",), "an admin")
current_recipe_user = _needs(RECIPE_ROLES, "in the recipe lifecycle (supervisor, qa, admin)")
current_planner = _needs(("planner",), "a planner")


StationDep = Annotated[stations.StationInfo, Depends(current_station)]
ReviewerDep = Annotated[qa.Reviewer, Depends(current_reviewer)]
AdminDep = Annotated[qa.Reviewer, Depends(current_admin)]
RecipeUserDep = Annotated[qa.Reviewer, Depends(current_recipe_user)]
PlannerDep = Annotated[qa.Reviewer, Depends(current_planner)]


class TokenBeforeBody:
    """ASGI middleware: a request with a body to the station API shows a valid token first.

    FastAPI reads and parses a route's JSON body before it resolves the route's dependencies,
    so :func:`current_station` alone would answer 401 only after parsing whatever an
    unauthenticated client sent (up to the body limit). This checks the bearer token of every
    POST, PUT or PATCH under ``prefixes`` against the store before a byte of the body is read,
    and answers 401 the same way ``current_station`` does; the route's dependency still runs.
    """

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...]) -> None:
        self.app = app
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("POST", "PUT", "PATCH")
            or not str(scope["path"]).startswith(self.prefixes)
        ):
            await self.app(scope, receive, send)
            return
        try:
            problem = await run_in_threadpool(self._problem, scope)
        except DatabaseUnavailable:
            problem = None  # the route answers 503 in its usual words
        if problem is None:
            await self.app(scope, receive, send)
            return
        response = JSONResponse(
            {"detail": problem}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )
        await response(scope, receive, send)

    def _problem(self, scope: Scope) -> str | None:
        header = Headers(scope=scope).get("authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return "a station token is required (Authorization: Bearer …)"
        services = cast(Services, scope["app"].state.services)
        found = stations.station_for_token(services.store, token.strip())
        if found is None:
            return "unknown station token"
        if not found.active:
            return f"the token of station {found.name} was revoked"
        return None
