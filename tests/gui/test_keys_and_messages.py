"""The text pad's shift applies to one key; "&" shows on its key; a colon is one tap; a
message about a held batch is red and writes °C; the hold sentence is in words."""

from __future__ import annotations

import pytest

from kiosk.recipe import EntryStep
from kiosk.screens.config import PANEL_10, Metrics
from kiosk.screens.keypad import Buffer, TextPad
from kiosk.screens.viewinfo import category_words, limit_lines, outside_action
from kiosk.screens.widgets import Feedback, MessageBanner

pytestmark = pytest.mark.gui


def test_shift_applies_to_the_next_key_only(qtbot) -> None:  # type: ignore[no-untyped-def]
    pad = TextPad(Metrics.for_panel(PANEL_10))
    qtbot.addWidget(pad)
    buffer = Buffer()
    pad.attach(buffer)
    for key in ("shift", "p", "1", "2", "3", "4"):
        pad.press(key)
    assert buffer.text == "P1234"
    pad.press("shift")
    assert pad.keys["5"].text() == "&&"  # shown as "&" (a lone & is Qt's shortcut marker)
    pad.press("5")
    pad.press(":")
    assert buffer.text == "P1234&:"


def test_a_held_batch_message_is_red_and_in_degrees(qtbot) -> None:  # type: ignore[no-untyped-def]
    m = Metrics.for_panel(PANEL_10)
    feedback = Feedback(sound=False)
    banner = MessageBanner(m)
    qtbot.addWidget(banner)
    feedback.message.connect(banner.show_message)
    feedback.alarm("Recorded — batch on hold: Freezer -100 degC is above the action limit")
    assert banner.kind == "refused"
    assert "-100 °C" in banner.full_text


def test_limits_and_the_out_of_limit_sentence_are_in_words() -> None:
    step = EntryStep.model_validate(
        {
            "id": "viability",
            "kind": "entry",
            "title": "Viability",
            "type": "number",
            "unit": "%",
            "alert": [80, None],
            "action": [70, None],
        }
    )
    assert limit_lines(step)[0] == "Alert limits ≥ 80 %"
    assert limit_lines(step)[1].startswith("Action limits ≥ 70 %")
    assert outside_action(step, 60.0) == "Viability 60 % is below the action limit 70 %"
    assert outside_action(step, 75.0) == ""
    assert category_words("cpp_cqa") == "critical process parameter or quality attribute"
