"""The QA dashboards over the reference OQ batch pushed to a real server (SQLite and
PostgreSQL): the figures are the batch's own, the pictures draw exactly the CSV's rows, and a
batch's figures follow the events that arrive after they were first computed."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path

import httpx
import pytest

from central import charts, dashboards, qa
from central.charts import hours
from central.cli import main as central_main
from central.ingest import ingest
from kiosk.oq import run_script
from local_store import Event
from tests.integration.conftest import (
    Central,
    portal_session,
    publish_recipe,
    server_managed_copy,
    server_user,
)

ROOT = Path(__file__).resolve().parents[2]
STATION = "OQ-CART-1"
BATCH = "B-OQ-0001"
QA_USER = ("quinn", "qa-quinn-2026")


@pytest.fixture(scope="module")
def oq_events(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    """The reference batch as a station connected to a server records it (run once)."""
    folder = tmp_path_factory.mktemp("oq")
    run_script(
        ROOT / "oq" / "car-t-full-batch.yaml", folder / "oq.sqlite", io.StringIO(), fast_hash=True
    )
    with server_managed_copy(folder / "oq.sqlite", folder / "station.sqlite", STATION) as store:
        return list(store.events(station=STATION))


def setup_server(central: Central) -> None:
    central.add_station(STATION)
    server_user(central.store, QA_USER[0], "Quinn Marlowe", ["qa"], QA_USER[1])
    recipe = str(ROOT / "recipes" / "car-t-autologous.yaml")
    publish_recipe(central.store, recipe)


def push(central: Central, events: list[Event]) -> None:
    for i in range(0, len(events), 500):
        result = ingest(central.store, STATION, events[i : i + 500], skew_s=1e9)
        assert result.refusal is None, result.refusal


def rows(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


def sections(html: str) -> dict[str, str]:
    return dict(re.findall(r'<section class="plot" id="([^"]+)">(.*?)</section>', html, re.S))


def test_the_figures_are_the_batch_own(central: Central, oq_events: list[Event]) -> None:
    setup_server(central)
    push(central, oq_events)
    services_recipes = qa.RecipeCache(central.store)
    assert dashboards.refresh(central.store, services_recipes) == 0
    (found,) = dashboards.load(central.store)
    assert dashboards.months(central.store) == charts.months([found])
    mine = [e for e in oq_events if e.batch == BATCH]
    raised = [e for e in mine if e.type == "exception.raised"]
    assert found.exceptions == len(raised) > 0
    assert found.categories == dict(Counter(e.payload["category"] for e in raised))
    released = [e for e in mine if e.type == "batch.state" and e.payload["state"] == "released"]
    assert found.status == "released"
    assert found.released == released[-1].ts
    assert found.collected == mine[0].payload["context"]["collection_time"]
    stages = [e for e in mine if e.type == "stage.started"]
    assert stages[-1].payload["stage"] == "qa_release"
    assert found.ebr_completed == stages[-1].ts
    review = qa.review(central.store, services_recipes, BATCH)
    assert review is not None
    assert review.source == "recipe"
    assert found.review_items == sum(1 for item in review.items if item.required) > 0
    recorded = ("step.recorded", "result.recorded")  # typed or captured, or from the LIMS
    assert found.records == sum(e.type in (*recorded, "step.corrected") for e in mine)
    # Every numeric CPP/CQA value, corrections applied: the last word on each step.
    expected: dict[str, float] = {}
    for e in mine:
        p = e.payload
        if e.type in recorded and p.get("critical") and isinstance(p["value"], float | int):
            expected[p["step"]] = float(p["value"])
        if e.type == "step.corrected" and p["step"] in expected:
            expected[p["step"]] = float(p["new"])
    assert {v.key: v.value for v in found.critical} == expected


def test_pages_draw_what_the_csv_holds(central: Central, oq_events: list[Event]) -> None:
    setup_server(central)
    push(central, oq_events)
    with portal_session(central.url, *QA_USER, timeout=60) as h:
        page = h.get("/qa/dashboards")
        assert page.status_code == 200
        plots = sections(page.text)
        assert set(plots) == {
            "right-first-time",
            "exceptions",
            "cycle-time",
            "review-time",
            "qa-items",
        }
        assert len(re.findall(r'class="point"', plots["cycle-time"])) == 1
        (cycle,) = rows(h.get("/qa/dashboards/cycle-time.csv"))
        assert cycle["batch"] == BATCH
        started = next(e for e in oq_events if e.type == "batch.started")
        start = started.payload["context"]["collection_time"]
        assert cycle["collected"] == start
        (review,) = rows(h.get("/qa/dashboards/review-time.csv"))
        last_stage = [e for e in oq_events if e.type == "stage.started"][-1]
        assert review["record_complete"] == last_stage.ts
        assert float(review["hours"]) == hours(last_stage.ts, review["released"])
        (month,) = rows(h.get("/qa/dashboards/right-first-time.csv"))
        assert (month["finished"], month["right_first_time"]) == ("1", "0")  # it had exceptions

        recipe = h.get("/qa/dashboards/recipes/car-t-autologous")
        assert recipe.status_code == 200
        charts = sections(recipe.text)
        assert {"harvest_viability", "daily_viability", "dose_ratio"} <= set(charts)
        assert "Results in words are not charted: Sterility, Mycoplasma" in recipe.text
        for step_id, html in charts.items():
            data = rows(h.get(f"/qa/dashboards/recipes/car-t-autologous/{step_id}.csv"))
            assert len(re.findall(r'class="point"', html)) == len(data), step_id
        viability = rows(
            h.get("/qa/dashboards/recipes/car-t-autologous/post_isolation_viability.csv")
        )
        assert [float(r["value"]) for r in viability] == [68.5]  # the OQ's action-limit breach
        assert 'class="limit action"' in charts["post_isolation_viability"]
        assert 'fill="#d02020"' in charts["post_isolation_viability"]  # drawn red: outside


def test_figures_follow_events_that_arrive_later(central: Central, oq_events: list[Event]) -> None:
    setup_server(central)
    released = next(
        i
        for i, e in enumerate(oq_events)
        if e.type == "batch.state" and e.payload["state"] == "released"
    )
    push(central, oq_events[: released - 5])
    with portal_session(central.url, *QA_USER, timeout=60) as h:
        assert rows(h.get("/qa/dashboards/cycle-time.csv")) == []  # not released yet
        assert rows(h.get("/qa/dashboards/qa-items.csv"))[0]["batch"] == BATCH
        push(central, oq_events[released - 5 :])
        (cycle,) = rows(h.get("/qa/dashboards/cycle-time.csv"))
        assert cycle["released"] == oq_events[released].ts


def test_the_batch_list_follows_events_that_arrive_later(
    central: Central, oq_events: list[Event]
) -> None:
    """The /qa list keeps each batch's rebuilt row while the batch's version is unchanged: new
    events must show at once all the same."""
    setup_server(central)
    released = next(
        i
        for i, e in enumerate(oq_events)
        if e.type == "batch.state" and e.payload["state"] == "released"
    )
    push(central, oq_events[:released])

    def status() -> str:
        page = h.get("/qa")
        assert page.status_code == 200
        cells = re.findall(r"<td>([^<]*)</td>", page.text.split(f">{BATCH}</a></td>")[1])
        return cells[0]

    with portal_session(central.url, *QA_USER, timeout=60) as h:
        before = status()
        assert before != "released"
        assert status() == before  # the second view from the cache: the same row
        push(central, oq_events[released:])
        assert status() == "released"


def test_bad_requests_get_one_clear_line(central: Central, oq_events: list[Event]) -> None:
    setup_server(central)
    with portal_session(central.url, *QA_USER, timeout=60) as h:
        refused = h.get("/qa/dashboards?last=0")
        assert refused.status_code == 422
        assert "last" in refused.text
        assert h.get("/qa/dashboards/nothing.csv").status_code == 404
        assert "no dashboard plot" in h.get("/qa/dashboards/nothing.csv").json()["detail"]
        assert h.get("/qa/dashboards/recipes/no-such-recipe").status_code == 404
        assert h.get("/qa/dashboards/recipes/x%00y").status_code == 404
    with httpx.Client(base_url=central.url, timeout=60) as anonymous:
        assert anonymous.get("/qa/dashboards").status_code == 303  # to the sign-in
        assert (
            anonymous.get("/qa/dashboards/qa-items.csv")
            .headers["location"]
            .startswith("/login?next=")
        )


def test_the_server_own_events_count_once(central: Central, oq_events: list[Event]) -> None:
    """An identity exception the server writes into its own chain about a batch makes the
    batch's figures stale once; computed again, they count it and stay fresh."""
    from central import chain

    setup_server(central)
    push(central, oq_events)
    recipes = qa.RecipeCache(central.store)
    assert dashboards.refresh(central.store, recipes) == 0
    before = dashboards.load(central.store)[0].exceptions
    with central.store.write() as conn:
        chain.append(
            conn,
            "exception.raised",
            {"id": "X-central-test", "category": "identity", "severity": "critical",
             "blocking": True, "step": None, "message": "bound again", "values": {}},
            batch=BATCH,
        )  # fmt: skip
        assert dashboards.stale(conn)[1] == 1
    assert dashboards.refresh(central.store, recipes) == 0
    with central.store.read() as conn:
        assert dashboards.stale(conn)[1] == 0  # not computed again on every view
    (found,) = dashboards.load(central.store)
    assert found.exceptions == before + 1
    assert found.categories["identity"] >= 1


def test_central_dashboards_refresh(central: Central, oq_events: list[Event]) -> None:
    setup_server(central)
    push(central, oq_events)
    db = central.store.url.render_as_string(False)
    out = io.StringIO()
    assert central_main(["dashboards", "refresh", "--db", db], out=out) == 0
    assert "figures of 1 batches computed" in out.getvalue()
    assert "0 still to compute" in out.getvalue()
    assert [f.batch for f in dashboards.load(central.store)] == [BATCH]


def test_a_recipe_uploaded_later_makes_the_review_the_recipe_one(
    central: Central, oq_events: list[Event]
) -> None:
    """Without its recipe the server lists only the exception events for review; once the
    recipe is uploaded the review is the station's own, and the dashboards follow."""
    central.add_station(STATION)
    push(central, oq_events)
    recipes = qa.RecipeCache(central.store)
    assert dashboards.refresh(central.store, recipes) == 0
    (before,) = dashboards.load(central.store)
    assert before.review_items == before.exceptions  # the exception events alone
    publish_recipe(central.store, ROOT / "recipes" / "car-t-autologous.yaml")
    with central.store.read() as conn:
        assert dashboards.stale(conn)[1] == 1
    assert dashboards.refresh(central.store, recipes) == 0
    (after,) = dashboards.load(central.store)
    review = qa.review(central.store, recipes, BATCH)
    assert review is not None
    assert review.source == "recipe"
    assert after.review_items == sum(1 for item in review.items if item.required)
    assert after.events == before.events + dashboards.RECIPE_ON_SERVER  # computed again
