"""The recipe pages: every version and its status, a version with its signatures, the diff.

- ``GET /recipes``: recipes and their versions with status, and the upload form (the YAML text
  pasted, the author's password re-entered).
- ``GET /recipes/{id}/{version}``: one version: status, effective date, every signature
  (printed name, time, meaning), the form for the next signature with its meaning shown, and
  the YAML text.
- ``POST /recipes/{id}/{version}/sign``: the signature of the signed-in user, password
  re-entered (``central.recipes``); a refusal is shown in one line and changes nothing.
- ``GET /recipes/{id}/diff?old=N&new=M``: a line diff of the two YAML texts.

Every text from a recipe reaches the page through Jinja's autoescaping.
"""

from datetime import UTC, date, datetime
from typing import Any, Final

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, Response

from central import forms, recipes
from central.deps import RecipeUserDep, ServicesDep
from central.errors import CentralError
from central.users import ServerUser
from kiosk.roles import PERMISSIONS

MAX_UPLOAD: Final = recipes.MAX_TEXT * 4  # urlencoded text grows up to three times
NEXT: Final = {"draft": "submit", "submitted": "review", "reviewed": "approve"}
"""The signature a version in each status waits for."""
STEPS: Final = {"submit": recipes.SUBMIT, "review": recipes.REVIEW, "approve": recipes.APPROVE}
MEANS: Final = {
    "submit": "I wrote this version and submit it for review.",
    "review": "I reviewed this version and find it correct and complete.",
    "approve": "This version may be used for production from its effective date.",
}

router = APIRouter(include_in_schema=False)


def _list_page(
    request: Request,
    services: ServicesDep,
    user: ServerUser,
    *,
    message: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    for label in recipes.publish_due(services.store):
        message = f"{label} became effective today" + (f". {message}" if message else "")
    return forms.page(
        request,
        "recipes.html",
        status=status,
        user=user,
        recipes=list(recipes.statuses(services.store)),
        may_author=bool(user.roles & PERMISSIONS["recipe.author"]),
        message=message,
        problem=problem,
    )


@router.get("/recipes", response_class=HTMLResponse)
def recipe_list(request: Request, services: ServicesDep, user: RecipeUserDep) -> HTMLResponse:
    return _list_page(request, services, user)


@router.post("/recipes/upload", response_class=HTMLResponse)
async def recipe_upload(request: Request, services: ServicesDep, user: RecipeUserDep) -> Response:
    form = await forms.read_form(request, limit=MAX_UPLOAD)
    text = form.get("yaml", "").replace("\r\n", "\n")
    try:
        rv, new = recipes.upload(
            services.store,
            text.encode("utf-8"),
            "the pasted recipe",
            author=user.id,
            password=form.get("password", ""),
        )
    except CentralError as exc:
        return _list_page(request, services, user, problem=str(exc), status=422)
    said = "uploaded as a draft" if new else "is on the server already"
    return _list_page(request, services, user, message=f"{rv.label} {said}")


def _found(services: ServicesDep, recipe_id: str, version: int) -> recipes.RecipeVersion:
    rv = recipes.get(services.store, recipe_id, version)
    if rv is None:
        raise HTTPException(404, f"no recipe {recipe_id} v{version} on the server")
    return rv


def _version_page(
    request: Request,
    services: ServicesDep,
    user: ServerUser,
    rv: recipes.RecipeVersion,
    *,
    message: str | None = None,
    problem: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    step = NEXT.get(rv.status)
    others = [v for v in recipes.versions(services.store, rv.recipe_id) if v.version != rv.version]
    signatures = [
        e.payload["signature"]
        for e in recipes.history(services.store, rv.recipe_id, rv.version)
        if "signature" in e.payload
    ]
    return forms.page(
        request,
        "recipe.html",
        status=status,
        user=user,
        rv=rv,
        step=step,
        meaning=STEPS[step].meaning if step else None,
        means=MEANS.get(step or ""),
        signatures=signatures,
        others=others,
        today=datetime.now(UTC).date().isoformat(),
        message=message,
        problem=problem,
    )


@router.get("/recipes/{recipe_id}/{version:int}", response_class=HTMLResponse)
def recipe_version(
    recipe_id: str, version: int, request: Request, services: ServicesDep, user: RecipeUserDep
) -> HTMLResponse:
    recipes.publish_due(services.store)
    return _version_page(request, services, user, _found(services, recipe_id, version))


@router.post("/recipes/{recipe_id}/{version:int}/sign", response_class=HTMLResponse)
async def recipe_sign(
    recipe_id: str, version: int, request: Request, services: ServicesDep, user: RecipeUserDep
) -> Response:
    form = await forms.read_form(request)
    rv = _found(services, recipe_id, version)
    step = form.get("step", "")
    how: dict[str, Any] = {"signer": user.id, "password": form.get("password", "")}
    try:
        if step == "submit":
            recipes.submit(services.store, recipe_id, version, **how)
        elif step == "review":
            recipes.review(services.store, recipe_id, version, **how)
        elif step == "approve":
            recipes.approve(services.store, recipe_id, version, effective_from=_date(form), **how)
        else:
            return _version_page(
                request, services, user, rv, problem=f"no such signature: {step}", status=422
            )
    except CentralError as exc:
        return _version_page(request, services, user, rv, problem=str(exc), status=422)
    signed = _found(services, recipe_id, version)
    message = f"{signed.label}: signed {STEPS[step].meaning}; it is {signed.status} now"
    return _version_page(request, services, user, signed, message=message)


def _date(form: dict[str, str]) -> date | None:
    text = form.get("effective", "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise recipes.RecipeRefused(f"effective date: not a date (YYYY-MM-DD): {text!r}") from exc


@router.get("/recipes/{recipe_id}/diff", response_class=HTMLResponse)
def recipe_diff(
    recipe_id: str,
    old: int,
    new: int,
    request: Request,
    services: ServicesDep,
    user: RecipeUserDep,
) -> HTMLResponse:
    before, after = _found(services, recipe_id, old), _found(services, recipe_id, new)
    lines = recipes.diff(before, after)
    return forms.page(request, "recipe_diff.html", user=user, old=before, new=after, lines=lines)
