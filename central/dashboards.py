"""The dashboards' figures per batch: a projection of each batch's stored events.

``figures(events, review_items)`` folds one batch's events into a ``Figures`` row: when it
started and finished, the collection and release times, when its record was complete (the last
stage began: every manufacturing step was done and QA's release stage opened), its exceptions by
category, how many review items QA had to judge, how many values were recorded and signatures
applied, and every numeric CPP/CQA value (corrections applied: a corrected value counts with its
new value).

The rows live in ``dashboard_batches`` (migration ``c0011``). A row carries the batch's version
it was computed at: its station events as counted in ``batches`` (the server's projection,
updated in each push's transaction) plus the server's own events about it (``@central``), and
a mark once its recipe reaches the server (its review then comes from the recipe);
``refresh`` recomputes every row whose version differs, so a page never uses figures older than
the events it could read. Review items are counted as QA
sees them on the batch page (``central.qa.review``: ``kiosk.review`` over the state rebuilt
with the batch's recipe, or the exception events without it).
"""

import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, Final, NamedTuple

from sqlalchemy import Connection, and_, case, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from central import qa, schema
from central.authority import SERVER_STATION
from central.store import CentralStore
from kiosk.batch import FINAL_STATES
from local_store import Event

log = logging.getLogger(__name__)

_D = schema.dashboard_batches
_B = schema.batches

CRITICAL: Final = ("CPP", "CQA")
VALUE_TYPES: Final = ("step.recorded", "result.recorded")
RECIPE_ON_SERVER: Final = 1_000_000_000
"""Added to a batch's version while its recipe is on the server (fits a 32-bit integer)."""
REFRESH_LIMIT: Final = 50
"""The most stale batches one page view computes (about 25 ms each); the rest follow on the
next views."""


class Value(NamedTuple):
    """One numeric CPP/CQA value of a batch (a tuple: thousands are read per page)."""

    step_id: str
    key: str
    name: str
    critical: str
    value: float
    unit: str | None
    ts: str
    corrected: bool = False


@dataclass
class Figures:
    """One batch's dashboard figures (one ``dashboard_batches`` row)."""

    batch: str
    events: int
    recipe_id: str | None
    recipe_version: int | None
    status: str
    started: str
    finished: str | None = None
    collected: str | None = None
    ebr_completed: str | None = None
    released: str | None = None
    exceptions: int = 0
    review_items: int = 0
    records: int = 0
    signatures: int = 0
    categories: dict[str, int] = field(default_factory=dict)
    critical: list[Value] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        out = asdict(self)
        out["categories"] = json.dumps(self.categories, sort_keys=True)
        out["critical"] = json.dumps([list(v) for v in self.critical])
        return out

    @classmethod
    def from_row(cls, row: Any) -> "Figures":
        m = dict(row._mapping)
        m["categories"] = json.loads(m["categories"])
        m["critical"] = [Value(*v) for v in json.loads(m["critical"])]
        return cls(**m)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def figures(batch: str, events: Sequence[Event], review_items: int) -> Figures:
    """The figures of one batch from its events in ownership order."""
    first = events[0] if events else None
    start = first.payload if first is not None and first.type == "batch.started" else {}
    context = start.get("context") if isinstance(start.get("context"), dict) else {}
    collected = context.get("collection_time") if context else None
    version = start.get("recipe_version")
    out = Figures(
        batch=batch,
        events=len(events),
        recipe_id=start.get("recipe_id") if isinstance(start.get("recipe_id"), str) else None,
        recipe_version=version if isinstance(version, int) else None,
        status="in_progress",
        started=first.ts if first is not None else "",
        collected=collected if isinstance(collected, str) else None,
        review_items=review_items,
    )
    categories: Counter[str] = Counter()
    values: dict[str, Value] = {}  # by step key: the last recorded, corrections applied
    last_stage_ts: str | None = None
    for e in events:
        p = e.payload
        if e.type in VALUE_TYPES:
            out.records += 1
            number = _number(p.get("value"))
            if p.get("critical") in CRITICAL and number is not None:
                key = str(p.get("step"))
                values[key] = Value(
                    str(p.get("step_id") or key),
                    key,
                    str(p.get("name") or p.get("step_id") or key),
                    str(p["critical"]),
                    number,
                    p.get("unit") if isinstance(p.get("unit"), str) else None,
                    e.ts,
                )
        elif e.type == "step.corrected":
            out.records += 1
            key = str(p.get("step"))
            number = _number(p.get("new"))
            if key in values and number is not None:
                values[key] = values[key]._replace(value=number, corrected=True)
        elif e.type == "signature.applied":
            out.signatures += 1
        elif e.type == "exception.raised":
            out.exceptions += 1
            categories[str(p.get("category") or "other")] += 1
        elif e.type == "stage.started":
            last_stage_ts = e.ts
        elif e.type == "batch.state" and isinstance(p.get("state"), str):
            out.status = p["state"]
            if out.status in FINAL_STATES:
                out.finished = e.ts
                out.ebr_completed = last_stage_ts
            if out.status == "released":
                out.released = e.ts
        if e.type != "signature.applied" and isinstance(p.get("signature"), dict):
            out.signatures += 1
    out.categories = dict(sorted(categories.items()))
    out.critical = list(values.values())
    return out


def compute(store: CentralStore, recipes: qa.RecipeCache, batch: str) -> Figures | None:
    """One batch's figures from the events the server holds now (None: no events)."""
    events = qa.batch_events(store, batch)
    if not events:
        return None
    found = qa.review(store, recipes, batch)
    required = sum(1 for item in found.items if item.required) if found is not None else 0
    return figures(batch, events, required)


def _tags() -> Any:
    """Each batch's version: its station events (``batches.events``, kept in each push's
    transaction) plus the server's own events about it (``@central``: ownership, identity
    exceptions, LIMS results), which the batches table does not count, plus RECIPE_ON_SERVER
    once the batch's recipe is on the server (its review is then the recipe's: the count of
    review items changes)."""
    e = schema.events
    server = (
        select(e.c.batch.label("batch"), func.count().label("n"))
        .where(e.c.station == SERVER_STATION, e.c.batch.is_not(None))
        .group_by(e.c.batch)
        .subquery()
    )
    r = schema.recipes
    has_recipe = case((r.c.version.is_not(None), RECIPE_ON_SERVER), else_=0)
    tag = (_B.c.events + func.coalesce(server.c.n, 0) + has_recipe).label("tag")
    joined = (
        _B.outerjoin(server, server.c.batch == _B.c.batch)
        .outerjoin(
            r, and_(r.c.recipe_id == _B.c.recipe_id, r.c.recipe_version == _B.c.recipe_version)
        )
        .outerjoin(_D, _D.c.batch == _B.c.batch)
    )
    return joined, tag


def versions(conn: Connection, batches: Sequence[str]) -> dict[str, int]:
    """The current version of each of ``batches`` (see :func:`_tags`): what a page that derives
    something from a batch's events keys its cache on."""
    if not batches:
        return {}
    joined, tag = _tags()
    stmt = select(_B.c.batch, tag).select_from(joined).where(_B.c.batch.in_(list(batches)))
    return {str(b): int(t) for b, t in conn.execute(stmt)}


def stale(conn: Connection, limit: int | None = None) -> tuple[list[tuple[str, int]], int]:
    """((batch, its version) of batches whose figures are missing or older than their events,
    how many there are)."""
    joined, tag = _tags()
    where = or_(_D.c.batch.is_(None), _D.c.events != tag)
    total = int(conn.execute(select(func.count()).select_from(joined).where(where)).scalar_one())
    stmt = select(_B.c.batch, tag).select_from(joined).where(where).order_by(_B.c.batch)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [(str(b), int(t)) for b, t in conn.execute(stmt)], total


def refresh(store: CentralStore, recipes: qa.RecipeCache, limit: int | None = REFRESH_LIMIT) -> int:
    """Recompute the figures of up to ``limit`` stale batches (all with None); how many remain
    stale afterwards. Each row is tagged with the version read before its events were: events
    that arrive meanwhile make it stale again, never lost."""
    with store.read() as conn:
        todo, total = stale(conn, limit)
    done = 0
    for batch, version in todo:
        found = compute(store, recipes, batch)
        if found is None:
            continue
        found.events = version
        row = found.row()
        with store.write() as conn:
            # Another server process may compute the same batch at the same time: the same
            # events give the same row, so the last one written wins harmlessly.
            upsert: Any = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
            stmt = upsert(_D).values(row)
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["batch"],
                    set_={k: stmt.excluded[k] for k in row if k != "batch"},
                )
            )
        done += 1
    if done:
        log.info("dashboards: figures of %d batches computed, %d left", done, total - done)
    return max(0, total - done)


def load(
    store: CentralStore,
    recipe_id: str | None = None,
    last: int | None = None,
    *,
    values: bool = True,
) -> list[Figures]:
    """The stored figures, oldest batch first: of one recipe, or all; the ``last`` N only;
    without the CPP/CQA values unless ``values``."""
    empty = literal("[]").label("critical")
    columns = [c if c.name != "critical" or values else empty for c in _D.c]
    stmt = select(*columns)
    if recipe_id is not None:
        stmt = stmt.where(_D.c.recipe_id == recipe_id)
    stmt = stmt.order_by(_D.c.started.desc(), _D.c.batch.desc())
    if last is not None:
        stmt = stmt.limit(last)
    with store.read() as conn:
        rows = [Figures.from_row(row) for row in conn.execute(stmt)]
    rows.reverse()
    return rows


def months(store: CentralStore) -> list[tuple[str, int, int]]:
    """(month, batches finished in it, of which right first time: no exception, not aborted),
    oldest month first: one aggregate over every batch."""
    month = func.substr(_D.c.finished, 1, 7)
    right = func.sum(case((and_(_D.c.exceptions == 0, _D.c.status != "aborted"), 1), else_=0))
    stmt = (
        select(month, func.count(), right)
        .where(_D.c.finished.is_not(None))
        .group_by(month)
        .order_by(month)
    )
    with store.read() as conn:
        return [(str(m), int(n), int(r or 0)) for m, n, r in conn.execute(stmt)]


def recipe_ids(store: CentralStore) -> list[str]:
    """The recipes batches ran on, by name."""
    stmt = select(_D.c.recipe_id).where(_D.c.recipe_id.is_not(None)).distinct()
    with store.read() as conn:
        return sorted(str(r) for r in conn.execute(stmt).scalars())
