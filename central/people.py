"""HTTP for people: a user's own password from a station, and the admin page ``/admin/users``.

- ``POST /api/v1/users/{user}/password`` (station token): a user's first-login or expired
  password replaced at a station; the body has the current (temporary) password and the new
  one. The server checks them as a login does and answers with the ``user.password_set`` event
  as a user-feed item (the station keeps it with what it pulled).
- ``/admin/users``: the list of users and forms for every change ``central users`` makes. The
  page's user comes from the same sign-in dependency as the QA pages (``central.deps``); every
  form re-asks the admin's password (the change is signed, as on the command line) and carries a
  CSRF token, checked against a SameSite cookie (double submit: another site can neither read
  the cookie nor set it).
"""

from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from central import forms, users
from central.deps import AdminDep, ServicesDep, StationDep
from central.errors import CentralError
from central.models import ErrorBody, EventModel, UserItem
from kiosk import passwords
from kiosk.roles import ROLES

ORDER: Final = ("operator", "supervisor", "qa", "technician", "admin")
ROLE_ORDER: Final = tuple(r for r in ORDER if r in ROLES)

router = APIRouter()


class PasswordChange(BaseModel):
    """The user's current (temporary or expired) password and the new one."""

    old: str = Field(max_length=1024)
    new: str = Field(max_length=1024)


@router.post(
    "/api/v1/users/{user_id}/password",
    response_model=UserItem,
    tags=["sync"],
    responses={
        401: {"model": ErrorBody},
        403: {"model": ErrorBody, "description": "credentials refused"},
        422: {"model": ErrorBody, "description": "the new password is not acceptable"},
    },
)
def set_password(
    user_id: str, body: PasswordChange, services: ServicesDep, station: StationDep
) -> UserItem | JSONResponse:
    """A user at a station replaces their temporary or expired password (``user.password_set``)."""
    try:
        version, event = users.set_password(
            services.store, user_id, body.old, body.new, station=station.name
        )
    except users.Refused as exc:
        return JSONResponse({"detail": str(exc)}, status_code=403)
    except users.UserError as exc:
        return JSONResponse({"detail": str(exc)}, status_code=422)
    return UserItem(version=version, event=EventModel.of(event))


# ---------------------------------------------------------------- the admin page


def _page(
    request: Request,
    services: ServicesDep,
    admin: users.ServerUser,
    *,
    message: str | None = None,
    problem: str | None = None,
    secret: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    listed = sorted(users.directory(services.store).values(), key=lambda u: u.id)
    return forms.page(
        request,
        "admin_users.html",
        status=status,
        user=admin,
        users=listed,
        roles=ROLE_ORDER,
        message=message,
        problem=problem,
        secret=secret,
        min_password=users.password_policy(services.store),
        floor=passwords.FLOOR,
        max_min=passwords.MAX_MIN,
    )


@router.get("/admin/users", response_class=HTMLResponse, include_in_schema=False)
def admin_users(request: Request, services: ServicesDep, admin: AdminDep) -> HTMLResponse:
    return _page(request, services, admin)


def _number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as exc:
        raise users.UserError(f"not a whole number: {text.strip()[:20]!r}") from exc


def _roles(form: dict[str, str]) -> list[str]:
    return [r.strip() for r in form.get("roles", "").split(",") if r.strip()]


@router.post("/admin/users/{action}", response_class=HTMLResponse, include_in_schema=False)
async def admin_change(
    action: str, request: Request, services: ServicesDep, admin: AdminDep
) -> Response:
    form = await forms.read_form(request)
    store = services.store
    target = form.get("user", "").strip()
    reason = form.get("reason", "")
    signer: dict[str, Any] = {"admin": admin.id, "password": form.get("admin_password", "")}
    secret: str | None = None
    try:
        if action == "add":
            change = users.add_user(
                store,
                target,
                form.get("name", ""),
                _roles(form),
                badge=form.get("badge") or None,
                **signer,
            )
            secret = change.password
            message = f"added {target}"
        elif action == "disable":
            users.disable_user(store, target, reason, **signer)
            message = f"disabled {target}"
        elif action == "enable":
            users.enable_user(store, target, reason, **signer)
            message = f"enabled {target}"
        elif action == "reset-password":
            secret = users.reset_password(store, target, reason, **signer).password
            message = f"reset the password of {target}"
        elif action == "set-roles":
            users.set_roles(store, target, _roles(form), reason, **signer)
            message = f"set the roles of {target}"
        elif action == "password-policy":
            minimum = _number(form.get("min_password", ""))
            users.set_policy(store, minimum, reason, **signer)
            message = f"passwords set or changed from now on: at least {minimum} characters"
        else:
            return HTMLResponse(f"no such action: {action}", status_code=404)
    except CentralError as exc:
        status = 403 if isinstance(exc, users.Refused) else 422
        return _page(request, services, admin, problem=f"refused: {exc}", status=status)
    if secret is not None:
        message += f". Temporary password (shown only now): {secret}"
    return _page(request, services, admin, message=message, secret=secret)
