"""What QA reads on the server: batches, their events, review by exception, the batch record.

A batch's review list comes from ``kiosk.review.items`` over a ``BatchState`` rebuilt from the
stored events, exactly as the station's engine rebuilds it, when the server has the batch's
recipe (same id, version and SHA-256 as ``batch.started`` recorded). Without the recipe, or if
the rebuild fails, the list is derived from the exception events directly (``source: events``),
so QA always sees every exception.

QA signs in at the portal's ``/login`` (``central.portal``) as one of the server's own users
(``central.users``, argon2 hashes) with the ``qa`` role; the pages read the session
(``central.deps``).
"""

import importlib
import logging
import tempfile
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from sqlalchemy import select

from central import master, records, schema, users
from central.errors import CentralError
from central.store import CentralStore
from kiosk import custody
from kiosk.batch import BatchState
from kiosk.damage import damage, fold
from kiosk.recipe import LoadedRecipe, RecipeError, load_recipe
from kiosk.review import ReviewItem, items
from local_store import BatchSummary, Event

if TYPE_CHECKING:
    from types import ModuleType

log = logging.getLogger(__name__)

QA_ROLE: Final = "qa"
PDF_MODULE: Final = "kiosk.ebr"
PDF_NAMES: Final = ("BatchRecord", "placeholder_recipe", "write_pdf")
"""What the server uses of kiosk.ebr (imported at run time: the server runs without it)."""

_B = schema.batches


class NotAvailable(CentralError):
    """A feature this server cannot provide yet (HTTP 501)."""


class NeedsRecipe(CentralError):
    """The batch's recipe is not on the server (HTTP 409)."""


# ---------------------------------------------------------------- batches


def list_batches(store: CentralStore, *, limit: int = 200, offset: int = 0) -> list[BatchSummary]:
    """Batches, most recently active first."""
    stmt = (
        select(
            _B.c.batch,
            _B.c.status,
            _B.c.recipe_id,
            _B.c.recipe_version,
            _B.c.first_ts,
            _B.c.last_ts,
            _B.c.events,
        )
        .order_by(_B.c.last_ts.desc(), _B.c.batch)
        .limit(limit)
        .offset(offset)
    )
    with store.read() as conn:
        return [BatchSummary(*row) for row in conn.execute(stmt)]


def batch_summary(store: CentralStore, batch: str) -> BatchSummary | None:
    """One batch's summary row, or None."""
    if "\x00" in batch:
        return None
    stmt = select(
        _B.c.batch,
        _B.c.status,
        _B.c.recipe_id,
        _B.c.recipe_version,
        _B.c.first_ts,
        _B.c.last_ts,
        _B.c.events,
    ).where(_B.c.batch == batch)
    with store.read() as conn:
        row = conn.execute(stmt).first()
    return None if row is None else BatchSummary(*row)


def batch_events(store: CentralStore, batch: str) -> list[Event]:
    """The batch's events in (station, seq) order; empty for an unknown batch."""
    if "\x00" in batch:
        return []
    with store.read() as conn:
        return records.batch_events(conn, batch)


# ---------------------------------------------------------------- recipes and state


class RecipeCache:
    """Recipes from the server database, loaded (validated) once per content hash."""

    def __init__(self, store: CentralStore) -> None:
        self._store = store
        self._loaded: dict[str, LoadedRecipe] = {}
        self._lock = threading.Lock()

    def get(self, recipe_id: str, version: int, sha256: str) -> LoadedRecipe | None:
        """The recipe a batch started from, or None when the server lacks that exact content."""
        with self._lock:
            if sha256 in self._loaded:
                return self._loaded[sha256]
        found = master.recipe_text(self._store, recipe_id, version)
        if found is None or found[1] != sha256:
            return None
        with tempfile.TemporaryDirectory(prefix="central-recipe-") as tmp:
            path = Path(tmp) / f"{recipe_id}-v{version}.yaml"
            path.write_text(found[0], encoding="utf-8")
            try:
                loaded = load_recipe(path)
            except RecipeError as exc:
                log.error("stored recipe %s v%s no longer loads: %s", recipe_id, version, exc)
                return None
        with self._lock:
            self._loaded[sha256] = loaded
        return loaded


class VersionedCache:
    """Values derived from a batch's events, kept per batch with the batch's version
    (``dashboards.versions``): a value is used only while the version is unchanged. Bounded:
    past ``limit`` entries the oldest half is dropped."""

    def __init__(self, limit: int = 2000) -> None:
        self._limit = limit
        self._found: dict[str, tuple[int, Any]] = {}
        self._lock = threading.Lock()

    def get(self, batch: str, version: int | None) -> Any | None:
        with self._lock:
            found = self._found.get(batch)
        if found is None or version is None or found[0] != version:
            return None
        return found[1]

    def put(self, batch: str, version: int | None, value: Any) -> None:
        if version is None:
            return
        with self._lock:
            if len(self._found) >= self._limit:
                for key in list(self._found)[: self._limit // 2]:
                    del self._found[key]
            self._found[batch] = (version, value)


def rebuild_state(
    events: Sequence[Event], recipes: RecipeCache
) -> tuple[BatchState | None, LoadedRecipe | None, str | None]:
    """(state, recipe, None), or (None, recipe or None, why not) when it cannot be rebuilt."""
    if not events or events[0].type != "batch.started":
        return None, None, "the batch's start event is not on the server"
    p = events[0].payload
    recipe_id, version, sha256 = p.get("recipe_id"), p.get("recipe_version"), p.get("recipe_sha256")
    if not (isinstance(recipe_id, str) and isinstance(version, int) and isinstance(sha256, str)):
        return None, None, "the batch's start event does not name its recipe"
    loaded = recipes.get(recipe_id, version, sha256)
    if loaded is None:
        return None, None, f"recipe {recipe_id} v{version} is not on the server"
    try:
        state = BatchState(
            id=events[0].batch or "",
            recipe=loaded.recipe,
            recipe_sha256=loaded.sha256,
            context=dict(p.get("context") or {}),
            started_ts=events[0].ts,
        )
        # A damaged event is left out and named; it never takes the batch's page down.
        _good, damaged = fold(state, events)
    except Exception as exc:  # the projection evolves with the engine; QA still gets a list
        log.exception("batch %s could not be rebuilt with its recipe", events[0].batch)
        return None, loaded, f"the batch could not be rebuilt with its recipe ({exc})"
    return state, loaded, "; ".join(d.line() for d in damaged) or None


# ---------------------------------------------------------------- review by exception


@dataclass(frozen=True)
class Review:
    batch: str
    source: str  # "recipe": kiosk.review over the rebuilt state; "events": exception events
    note: str | None
    items: list[ReviewItem]

    @property
    def open(self) -> int:
        """Items that must still be dispositioned before release."""
        return sum(1 for item in self.items if item.blocks_release)


def review(store: CentralStore, recipes: RecipeCache, batch: str) -> Review | None:
    """The batch's review items, or None for a batch the server has no events of."""
    events = batch_events(store, batch)
    if not events:
        return None
    state, _loaded, note = rebuild_state(events, recipes)
    if state is not None:
        bad = {(e.station, e.seq) for e in events if damage(e) is not None}
        good = [e for e in events if (e.station, e.seq) not in bad]
        return Review(batch, "recipe", note, items(state, history=good))
    return Review(batch, "events", note, items_from_events(e for e in events if damage(e) is None))


def items_from_events(events: Iterable[Event]) -> list[ReviewItem]:
    """Review items straight from exception.raised / exception.dispositioned events."""
    raised: dict[str, dict[str, Any]] = {}
    for e in events:
        p = e.payload
        ident = p.get("id")
        if not isinstance(ident, str):
            continue
        if e.type == "exception.raised":
            raised[ident] = {
                "id": ident,
                "category": str(p.get("category", "")),
                "step": p.get("step") if isinstance(p.get("step"), str) else None,
                "message": str(p.get("message", "")),
                "ts": e.ts,
                "values": dict(p.get("values") or {}),
                "disposition": None,
                "severity": p.get("severity") if isinstance(p.get("severity"), str) else None,
            }
        elif e.type in ("exception.dispositioned", "qa.dispositioned") and ident in raised:
            raised[ident]["disposition"] = {**p, "reason": e.reason}
    return [ReviewItem(**fields) for fields in raised.values()]


# ---------------------------------------------------------------- batch record PDF


def batch_record_pdf(
    store: CentralStore, recipes: RecipeCache, batch: str, *, review_only: bool = False
) -> bytes | None:
    """The batch record PDF (``kiosk.ebr``), or its review-by-exception report; None for an
    unknown batch.

    ``kiosk.ebr.load_record`` reads a station database; the server builds the same
    ``BatchRecord`` from its stored events, with the recipe from its own table (or, without it,
    ``kiosk.ebr``'s stand-in recipe: the record then says it was printed from the events alone).
    Raises NotAvailable while ``kiosk.ebr`` or reportlab is not installed.
    """
    ebr = _ebr()
    events = batch_events(store, batch)
    if not events:
        return None
    p = events[0].payload
    recipe_id, version, sha256 = p.get("recipe_id"), p.get("recipe_version"), p.get("recipe_sha256")
    loaded = None
    if isinstance(recipe_id, str) and isinstance(version, int) and isinstance(sha256, str):
        loaded = recipes.get(recipe_id, version, sha256)
    note = (
        "sha256 matches the recipe on the server"
        if loaded is not None
        else f"the recipe ({recipe_id} v{version}) is not on the server; printed from the events"
    )
    users = {
        str(e.payload.get("user")): str(e.payload.get("name"))
        for e in master.user_events(store)
        if e.type == "user.created"
    }
    try:
        record = ebr.build_record(batch, events, users, loaded, note)
    except ebr.EbrError as exc:
        raise NeedsRecipe(str(exc)) from exc
    with tempfile.TemporaryDirectory(prefix="central-pdf-") as tmp:
        path = Path(tmp) / "record.pdf"
        try:
            ebr.write_pdf(record, path, review_only=review_only)
        except ModuleNotFoundError as exc:
            raise NotAvailable(
                f"the batch record PDF needs {exc.name}, which is not installed on this server"
            ) from exc
        return path.read_bytes()


def _ebr() -> "ModuleType":
    """``kiosk.ebr``, or NotAvailable (HTTP 501) while it is not installed."""
    try:
        module = importlib.import_module(PDF_MODULE)
    except ModuleNotFoundError as exc:
        raise NotAvailable(
            "the batch record PDF is not available on this server yet "
            f"({exc.name or PDF_MODULE} is not installed)"
        ) from exc
    missing = [name for name in PDF_NAMES if not hasattr(module, name)]
    if missing:
        raise NotAvailable(
            f"the batch record PDF is not available on this server yet ({PDF_MODULE} has no "
            f"{', '.join(missing)})"
        )
    return module


# ---------------------------------------------------------------- QA login


Reviewer = users.ServerUser
"""A signed-in user of the server's pages: one of the server's own users (``central.users``)."""


# ---------------------------------------------------------------- incidents


@dataclass(frozen=True)
class Incident:
    id: int
    station: str
    seq: int
    code: str
    problem: str
    at: str


def list_incidents(store: CentralStore, *, limit: int = 200) -> list[Incident]:
    """Refused pushes that point at tampering, and sign-ins with unknown user IDs; newest first."""
    i = schema.incidents
    stmt = (
        select(i.c.id, i.c.station, i.c.seq, i.c.code, i.c.problem, i.c.at)
        .order_by(i.c.id.desc())
        .limit(limit)
    )
    with store.read() as conn:
        return [Incident(*row) for row in conn.execute(stmt)]


def custody_timeline(store: CentralStore, batch: str) -> list[custody.Entry]:
    """The batch's chain of custody across every station's chain, in ownership order."""
    return custody.timeline(batch_events(store, batch))
