"""The QA dashboards: pictures drawn on the server (``central.svg``), each with its CSV.

- ``/qa/dashboards``: right first time per month (every batch), and for the last batches:
  exceptions by category, cycle time from collection to release, review time from record
  complete to release, and the review items QA judged against the whole record.
- ``/qa/dashboards/recipes/{recipe}``: a control chart for every CPP and CQA of the recipe's
  newest version on the server, with its alert and action limits.
- ``….csv``: each plot's rows, the same rows the picture draws.

Each view first brings the figures of batches that changed since they were computed up to date
(``central.dashboards.refresh``, at most ``REFRESH_LIMIT`` batches; the page says when more are
still to come). Sign-in as for every QA page (``ReviewerDep``).
"""

from typing import Annotated, Final

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup
from sqlalchemy import func, select

from central import charts, dashboards, forms, qa, schema
from central.deps import ReviewerDep, ServicesDep
from central.store import CentralStore
from kiosk.recipe import LoadedRecipe

router = APIRouter(include_in_schema=False)

DEFAULT_LAST: Final = 60
Last = Annotated[
    int, Query(ge=1, le=1000, description="how many of the most recent batches to plot")
]


def _pictures(plots: list[charts.Plot]) -> list[tuple[charts.Plot, Markup]]:
    # central.svg escapes every text it draws; the SVG is markup from here on.
    return [(plot, Markup(plot.svg)) for plot in plots]  # noqa: S704


def _newest_recipe(
    store: CentralStore, recipes: qa.RecipeCache, recipe_id: str
) -> LoadedRecipe | None:
    r = schema.recipes
    with store.read() as conn:
        row = conn.execute(
            select(r.c.recipe_version, r.c.sha256)
            .where(r.c.recipe_id == recipe_id)
            .order_by(r.c.recipe_version.desc())
            .limit(1)
        ).first()
    if row is None:
        return None
    return recipes.get(recipe_id, int(row.recipe_version), str(row.sha256))


def _csv(plot: charts.Plot) -> Response:
    return Response(
        plot.csv(),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{plot.id}.csv"',
            "Cache-Control": "no-store",
        },
    )


def _fleet(services: ServicesDep, last: int) -> tuple[list[charts.Plot], int, int]:
    waiting = dashboards.refresh(services.store, services.recipes)
    recent = dashboards.load(services.store, last=last, values=False)
    d = schema.dashboard_batches
    with services.store.read() as conn:
        total = int(conn.execute(select(func.count()).select_from(d)).scalar_one())
    return charts.fleet(dashboards.months(services.store), recent), total, waiting


@router.get("/qa/dashboards", response_class=HTMLResponse)
def fleet_page(
    request: Request, services: ServicesDep, user: ReviewerDep, last: Last = DEFAULT_LAST
) -> HTMLResponse:
    plots, total, waiting = _fleet(services, last)
    return forms.page(
        request,
        "dashboards.html",
        user=user,
        plots=_pictures(plots),
        total=total,
        last=min(last, total),
        asked=last,
        waiting=waiting,
        recipes=dashboards.recipe_ids(services.store),
    )


@router.get("/qa/dashboards/{plot_id}.csv")
def fleet_csv(
    plot_id: str, services: ServicesDep, user: ReviewerDep, last: Last = DEFAULT_LAST
) -> Response:
    if plot_id not in charts.FLEET:
        raise HTTPException(404, f"no dashboard plot {plot_id!r}")
    plots, _total, _waiting = _fleet(services, last)
    return _csv(next(p for p in plots if p.id == plot_id))


def _recipe_plots(
    services: ServicesDep, recipe_id: str, last: int
) -> tuple[LoadedRecipe | None, list[charts.Plot], int]:
    if "\x00" in recipe_id:
        raise HTTPException(404, "no such recipe")
    waiting = dashboards.refresh(services.store, services.recipes)
    batches = dashboards.load(services.store, recipe_id, last)
    loaded = _newest_recipe(services.store, services.recipes, recipe_id)
    if not batches and loaded is None:
        raise HTTPException(404, f"no batch and no recipe {recipe_id!r} on the server")
    return loaded, charts.control_charts(loaded.recipe if loaded else None, batches), waiting


@router.get("/qa/dashboards/recipes/{recipe_id}", response_class=HTMLResponse)
def recipe_page(
    recipe_id: str,
    request: Request,
    services: ServicesDep,
    user: ReviewerDep,
    last: Last = DEFAULT_LAST,
) -> HTMLResponse:
    loaded, plots, waiting = _recipe_plots(services, recipe_id, last)
    d = schema.dashboard_batches
    with services.store.read() as conn:
        total = conn.execute(
            select(func.count()).select_from(d).where(d.c.recipe_id == recipe_id)
        ).scalar_one()
    return forms.page(
        request,
        "dashboard_recipe.html",
        user=user,
        recipe_id=recipe_id,
        recipe=loaded,
        worded=charts.worded_steps(loaded.recipe) if loaded is not None else [],
        plots=_pictures(plots),
        total=total,
        last=min(last, int(total)),
        asked=last,
        waiting=waiting,
    )


@router.get("/qa/dashboards/recipes/{recipe_id}/{step_id}.csv")
def recipe_csv(
    recipe_id: str,
    step_id: str,
    services: ServicesDep,
    user: ReviewerDep,
    last: Last = DEFAULT_LAST,
) -> Response:
    _loaded, plots, _waiting = _recipe_plots(services, recipe_id, last)
    found = next((p for p in plots if p.id == step_id), None)
    if found is None:
        raise HTTPException(404, f"recipe {recipe_id!r} has no CPP or CQA {step_id!r}")
    return _csv(found)
