"""The dashboards' plots: what each one shows, as rows (the CSV) and as SVG (the picture).

Every plot is built from the same rows it exports, so the picture and the CSV cannot disagree:
one point (or one bar) per row. The figures come from ``central.dashboards`` (one row per batch).

- ``control_charts``: per recipe, one chart per numeric CPP and CQA step, every value of the
  last batches in start order, with the recipe's alert and action limits.
- ``right_first_time``: per month, finished batches without any exception (and not aborted)
  out of all finished batches.
- ``exceptions``: exceptions per batch, by category.
- ``cycle_time``: hours from the collection (the batch's ``collection_time``) to the release.
- ``review_time``: hours from the record complete (the last stage, QA release, opened) to the
  release, with the seed's figures for paper review (30 h) and review by exception (4 h).
- ``qa_items``: per batch, the review items QA had to judge against every recorded value and
  signature.
"""

import csv
import io
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Final

from central import svg
from central.dashboards import Figures, Value
from kiosk.batch import CATEGORIES
from kiosk.recipe import Recipe

PAPER_REVIEW_H: Final = 30.0
"""Paper review of a batch record, per batch (the seed's figure; DOMAIN.md §6)."""
CONTROL_HEIGHT: Final = 220
"""Control charts are lower than the fleet's plots: a recipe has a dozen or more."""
RBE_REVIEW_H: Final = 4.0
"""Review by exception, per batch (the same case study)."""


@dataclass(frozen=True)
class Plot:
    """One plot: its id (the CSV's name), words for people, the rows and the picture."""

    id: str
    title: str
    meaning: str
    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]
    svg: str
    summary: str = ""

    def csv(self) -> str:
        """The rows as CSV (RFC 4180, a header line first)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow(["" if v is None else _cell(v) for v in row])
        return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell; text that a spreadsheet would run as a formula is quoted with a '."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _ts(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def hours(start: str | None, end: str | None) -> float | None:
    """Hours from ``start`` to ``end`` (ISO 8601), one decimal; None when either is missing."""
    a, b = _ts(start), _ts(end)
    if a is None or b is None:
        return None
    return round((b - a).total_seconds() / 3600, 1)


def _median_line(values: Sequence[float], unit: str) -> list[svg.Line]:
    if not values:
        return []
    middle = statistics.median(values)
    return [svg.Line(middle, "median", f"median {svg.number(middle)} {unit}")]


# ---------------------------------------------------------------- control charts


def _limit_lines(step: Any) -> list[svg.Line]:
    lines = []
    for kind in ("action", "alert"):
        limits = getattr(step, kind, None)
        if not limits:
            continue
        low, high = limits
        if low is not None:
            lines.append(svg.Line(float(low), kind, f"{kind} low {svg.number(float(low))}"))
        if high is not None:
            lines.append(svg.Line(float(high), kind, f"{kind} high {svg.number(float(high))}"))
    return lines


def critical_steps(recipe: Recipe) -> list[tuple[str, Any]]:
    """(stage title, step) of every CPP/CQA step with a numeric value, in recipe order."""
    found = []
    for stage in recipe.stages:
        for step in stage.steps:
            if step.critical and getattr(step, "type", "number") == "number":
                found.append((stage.title or stage.id, step))
    return found


def worded_steps(recipe: Recipe) -> list[str]:
    """The CPP/CQA steps whose results are words (sterility: negative), which no chart draws."""
    return [
        step.title or step.id
        for stage in recipe.stages
        for step in stage.steps
        if step.critical and getattr(step, "type", "number") != "number"
    ]


def control_charts(recipe: Recipe | None, batches: Sequence[Figures]) -> list[Plot]:
    """One control chart per CPP/CQA step of ``recipe`` (without it: per step with values)."""
    labels = [b.batch for b in batches]
    steps: list[tuple[str, str, str, str | None, Any]] = []  # id, title, critical, unit, step
    if recipe is not None:
        for stage_title, step in critical_steps(recipe):
            title = f"{stage_title}: {step.title or step.id}"
            steps.append((step.id, title, step.critical, getattr(step, "unit", None), step))
    else:
        seen: dict[str, tuple[str, str | None]] = {}
        for b in batches:
            for v in b.critical:
                seen.setdefault(v.step_id, (v.critical, v.unit))
        steps = [(sid, sid, crit, unit, None) for sid, (crit, unit) in sorted(seen.items())]
    by_step: dict[str, list[tuple[int, Figures, Value]]] = {}
    for x, b in enumerate(batches):
        for v in b.critical:
            by_step.setdefault(v.step_id, []).append((x, b, v))
    plots = []
    for step_id, title, critical, unit, step in steps:
        lines = _limit_lines(step) if step is not None else []
        action = getattr(step, "action", None) or (None, None)
        rows: list[tuple[Any, ...]] = []
        points: list[svg.Point] = []
        for x, b in enumerate(batches):
            for v in b.critical:
                if v.step_id != step_id:
                    continue
                alarm = (action[0] is not None and v.value < action[0]) or (
                    action[1] is not None and v.value > action[1]
                )
                rows.append((b.batch, v.key, v.value, v.unit or unit or "", v.ts, v.corrected))
                points.append(
                    svg.Point(x, v.value, f"{b.batch} {v.key}: {svg.number(v.value)}", alarm)
                )
        outside = sum(p.alarm for p in points)
        unit_text = unit or next((r[3] for r in rows), "")
        plots.append(
            Plot(
                id=step_id,
                title=f"{title} ({critical})",
                meaning=(
                    f"every value of {step_id} in the last {len(batches)} batches, oldest "
                    "first; red: outside the action limits"
                ),
                columns=("batch", "step", "value", "unit", "recorded", "corrected"),
                rows=rows,
                svg=svg.point_chart(title, unit_text, labels, points, lines, height=CONTROL_HEIGHT),
                summary=f"{len(rows)} values, {outside} outside the action limits",
            )
        )
    return plots


# ---------------------------------------------------------------- across the fleet


def _month(text: str | None) -> str | None:
    moment = _ts(text)
    return None if moment is None else moment.strftime("%Y-%m")


def months(batches: Sequence[Figures]) -> list[tuple[str, int, int]]:
    """(month, finished, right first time) from figures; ``dashboards.months`` is the same
    count done by the database over every batch."""
    found: dict[str, list[int]] = {}
    for b in batches:
        month = _month(b.finished)
        if month is None:
            continue
        counts = found.setdefault(month, [0, 0])
        counts[0] += 1
        counts[1] += b.exceptions == 0 and b.status != "aborted"
    return [(month, total, right) for month, (total, right) in sorted(found.items())]


def right_first_time(counts: Sequence[tuple[str, int, int]]) -> Plot:
    """Per month of finishing: finished batches without exceptions (and not aborted), in %."""
    rows = [(month, total, right, round(100 * right / total, 1)) for month, total, right in counts]
    labels = [r[0] for r in rows]
    points = [
        svg.Point(i, r[3], f"{r[0]}: {r[2]} of {r[1]} ({r[3]} %)") for i, r in enumerate(rows)
    ]
    total = sum(r[1] for r in rows)
    right = sum(r[2] for r in rows)
    return Plot(
        id="right-first-time",
        title="Right first time, per month",
        meaning=(
            "batches that finished in the month without a single exception (and were not "
            "aborted), out of every batch that finished in the month"
        ),
        columns=("month", "finished", "right_first_time", "percent"),
        rows=rows,
        svg=svg.point_chart("Right first time (%)", "%", labels, points),
        summary=f"{right} of {total} finished batches right first time"
        + (f" ({100 * right / total:.1f} %)" if total else ""),
    )


def exceptions(batches: Sequence[Figures]) -> Plot:
    """Exceptions per batch, by category (stacked bars)."""
    used = sorted({c for b in batches for c in b.categories})
    series = [c for c in CATEGORIES if c in used] + [c for c in used if c not in CATEGORIES]
    rows = [(b.batch, b.exceptions, *(b.categories.get(c, 0) for c in series)) for b in batches]
    stacks = [
        svg.Stack(i, tuple((c, float(b.categories.get(c, 0))) for c in series), b.batch)
        for i, b in enumerate(batches)
    ]
    total = sum(b.exceptions for b in batches)
    return Plot(
        id="exceptions",
        title="Exceptions per batch, by category",
        meaning="every exception raised in each batch, by its category, oldest batch first",
        columns=("batch", "exceptions", *series),
        rows=rows,
        svg=svg.bar_chart(
            "Exceptions per batch", "exceptions", [b.batch for b in batches], stacks, series
        ),
        summary=f"{total} exceptions in {len(batches)} batches",
    )


def _hours_plot(
    batches: Sequence[Figures],
    plot_id: str,
    title: str,
    meaning: str,
    start: Callable[[Figures], str | None],
    columns: tuple[str, str],
    reference: Sequence[svg.Line] = (),
) -> Plot:
    rows = []
    for b in batches:
        h = hours(start(b), b.released)
        if h is not None:
            rows.append((b.batch, start(b), b.released, h))
    labels = [r[0] for r in rows]
    points = [svg.Point(i, r[3], f"{r[0]}: {r[3]} h") for i, r in enumerate(rows)]
    values = [r[3] for r in rows]
    lines = [*_median_line(values, "h"), *reference]
    summary = (
        f"{len(rows)} released batches; median {statistics.median(values):.1f} h"
        if values
        else "no released batch yet"
    )
    return Plot(
        id=plot_id,
        title=title,
        meaning=meaning,
        columns=("batch", *columns, "hours"),
        rows=rows,
        svg=svg.point_chart(title, "h", labels, points, lines, join=False),
        summary=summary,
    )


def cycle_time(batches: Sequence[Figures]) -> Plot:
    return _hours_plot(
        batches,
        "cycle-time",
        "Cycle time, collection to release",
        "hours from the patient's collection (the batch's collection time) to the QA release",
        lambda b: b.collected,
        ("collected", "released"),
    )


def review_time(batches: Sequence[Figures]) -> Plot:
    return _hours_plot(
        batches,
        "review-time",
        "Review time, record complete to release",
        "hours from the batch record being complete (the QA release stage opened) to the "
        f"release; dashed: {PAPER_REVIEW_H:g} h for paper review and {RBE_REVIEW_H:g} h with "
        "review by exception (the seed's figures)",
        lambda b: b.ebr_completed,
        ("record_complete", "released"),
        (
            svg.Line(PAPER_REVIEW_H, "reference", f"paper {PAPER_REVIEW_H:g} h"),
            svg.Line(RBE_REVIEW_H, "reference", f"by exception {RBE_REVIEW_H:g} h"),
        ),
    )


def qa_items(batches: Sequence[Figures]) -> Plot:
    """Per batch: review items QA judged, against every recorded value and signature."""
    rows = []
    for b in batches:
        recorded = b.records + b.signatures
        share = round(100 * b.review_items / recorded, 1) if recorded else None
        rows.append((b.batch, b.review_items, b.records, b.signatures, share))
    stacks = [
        svg.Stack(
            i,
            (("values and signatures", float(r[2] + r[3])), ("items QA judged", float(r[1]))),
            r[0],
        )
        for i, r in enumerate(rows)
    ]
    items = sum(r[1] for r in rows)
    recorded = sum(r[2] + r[3] for r in rows)
    return Plot(
        id="qa-items",
        title="What QA had to look at",
        meaning=(
            "per batch, the review items QA had to judge (orange) against every value "
            "recorded and signature applied (blue): review by exception instead of the whole record"
        ),
        columns=("batch", "review_items", "recorded_values", "signatures", "percent"),
        rows=rows,
        svg=svg.bar_chart(
            "Review items against the whole record",
            "count",
            [r[0] for r in rows],
            stacks,
            ("values and signatures", "items QA judged"),
            overlay=True,
        ),
        summary=(
            f"{items} items judged of {recorded} values and signatures"
            + (f" ({100 * items / recorded:.1f} %)" if recorded else "")
        ),
    )


FLEET: Final = ("right-first-time", "exceptions", "cycle-time", "review-time", "qa-items")


def fleet(counts: Sequence[tuple[str, int, int]], recent: Sequence[Figures]) -> list[Plot]:
    """The fleet's plots: right first time from the monthly ``counts`` of every batch, the
    others over the ``recent`` batches."""
    return [
        right_first_time(counts),
        exceptions(recent),
        cycle_time(recent),
        review_time(recent),
        qa_items(recent),
    ]
