"""The layout check on every screen and dialog of the scripted demo, at three panel sizes,
with the longest identity banner: nothing outside the window, no overlapping targets, no
clipped text, targets of 20 mm (keys, primary actions) and 15 mm (everything else); in English
and in German (longer words)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.config import Panel
from kiosk.screens.config import PANEL_10, PANEL_15, PANEL_XGA, Metrics
from kiosk.screens.demo import scripted_demo
from kiosk.screens.layoutcheck import check_layout

pytestmark = pytest.mark.gui  # about 10 s for 3 × 45 screens: runs in CI


@pytest.mark.parametrize(
    ("panel", "language"),
    [
        (PANEL_10, "en"),
        (PANEL_XGA, "en"),
        (PANEL_15, "en"),
        (PANEL_10, "de"),
        (PANEL_XGA, "de"),
        (PANEL_15, "de"),
    ],
    ids=[
        "1280x800",
        "1024x768",
        "1920x1080",
        "1280x800-german",
        "1024x768-german",
        "1920x1080-german",
    ],
)
def test_every_demo_screen_passes_the_layout_check(panel: Panel, language: str) -> None:
    m = Metrics.for_panel(panel)
    problems: list[str] = []
    seen = scripted_demo(
        panel, None, lambda name, w: problems.extend(check_layout(name, w, m)), language=language
    )
    assert len(seen) >= 40
    assert problems == [], "\n".join(problems)


def test_the_check_names_screen_and_widget_of_a_clipped_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    m = Metrics.for_panel(PANEL_10)
    root = QWidget()
    qtbot.addWidget(root)
    root.resize(400, 300)
    text = QLabel("a long text that cannot fit in a small box", root)
    text.setObjectName("squeezed")
    text.setGeometry(10, 10, 60, 20)
    small = QPushButton("OK", root)
    small.setObjectName("tiny")
    small.setGeometry(5, 5, 40, 40)
    out = QPushButton("Far", root)
    out.setObjectName("outside")
    out.setGeometry(350, 250, 100, 100)
    root.show()
    qtbot.waitExposed(root)
    problems = "\n".join(check_layout("sample", root, m))
    assert "sample: the text of QLabel 'squeezed'" in problems
    assert "sample: QPushButton 'tiny' ('OK') is 40×40 px" in problems
    assert "overlaps" in problems
    assert "sample: QPushButton 'outside' ('Far') lies outside the window" in problems


def test_the_check_names_a_live_value_scrolled_out_of_view(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QScrollArea, QVBoxLayout

    from kiosk.screens.layoutcheck import IN_VIEW

    m = Metrics.for_panel(PANEL_10)
    root = QWidget()
    qtbot.addWidget(root)
    root.resize(400, 300)
    area = QScrollArea(root)
    area.setGeometry(0, 0, 400, 200)
    area.setWidgetResizable(True)
    content = QWidget()
    col = QVBoxLayout(content)
    filler = QLabel("instruction")
    filler.setMinimumHeight(600)
    col.addWidget(filler)
    reading = QLabel("99.8 g")
    reading.setObjectName("weigh-value")
    reading.setProperty(IN_VIEW, True)
    col.addWidget(reading)
    area.setWidget(content)
    root.show()
    qtbot.waitExposed(root)
    problems = check_layout("weigh", root, m)
    assert "weigh: QLabel 'weigh-value' ('99.8 g') must be in view and is scrolled or cut off" in (
        problems
    )
    area.verticalScrollBar().setValue(area.verticalScrollBar().maximum())
    assert not [p for p in check_layout("weigh", root, m) if "must be in view" in p]


def test_the_check_names_a_text_cut_in_a_scroll_area_without_a_scroll_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import Qt

    from kiosk.screens.style import scroll_area

    m = Metrics.for_panel(PANEL_10)
    root = QWidget()
    qtbot.addWidget(root)
    root.resize(600, 300)
    text = QLabel("\n".join(f"BAL-{n}: ok, checked today" for n in range(20)))
    text.setObjectName("station-status")
    area = scroll_area(text)
    area.setParent(root)
    area.setObjectName("status-area")
    area.setGeometry(0, 0, 600, 150)
    root.show()
    qtbot.waitExposed(root)
    qtbot.wait(20)  # laid out: the scroll bar shown
    assert check_layout("home", root, m) == []  # the scroll bar says there is more
    area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # or too short for one
    qtbot.wait(10)
    problems = "\n".join(check_layout("home", root, m))
    assert "home: the text of QLabel 'station-status'" in problems
    assert "cut short in LineScrollArea 'status-area', which shows no scroll bar" in problems


def test_the_check_names_a_text_cut_across_in_a_scroll_area_with_a_thin_scroll_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The weighing step's stage list: a thin scroll bar shows (there is more below), and the
    area still cuts a line on the right; or a label in a scroll area shortens its text with "…"."""
    from PySide6.QtWidgets import QVBoxLayout

    from kiosk.screens.style import ElidedLabel, scroll_area, stylesheet

    m = Metrics.for_panel(PANEL_10)
    root = QWidget()
    qtbot.addWidget(root)
    root.setStyleSheet(stylesheet(m))  # the 4 mm scroll bar
    root.resize(700, 300)
    content = QWidget()
    col = QVBoxLayout(content)
    stages = QLabel("Stages: ✓ 1 Receipt  ▶ 2 Isolation")
    stages.setObjectName("step-all-stages")
    col.addWidget(stages)
    for n in range(12):
        col.addWidget(QLabel(f"line {n}"))
    area = scroll_area(content)
    area.setParent(root)
    area.setObjectName("step-text")
    area.setGeometry(0, 0, 300, 200)
    target = ElidedLabel(name="weigh-target")
    side = scroll_area(target)
    side.setParent(root)
    side.setObjectName("step-side")
    side.setGeometry(350, 0, 300, 200)
    root.show()
    qtbot.waitExposed(root)
    stages.setMinimumWidth(stages.sizeHint().width())  # does not wrap: wider than the area
    target.set_full_text("Target 100.5 mL (± 2 %), from the volume of the isolation stage")
    qtbot.wait(20)  # laid out: the scroll bar shown
    assert area.verticalScrollBar().isVisible()
    problems = "\n".join(check_layout("weigh", root, m))
    assert "weigh: the text of QLabel 'step-all-stages'" in problems
    assert "is cut across by LineScrollArea 'step-text'" in problems
    assert "weigh: the text of ElidedLabel 'weigh-target'" in problems
    assert "is cut short with \"…\" in LineScrollArea 'step-side'" in problems
    stages.setMinimumWidth(0)
    stages.setWordWrap(True)  # the fix: the line wraps; the target gets room for all its words
    target.set_full_text("100.5 mL")
    qtbot.wait(20)
    assert check_layout("weigh", root, m) == []


def test_the_check_names_a_line_cut_in_half_by_a_scroll_area_with_a_scroll_bar(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Half a line at the lower edge reads as a cut, thin scroll bar or not; the kiosk's
    scroll area stops above that line instead."""
    from PySide6.QtWidgets import QScrollArea

    from kiosk.screens.style import scroll_area, stylesheet

    m = Metrics.for_panel(PANEL_10)
    root = QWidget()
    qtbot.addWidget(root)
    root.setStyleSheet(stylesheet(m))
    root.resize(700, 300)
    texts = []
    for n, area in enumerate((QScrollArea(), scroll_area(QWidget()))):
        stages = QLabel("  ".join(f"▶ {k} Stage number {k}" for k in range(12)))
        stages.setObjectName(f"stages-{n}")
        stages.setWordWrap(True)
        area.setWidgetResizable(True)
        area.setWidget(stages)
        area.setParent(root)
        area.setObjectName(f"area-{n}")
        texts.append(stages)
    areas = root.findChildren(QScrollArea)
    areas[0].setGeometry(0, 0, 300, 200)
    areas[1].setGeometry(350, 0, 300, 200)
    root.show()
    qtbot.waitExposed(root)
    qtbot.wait(20)
    assert all(a.verticalScrollBar().isVisible() for a in areas)
    line = texts[0].fontMetrics().lineSpacing()
    areas[0].setFixedHeight(200 + line // 2 - 200 % line)  # its edge through the middle of a line
    qtbot.wait(20)
    problems = "\n".join(check_layout("weigh", root, m))
    assert "weigh: the text of QLabel 'stages-0'" in problems
    assert "is cut through a line by QScrollArea 'area-0'" in problems
    assert "area-1" not in problems
