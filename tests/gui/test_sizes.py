"""Physical sizes on the configured panel, on every screen and dialog of the scripted demo:
keypad keys at least 20 mm, no button under 15 mm, no text under 18 pt."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget

from kiosk.config import Panel
from kiosk.screens.config import KEY_MM, MIN_TARGET_MM, PANEL_10, PANEL_15, TEXT_PT, Metrics
from kiosk.screens.demo import scripted_demo

pytestmark = pytest.mark.gui


def measure(name: str, root: QWidget, m: Metrics, problems: list[str]) -> None:
    tolerance = 1  # pixels: rounding of the layout
    for b in root.findChildren(QAbstractButton):
        if not b.isVisibleTo(root):
            continue
        size = b.size()
        least = m.min_target - tolerance
        if size.width() < least or size.height() < least:
            problems.append(
                f"{name}: button {b.objectName() or b.text()!r} is {size.width()}×"
                f"{size.height()} px, under {MIN_TARGET_MM} mm ({m.min_target} px)"
            )
        if b.objectName().startswith("key-"):
            key = m.mm(KEY_MM) - tolerance
            if size.width() < key or size.height() < key:
                problems.append(
                    f"{name}: key {b.objectName()} is {size.width()}×{size.height()}"
                    f" px, under {KEY_MM} mm ({m.key} px)"
                )
    for w in [*root.findChildren(QLabel), *root.findChildren(QAbstractButton)]:
        if not w.isVisibleTo(root) or not w.text().strip():
            continue
        px = QFontInfo(w.font()).pixelSize()
        if px < m.pt(TEXT_PT) - tolerance:
            problems.append(f"{name}: text {w.text()[:30]!r} is {px} px, under {TEXT_PT} pt")


@pytest.mark.gui
@pytest.mark.parametrize("panel", [PANEL_10, PANEL_15], ids=["10in-1280x800", "15in-1920x1080"])
def test_targets_and_text_on_every_screen(panel: Panel) -> None:
    m = Metrics.for_panel(panel)
    assert abs(m.key - 118) <= 2 or panel is PANEL_15  # ≈118 px on a 10" 1280×800 panel
    problems: list[str] = []
    seen = scripted_demo(panel, None, lambda name, w: measure(name, w, m, problems))
    assert len(seen) >= 40
    for required in (
        "login",
        "home",
        "step-scan",
        "step-weigh-stable",
        "step-timer",
        "dialog-signature",
        "dialog-witness",
        "dialog-acknowledge",
        "lock",
        "review",
        "technician",
        "admin",
        "refused-wrong-bag",
    ):
        assert required in seen
    assert problems == []
