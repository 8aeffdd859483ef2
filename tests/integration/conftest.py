"""Fixtures for the central server and sync tests: real servers on loopback, real databases.

- ``pg_cluster``: a PostgreSQL server started for the session in a temporary folder
  (``tests/integration/pg.py``); tests that need it skip, naming the reason, only when the
  PostgreSQL binaries are absent.
- ``database_url``: a fresh server database, once on SQLite and once on PostgreSQL.
- ``central``: a uvicorn server in a thread on a free loopback port over that database.
- ``FaultProxy``: an HTTP proxy on loopback that fails requests on purpose (500s, dropped
  connections, replies withheld after the server committed, late deliveries).
- ``make_station``: a station database with N events.
"""

from __future__ import annotations

import collections
import contextlib
import socket
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from local_store import Event, EventStore
from tests.integration import pg

if TYPE_CHECKING:  # the server's packages load only in the tests that use them
    import httpx
    import uvicorn

    from central.store import CentralStore

# ---------------------------------------------------------------- databases


@pytest.fixture(scope="session", autouse=True)
def signing_key(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The central server's receipt key for the tests: never beside the checkout."""
    import os

    path = tmp_path_factory.mktemp("central-key") / "central-signing.key"
    before = os.environ.get("CENTRAL_SIGNING_KEY")
    os.environ["CENTRAL_SIGNING_KEY"] = str(path)
    yield path
    if before is None:
        os.environ.pop("CENTRAL_SIGNING_KEY", None)
    else:
        os.environ["CENTRAL_SIGNING_KEY"] = before


@pytest.fixture(scope="session", autouse=True)
def fast_server_hashes() -> Iterator[None]:
    """The in-process server hashes passwords with argon2 at the station tests' cost (t=1,
    m=8 MiB) instead of argon2-cffi's defaults: the same algorithm, checks and refusals, in a
    fraction of the time (each test makes several users and signatures). A hash carries its own
    parameters, so servers started as processes verify these too. The production parameters
    are checked in tests/unit/test_password_policy.py."""
    with fast_argon2():
        yield


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[pg.PgCluster]:
    reason = pg.missing_reason()
    if reason is not None:
        pytest.skip(reason)
    cluster = pg.PgCluster().start()
    yield cluster
    cluster.stop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "central.sqlite")
    cluster: pg.PgCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database()


# ---------------------------------------------------------------- the server


class ServerThread:
    """uvicorn serving ``create_app(store)`` in a thread on 127.0.0.1 (stop() joins it)."""

    def __init__(self, store: CentralStore, port: int | None = None) -> None:
        self.store = store
        self.port = port or pg.free_port()
        self._server: uvicorn.Server | None = None
        self.app: Any = None  # the FastAPI app once started (tests reach its services' clock)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> ServerThread:
        import uvicorn

        from central.api import create_app

        self.app = create_app(self.store)
        config = uvicorn.Config(
            self.app,
            host="127.0.0.1",
            port=self.port,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="none",
            http="h11",
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="uvicorn", daemon=True)
        self._thread.start()
        started = threading.Event()
        for _ in range(400):
            if self._server.started:
                started.set()
                break
            if not self._thread.is_alive():
                break
            started.wait(0.025)
        if not started.is_set():
            raise RuntimeError(f"uvicorn did not start on port {self.port}")
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(10)
            assert not self._thread.is_alive(), "uvicorn did not stop"
        self._server = None
        self._thread = None


@dataclass
class Central:
    store: CentralStore
    server: ServerThread

    @property
    def url(self) -> str:
        return self.server.url

    def add_station(self, name: str, rooms: tuple[str, ...] = ()) -> str:
        from central.stations import add_station

        return add_station(self.store, name, rooms)

    def events(self, station: str) -> list[tuple[int, str]]:
        """(seq, hash) of every stored event of ``station``, in seq order."""
        from sqlalchemy import select

        from central import schema

        e = schema.events
        with self.store.read() as conn:
            rows = conn.execute(
                select(e.c.seq, e.c.hash).where(e.c.station == station).order_by(e.c.seq)
            )
            return [(int(seq), str(digest)) for seq, digest in rows]


@contextlib.contextmanager
def fast_argon2() -> Iterator[None]:
    """``central.users`` hashing at t=1, m=8 MiB while the block runs (see fast_server_hashes)."""
    from argon2 import PasswordHasher

    from central import users

    fast = PasswordHasher(time_cost=1, memory_cost=8192)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users, "_hasher", lambda: fast)
        patch.setattr(users, "_dummy_hash", lambda: DUMMY_HASH.setdefault("", fast.hash("x")))
        yield


DUMMY_HASH: dict[str, str] = {}


def server_user(store: CentralStore, uid: str, name: str, roles: list[str], password: str) -> None:
    """A user on the server with their own password (the first one also makes admin ``ada``)."""
    from central import users

    if not users.directory(store):
        first = users.add_user(store, "ada", "Ada Adeyemi", ["admin"])
        assert first.password is not None
        users.set_password(store, "ada", first.password, "admin-ada-2026")
    added = users.add_user(store, uid, name, roles, admin="ada", password="admin-ada-2026")
    assert added.password is not None
    users.set_password(store, uid, added.password, password)


CSRF_COOKIE = "central_csrf"
SESSION_COOKIE = "central_session"


def sign_in_attempt(client: httpx.Client, uid: str, password: str, next_path: str = "/") -> Any:
    """Post the portal's sign-in form as a browser does (the form first, for its CSRF cookie);
    the response, not followed (303 on success, the form with one line otherwise)."""
    client.get("/login")
    return client.post(
        "/login",
        data={
            "csrf": client.cookies.get(CSRF_COOKIE, ""),
            "user": uid,
            "password": password,
            "next": next_path,
        },
    )


@contextlib.contextmanager
def portal_session(url: str, uid: str, password: str, **options: Any) -> Iterator[httpx.Client]:
    """An httpx client signed in at the portal (``/login``), holding the session and CSRF
    cookies; :func:`csrf` gives the token its forms need."""
    import httpx

    with httpx.Client(base_url=url, **{"timeout": 30, **options}) as client:
        answer = sign_in_attempt(client, uid, password)
        if answer.status_code != 303:
            raise AssertionError(f"sign-in of {uid} refused: {answer.status_code} {answer.text}")
        yield client


def csrf(client: httpx.Client) -> str:
    """The CSRF token the client's forms carry (the cookie's value: double submit)."""
    return str(client.cookies[CSRF_COOKIE])


@pytest.fixture
def central(database_url: str) -> Iterator[Central]:
    from central.store import CentralStore

    store = CentralStore(database_url)
    server = ServerThread(store).start()
    yield Central(store, server)
    server.stop()
    store.close()


# ---------------------------------------------------------------- stations


def step_payload(i: int) -> dict[str, Any]:
    """A step.recorded payload like the engine writes (unicode and a float included)."""
    return {
        "step": f"expansion[{i % 12 + 1}].viability",
        "step_id": "viability",
        "stage": "expansion",
        "iteration": i % 12 + 1,
        "kind": "entry",
        "name": "viability",
        "critical": "CQA",
        "value": 85.0 + (i % 150) / 10,
        "unit": "%",
        "limits": {"alert": [85, 100], "action": [70, 100]},
        "device": "BAL-1234",
        "comment": "AO/PI, 2 counts averaged — µ±°",
    }


def start_payload(batch: str) -> dict[str, Any]:
    """A batch.started payload like the engine writes."""
    return {
        "recipe_id": "car-t-autologous",
        "recipe_version": 1,
        "recipe_sha256": "0" * 64,
        "recipe_title": "Autologous CAR-T",
        "context": {"patient_id": f"P-{batch}", "order_id": f"O-{batch}"},
        "station": batch,
    }


def station_items(station: str, first: int, count: int) -> list[tuple[Any, ...]]:
    """``count`` events as a station writes them: each batch of 100 starts with batch.started."""
    items: list[tuple[Any, ...]] = []
    for i in range(first, first + count):
        batch = f"B-{station}-{i // 100:04d}"
        if i % 100 == 0:
            items.append(("batch.started", start_payload(batch), "u:olivia", batch, None))
        else:
            items.append(("step.recorded", step_payload(i), "u:olivia", batch, None))
    return items


def make_station(path: Path, station: str, events: int, *, start: int = 0) -> EventStore:
    """Open (or create) a station database and append ``events`` events to it."""
    store = EventStore(path, station)
    items = station_items(station, start, events)
    for chunk in range(0, len(items), 2000):
        store.append_many(items[chunk : chunk + 2000])
    return store


def local_events(store: EventStore) -> list[tuple[int, str]]:
    return [(e.seq, e.hash) for e in store.events(station=store.station)]


# ---------------------------------------------------------------- faults


PASS = "pass"
REFUSE = "refuse"  # connection closed before the request reaches the server
ERROR_500 = "error500"  # the proxy answers 500 without forwarding
DROP_AFTER = "drop_after"  # forwarded and committed, then the connection is dropped unanswered
DELAY_AFTER = "delay_after"  # forwarded and committed, the reply held back past the timeout
DELAY_BEFORE = "delay_before"  # held back past the timeout, then delivered late anyway
FAULTS = (PASS, REFUSE, ERROR_500, DROP_AFTER, DELAY_AFTER, DELAY_BEFORE)


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"connection:")]
    return b"\r\n".join([*lines, b"Connection: close"]) + b"\r\n\r\n" + body


class FaultProxy:
    """An HTTP/1.1 proxy on 127.0.0.1 applying one fault per request from a schedule.

    One request per connection (it answers ``Connection: close``). ``faults`` is consumed in
    order; when it runs out, requests pass. ``applied`` lists what happened to each request.
    """

    def __init__(self, upstream_port: int, faults: Iterable[str] = (), delay: float = 1.0) -> None:
        self.upstream_port = upstream_port
        self.delay = delay
        self._faults: collections.deque[str] = collections.deque(faults)
        self.applied: list[str] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._listener.settimeout(0.1)
        self.port = int(self._listener.getsockname()[1])
        self._threads: list[threading.Thread] = []
        self._acceptor = threading.Thread(target=self._accept, name="fault-proxy", daemon=True)
        self._acceptor.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def set_faults(self, faults: Iterable[str]) -> None:
        with self._lock:
            self._faults = collections.deque(faults)

    def _next(self) -> str:
        with self._lock:
            fault = self._faults.popleft() if self._faults else PASS
            self.applied.append(fault)
            return fault

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _addr = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            with self._lock:
                self._threads.append(thread)
            thread.start()

    def _forward(self, request: bytes) -> bytes:
        try:
            with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=30) as up:
                up.sendall(request)
                chunks = []
                while chunk := up.recv(65536):
                    chunks.append(chunk)
                return b"".join(chunks)
        except OSError:
            body = b'{"detail":"proxy: the server cannot be reached"}'
            return (
                b"HTTP/1.1 502 Bad Gateway\r\ncontent-type: application/json\r\n"
                b"content-length: "
                + str(len(body)).encode()
                + b"\r\nconnection: close\r\n\r\n"
                + body
            )

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(30)
            try:
                request = _read_request(conn)
            except OSError:
                return
            if request is None:
                return
            fault = self._next()
            if fault == REFUSE:
                return
            if fault == ERROR_500:
                body = b'{"detail":"injected fault"}'
                reply = (
                    b"HTTP/1.1 500 Internal Server Error\r\ncontent-type: application/json\r\n"
                    b"content-length: " + str(len(body)).encode() + b"\r\n"
                    b"connection: close\r\n\r\n" + body
                )
            else:
                if fault == DELAY_BEFORE:
                    self._stop.wait(self.delay)
                reply = self._forward(request)
                if fault == DROP_AFTER:
                    return
                if fault == DELAY_AFTER:
                    self._stop.wait(self.delay)
            # The client may have given up (timeout): the reply is lost, as on a real network.
            with contextlib.suppress(OSError):
                conn.sendall(reply)

    def close(self) -> None:
        self._stop.set()
        self._listener.close()
        self._acceptor.join(5)
        with self._lock:
            threads = list(self._threads)
        for thread in threads:
            thread.join(5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def event_dicts(events: Iterable[Event]) -> list[dict[str, Any]]:
    return [e.to_dict() for e in events]


def server_managed_copy(
    source: Path, target: Path, station: str, as_station: str | None = None
) -> EventStore:
    """A station file holding ``source``'s events without those the server writes (users, lots,
    equipment master data): the same batch as a station connected to a server records it, with
    the same times, actors and payloads, re-chained."""
    from datetime import datetime

    from central.authority import SERVER_PREFIXES, SERVER_TYPES

    moments: list[datetime] = []
    copy = EventStore(target, as_station or station, clock=lambda: moments[-1])
    with EventStore(source, station, create=False) as original:
        for e in original.events(station=station):
            if e.type in SERVER_TYPES or e.type.startswith(SERVER_PREFIXES):
                continue
            moments.append(datetime.fromisoformat(e.ts.replace("Z", "+00:00")))
            copy.append(e.type, e.payload, actor=e.actor, batch=e.batch, reason=e.reason)
    return copy


RECIPE_PEOPLE = (
    ("rita", "Rita Author", ["supervisor"], "sup-rita-author-1"),
    ("sam", "Sam Reviewer", ["supervisor"], "sup-sam-review-1"),
    ("vera", "Vera Approver", ["qa"], "qa-vera-approve-1"),
)


def publish_recipe(store: CentralStore, path: Path | str) -> None:
    """A recipe file through the server's lifecycle, effective today: uploaded and submitted by
    its author, reviewed by another person, approved by QA (users made when missing)."""
    from central import recipes, users
    from kiosk.recipe import load_recipe

    known = users.directory(store)
    for uid, name, roles, password in RECIPE_PEOPLE:
        if uid not in known:
            server_user(store, uid, name, roles, password)
    (author, _, _, a_pw), (reviewer, _, _, r_pw), (approver, _, _, q_pw) = RECIPE_PEOPLE
    recipe = load_recipe(Path(path)).recipe
    version, new = recipes.upload_file(store, path, author=author, password=a_pw)
    if not new and version.status in ("effective", "approved", "retired"):
        return
    recipes.submit(store, recipe.id, recipe.version, signer=author, password=a_pw)
    recipes.review(store, recipe.id, recipe.version, signer=reviewer, password=r_pw)
    recipes.approve(store, recipe.id, recipe.version, signer=approver, password=q_pw)


TABLES_ADDED = {
    "c0007": ("genealogy",),
    "c0008": ("recipe_versions",),
    "c0011": ("dashboard_batches",),
    "c0012": ("portal_sessions",),
    "c0013": ("timestamps",),
}
"""Tables each migration after c0006 creates: what :func:`rewind` drops to fake an older server."""


def rewind(store: CentralStore, revision: str) -> None:
    """Make ``store`` look like a server at ``revision``: drop the tables of later migrations and
    stamp it (columns added later stay). Fails, naming it, for a migration not in TABLES_ADDED."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from central.store import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("path_separator", "os")
    script = ScriptDirectory.from_config(config)
    later = [
        r.revision for r in script.iterate_revisions("heads", revision) if r.revision != revision
    ]
    unknown = [r for r in later if r not in TABLES_ADDED]
    assert not unknown, f"add the tables of migration {unknown} to TABLES_ADDED"
    with store.write() as conn:
        for name in later:
            for table in TABLES_ADDED[name]:
                conn.exec_driver_sql(f"DROP TABLE IF EXISTS {table}")
        conn.exec_driver_sql(f"UPDATE alembic_version SET version_num = '{revision}'")
