"""`kiosk gui --db` on a bad, missing or read-only record: an error for the technician.

Each bad file is checked three ways: what `kiosk.startup.record_problem` says, the one line and
exit code 1 of `kiosk gui` started from a terminal (a real pty), and the full-screen widget
the kiosk session shows instead. The file's bytes must not change, and a missing database is
never created.
"""

from __future__ import annotations

import hashlib
import os
import pty
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.screens.config import PANEL_10, Metrics
from kiosk.screens.startup import ProblemScreen
from kiosk.startup import record_problem
from local_store import EventStore
from tests.helpers import ROOT

STATION = "CR-GUI-1"


def kiosk_db(path: Path) -> None:
    with EventStore(path, STATION) as store:
        store.append("note", {"text": "a record"}, actor="system")


def truncated(path: Path) -> None:
    kiosk_db(path)
    path.write_bytes(path.read_bytes()[:5000])


def random_bytes(path: Path) -> None:
    path.write_bytes(os.urandom(16384))


def foreign(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE songs (title TEXT)")
    conn.commit()
    conn.close()


def read_only_file(path: Path) -> None:
    kiosk_db(path)
    path.chmod(0o444)


def read_only_folder(path: Path) -> None:
    kiosk_db(path)
    path.parent.chmod(0o555)


def empty(path: Path) -> None:
    path.write_bytes(b"")


def other_station(path: Path) -> None:
    with EventStore(path, "CR-OTHER") as store:
        store.append("note", {}, actor="system")


def missing(path: Path) -> None:
    pass


CASES: dict[str, tuple[Callable[[Path], None], str]] = {
    "truncated": (truncated, "damaged or is not a kiosk record"),
    "random": (random_bytes, "damaged or is not a kiosk record"),
    "foreign": (foreign, "damaged or is not a kiosk record"),
    "read-only file": (read_only_file, "cannot be written"),
    "read-only folder": (read_only_folder, "cannot be written"),
    "empty": (empty, "missing (the file is empty)"),
    "missing": (missing, "record database is missing"),
    "other station": (other_station, "belongs to another station"),
}


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def folder(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "data"
    where.mkdir()
    yield where
    where.chmod(0o755)


def gui_from_terminal(db: Path) -> tuple[int, str]:
    """`kiosk gui --db DB` with a pty as its terminal; its exit code and what it printed."""
    main, child = pty.openpty()
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", KIOSK_STATION=STATION)
    proc = subprocess.Popen(
        [sys.executable, "-m", "kiosk", "gui", "--windowed", "--db", str(db)],
        stdin=child,
        stdout=child,
        stderr=child,
        cwd=ROOT,
        env=env,
    )
    os.close(child)
    chunks = []
    while True:
        try:
            data = os.read(main, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return proc.wait(timeout=60), b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("case", list(CASES))
def test_bad_record_is_refused_unchanged(folder: Path, case: str) -> None:
    make, expected = CASES[case]
    db = folder / "station.sqlite"
    make(db)
    before = snapshot(folder)
    problem = record_problem(db, STATION)
    assert problem is not None
    assert expected in problem.what
    assert problem.todo
    assert snapshot(folder) == before
    code, printed = gui_from_terminal(db)
    assert code == 1, printed
    lines = [line for line in printed.splitlines() if line.strip()]
    assert len(lines) == 1, printed
    assert lines[0].startswith("gui: ")
    assert expected in lines[0]
    assert "Traceback" not in printed
    assert snapshot(folder) == before  # nothing written, nothing created


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a read-only tmpfs needs root")
def test_read_only_filesystem(tmp_path: Path) -> None:
    where = tmp_path / "ro"
    where.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(where)], check=False).returncode:
        pytest.skip("cannot mount a tmpfs here")
    try:
        kiosk_db(where / "station.sqlite")
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)
        problem = record_problem(where / "station.sqlite", STATION)
        assert problem is not None
        assert "cannot be written" in problem.what
    finally:
        subprocess.run(["umount", str(where)], check=False)


def test_demo_and_setup_may_create(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite"
    assert record_problem(db, STATION, create=True) is None
    assert db.exists()
    assert record_problem(db, STATION) is None  # a good record: the kiosk starts


@pytest.mark.gui
@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen plugin's note on show()
def test_problem_screen_says_what_which_file_and_what_to_do(qtbot: QtBot, folder: Path) -> None:
    db = folder / "station.sqlite"
    random_bytes(db)
    problem = record_problem(db, STATION)
    assert problem is not None
    screen = ProblemScreen(problem, Metrics.for_panel(PANEL_10))
    qtbot.add_widget(screen)
    screen.show()
    assert screen.what.text() == problem.what
    assert str(db) in screen.file.text()
    assert "kiosk restore" in screen.todo.text()
    screen.close_button.click()
    assert not screen.isVisible()


@pytest.mark.gui
@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_kiosk_session_shows_the_problem_until_closed_then_exits_1(folder: Path) -> None:
    """Not from a terminal (the kiosk session): the screen stays up; Close ends with 1."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from kiosk.app import show_problem, windowed
    from kiosk.screens.config import UiSettings

    db = folder / "station.sqlite"
    foreign(db)
    problem = record_problem(db, STATION)
    assert problem is not None
    seen: list[str] = []

    def press_close() -> None:
        [screen] = [w for w in QApplication.topLevelWidgets() if isinstance(w, ProblemScreen)]
        seen.append(screen.what.text())
        assert screen.isVisible()
        screen.close_button.click()

    QTimer.singleShot(100, press_close)
    assert show_problem(problem, windowed(UiSettings())) == 1
    assert seen == [problem.what]
