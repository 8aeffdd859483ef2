"""A throwaway PostgreSQL server: ``initdb`` in a temporary folder, listening on loopback only.

Used by the integration tests (``pg_cluster`` fixture) and by ``benchmarks/bench_sync.py``.
The binaries come from the Debian package ``postgresql`` (``/usr/lib/postgresql/<v>/bin``) or
``PATH``. PostgreSQL refuses to run as root, so as root the cluster is created and run by the
``postgres`` OS user (``runuser -u postgres --``), in a folder it owns.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"


def bin_dir() -> Path | None:
    """The folder with initdb and pg_ctl (newest installed version), or None."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).parent
    return None


def missing_reason() -> str | None:
    """Why no cluster can be started here, or None when one can."""
    if bin_dir() is None:
        return "PostgreSQL is not installed (no initdb/pg_ctl; Debian package `postgresql`)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam(SUPERUSER)
        except KeyError:
            return "running as root and there is no `postgres` user to run PostgreSQL as"
        if shutil.which("runuser") is None:
            return "running as root and `runuser` is missing"
    return None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    """One PostgreSQL server in a temporary folder, on ``127.0.0.1:<port>``.

    ``durable=False`` (tests) turns fsync and synchronous commit off for speed;
    ``durable=True`` (benchmarks) keeps PostgreSQL's defaults.
    """

    def __init__(self, *, durable: bool = False) -> None:
        reason = missing_reason()
        if reason is not None:
            raise RuntimeError(reason)
        folder = bin_dir()
        assert folder is not None
        self.bin = folder
        self.durable = durable
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="central-pg-"))
        self.data = self.root / "data"
        self.log = self.root / "postgres.log"
        self._as_root = os.geteuid() == 0
        self._counter = 0
        self.running = False

    def _run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        cmd = [str(a) for a in argv]
        if self._as_root:
            cmd = ["runuser", "-u", SUPERUSER, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=False, timeout=120)

    def start(self) -> PgCluster:
        if self._as_root:
            entry = pwd.getpwnam(SUPERUSER)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
        done = self._run(
            self.bin / "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        options = [
            f"-p {self.port}",
            "-c listen_addresses=127.0.0.1",
            f"-k {self.root}",
            "-c max_connections=200",
        ]
        if not self.durable:
            options += ["-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off"]
        done = self._run(
            self.bin / "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "60",
            "-o",
            " ".join(options),
            "start",
        )
        if done.returncode != 0:
            log = self.log.read_text(errors="replace") if self.log.exists() else ""
            raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{log}")
        self.running = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """A new empty database; returns its SQLAlchemy URL."""
        import psycopg

        if name is None:
            self._counter += 1
            name = f"central_{self._counter}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.running:
            self._run(self.bin / "pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
            self.running = False
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> PgCluster:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
