"""Client of the central server: push the station's events, pull master data (no Qt).

- :class:`SyncClient` speaks the server's HTTP API (``docs/server.md``) over httpx and turns
  every failure into :class:`ServerUnavailable` (try again later: unreachable, timeout, HTTP 5xx)
  or :class:`SyncRefused` (a person must act: wrong or revoked token, a chain the server refuses).
- :func:`push_pending` sends the events the server has not acknowledged, in batches, from the
  server's own high-water mark; :func:`pull_master` fetches master data newer than what the
  station has. Nothing counts as sent before the server acknowledged it.
- :class:`SyncWorker` runs both in a background thread with exponential backoff and jitter. It
  reads the record through its own :class:`~local_store.EventStore` (SQLite WAL: readers never
  block the engine's writes) and reports :class:`SyncStatus` (online/offline, last error, events
  not yet acknowledged) through ``status()`` and an optional callback.

The acknowledged mark and pulled master data live in a small SQLite file of their own next to
the station's database (``<db>.sync``, see :class:`SyncState`), so that local_store's schema and
migrations stay the record's alone. Losing that file loses nothing: the server's mark is asked
for before every push.
"""

from __future__ import annotations

import hashlib
import ipaddress
import itertools
import json
import logging
import math
import os
import random
import sqlite3
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final
from urllib.parse import quote, urlsplit

import httpx

from kiosk import __version__
from kiosk.auth import OFFLINE_PASSWORD, AuthError
from kiosk.orders import StationOrder
from kiosk.orders import fold as fold_orders
from kiosk.text import Text
from local_store import Event, EventStore, StoreError, event_hash

log = logging.getLogger(__name__)

API: Final = "/api/v1"
DEFAULT_TIMEOUT: Final = 10.0
BATCH_SIZE: Final = 500
"""Events per push (the server takes at most 1,000)."""
SYNC_SUFFIX: Final = ".sync"
KINDS: Final = ("recipes", "users", "equipment", "materials", "lots", "kits", "orders")
"""Master data kinds, each pulled by its own version (materials before the lots naming them)."""
GENESIS: Final = "0" * 64


class SyncError(Exception):
    """Sync failed; ``str()`` is a sentence for the operator or technician, in English.

    Raised with a `kiosk.text.Text`, so that the screens show it in the user's language
    (`kiosk.screens.i18n.shown`)."""


class ServerUnavailable(SyncError):
    """The server cannot be reached or failed: nothing was lost, try again later."""


class SyncRefused(SyncError):
    """The server refused (token, station, or the record itself): a person must look at it."""

    def __init__(
        self,
        message: str | Text,
        *,
        status: int | None = None,
        code: str | None = None,
        seq: int | None = None,
        acknowledged: int | None = None,
        acknowledged_hash: str | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        self.detail = detail or str(message)
        self.status = status
        self.code = code
        self.seq = seq
        self.acknowledged = acknowledged
        self.acknowledged_hash = acknowledged_hash


@dataclass(frozen=True)
class Ack:
    """The server's acknowledged high-water mark for the station."""

    station: str
    acknowledged: int
    acknowledged_hash: str
    stored: int = 0
    duplicates: int = 0
    receipt: dict[str, Any] | None = None


# ---------------------------------------------------------------- HTTP client


def url_problem(url: str) -> str | None:
    """Why the station may not talk to ``url``, or None: https://, or http:// to loopback."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname:
        host = parts.hostname
        try:
            loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return None
        return (
            f"the server address must use https:// (plain http:// is allowed only to this "
            f"machine, 127.0.0.1 or localhost): {url}"
        )
    return f"the server address must start with https://: {url}"


class SyncClient:
    """The server's sync API for one station token. Close it (or use ``with``) when done."""

    def __init__(
        self,
        base_url: str,
        token: str,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        transport: httpx.BaseTransport | None = None,
        ca_bundle: str | os.PathLike[str] | None = None,
    ) -> None:
        """``ca_bundle``: a PEM file of the CA(s) that signed the server's certificate (a
        private CA), used instead of the system's trust store. Plain ``http://`` is refused
        except to this machine (loopback): the token, users and recipes travel in it."""
        problem = url_problem(base_url)
        if problem is not None:
            raise SyncError(problem)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        verify: ssl.SSLContext | bool = True
        if ca_bundle is not None:
            try:
                verify = ssl.create_default_context(cafile=os.fspath(ca_bundle))
            except (OSError, ssl.SSLError) as exc:
                raise SyncError(
                    Text(
                        "cannot read the CA bundle {ca_bundle}: {exc}",
                        ca_bundle=os.fspath(ca_bundle),
                        exc=exc,
                    )
                ) from exc
        self._http = httpx.Client(
            base_url=self.base_url,
            headers={"Authorization": f"Bearer {token}", "User-Agent": f"kiosk/{__version__}"},
            timeout=timeout,
            transport=transport,
            verify=verify,
        )

    def head(self) -> Ack:
        """The last event of this station the server holds."""
        return _ack(self._request("GET", f"{API}/events/head"), self.base_url)

    def push(self, events: Sequence[Event]) -> Ack:
        """Send events (in sequence order); returns the server's mark. SyncRefused for a 409."""
        body = json.dumps(
            {"events": [e.to_dict() for e in events]},
            ensure_ascii=False,
            allow_nan=False,
            separators=(",", ":"),
        ).encode("utf-8")
        response = self._request(
            "POST",
            f"{API}/events",
            content=body,
            headers={"Content-Type": "application/json"},
        )
        return _ack(response, self.base_url)

    def get(self, path: str, **params: Any) -> Any:
        """GET ``/api/v1`` + ``path`` as JSON (the errors of every call: SyncError)."""
        return self._request("GET", f"{API}{path}", params=params or None)

    def post(self, path: str, body: dict[str, Any]) -> Any:
        """POST a JSON body to ``/api/v1`` + ``path``; the answer as JSON."""
        return self._request("POST", f"{API}{path}", json=body)

    def pull(self, kind: str, since: int) -> dict[str, Any]:
        """One page of master data of ``kind`` newer than version ``since``."""
        if kind not in KINDS:
            raise ValueError(f"unknown master data kind {kind!r}")
        data = self._request("GET", f"{API}/master/{kind}", params={"since": since})
        if not (
            isinstance(data, dict)
            and isinstance(data.get("items"), list)
            and isinstance(data.get("version"), int)
        ):
            raise ServerUnavailable(
                Text(
                    "the server {base_url} sent master data of unknown form", base_url=self.base_url
                )
            )
        return data

    def set_password(self, user_id: str, old: str, new: str) -> dict[str, Any]:
        """A user's own new password, set at the server; the user-feed item it wrote."""
        data = self._request(
            "POST",
            f"{API}/users/{quote(user_id, safe='')}/password",
            json={"old": old, "new": new},
        )
        if not isinstance(data, dict):
            raise ServerUnavailable(
                Text("the server {base_url} answered of unknown form", base_url=self.base_url)
            )
        _check_item("users", data, self.base_url)
        return data

    def _request(self, method: str, path: str, **kwargs: Any) -> Any:
        where = self.base_url
        try:
            response = self._http.request(method, path, **kwargs)
        except httpx.TimeoutException as exc:
            raise ServerUnavailable(
                Text(
                    "the server {where} did not answer within {timeout:g} s",
                    where=where,
                    timeout=self.timeout,
                )
            ) from exc
        except httpx.TransportError as exc:
            raise ServerUnavailable(
                Text("cannot reach the server {where}: {exc}", where=where, exc=_reason(exc))
            ) from exc
        status = response.status_code
        try:
            data = response.json()
        except ValueError:
            data = None
        detail = _detail(data) or response.reason_phrase or f"HTTP {status}"
        if status >= 500 or status in (408, 429):
            raise ServerUnavailable(
                Text(
                    "the server {where} failed (HTTP {status}): {detail}",
                    where=where,
                    status=status,
                    detail=detail,
                )
            )
        if status == 401:
            raise SyncRefused(
                Text(
                    "the server {where} refused this station's token: {detail}",
                    where=where,
                    detail=detail,
                ),
                status=status,
            )
        if status in (400, 403, 409) and isinstance(data, dict) and "code" in data:
            raise SyncRefused(
                detail,
                status=status,
                code=_int_or_str(data.get("code")),
                seq=_int(data.get("seq")),
                acknowledged=_int(data.get("acknowledged")),
                acknowledged_hash=data.get("acknowledged_hash")
                if isinstance(data.get("acknowledged_hash"), str)
                else None,
            )
        if status >= 400:
            raise SyncRefused(
                Text(
                    "the server {where} refused (HTTP {status}): {detail}",
                    where=where,
                    status=status,
                    detail=detail,
                ),
                status=status,
                detail=detail,
            )
        if data is None:
            raise ServerUnavailable(
                Text("the server {where} answered with something that is not JSON", where=where)
            )
        return data

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _reason(exc: httpx.TransportError) -> str:
    text = str(exc) or type(exc).__name__
    if "refused" in text.lower():
        return "connection refused (is the server running?)"
    return text


def _detail(data: Any) -> str | None:
    if isinstance(data, dict):
        detail = data.get("detail")
        if isinstance(detail, str):
            return detail
        if isinstance(detail, list) and detail:
            return "; ".join(
                str(d.get("msg", d)) if isinstance(d, dict) else str(d) for d in detail
            )
    return None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _int_or_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _ack(data: Any, where: str) -> Ack:
    try:
        return Ack(
            station=str(data["station"]),
            acknowledged=int(data["acknowledged"]),
            acknowledged_hash=str(data["acknowledged_hash"]),
            stored=int(data.get("stored", 0)),
            duplicates=int(data.get("duplicates", 0)),
            receipt=data["receipt"] if isinstance(data.get("receipt"), dict) else None,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ServerUnavailable(
            Text("the server {where} sent an acknowledgement of unknown form", where=where)
        ) from exc


# ---------------------------------------------------------------- local sync state


class SyncState:
    """The ``<db>.sync`` file: acknowledged marks and pulled master data (plain sqlite3).

    Each call opens and closes its own connection, so one instance may be shared by threads.
    """

    SCHEMA: Final = (
        "CREATE TABLE IF NOT EXISTS acknowledged ("
        " station TEXT PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL, at TEXT NOT NULL)",
        "CREATE TABLE IF NOT EXISTS master ("
        " kind TEXT NOT NULL, version INTEGER NOT NULL, body TEXT NOT NULL,"
        " PRIMARY KEY (kind, version))",
        "CREATE TABLE IF NOT EXISTS master_version ("
        " kind TEXT PRIMARY KEY, version INTEGER NOT NULL, at TEXT NOT NULL)",
        # Answers replaced whole at each pull (the lots' consumption across stations).
        "CREATE TABLE IF NOT EXISTS snapshot ("
        " name TEXT PRIMARY KEY, body TEXT NOT NULL, at TEXT NOT NULL)",
    )

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        # It holds the users' password hashes: readable by the kiosk's user only (0600).
        try:
            os.close(os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            pass
        except OSError as exc:
            raise SyncError(
                Text(
                    "the sync state file cannot be created ({exc}): {path}", exc=exc, path=self.path
                )
            ) from exc
        with self._connect() as conn:
            for statement in self.SCHEMA:
                conn.execute(statement)

    @staticmethod
    def path_for(db: str | Path) -> Path:
        """The sync file of a station database: ``<db>.sync`` beside it."""
        return Path(f"{db}{SYNC_SUFFIX}")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            with closing(sqlite3.connect(self.path, timeout=10.0)) as conn:
                conn.execute("PRAGMA journal_mode=WAL").close()
                conn.execute("PRAGMA synchronous=FULL").close()
                with conn:  # one transaction, committed on success
                    yield conn
        except sqlite3.Error as exc:
            raise SyncError(
                Text("the sync state file cannot be used ({exc}): {path}", exc=exc, path=self.path)
            ) from exc

    def acknowledged(self, station: str) -> tuple[int, str, str | None]:
        """(seq, hash, when) of the last event the server acknowledged; (0, GENESIS, None)."""
        with self._connect() as conn:
            row = conn.execute(
                "SELECT seq, hash, at FROM acknowledged WHERE station = ?", (station,)
            ).fetchone()
        return (int(row[0]), str(row[1]), str(row[2])) if row else (0, GENESIS, None)

    def stations(self) -> list[str]:
        """Stations this file holds a mark for."""
        with self._connect() as conn:
            return [r[0] for r in conn.execute("SELECT station FROM acknowledged ORDER BY station")]

    def set_acknowledged(self, station: str, seq: int, digest: str) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO acknowledged (station, seq, hash, at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (station) DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                "at = excluded.at",
                (station, seq, digest, _now()),
            )

    def master_version(self, kind: str) -> int:
        with self._connect() as conn:
            row = conn.execute(
                "SELECT version FROM master_version WHERE kind = ?", (kind,)
            ).fetchone()
        return int(row[0]) if row else 0

    def save_master(self, kind: str, items: Iterable[dict[str, Any]], version: int) -> None:
        """Keep pulled items and the version reached, in one transaction."""
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO master (kind, version, body) VALUES (?, ?, ?)",
                [(kind, int(item["version"]), json.dumps(item, sort_keys=True)) for item in items],
            )
            conn.execute(
                "INSERT INTO master_version (kind, version, at) VALUES (?, ?, ?) "
                "ON CONFLICT (kind) DO UPDATE SET version = excluded.version, at = excluded.at",
                (kind, version, _now()),
            )

    def master_items(self, kind: str, after: int = 0) -> list[dict[str, Any]]:
        """Every pulled item of ``kind`` with a version above ``after``, oldest first."""
        with self._connect() as conn:
            rows = conn.execute(
                "SELECT body FROM master WHERE kind = ? AND version > ? ORDER BY version",
                (kind, after),
            ).fetchall()
        return [json.loads(r[0]) for r in rows]

    def pulled_at(self, kind: str) -> str | None:
        """When ``kind`` was last pulled from the server (this station's clock, UTC ISO)."""
        with self._connect() as conn:
            row = conn.execute("SELECT at FROM master_version WHERE kind = ?", (kind,)).fetchone()
        return None if row is None else str(row[0])

    def save_consumption(self, items: list[dict[str, Any]]) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO snapshot (name, body, at) VALUES ('consumption', ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET body = excluded.body, at = excluded.at",
                (json.dumps(items, sort_keys=True), _now()),
            )

    def consumption_at(self) -> str | None:
        """When the lots' consumption was last pulled (None: never)."""
        with self._connect() as conn:
            row = conn.execute("SELECT at FROM snapshot WHERE name = 'consumption'").fetchone()
        return None if row is None else str(row[0])

    def consumption(self) -> list[dict[str, Any]]:
        """What each station used of each lot, as the server last said."""
        with self._connect() as conn:
            row = conn.execute("SELECT body FROM snapshot WHERE name = 'consumption'").fetchone()
        return [] if row is None else list(json.loads(row[0]))

    def user_events(self) -> list[Event]:
        """Pulled ``user.*`` events of the server's user stream, in the server's order."""
        return [Event.from_dict(item["event"]) for item in self.master_items("users")]

    def save_min_password(self, minimum: int) -> None:
        with self._connect() as conn:
            conn.execute(
                "INSERT INTO snapshot (name, body, at) VALUES ('min_password', ?, ?) "
                "ON CONFLICT (name) DO UPDATE SET body = excluded.body, at = excluded.at",
                (json.dumps(minimum), _now()),
            )

    def min_password(self) -> int | None:
        """The minimum password length the server last said it applies (with the users), its
        default included; None when it never said."""
        with self._connect() as conn:
            row = conn.execute("SELECT body FROM snapshot WHERE name = 'min_password'").fetchone()
        value = None if row is None else json.loads(row[0])
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    def orders(self) -> dict[str, StationOrder]:
        """The pulled orders as they stand (``order.*`` events of the server's chain)."""
        return fold_orders(Event.from_dict(item["event"]) for item in self.master_items("orders"))

    def keep_items(self, kind: str, items: Iterable[dict[str, Any]]) -> None:
        """Keep items received outside a pull (the version reached stays: the next pull
        fetches them again and keeps them once)."""
        with self._connect() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO master (kind, version, body) VALUES (?, ?, ?)",
                [(kind, int(item["version"]), json.dumps(item, sort_keys=True)) for item in items],
            )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ---------------------------------------------------------------- push and pull


@dataclass(frozen=True)
class PushResult:
    station: str
    sent: int  # events the server stored during this call
    acknowledged: int  # the server's mark at the end
    pending: int  # the station's events not yet acknowledged


def _release(events: Iterator[Event]) -> None:
    """Close a partly read stream now, so that its read connection goes back to the pool.

    ``EventStore.events`` returns a generator (typed as an Iterator).
    """
    close = getattr(events, "close", None)
    if callable(close):
        close()


def _event_at(store: EventStore, seq: int) -> Event | None:
    events = store.events(station=store.station, after_seq=seq - 1)
    try:
        first = next(events, None)
    finally:
        _release(events)
    return first if first is not None and first.seq == seq else None


def _take(store: EventStore, after: int, count: int) -> list[Event]:
    events = store.events(station=store.station, after_seq=after)
    try:
        return list(itertools.islice(events, count))
    finally:
        _release(events)


def _last_seq(store: EventStore) -> int:
    last = store.last()
    return last.seq if last is not None else 0


def align(store: EventStore, client: SyncClient, state: SyncState) -> Ack:
    """Ask the server for its mark and check it against the local record.

    Refuses a token of another station and a server whose last event for this station is not
    the station's own (a replaced database, or tampering on either side).
    """
    head = client.head()
    station = store.station
    if head.station != station:
        raise SyncRefused(
            Text(
                "the token belongs to station {station}, but this is station {here}",
                station=head.station,
                here=station,
            )
        )
    local = _last_seq(store)
    if head.acknowledged > local:
        raise SyncRefused(
            Text(
                "the server holds {acknowledged} events of station {station} "
                "but this database only {local}: is this the station's own "
                "database?",
                acknowledged=head.acknowledged,
                station=station,
                local=local,
            )
        )
    if head.acknowledged:
        mine = _event_at(store, head.acknowledged)
        if mine is None or mine.hash != head.acknowledged_hash:
            raise SyncRefused(
                Text(
                    "the server's event {acknowledged} of station {station} "
                    "differs from this database's: the record was changed after "
                    "it was sent",
                    acknowledged=head.acknowledged,
                    station=station,
                )
            )
    before = state.acknowledged(station)[0]
    if head.acknowledged < before:
        log.warning(
            "the server acknowledged events of %s up to %d before, now only up to %d: resending",
            station,
            before,
            head.acknowledged,
        )
    state.set_acknowledged(station, head.acknowledged, head.acknowledged_hash)
    return head


def _keep_receipt(
    store: EventStore, client: SyncClient, state: SyncState, receipt: dict[str, Any]
) -> None:
    """Check the server's signed receipt against the pinned key and this chain; keep it."""
    from kiosk import receipts  # noqa: PLC0415  # cryptography only where receipts come

    pem = receipts.pinned_key(state.path)
    if pem is None:
        answer = client.get("/keys/receipts")
        pem = answer.get("public_key") if isinstance(answer, dict) else None
        if not isinstance(pem, str):
            raise SyncRefused(
                Text("the server {base_url} sent no receipt key", base_url=client.base_url)
            )
        try:
            receipts.pin_key(state.path, pem)
        except (ValueError, receipts.ReceiptError) as exc:
            raise SyncRefused(
                Text(
                    "the server {base_url} sent an unusable key: {exc}",
                    base_url=client.base_url,
                    exc=exc,
                )
            ) from exc
        log.info("pinned the server's receipt key %s", receipts.fingerprint(pem))
    if not receipts.verifies(pem, receipt):
        raise SyncRefused(
            Text(
                "the receipt from {base_url} does not carry the signature of "
                "the server this station knows: not taken",
                base_url=client.base_url,
            )
        )
    problem = receipts.mismatch(store, receipt)
    if problem is not None:
        raise SyncRefused(
            Text("the server's receipt does not match this record: {problem}", problem=problem)
        )
    receipts.keep(state.path, receipt)


def push_pending(
    store: EventStore,
    client: SyncClient,
    state: SyncState,
    *,
    batch_size: int = BATCH_SIZE,
    should_stop: Callable[[], bool] | None = None,
) -> PushResult:
    """Send every event the server has not acknowledged, in batches, from the server's mark.

    Raises ServerUnavailable (nothing lost: the mark only moves when the server acknowledged) or
    SyncRefused. ``should_stop`` is asked between batches.
    """
    station = store.station
    mark = align(store, client, state).acknowledged
    sent = 0
    rewinds = 0
    while should_stop is None or not should_stop():
        chunk = _take(store, mark, batch_size)
        if not chunk:
            break
        try:
            ack = client.push(chunk)
        except SyncRefused as exc:
            if exc.acknowledged is not None and exc.acknowledged_hash is not None:
                state.set_acknowledged(station, exc.acknowledged, exc.acknowledged_hash)
                if exc.code == "gap" and rewinds < 3:
                    # Another delivery moved the server's mark meanwhile: send from there.
                    rewinds += 1
                    mark = exc.acknowledged
                    continue
            raise
        mine = next((e for e in chunk if e.seq == ack.acknowledged), None)
        if mine is None and ack.acknowledged:
            mine = _event_at(store, ack.acknowledged)
        if ack.acknowledged and (mine is None or mine.hash != ack.acknowledged_hash):
            raise SyncRefused(
                Text(
                    "the server acknowledged event {acknowledged} of station "
                    "{station} with a hash this station does not have",
                    acknowledged=ack.acknowledged,
                    station=station,
                )
            )
        if ack.receipt is not None:
            _keep_receipt(store, client, state, ack.receipt)
        sent += ack.stored
        state.set_acknowledged(station, ack.acknowledged, ack.acknowledged_hash)
        if ack.acknowledged < chunk[-1].seq:
            rewinds += 1
            if rewinds > 3:
                raise SyncRefused(
                    Text(
                        "the server keeps acknowledging less than it was sent (up to "
                        "{acknowledged} of {seq})",
                        acknowledged=ack.acknowledged,
                        seq=chunk[-1].seq,
                    )
                )
        mark = ack.acknowledged
    return PushResult(station, sent, mark, max(0, _last_seq(store) - mark))


def pull_master(
    client: SyncClient, state: SyncState, kinds: Sequence[str] = KINDS
) -> dict[str, int]:
    """Fetch master data newer than the local versions; returns new items per kind.

    Recipes must match their SHA-256 and user events their own hash, or nothing of that page is
    kept (SyncRefused).
    """
    received: dict[str, int] = {}
    for kind in kinds:
        since = state.master_version(kind)
        received[kind] = 0
        for _ in range(10_000):  # bounded: a server that never says "no more" cannot spin us
            page = client.pull(kind, since)
            items: list[dict[str, Any]] = page["items"]
            for item in items:
                _check_item(kind, item, client.base_url)
            version = int(page["version"])
            state.save_master(kind, items, version)  # also when nothing is new: pulled_at
            minimum = page.get("min_password")  # the users' page: the policy in force
            if kind == "users" and isinstance(minimum, int) and not isinstance(minimum, bool):
                state.save_min_password(minimum)
            received[kind] += len(items)
            if not items or not page.get("more") or version <= since:
                break
            since = version
    if "lots" in kinds:
        state.save_consumption(_consumption(client.get("/lots/consumption"), client.base_url))
    return received


def _consumption(data: Any, where: str) -> list[dict[str, Any]]:
    items = data.get("items") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise SyncRefused(
            Text("the server {where} sent lot consumption of unknown form", where=where)
        )
    kept: list[dict[str, Any]] = []
    for item in items:
        line = _use_line(item)
        if line is None:
            raise SyncRefused(
                Text("the server {where} sent an unreadable lot consumption line", where=where)
            )
        kept.append(line)
    return kept


def _use_line(item: Any) -> dict[str, Any] | None:
    """One line of the lots' consumption (texts, a finite quantity >= 0), or None."""
    if not isinstance(item, dict):
        return None
    texts = [item.get(k) for k in ("gtin", "lot", "station")]
    quantity = item.get("quantity")
    if not all(isinstance(t, str) for t in texts) or not isinstance(quantity, str | int | float):
        return None
    if isinstance(quantity, bool):
        return None
    try:
        number = float(quantity)  # the server sends decimal text
    except (TypeError, ValueError):
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return {"gtin": texts[0], "lot": texts[1], "station": texts[2], "quantity": number}


def _check_item(kind: str, item: dict[str, Any], where: str) -> None:
    if not isinstance(item.get("version"), int):
        raise SyncRefused(
            Text("the server {where} sent a {kind} item without a version", where=where, kind=kind)
        )
    if kind == "recipes":
        text, digest = item.get("yaml"), item.get("sha256")
        if not isinstance(text, str) or hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
            raise SyncRefused(
                Text(
                    "recipe {recipe} v{version} from {where} does not match its SHA-256: not taken",
                    recipe=item.get("recipe_id"),
                    version=item.get("recipe_version"),
                    where=where,
                )
            )
    elif kind in ("users", "orders"):
        try:
            e = Event.from_dict(item["event"])
            ok = e.hash == event_hash(
                e.station, e.seq, e.ts, e.actor, e.batch, e.type, e.payload, e.reason, e.prev
            )
            if kind == "orders" and not (e.type.startswith("order.") and e.station == "@central"):
                ok = False
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            what = "a user event" if kind == "users" else "an order event"
            raise SyncRefused(
                Text(
                    "{what} from {where} does not match its hash: not taken", what=what, where=where
                )
            )


# ---------------------------------------------------------------- users, read-only


class ServerUsers:
    """The central server as the station's user authority (``kiosk.auth.UserAuthority``).

    The users are the pulled copy in ``<db>.sync``; a user's own new password goes to the
    server (``POST /api/v1/users/{id}/password``) and the event it wrote is kept at once.
    """

    def __init__(self, state: SyncState, connect: Callable[[], SyncClient]) -> None:
        self._state = state
        self._connect = connect

    def user_events(self) -> list[Event]:
        return self._state.user_events()

    def min_password(self) -> int | None:
        return self._state.min_password()

    def set_password(self, user_id: str, old: str, new: str) -> list[Event]:
        try:
            with self._connect() as client:
                item = client.set_password(user_id, old, new)
        except ServerUnavailable as exc:
            log.warning("password of %s not set: %s", user_id, exc)
            raise AuthError(OFFLINE_PASSWORD) from exc
        except SyncRefused as exc:
            if exc.status in (403, 422):
                raise AuthError(exc.detail) from exc
            raise AuthError(f"{OFFLINE_PASSWORD} ({exc})") from exc
        except (SyncError, OSError) as exc:  # a bad address, an unreadable token file
            raise AuthError(f"{OFFLINE_PASSWORD} ({exc})") from exc
        self._state.keep_items("users", [item])
        return [Event.from_dict(item["event"])]


# ---------------------------------------------------------------- background worker


STARTING, ONLINE, OFFLINE, REFUSED, STOPPED = "starting", "online", "offline", "refused", "stopped"


@dataclass(frozen=True)
class SyncStatus:
    """What the screen shows about sync. ``pending`` events are "not yet sent"."""

    state: str  # starting | online | offline | refused | stopped
    pending: int
    acknowledged: int
    last_error: str | None = None
    last_success: str | None = None
    retry_in: float | None = None

    @property
    def online(self) -> bool:
        return self.state == ONLINE


class SyncWorker:
    """Drains unsent events and pulls master data in a background thread.

    Never blocks the engine: it reads through its own EventStore on the same file. After a
    failure it waits ``backoff_initial * 2**(n-1)`` seconds, capped at ``backoff_max``, times a
    random factor between 0.5 and 1 (so that stations coming back together do not retry in
    step); after a success it waits ``interval`` seconds or until :meth:`wake`. Master data is
    pulled after a successful push every ``pull_interval`` seconds (the wait after a success is
    shortened to keep that), so a lot quarantined at the server reaches a station that is online
    within about a minute. ``on_pulled`` hears, in the worker's thread, how many new items of
    each kind a pull brought (the station applies order changes to its batches then).
    """

    def __init__(
        self,
        store: EventStore,
        client: SyncClient,
        *,
        state: SyncState | None = None,
        interval: float = 10.0,
        backoff_initial: float = 1.0,
        backoff_max: float = 120.0,
        batch_size: int = BATCH_SIZE,
        pull: bool = True,
        pull_interval: float = 60.0,
        on_status: Callable[[SyncStatus], None] | None = None,
        on_pulled: Callable[[dict[str, int]], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        if backoff_initial <= 0 or backoff_max < backoff_initial or interval <= 0:
            raise ValueError("intervals must be positive and backoff_max >= backoff_initial")
        self._store = store
        self._client = client
        self._state = state or SyncState(SyncState.path_for(store.path))
        self.interval = interval
        self.backoff_initial = backoff_initial
        self.backoff_max = backoff_max
        self.batch_size = batch_size
        self.pull = pull
        self.pull_interval = pull_interval
        self._last_pull: float | None = None
        self._on_status = on_status
        self._on_pulled = on_pulled
        self._rng = rng or random.Random()  # noqa: S311  # jitter, not cryptography
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._lock = threading.Lock()
        acknowledged, _hash, at = self._state.acknowledged(store.station)
        self._status = SyncStatus(STARTING, 0, acknowledged, last_success=at)
        self._thread: threading.Thread | None = None
        self.failures = 0

    # ------------------------------------------------------------ control

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("the sync worker was started already")
        self._thread = threading.Thread(
            target=self._run, name=f"sync-{self._store.station}", daemon=True
        )
        self._thread.start()

    def wake(self) -> None:
        """Push now (e.g. after the engine wrote events) unless the worker is backing off."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the request in flight (bounded by the client's timeout) and join."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                log.error("the sync worker did not stop within %.0f s", timeout)

    def __enter__(self) -> SyncWorker:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # ------------------------------------------------------------ status

    def status(self) -> SyncStatus:
        """The current status, with ``pending`` counted now from the record."""
        with self._lock:
            current = self._status
        try:
            pending = max(0, _last_seq(self._store) - current.acknowledged)
        except StoreError:
            pending = current.pending
        return replace(current, pending=pending)

    def _set(self, **changes: Any) -> None:
        with self._lock:
            self._status = replace(self._status, **changes)
            current = self._status
        if self._on_status is not None:
            try:
                self._on_status(current)
            except Exception:  # a broken listener must not stop the sync
                log.exception("sync status listener failed")

    # ------------------------------------------------------------ the loop

    def backoff(self, failures: int) -> float:
        """Seconds to wait after ``failures`` failures in a row (jittered, bounded)."""
        ceiling = min(self.backoff_max, self.backoff_initial * 2 ** min(failures - 1, 62))
        return self._rng.uniform(ceiling / 2, ceiling)

    def _run(self) -> None:
        try:
            own = EventStore(self._store.path, self._store.station, create=False)
        except StoreError as exc:
            log.error("sync worker cannot open the record: %s", exc)
            self._set(state=STOPPED, last_error=str(exc))
            return
        try:
            while not self._stop.is_set():
                self._wake.clear()
                delay = self._cycle(own)
                if self.failures:
                    self._stop.wait(delay)  # backing off: wakes do not cut it short
                else:
                    self._wake.wait(delay)
        finally:
            own.close()
            self._set(state=STOPPED, retry_in=None)

    def _cycle(self, own: EventStore) -> float:
        """One push (and pull); returns how long to wait before the next."""
        try:
            result = push_pending(
                own,
                self._client,
                self._state,
                batch_size=self.batch_size,
                should_stop=self._stop.is_set,
            )
            if self.pull and not self._stop.is_set() and self._pull_due():
                received = pull_master(self._client, self._state)
                self._last_pull = time.monotonic()
                self._pulled(received)
        except ServerUnavailable as exc:
            return self._failed(OFFLINE, str(exc), own)
        except SyncRefused as exc:
            log.error("sync refused: %s", exc)
            return self._failed(REFUSED, str(exc), own)
        except (SyncError, StoreError) as exc:
            return self._failed(OFFLINE, str(exc), own)
        except Exception as exc:  # a dead worker would silently stop all sync: keep trying
            log.exception("sync cycle failed unexpectedly")
            return self._failed(OFFLINE, f"internal error: {exc!r}", own)
        if self.failures:
            log.info("sync with %s is back after %d failures", self._client.base_url, self.failures)
        self.failures = 0
        self._set(
            state=ONLINE,
            pending=result.pending,
            acknowledged=result.acknowledged,
            last_error=None,
            last_success=_now(),
            retry_in=None,
        )
        return self._next_wait()

    def _pulled(self, received: dict[str, int]) -> None:
        """Tell the listener what a pull brought (new items per kind), from this thread."""
        if self._on_pulled is None:
            return
        try:
            self._on_pulled(received)
        except Exception:  # a broken listener must not stop the sync
            log.exception("sync pull listener failed")

    def _next_wait(self) -> float:
        """The cycle interval, shortened so that pulls stay ``pull_interval`` apart."""
        if not self.pull or self._last_pull is None:
            return self.interval
        due = self._last_pull + self.pull_interval - time.monotonic()
        return max(0.05, min(self.interval, due))

    def _pull_due(self) -> bool:
        last = self._last_pull
        return last is None or time.monotonic() - last >= self.pull_interval

    def _failed(self, state: str, message: str, own: EventStore) -> float:
        self.failures += 1
        delay = self.backoff(self.failures)
        try:
            acknowledged = self._state.acknowledged(own.station)[0]
            pending = max(0, _last_seq(own) - acknowledged)
        except (SyncError, StoreError):
            acknowledged, pending = self._status.acknowledged, self._status.pending
        if self.failures == 1 or state == REFUSED:
            log.warning("sync failed (%s): %s; retrying in %.1f s", state, message, delay)
        self._set(
            state=state,
            last_error=message,
            acknowledged=acknowledged,
            pending=pending,
            retry_in=delay,
        )
        return delay
