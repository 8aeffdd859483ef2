"""Plots as SVG text, drawn on the server: points over batches (control and run charts) and bars.

No dependency: the SVG is built as strings, and every text that reaches it (batch ids, step
names, categories, numbers) goes through ``html.escape`` first, so a batch id a station chose
cannot inject markup. Sizes are in CSS pixels for a 1280 px wide page.

What a test can count: every plotted value is one ``<circle class="point">`` (point charts) or
one ``<rect class="bar">`` per non-zero part (bar charts), each with a ``<title>`` naming its
batch (or month) and value; limit and reference lines are ``<line class="limit …">``.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Final, NamedTuple

WIDTH: Final = 1160
HEIGHT: Final = 300
LEFT, RIGHT, TOP, BOTTOM = 64, 150, 16, 46
COLOURS: Final = (
    "#3060a0",
    "#c05020",
    "#40904a",
    "#8050a0",
    "#b08a10",
    "#208a9a",
    "#a03060",
    "#606060",
    "#7a9a30",
    "#3a3a9a",
)
LIMIT_STYLE: Final = {
    "action": ("#c03030", "6 3"),
    "alert": ("#d08a00", "3 3"),
    "reference": ("#555555", "8 4"),
    "median": ("#3060a0", "2 2"),
}


def e(value: object) -> str:
    """Text or attribute value, escaped."""
    return escape(str(value), quote=True)


def number(value: float) -> str:
    """A value as people read it: up to 4 significant digits."""
    return f"{value:.4g}"


@dataclass(frozen=True)
class Line:
    """A horizontal line across the plot: a limit or a reference figure."""

    value: float
    kind: str  # action, alert, reference or median
    label: str


class Point(NamedTuple):
    x: int  # index into the x labels
    value: float
    title: str
    alarm: bool = False  # outside the action limits: drawn red


@dataclass(frozen=True)
class Stack:
    """One bar: its parts bottom to top as (series, value)."""

    x: int
    parts: tuple[tuple[str, float], ...]
    title: str


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if not (math.isfinite(low) and math.isfinite(high)) or high <= low:
        return [low]
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step) * step
    ticks = []
    tick = first
    while tick <= high + step * 1e-9:
        ticks.append(round(tick, 10))
        tick += step
    return ticks


class _Frame:
    """Scales from data to pixels and the axes, labels and lines common to both charts."""

    def __init__(
        self, labels: Sequence[str], values: Sequence[float], zero: bool, height: int = HEIGHT
    ) -> None:
        self.labels = list(labels)
        finite = [v for v in values if math.isfinite(v)]
        low, high = (min(finite), max(finite)) if finite else (0.0, 1.0)
        if zero:
            low = min(low, 0.0)
        if high - low < 1e-9:
            low, high = low - 1, high + 1
        pad = (high - low) * 0.08
        self.low = 0.0 if zero and low >= 0 else low - pad
        self.high = high + pad
        self.plot_w = WIDTH - LEFT - RIGHT
        self.plot_h = height - TOP - BOTTOM

    def slot(self) -> float:
        return self.plot_w / max(1, len(self.labels))

    def x(self, i: float) -> float:
        return LEFT + self.slot() * (i + 0.5)

    def y(self, v: float) -> float:
        return TOP + self.plot_h * (1 - (v - self.low) / (self.high - self.low))

    def axes(self, unit: str) -> list[str]:
        out = [
            f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + self.plot_h}" '
            'stroke="#888"/>',
            f'<line class="axis" x1="{LEFT}" y1="{TOP + self.plot_h}" x2="{LEFT + self.plot_w}" '
            f'y2="{TOP + self.plot_h}" stroke="#888"/>',
        ]
        for tick in nice_ticks(self.low, self.high):
            y = self.y(tick)
            out.append(
                f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + self.plot_w}" y2="{y:.1f}" '
                'stroke="#eee"/>'
                f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12">'
                f"{e(number(tick))}</text>"
            )
        out.append(
            f'<text x="12" y="{TOP + self.plot_h / 2:.1f}" font-size="12" text-anchor="middle" '
            f'transform="rotate(-90 12 {TOP + self.plot_h / 2:.1f})">{e(unit)}</text>'
        )
        shown = max(1, math.ceil(len(self.labels) / 10))
        for i, label in enumerate(self.labels):
            if i % shown and i != len(self.labels) - 1:
                continue
            if i % shown and len(self.labels) - 1 - (i // shown) * shown < shown / 2:
                continue  # the last label would crowd the one before it
            out.append(
                f'<text x="{self.x(i):.1f}" y="{TOP + self.plot_h + 18}" font-size="12" '
                f'text-anchor="middle">{e(_short(label))}</text>'
            )
        return out

    def lines(self, lines: Sequence[Line]) -> list[str]:
        out = []
        taken: list[float] = []  # label baselines so far: close lines' labels are moved apart
        for line in sorted(lines, key=lambda item: -item.value):
            if not (self.low <= line.value <= self.high):
                continue
            colour, dash = LIMIT_STYLE.get(line.kind, LIMIT_STYLE["reference"])
            y = self.y(line.value)
            label_y = y + 4
            while any(abs(label_y - other) < 14 for other in taken):
                label_y += 14
            taken.append(label_y)
            out.append(
                f'<line class="limit {e(line.kind)}" x1="{LEFT}" y1="{y:.1f}" '
                f'x2="{LEFT + self.plot_w}" y2="{y:.1f}" stroke="{colour}" '
                f'stroke-dasharray="{dash}" stroke-width="1.5"><title>{e(line.label)}</title>'
                "</line>"
            )
            # Labels at the right margin; alternate rows when two lines are close.
            out.append(
                f'<text x="{LEFT + self.plot_w + 6}" y="{label_y:.1f}" '
                f'font-size="12" fill="{colour}">{e(line.label)}</text>'
            )
        return out


def _short(label: str, size: int = 14) -> str:
    return label if len(label) <= size else "…" + label[-(size - 1) :]


def _svg(title: str, body: list[str], height: int = HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{e(title)}" '
        f'font-family="system-ui, sans-serif"><title>{e(title)}</title>{"".join(body)}</svg>'
    )


def point_chart(
    title: str,
    unit: str,
    labels: Sequence[str],
    points: Sequence[Point],
    lines: Sequence[Line] = (),
    *,
    join: bool = True,
    height: int = HEIGHT,
) -> str:
    """Values over the x labels (batches, oldest first), with limit and reference lines; the
    points are joined only when ``join`` and each x has one point."""
    values = [p.value for p in points] + [line.value for line in lines]
    frame = _Frame(labels, values, zero=False, height=height)
    join = join and len({p.x for p in points}) == len(points)
    body = frame.axes(unit) + frame.lines(lines)
    if join and len(points) > 1:
        path = " ".join(f"{frame.x(p.x):.1f},{frame.y(p.value):.1f}" for p in points)
        body.append(f'<polyline points="{path}" fill="none" stroke="#9bb0d0" stroke-width="1"/>')
    radius = 4 if len(points) <= 200 else 2.5
    for p in points:
        colour = "#d02020" if p.alarm else "#3060a0"
        body.append(
            f'<circle class="point" cx="{frame.x(p.x):.1f}" cy="{frame.y(p.value):.1f}" '
            f'r="{radius}" fill="{colour}"><title>{e(p.title)}</title></circle>'
        )
    return _svg(title, body, height)


def bar_chart(
    title: str,
    unit: str,
    labels: Sequence[str],
    stacks: Sequence[Stack],
    series: Sequence[str],
    lines: Sequence[Line] = (),
    *,
    overlay: bool = False,
) -> str:
    """One bar per x label; stacked parts (or, with ``overlay``, parts drawn over each other
    from the widest, each narrower than the one behind it), and a legend of ``series``."""
    tops = [
        max((v for _, v in s.parts), default=0.0) if overlay else sum(v for _, v in s.parts)
        for s in stacks
    ]
    frame = _Frame(labels, [*tops, *(line.value for line in lines)], zero=True)
    body = frame.axes(unit)
    colour = {name: COLOURS[i % len(COLOURS)] for i, name in enumerate(series)}
    width = max(1.0, frame.slot() * 0.7)
    for stack in stacks:
        base = 0.0
        for n, (name, value) in enumerate(stack.parts):
            if value <= 0:
                continue
            w = width * (1 - 0.35 * n) if overlay else width
            low = 0.0 if overlay else base
            y_top, y_low = frame.y(low + value), frame.y(low)
            body.append(
                f'<rect class="bar" data-series="{e(name)}" x="{frame.x(stack.x) - w / 2:.1f}" '
                f'y="{y_top:.1f}" width="{w:.1f}" height="{max(0.5, y_low - y_top):.1f}" '
                f'fill="{colour.get(name, "#777")}"><title>{e(stack.title)}: {e(name)} '
                f"{e(number(value))}</title></rect>"
            )
            base += value
    body += frame.lines(lines)
    x = LEFT
    for name in series:  # the legend, in a row under the plot
        y = HEIGHT - 16
        body.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{colour[name]}"/>'
            f'<text x="{x + 16}" y="{y + 11}" font-size="12">{e(_short(name, 24))}</text>'
        )
        x += 28 + 7 * len(_short(name, 24))
    return _svg(title, body)
