"""The QA dashboards in a real browser: every plot is drawn (one SVG mark per row) and its CSV
link downloads exactly the rows the picture draws. The fleet is ``benchmarks/fleet.py``: a year
of batches made from the reference OQ batch, stored through the server's own ingest."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from benchmarks.fleet import Fleet
from tests.browser.conftest import QA, Portal
from tests.integration.conftest import publish_recipe

if TYPE_CHECKING:
    from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
BATCHES = 36


@pytest.fixture(scope="module")
def fleet() -> Fleet:
    return Fleet.build(BATCHES, 3, seed=7)


def fill(portal: Portal, fleet: Fleet) -> None:
    from central.ingest import ingest
    from central.stations import add_station

    publish_recipe(portal.store, ROOT / "recipes" / "car-t-autologous.yaml")
    for station in fleet.stations:
        add_station(portal.store, station)
    for station, events in fleet.chains():
        for i in range(0, len(events), 1000):
            assert ingest(portal.store, station, events[i : i + 1000], skew_s=1e9).refusal is None


def downloaded(page: Page, link: str) -> list[list[str]]:
    with page.expect_download() as info:
        page.locator(f'a.csv[href^="{link}"]').click()
    path = info.value.path()
    return list(csv.reader(io.StringIO(Path(path).read_text(encoding="utf-8"))))


def marks(page: Page, section: str) -> int:
    plot = page.locator(f"section#{section} svg")
    return plot.locator("circle.point").count() + plot.locator("rect.bar").count()


def test_the_fleet_dashboards_draw_their_csv(
    portal: Portal,
    fleet: Fleet,
    open_as: Callable[[str, str], Page],
    shot: Callable[[Page, str], Path],
) -> None:
    fill(portal, fleet)
    page = open_as(*QA)
    response = page.goto(f"/qa/dashboards?last={BATCHES}")
    assert response is not None
    assert response.status == 200
    sections = page.locator("section.plot")
    assert sections.count() == 5
    months = downloaded(page, "/qa/dashboards/right-first-time.csv")
    assert months[0] == ["month", "finished", "right_first_time", "percent"]
    assert sum(int(row[1]) for row in months[1:]) == BATCHES  # every batch released
    assert marks(page, "right-first-time") == len(months) - 1
    clean = sum(p.clean for p in fleet.planned)
    assert sum(int(row[2]) for row in months[1:]) == clean
    for plot in ("cycle-time", "review-time"):
        rows = downloaded(page, f"/qa/dashboards/{plot}.csv")
        assert len(rows) - 1 == BATCHES
        assert marks(page, plot) == BATCHES
    exceptions = downloaded(page, "/qa/dashboards/exceptions.csv")
    header, body = exceptions[0], exceptions[1:]
    parts = sum(1 for row in body for cell in row[2:] if int(cell) > 0)
    assert marks(page, "exceptions") == parts
    assert sum(int(row[1]) for row in body) > 0
    assert {row[0] for row in body} == {p.batch for p in fleet.planned}
    assert "identity" in header
    items = downloaded(page, "/qa/dashboards/qa-items.csv")
    assert len(items) - 1 == BATCHES
    shot(page, "portal-dashboard-fleet")


def test_control_charts_draw_every_value_with_the_limits(
    portal: Portal,
    fleet: Fleet,
    open_as: Callable[[str, str], Page],
    shot: Callable[[Page, str], Path],
) -> None:
    fill(portal, fleet)
    page = open_as(*QA)
    response = page.goto("/qa/dashboards")
    assert response is not None
    page.get_by_role("link", name="car-t-autologous").click()
    page.wait_for_url("**/qa/dashboards/recipes/car-t-autologous")
    charts = page.locator("section.plot")
    assert charts.count() >= 10
    for plot in ("harvest_viability", "dose_ratio", "post_isolation_viability"):
        rows = downloaded(page, f"/qa/dashboards/recipes/car-t-autologous/{plot}.csv")
        assert rows[0][:3] == ["batch", "step", "value"]
        assert len(rows) - 1 == BATCHES  # one value per batch
        assert marks(page, plot) == BATCHES
        assert page.locator(f"section#{plot} svg line.limit.action").count() >= 1
    viability = downloaded(page, "/qa/dashboards/recipes/car-t-autologous/daily_viability.csv")
    assert len(viability) - 1 > BATCHES  # one a day of expansion
    assert marks(page, "daily_viability") == len(viability) - 1
    # the troubled batches' action-limit breach is drawn red
    assert page.locator('section#post_isolation_viability circle[fill="#d02020"]').count() == (
        BATCHES - sum(p.clean for p in fleet.planned)
    )
    shot(page, "portal-dashboard-control-charts")
