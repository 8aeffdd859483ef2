"""FastAPI dependencies: the app's services, the station behind a token, the QA reviewer."""

import os
from typing import Annotated, cast

from fastapi import Depends, HTTPException, Request, Security
from fastapi.security import (
    HTTPAuthorizationCredentials,
    HTTPBasic,
    HTTPBasicCredentials,
    HTTPBearer,
)
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from central import qa, receipts, stations, users
from central.errors import DatabaseUnavailable
from central.ingest import DEFAULT_SKEW_S
from central.store import CentralStore

QA_REALM = "central QA"

bearer = HTTPBearer(auto_error=False, description="the station's token (`central stations add`)")
basic = HTTPBasic(auto_error=False, realm=QA_REALM, description="a QA user synced from stations")


class Services:
    """What the routes need: the store and the recipe cache. One per app (and per process)."""

    def __init__(self, store: CentralStore) -> None:
        self.store = store
        self.clock_skew_s = clock_skew()
        database = store.url.database if store.url.drivername.startswith("sqlite") else None
        self.signing_key = receipts.load_or_create_key(receipts.key_path(database))
        self.recipes = qa.RecipeCache(store)


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


def current_reviewer(
    services: ServicesDep,
    credentials: Annotated[HTTPBasicCredentials | None, Security(basic)],
) -> qa.Reviewer:
    """The QA reviewer signed in with HTTP Basic; 401 (with a challenge) otherwise."""
    challenge = f'Basic realm="{QA_REALM}"'
    if credentials is None:
        raise unauthorized("QA sign-in required (HTTP Basic)", challenge)
    try:
        return qa.check_reviewer(services.store, credentials.username, credentials.password)
    except qa.LoginRefused as exc:
        raise unauthorized(str(exc), challenge) from exc


def current_admin(
    services: ServicesDep,
    credentials: Annotated[HTTPBasicCredentials | None, Security(basic)],
) -> qa.Reviewer:
    """The admin signed in (the same HTTP Basic check as QA, with the admin role)."""
    challenge = f'Basic realm="{QA_REALM}"'
    if credentials is None:
        raise unauthorized("admin sign-in required (HTTP Basic)", challenge)
    try:
        return qa.check_reviewer(
            services.store, credentials.username, credentials.password, role="admin"
        )
    except qa.LoginRefused as exc:
        raise unauthorized(str(exc), challenge) from exc


RECIPE_ROLES = ("supervisor", "qa", "admin")
"""Who takes part in the recipe lifecycle (author, reviewer, QA approver): ``/recipes`` pages."""


def current_recipe_user(
    services: ServicesDep,
    credentials: Annotated[HTTPBasicCredentials | None, Security(basic)],
) -> qa.Reviewer:
    """A user with a role of the recipe lifecycle signed in (the same check as QA's)."""
    challenge = f'Basic realm="{QA_REALM}"'
    if credentials is None:
        raise unauthorized("sign-in required (HTTP Basic)", challenge)
    try:
        user = users.check_login(services.store, credentials.username, credentials.password)
    except users.Refused as exc:
        raise unauthorized(str(exc), challenge) from exc
    if not user.roles & set(RECIPE_ROLES):
        raise unauthorized(f"{user.name} has no role in the recipe lifecycle", challenge)
    return user


def current_planner(
    services: ServicesDep,
    credentials: Annotated[HTTPBasicCredentials | None, Security(basic)],
) -> qa.Reviewer:
    """The planner signed in (the same HTTP Basic check as QA, with the planner role)."""
    challenge = f'Basic realm="{QA_REALM}"'
    if credentials is None:
        raise unauthorized("planner sign-in required (HTTP Basic)", challenge)
    try:
        return qa.check_reviewer(
            services.store, credentials.username, credentials.password, role="planner"
        )
    except qa.LoginRefused as exc:
        raise unauthorized(str(exc), challenge) from exc


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
