"""A station without a [panel] setting fills its screen (issue 16, point 19)."""

from __future__ import annotations

import math

from kiosk.screens.config import PANEL_10, Metrics, panel_for_screen


def test_the_whole_screen_with_its_own_physical_size() -> None:
    panel = panel_for_screen(1920, 1080, 344.0)  # a 15.6" panel PC reporting its EDID size
    assert panel is not None
    assert (panel.width_px, panel.height_px) == (1920, 1080)
    assert Metrics.for_panel(panel).key == math.ceil(20 * 1920 / 344.0)


def test_without_a_physical_size_the_reference_density_is_kept() -> None:
    panel = panel_for_screen(1920, 1080, 0.0)
    assert panel is not None
    assert panel.width_px == 1920
    assert Metrics.for_panel(panel).key == Metrics.for_panel(PANEL_10).key


def test_a_screen_too_small_for_the_kiosk_is_refused() -> None:
    assert panel_for_screen(320, 240, 50.0) is None
