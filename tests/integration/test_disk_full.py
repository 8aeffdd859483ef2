"""A disk that fills up under `kiosk oq run`: one clear line, exit 1, and the record intact.

The disk is a real 150 KiB tmpfs when this process may mount one (root, as in the CI
container); otherwise the same run happens in a child process whose file-size limit
(RLIMIT_FSIZE) makes SQLite's writes fail as a full disk would.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import ROOT, run_kiosk

SCRIPT = ROOT / "oq" / "car-t-full-batch.yaml"

# Run `kiosk oq run` with a file-size limit; SIGXFSZ ignored so a write fails with EFBIG.
LIMITED = """
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv[1])
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from kiosk.cli import main
sys.exit(main(sys.argv[2:]))
"""


@contextlib.contextmanager
def small_tmpfs(where: Path, size: str) -> Iterator[bool]:
    where.mkdir()
    mounted = (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
            capture_output=True,
            check=False,
        ).returncode
        == 0
        if os.geteuid() == 0
        else False
    )
    try:
        yield mounted
    finally:
        if mounted:
            subprocess.run(["umount", str(where)], check=False)


def check_one_line_and_intact(result: subprocess.CompletedProcess[str], db: Path) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    last = result.stdout.rstrip("\n").splitlines()[-1]
    assert last.startswith("oq run: ")
    assert "full" in last or "disk" in last
    assert str(db) in last
    assert result.stderr.strip() == ""  # nothing else for the person at the terminal
    verify = run_kiosk("audit", "verify", "--db", str(db))
    assert verify.returncode == 0, verify.stdout
    assert "chain intact" in verify.stdout


def test_disk_full_on_tmpfs(tmp_path: Path) -> None:
    disk = tmp_path / "disk"
    with small_tmpfs(disk, "150k") as mounted:
        if not mounted:
            pytest.skip("cannot mount a tmpfs here (not root); see the RLIMIT_FSIZE test")
        db = disk / "station.sqlite"
        result = run_kiosk("oq", "run", str(SCRIPT), "--db", str(db))
        check_one_line_and_intact(result, db)
        # the record keeps what it acknowledged: the events before the disk filled
        assert "chain intact — 0 events" not in run_kiosk("audit", "verify", "--db", str(db)).stdout


def test_disk_full_by_file_size_limit(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    result = subprocess.run(
        [sys.executable, "-c", LIMITED, str(120 * 1024), "oq", "run", str(SCRIPT), "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
        check=False,
    )
    check_one_line_and_intact(result, db)


def test_programming_errors_still_show_their_traceback() -> None:
    from kiosk.cli import environment_failure

    assert environment_failure(TypeError("bug")) is None
    assert environment_failure(OSError(28, "No space left on device", "/x")) == (
        "the disk is full: /x"
    )


@pytest.mark.parametrize(
    "args",
    [
        ("recipe", "schema", "-o", "/nonexistent/folder/schema.json"),
        ("backup", "--db", str(ROOT / "no.sqlite"), "-o", "/proc/backup.sqlite"),
    ],
    ids=["unwritable output", "unreadable source"],
)
def test_file_failures_end_with_one_line(args: tuple[str, ...]) -> None:
    result = run_kiosk(*args)
    assert result.returncode == 1
    assert len(result.stdout.strip().splitlines()) == 1, result.stdout
    assert "Traceback" not in result.stdout + result.stderr
