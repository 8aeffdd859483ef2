"""What the screens need to know about the station, and the panel's physical metrics (no Qt).

Sizes on a touchscreen are physical: a gloved finger needs a key about 20 mm
square whatever the panel's resolution. `Metrics` turns the configured panel
(`kiosk.config.Panel`: width and height in mm, or the diagonal in inches, plus
the resolution) into pixels per millimetre, and from that into the pixel sizes
every screen uses. Text sizes are physical points on the panel too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Protocol

from kiosk.config import Panel, StationConfig

MM_PER_INCH = 25.4
MM_PER_POINT = MM_PER_INCH / 72

KEY_MM = 20.0  # keys and main buttons (gloved finger, double gloves)
MIN_TARGET_MM = 15.0  # nothing a gloved finger must hit is smaller than this
TEXT_PT = 18.0  # body text, in physical points on the panel
TITLE_PT = 24.0
GAP_MM = 1.0  # between keys: a gloved press lands on one key (10 keys of 20 mm fit a 10" panel)

# Panels the demo and the tests use: a 10.1" 1280×800 and a 15.6" 1920×1080 panel PC.
PANEL_10 = Panel(width_px=1280, height_px=800, diagonal_in=10.1)
PANEL_15 = Panel(width_px=1920, height_px=1080, diagonal_in=15.6)
PANEL_XGA = Panel(width_px=1024, height_px=768, diagonal_in=10.4)  # older 4:3 panel PCs


def panel_for_screen(width_px: int, height_px: int, width_mm: float) -> Panel | None:
    """The panel a station without a `[panel]` setting runs on: the whole screen.

    The screen's own physical width (EDID) sets the density when it is plausible;
    otherwise the reference 10.1" panel's density is kept, so keys stay 20 mm
    there and a larger screen simply has more room. None when the size is unusable.
    """
    if not 50 < width_mm < 2000:
        width_mm = width_px / PANEL_10.px_per_mm
    try:
        return Panel(width_px=width_px, height_px=height_px, width_mm=width_mm, diagonal_in=None)
    except ValueError:  # pydantic's ValidationError: a screen outside the supported sizes
        return None


class HasDensity(Protocol):
    @property
    def px_per_mm(self) -> float: ...


@dataclass(frozen=True)
class Metrics:
    """Pixel sizes for one panel, derived from physical sizes."""

    px_per_mm: float

    @classmethod
    def for_panel(cls, panel: HasDensity) -> Metrics:
        return cls(panel.px_per_mm)

    def mm(self, millimetres: float) -> int:
        """Pixels for a length, rounded up so a target is never smaller than asked."""
        return math.ceil(millimetres * self.px_per_mm)

    def pt(self, points: float) -> int:
        """Pixel height of text of a physical point size on this panel."""
        return math.ceil(points * MM_PER_POINT * self.px_per_mm)

    @property
    def key(self) -> int:
        return self.mm(KEY_MM)

    @property
    def min_target(self) -> int:
        return self.mm(MIN_TARGET_MM)

    @property
    def gap(self) -> int:
        return self.mm(GAP_MM)

    @property
    def text(self) -> int:
        return self.pt(TEXT_PT)

    @property
    def title(self) -> int:
        return self.pt(TITLE_PT)


@dataclass(frozen=True)
class UiSettings:
    """The screens' part of the station configuration."""

    station: str = "STATION-1"
    panel: Panel = field(default_factory=lambda: PANEL_10)
    demo: bool = False
    kiosk_mode: bool = True  # full screen, frameless, leaving needs an admin signature
    sound: bool = True
    inactivity_check_ms: int = 5_000  # how often the lock timer asks the session policy

    @property
    def metrics(self) -> Metrics:
        return Metrics.for_panel(self.panel)

    @property
    def size(self) -> tuple[int, int]:
        return self.panel.width_px, self.panel.height_px

    @classmethod
    def from_config(cls, config: StationConfig, **overrides: object) -> UiSettings:
        base = cls(station=config.station.id, panel=config.panel, demo=config.station.demo)
        return replace(base, **overrides)  # type: ignore[arg-type]
