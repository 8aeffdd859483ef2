"""The dashboards' SVG: well-formed whatever text a station sent, one mark per plotted row."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st

from central import charts, svg
from central.dashboards import Figures, Value

NS = "{http://www.w3.org/2000/svg}"
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
finite = st.floats(-1e9, 1e9, allow_nan=False, allow_infinity=False)


def parse(picture: str) -> ET.Element:
    return ET.fromstring(picture)


@given(st.lists(st.tuples(text, finite), max_size=40), text)
def test_point_chart_is_well_formed_with_one_circle_per_value(
    values: list[tuple[str, float]], unit: str
) -> None:
    labels = [label for label, _ in values]
    points = [svg.Point(i, v, f"{label}: {v}") for i, (label, v) in enumerate(values)]
    root = parse(svg.point_chart("t<&>", unit, labels, points, [svg.Line(0, "action", "x<y")]))
    circles = root.iter(f"{NS}circle")
    assert [c.find(f"{NS}title").text for c in circles] == [p.title for p in points]  # type: ignore[union-attr]


@given(st.lists(st.tuples(text, st.integers(0, 50), st.integers(0, 50)), max_size=30))
def test_bar_chart_draws_every_non_zero_part(bars: list[tuple[str, int, int]]) -> None:
    stacks = [
        svg.Stack(i, (("a", float(x)), ("b<", float(y))), name)
        for i, (name, x, y) in enumerate(bars)
    ]
    root = parse(svg.bar_chart("bars", "n", [b[0] for b in bars], stacks, ("a", "b<")))
    drawn = [r for r in root.iter(f"{NS}rect") if r.get("class") == "bar"]
    assert len(drawn) == sum((x > 0) + (y > 0) for _, x, y in bars)


def test_a_batch_id_with_markup_stays_text() -> None:
    picture = svg.point_chart("t", "%", ["<i>B-1</i>"], [svg.Point(0, 1.0, "<script>")])
    assert "<script>" not in picture
    assert "<i>" not in picture
    assert "&lt;i&gt;B-1&lt;/i&gt;" in picture
    assert "<title>&lt;script&gt;</title>" in picture


def figures(batch: str, **kw: object) -> Figures:
    base: dict[str, object] = {
        "batch": batch,
        "events": 10,
        "recipe_id": "r",
        "recipe_version": 1,
        "status": "released",
        "started": "2026-01-01T00:00:00.000Z",
    }
    return Figures(**{**base, **kw})  # type: ignore[arg-type]


def test_right_first_time_counts_finished_batches_per_month() -> None:
    batches = [
        figures("A", finished="2026-01-10T00:00:00.000Z"),
        figures("B", finished="2026-01-20T00:00:00.000Z", exceptions=2),
        figures("C", finished="2026-02-01T00:00:00.000Z", status="aborted"),
        figures("D", status="in_progress"),
    ]
    plot = charts.right_first_time(charts.months(batches))
    assert plot.rows == [("2026-01", 2, 1, 50.0), ("2026-02", 1, 0, 0.0)]
    assert len(list(parse(plot.svg).iter(f"{NS}circle"))) == 2
    rows = list(csv.reader(io.StringIO(plot.csv())))
    assert rows[0] == ["month", "finished", "right_first_time", "percent"]
    assert rows[1:] == [["2026-01", "2", "1", "50.0"], ["2026-02", "1", "0", "0.0"]]


def test_review_time_shows_the_seed_figures_and_our_hours() -> None:
    batches = [
        figures("A", ebr_completed="2026-01-10T00:00:00.000Z", released="2026-01-10T03:30:00.000Z"),
        figures("B"),  # not released: no point
    ]
    plot = charts.review_time(batches)
    assert plot.rows == [("A", "2026-01-10T00:00:00.000Z", "2026-01-10T03:30:00.000Z", 3.5)]
    lines = {line.get("class") for line in parse(plot.svg).iter(f"{NS}line")}
    assert {"limit reference", "limit median"} <= lines
    assert "paper 30 h" in plot.svg


def test_a_csv_cell_never_runs_as_a_spreadsheet_formula() -> None:
    plot = charts.exceptions([figures("=HYPERLINK(1)", categories={"value": 1}, exceptions=1)])
    assert "'=HYPERLINK(1)" in plot.csv()


def test_control_chart_marks_values_outside_the_action_limits() -> None:
    values = [
        Value("v", "s.v", "v", "CQA", x, "%", "2026-01-01T00:00:00.000Z") for x in (60.0, 90.0)
    ]
    (plot,) = charts.control_charts(None, [figures("A", critical=values)])
    assert [r[2] for r in plot.rows] == [60.0, 90.0]


# ---------------------------------------------------------------- figures from any payload

json_leaf = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), finite, text)
json_value = st.recursive(
    json_leaf,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(text, inner, max_size=3)),
    max_leaves=8,
)
KEYS = (
    "value",
    "critical",
    "step",
    "step_id",
    "name",
    "unit",
    "new",
    "category",
    "state",
    "context",
    "signature",
    "recipe_id",
    "recipe_version",
)
payloads = st.dictionaries(st.sampled_from(KEYS), json_value, max_size=8)
TYPES = (
    "batch.started",
    "step.recorded",
    "result.recorded",
    "step.corrected",
    "signature.applied",
    "exception.raised",
    "stage.started",
    "batch.state",
    "custody.handover",
)


@given(st.lists(st.tuples(st.sampled_from(TYPES), payloads), max_size=25))
def test_figures_take_any_payload_and_count_what_they_find(
    items: list[tuple[str, dict[str, object]]],
) -> None:
    from central.dashboards import figures
    from local_store import Event

    events = [
        Event(
            "S", n + 1, f"2026-01-01T00:00:{n:02d}.000Z", "u:a", "B", t, p, None, "0" * 64, "0" * 64
        )
        for n, (t, p) in enumerate(items)
    ]
    found = figures("B", events, 3)
    assert found.exceptions == sum(t == "exception.raised" for t, _ in items)
    assert sum(found.categories.values()) == found.exceptions
    assert found.records == sum(
        t in ("step.recorded", "result.recorded", "step.corrected") for t, _ in items
    )
    assert all(v.critical in ("CPP", "CQA") for v in found.critical)
    assert found.review_items == 3
    stored = type("Row", (), {"_mapping": found.row()})()
    assert Figures.from_row(stored) == found  # stored and read back unchanged
