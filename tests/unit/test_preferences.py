"""Each user's screen language beside the database (kiosk/preferences.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.preferences import LanguageChoices


def test_choices_survive_a_new_reader_and_the_file_is_private(tmp_path: Path) -> None:
    path = LanguageChoices.path_for(tmp_path / "station.sqlite")
    LanguageChoices(path).set("olivia", "de")
    again = LanguageChoices(path)
    assert again.get("olivia", "en") == "de"
    assert again.get("oscar", "en") == "en"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["station.sqlite.languages"]  # no temp left


@pytest.mark.parametrize(
    "content", ["{not json", "[1, 2]", '"de"', json.dumps({"olivia": "deutsch", "oscar": 5})]
)
def test_a_damaged_file_is_ignored_and_replaced_at_the_next_choice(
    tmp_path: Path, content: str, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "station.sqlite.languages"
    path.write_text(content, encoding="utf-8")
    choices = LanguageChoices(path)
    assert choices.get("olivia", "en") == "en"
    choices.set("olivia", "de")
    assert json.loads(path.read_text(encoding="utf-8")) == {"olivia": "de"}


def test_a_folder_that_cannot_be_written_keeps_the_choice_for_this_run(tmp_path: Path) -> None:
    missing = tmp_path / "gone" / "station.sqlite.languages"
    choices = LanguageChoices(missing)
    choices.set("olivia", "de")  # the folder does not exist: a warning, no exception
    assert choices.get("olivia", "en") == "de"
    assert not missing.exists()


def test_without_a_file_nothing_is_written(tmp_path: Path) -> None:
    choices = LanguageChoices(None)
    choices.set("olivia", "de")
    choices.set("olivia", "de")
    assert choices.get("olivia", "en") == "de"
    assert list(tmp_path.iterdir()) == []
