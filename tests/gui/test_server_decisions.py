"""QA decisions and QC results fetched off the UI thread (kiosk/screens/decisions.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.gui.conftest import make_rig

pytestmark = pytest.mark.gui


def test_an_answer_that_arrives_after_the_kiosk_closed_is_dropped_quietly(
    qtbot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:  # type: ignore[no-untyped-def]
    """The fetch runs off the UI thread; the kiosk may close (and its record with it) before
    the answer comes. The answer is then dropped: no error on screen or in the log."""
    rig = make_rig(tmp_path)
    qtbot.addWidget(rig.window)
    decisions = rig.window.decisions
    taken: list[list[str]] = []
    decisions.on_taken = taken.append
    rig.kiosk.close()
    history = {"batch": "B-1", "owner": "GUI-1", "events": []}
    with caplog.at_level(logging.WARNING):
        decisions._fetched(({"B-1": history}, []))
    assert taken == []
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text
