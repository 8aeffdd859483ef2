"""The monitored series of a timer step, read from its events and drawn for the batch record.

`monitor_series(events, step)` gathers a timer step's `monitor.samples` and `monitor.gap`
events into one series per node (station time, value; None where a node had no good
value) and the gaps (start, end, reason; a gap reported twice, opened then closed, is
one gap). `monitor_drawing` draws one node as value over time with its alert (amber)
and action (red, dashed) limit lines; gaps are shaded grey and the line breaks there:
nothing is drawn where nothing was read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from local_store import Event

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing


@dataclass
class NodeSeries:
    node: str
    unit: str | None
    points: list[tuple[datetime, float | None]] = field(default_factory=list)
    alert: tuple[float | None, float | None] | None = None
    action: tuple[float | None, float | None] | None = None


@dataclass
class MonitorRecord:
    step: str
    role: str
    devices: set[str] = field(default_factory=set)
    nodes: dict[str, NodeSeries] = field(default_factory=dict)
    gaps: dict[str, tuple[datetime, datetime | None, str]] = field(default_factory=dict)


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


def monitor_series(
    events: Iterable[Event], step: str, limits: Mapping[str, Any] | None = None
) -> MonitorRecord | None:
    """The step's monitoring as recorded, or None when it has none. `limits`: node -> spec."""
    found: MonitorRecord | None = None
    for event in events:
        p = event.payload
        if not event.type.startswith("monitor.") or p.get("step") != step:
            continue
        if found is None:
            found = MonitorRecord(step, str(p.get("role")))
        if event.type == "monitor.samples":
            if p.get("device"):
                found.devices.add(str(p["device"]))
            units = p.get("units") or {}
            for sample in p.get("samples", []):
                at = _parse(sample["at"])
                for node, value in (sample.get("values") or {}).items():
                    series = found.nodes.get(node)
                    if series is None:
                        spec = (limits or {}).get(node)
                        series = NodeSeries(
                            node,
                            units.get(node),
                            alert=getattr(spec, "alert", None),
                            action=getattr(spec, "action", None),
                        )
                        found.nodes[node] = series
                    series.points.append((at, float(value) if value is not None else None))
        elif event.type == "monitor.gap":
            end = _parse(p["end"]) if p.get("end") else None
            found.gaps[str(p["start"])] = (_parse(p["start"]), end, str(p.get("reason")))
    return found


def gap_lines(record: MonitorRecord, until: datetime | None) -> list[str]:
    """One line per gap, in words, e.g. '07:05–07:20 UTC (15 min): cannot reach …'."""
    lines = []
    for start, end, reason in sorted(record.gaps.values()):
        stop = end or until
        length = f" ({round((stop - start).total_seconds() / 60):g} min)" if stop else ""
        shown = f"{stop:%H:%M}" if stop else "…"
        still = "" if end else ", no readings again before the timer stopped"
        lines.append(f"{start:%Y-%m-%d %H:%M}–{shown} UTC{length}: {reason}{still}")
    return lines


def monitor_drawing(
    series: NodeSeries,
    gaps: Iterable[tuple[datetime, datetime | None, str]],
    width: float,
    font: str = "Helvetica",
    until: datetime | None = None,
) -> Drawing:
    """Value over time for one node: limit lines, gaps shaded, the line broken at gaps."""
    from reportlab.graphics.shapes import (  # noqa: PLC0415 — reportlab loads only to draw
        Circle,
        Drawing,
        Line,
        PolyLine,
        Rect,
        String,
    )
    from reportlab.lib import colors  # noqa: PLC0415

    height = 130.0
    drawing = Drawing(width, height)
    # else the renderer sets Helvetica, a font not embedded (the stubs lack the attribute)
    setattr(drawing, "initialFontName", font)  # noqa: B010
    left, bottom = 40.0, 20.0
    plot_w, plot_h = width - left - 8, height - bottom - 18
    gap_list = list(gaps)
    times = [t for t, _ in series.points] + [g[0] for g in gap_list]
    times += [g[1] for g in gap_list if g[1] is not None]
    if until is not None:
        times.append(until)
    t0, t1 = min(times), max(times)
    span = max((t1 - t0).total_seconds(), 1.0)
    values = [v for _, v in series.points if v is not None]
    bounds = list(values)
    for limits in (series.alert, series.action):
        bounds += [b for b in limits or () if b is not None]
    low, high = (min(bounds), max(bounds)) if bounds else (0.0, 1.0)
    if high - low < 1e-9:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.12
    low, high = low - pad, high + pad

    def sx(t: datetime) -> float:
        return left + plot_w * (t - t0).total_seconds() / span

    def sy(v: float) -> float:
        return bottom + plot_h * (v - low) / (high - low)

    unit = f" ({series.unit})" if series.unit else ""
    drawing.add(String(0, height - 10, f"{series.node}{unit}", fontName=font, fontSize=8))
    grey = colors.HexColor("#999999")
    for start, end, _reason in gap_list:
        stop = end or until or t1
        shade = Rect(sx(start), bottom, max(sx(stop) - sx(start), 1.0), plot_h)
        shade.fillColor = colors.HexColor("#E4E4E4")
        shade.strokeColor = None
        drawing.add(shade)
        drawing.add(
            String(sx(start) + 2, bottom + plot_h - 8, "no readings", fontName=font, fontSize=6)
        )
    drawing.add(Line(left, bottom, left, bottom + plot_h, strokeColor=grey, strokeWidth=0.5))
    drawing.add(Line(left, bottom, left + plot_w, bottom, strokeColor=grey, strokeWidth=0.5))
    for v in (low + pad, high - pad):
        drawing.add(
            String(left - 3, sy(v) - 2.5, f"{v:.4g}", fontName=font, fontSize=6, textAnchor="end")
        )
    shape = "%Y-%m-%d %H:%M" if span > 12 * 3600 else "%H:%M"  # a day or more: the date too
    for t in (t0, t1):
        drawing.add(
            String(
                sx(t), bottom - 9, f"{t:{shape}}", fontName=font, fontSize=6, textAnchor="middle"
            )
        )
    legend = []
    for name, limits, colour, dash in (
        ("alert", series.alert, "#D08000", [6.0, 0.0]),
        ("action", series.action, "#C03030", [3.0, 2.0]),
    ):
        for bound in limits or ():
            if bound is not None:
                drawing.add(
                    Line(
                        left,
                        sy(bound),
                        left + plot_w,
                        sy(bound),
                        strokeColor=colors.HexColor(colour),
                        strokeWidth=0.6,
                        strokeDashArray=dash,
                    )
                )
        shown = [f"{b:g}" for b in limits or () if b is not None]
        if shown:
            legend.append(f"{name} limits {' / '.join(shown)}")
    blue = colors.HexColor("#3060A0")
    run: list[float] = []
    breaks = sorted(g[0] for g in gap_list)
    previous: datetime | None = None
    for t, value in [*series.points, (t1, None)]:
        broken = previous is not None and any(previous < b <= t for b in breaks)
        if value is None or broken:
            if len(run) >= 4:
                drawing.add(PolyLine(run, strokeColor=blue, strokeWidth=0.8))
            run = []
        if value is not None:
            run += [sx(t), sy(value)]
            drawing.add(Circle(sx(t), sy(value), 1.2, fillColor=blue, strokeColor=None))
        previous = t
    caption = f"{len(values)} readings" + (f"; {', '.join(legend)}" if legend else "")
    if gap_list:
        caption += f"; {len(gap_list)} gap(s) shaded"
    drawing.add(
        String(
            left + plot_w,
            height - 10,
            caption,
            fontName=font,
            fontSize=6,
            textAnchor="end",
            fillColor=colors.HexColor("#555555"),
        )
    )
    return drawing
