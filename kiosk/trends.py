"""CPP/CQA trends across the batches of one record database (no Qt).

`trend_data(store)` reads every batch in the file in one pass over its events and
returns a JSON-serialisable dict for a dashboard: one point per batch for each
trended metric, plus every numeric CPP/CQA value by step name. `trend_drawing`
draws the metrics as small multiples with reportlab graphics for the review
report (`kiosk ebr export --review-only`) when the file holds more than one batch.

Trended metrics (by the name a recipe records the value under, so recipes that
record the same thing under the same name trend together):

- ``viability`` — viability at harvest (%): the value named ``harvest_viability``,
  else the last value named ``viability``.
- ``transduction_efficiency`` — CAR+ at the in-process check (%).
- ``expansion_fold`` — fold expansion from seeding to harvest.
- ``collection_to_release_h`` — hours from the batch's ``collection_time``
  (context) to the QA release signature; only for released batches.

Corrections are applied: a corrected value trends with its new value.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final

from local_store import EventStore

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    unit: str
    names: tuple[str, ...]  # record names, in order of preference ("" for derived metrics)


METRICS: Final = (
    Metric("viability", "Viability at harvest", "%", ("harvest_viability", "viability")),
    Metric(
        "transduction_efficiency",
        "Transduction efficiency",
        "%",
        ("transduction_efficiency",),
    ),
    Metric("expansion_fold", "Fold expansion", "fold", ("expansion_fold",)),
    Metric("collection_to_release_h", "Collection to release", "h", ()),
)

_TYPES: Final = (
    "batch.started",
    "step.recorded",
    "result.recorded",
    "step.corrected",
    "batch.state",
)


@dataclass
class _Batch:
    batch: str
    recipe_id: str | None
    recipe_version: int | None
    started: str
    context: dict[str, Any]
    status: str = "in_progress"
    released: str | None = None
    # record name -> list of (step key, value, unit, ts, limits, critical); last wins
    values: dict[str, list[dict[str, Any]]] | None = None
    by_step: dict[str, dict[str, Any]] | None = None


def trend_data(store: EventStore) -> dict[str, Any]:
    """Per-batch CPP/CQA metrics of every batch in `store` (JSON-serialisable)."""
    batches: dict[str, _Batch] = {}
    for event in store.events(types=_TYPES):
        if event.batch is None:
            continue
        p = event.payload
        if event.type == "batch.started":
            batches[event.batch] = _Batch(
                batch=event.batch,
                recipe_id=p.get("recipe_id"),
                recipe_version=p.get("recipe_version"),
                started=event.ts,
                context=dict(p.get("context") or {}),
                values={},
                by_step={},
            )
            continue
        b = batches.get(event.batch)
        if b is None or b.values is None or b.by_step is None:
            continue
        if event.type == "result.recorded":  # a QC release test from the LIMS, by its test
            p = {**p, "name": p.get("test")}
        if event.type in ("step.recorded", "result.recorded") and p.get("name"):
            value = p.get("value")
            if isinstance(value, bool) or not isinstance(value, int | float):
                continue
            point = {
                "step": p.get("step"),
                "value": float(value),
                "unit": p.get("unit"),
                "ts": event.ts,
                "limits": p.get("limits") or {},
                "critical": p.get("critical"),
            }
            b.values.setdefault(str(p["name"]), []).append(point)
            b.by_step[str(p.get("step"))] = point
        elif event.type == "step.corrected":
            point_ = b.by_step.get(str(p.get("step")))
            new = p.get("new")
            if point_ is not None and isinstance(new, int | float) and not isinstance(new, bool):
                point_["value"] = float(new)
                point_["corrected"] = True
        elif event.type == "batch.state":
            state = p.get("state")
            if isinstance(state, str):
                b.status = state
                if state == "released":
                    b.released = event.ts
    ordered = sorted(batches.values(), key=lambda b: (b.started, b.batch))
    rows: list[dict[str, Any]] = []
    series: dict[str, dict[str, Any]] = {
        m.key: {"key": m.key, "label": m.label, "unit": m.unit, "limits": None, "points": []}
        for m in METRICS
    }
    parameters: dict[str, dict[str, Any]] = {}
    for b in ordered:
        assert b.values is not None
        found: dict[str, float | None] = {}
        for metric in METRICS:
            value, limits = _metric(metric, b)
            found[metric.key] = value
            if value is not None:
                series[metric.key]["points"].append(
                    {"batch": b.batch, "started": b.started, "value": value}
                )
                if limits:
                    series[metric.key]["limits"] = limits
        for name, points in b.values.items():
            for point in points:
                if point.get("critical") not in ("CPP", "CQA"):
                    continue
                entry = parameters.setdefault(
                    name, {"unit": point["unit"], "critical": point["critical"], "points": []}
                )
                entry["points"].append(
                    {
                        "batch": b.batch,
                        "step": point["step"],
                        "value": point["value"],
                        "ts": point["ts"],
                    }
                )
        rows.append(
            {
                "batch": b.batch,
                "recipe_id": b.recipe_id,
                "recipe_version": b.recipe_version,
                "status": b.status,
                "started": b.started,
                "released": b.released,
                "values": found,
            }
        )
    return {
        "generated": datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z"),
        "batches": rows,
        "metrics": [series[m.key] for m in METRICS],
        "parameters": parameters,
    }


def _metric(metric: Metric, b: _Batch) -> tuple[float | None, dict[str, Any] | None]:
    assert b.values is not None
    if metric.key == "collection_to_release_h":
        collected = b.context.get("collection_time")
        if not b.released or not isinstance(collected, str):
            return None, None
        try:
            hours = (_parse(b.released) - _parse(collected)).total_seconds() / 3600
        except ValueError:
            return None, None
        return round(hours, 1), None
    for name in metric.names:
        points = b.values.get(name)
        if points:
            last = points[-1]
            return float(last["value"]), dict(last["limits"])
    return None, None


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


# ---------------------------------------------------------------- the plot


def trend_drawing(
    trends: Mapping[str, Any], current: str | None, width: float, font: str = "Helvetica"
) -> Drawing:
    """Small multiples (two per row) of the metrics that have points; `current` in red."""
    from reportlab.graphics.shapes import (  # noqa: PLC0415 — reportlab loads only to draw
        Circle,
        Drawing,
        Line,
        PolyLine,
        String,
    )
    from reportlab.lib import colors  # noqa: PLC0415

    metrics = [m for m in trends.get("metrics", []) if m.get("points")]
    batches = [row["batch"] for row in trends.get("batches", [])]
    index = {batch: i for i, batch in enumerate(batches)}
    cols, panel_h, gap = 2, 120.0, 14.0
    panel_w = (width - gap) / cols
    rows = max(1, (len(metrics) + cols - 1) // cols)
    drawing = Drawing(width, rows * (panel_h + gap))
    for n, metric in enumerate(metrics):
        x0 = (n % cols) * (panel_w + gap)
        y0 = (rows - 1 - n // cols) * (panel_h + gap)
        points = [(index[p["batch"]], float(p["value"])) for p in metric["points"]]
        limits = metric.get("limits") or {}
        action = limits.get("action") or [None, None]
        bounds = [v for _, v in points] + [v for v in action if isinstance(v, int | float)]
        low, high = min(bounds), max(bounds)
        if high - low < 1e-9:
            low, high = low - 1, high + 1
        pad = (high - low) * 0.12
        low, high = low - pad, high + pad
        left, bottom = x0 + 34, y0 + 18
        plot_w, plot_h = panel_w - 42, panel_h - 36
        span = max(1, len(batches) - 1)

        def sx(i: float, left: float = left, plot_w: float = plot_w, span: int = span) -> float:
            return left + plot_w * (i / span if len(batches) > 1 else 0.5)

        def sy(
            v: float,
            bottom: float = bottom,
            plot_h: float = plot_h,
            lo: float = low,
            hi: float = high,
        ) -> float:
            return bottom + plot_h * (v - lo) / (hi - lo)

        unit = metric["unit"]
        drawing.add(
            String(x0, y0 + panel_h - 8, f"{metric['label']} ({unit})", fontName=font, fontSize=8)
        )
        grey = colors.HexColor("#999999")
        drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=grey, strokeWidth=0.5))
        drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=grey, strokeWidth=0.5))
        for v in (low + pad, high - pad):
            drawing.add(
                String(
                    left - 3, sy(v) - 2.5, f"{v:.4g}", fontName=font, fontSize=6, textAnchor="end"
                )
            )
        for bound in action:
            if isinstance(bound, int | float):
                drawing.add(
                    Line(
                        left,
                        sy(bound),
                        left + plot_w,
                        sy(bound),
                        strokeColor=colors.HexColor("#C03030"),
                        strokeWidth=0.6,
                        strokeDashArray=[3, 2],
                    )
                )
        if len(points) > 1:
            flat: list[float] = []
            for i, v in points:
                flat += [sx(i), sy(v)]
            drawing.add(PolyLine(flat, strokeColor=colors.HexColor("#3060A0"), strokeWidth=0.8))
        for batch, (i, v) in zip((p["batch"] for p in metric["points"]), points, strict=True):
            mine = batch == current
            drawing.add(
                Circle(
                    sx(i),
                    sy(v),
                    2.6 if mine else 1.8,
                    fillColor=colors.HexColor("#D02020") if mine else colors.HexColor("#3060A0"),
                    strokeColor=None,
                )
            )
            if mine or len(points) <= 12:  # label the points while there is room
                drawing.add(
                    String(
                        sx(i),
                        sy(v) + 4,
                        f"{v:.4g}",
                        fontName=font,
                        fontSize=6,
                        textAnchor="middle",
                        fillColor=colors.HexColor("#D02020")
                        if mine
                        else colors.HexColor("#333333"),
                    )
                )
        drawing.add(
            String(
                left,
                y0 + 4,
                f"{len(points)} of {len(batches)} batches, oldest to newest",
                fontName=font,
                fontSize=6,
                fillColor=colors.HexColor("#555555"),
            )
        )
    return drawing
