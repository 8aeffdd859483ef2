"""Recipe lifecycle at the server: upload a draft, three signatures, effective on a date.

1. A user who may author recipes (``recipe.author``: supervisor, QA, admin) uploads a version
   as a draft (``recipe.uploaded``); the text must pass ``kiosk.recipe``'s validator.
2. The author signs "submitted" (``recipe.submitted``).
3. A reviewer (``recipe.review``: supervisor or QA) who is not the author signs "reviewed".
4. QA (``recipe.approve``), neither the author nor the reviewer, signs "approved" with an
   effective date (today or later, UTC).
5. On that date the server makes the version effective (``recipe.effective``, actor
   ``system``) and puts it in the feed stations pull (``recipes``, ``central.master``); every
   lower version of the recipe that was effective or approved retires (``recipe.retired``).
   A version whose date is later is published by the first pull, page or ``central recipes
   list`` on or after that date (:func:`publish_due`).

Each signature is checked as a login is (``central.users.sign``), is bound to the version's
SHA-256 and meaning (``change_hash(action, change)``), and is written in the server's own chain
(``central.chain``) in the transaction that changes the version's status
(``recipe_versions``, a projection of these events). Refusals are :class:`RecipeRefused` with
one line saying why; a wrong password is recorded like a failed login.
"""

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Connection, insert, select, update

from central import chain, schema, users
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.records import EVENT_COLUMNS, event_from_row
from central.store import LOCK_MASTER, LOCK_USER_FEED, CentralStore, now_iso
from kiosk.recipe import LoadedRecipe, RecipeError, recipe_from_bytes
from kiosk.roles import PERMISSIONS
from local_store import Event

STATUSES: Final = ("draft", "submitted", "reviewed", "approved", "effective", "retired")
MAX_TEXT: Final = 512 * 1024
"""The largest recipe text accepted (the reference recipe is about 20 KB)."""

_V = schema.recipe_versions
_R = schema.recipes
_E = schema.events


class RecipeRefused(CentralError):
    """A recipe upload or signature refused; ``str()`` says why in one line (validation
    problems follow, one per line)."""


@dataclass(frozen=True)
class RecipeVersion:
    """One uploaded version and where it stands."""

    recipe_id: str
    version: int
    title: str
    sha256: str
    yaml: str
    uploaded_at: str
    author: str | None
    status: str
    effective_from: str | None

    @property
    def label(self) -> str:
        return f"{self.recipe_id} v{self.version}"


def _version(row: Any) -> RecipeVersion:
    return RecipeVersion(
        row.recipe_id,
        int(row.recipe_version),
        row.title,
        row.sha256,
        row.yaml,
        row.uploaded_at,
        row.author,
        row.status,
        row.effective_from,
    )


def _today() -> date:
    return datetime.now(UTC).date()


# ---------------------------------------------------------------- reading


def versions(store: CentralStore, recipe_id: str | None = None) -> list[RecipeVersion]:
    """Every uploaded version (of one recipe), by recipe ID and version."""
    stmt = select(_V).order_by(_V.c.recipe_id, _V.c.recipe_version)
    if recipe_id is not None:
        stmt = stmt.where(_V.c.recipe_id == recipe_id)
    with store.read() as conn:
        return [_version(r) for r in conn.execute(stmt)]


def get(store: CentralStore, recipe_id: str, version: int) -> RecipeVersion | None:
    with store.read() as conn:
        return _get(conn, recipe_id, version)


def _get(conn: Connection, recipe_id: str, version: int) -> RecipeVersion | None:
    row = conn.execute(
        select(_V).where(_V.c.recipe_id == recipe_id, _V.c.recipe_version == version)
    ).first()
    return None if row is None else _version(row)


def history(store: CentralStore, recipe_id: str, version: int) -> list[Event]:
    """The server's ``recipe.*`` events about one version, oldest first."""
    with store.read() as conn:
        rows = conn.execute(
            select(*EVENT_COLUMNS)
            .where(_E.c.station == SERVER_STATION, _E.c.type.like("recipe.%"))
            .order_by(_E.c.seq)
        ).all()
    found = (event_from_row(r) for r in rows)
    return [
        e
        for e in found
        if e.payload.get("recipe_id") == recipe_id and e.payload.get("version") == version
    ]


def diff(old: RecipeVersion, new: RecipeVersion) -> list[str]:
    """A line diff of two versions' YAML texts (unified, 3 lines of context)."""
    return list(
        difflib.unified_diff(
            old.yaml.splitlines(),
            new.yaml.splitlines(),
            fromfile=old.label,
            tofile=new.label,
            lineterm="",
        )
    )


# ---------------------------------------------------------------- upload


def _validate(raw: bytes, name: str) -> LoadedRecipe:
    if len(raw) > MAX_TEXT:
        raise RecipeRefused(f"{name}: refused: over {MAX_TEXT // 1024} KB")
    try:
        return recipe_from_bytes(raw, Path(name))
    except RecipeError as exc:
        problems = "\n".join(str(p) for p in exc.problems)
        raise RecipeRefused(f"{name}: refused: the recipe fails validation:\n{problems}") from exc


def upload_file(
    store: CentralStore, path: str | Path, *, author: str, password: str
) -> tuple[RecipeVersion, bool]:
    """Upload one recipe file as a draft: (the version, whether it is new)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise RecipeRefused(f"{path}: cannot read: {exc.strerror}") from exc
    return upload(store, raw, str(path), author=author, password=password)


def upload(
    store: CentralStore, raw: bytes, name: str, *, author: str, password: str
) -> tuple[RecipeVersion, bool]:
    """Validate a recipe text and keep it as a draft by ``author`` (who signs in with
    ``password``): (the version, whether it is new). The same text again is no change; other
    text under an uploaded ID and version is refused (a version never changes)."""
    loaded = _validate(raw, name)
    try:
        who = users.check_login(store, author, password)
    except users.Refused as exc:
        raise RecipeRefused(f"upload refused: {exc}") from exc
    needed = PERMISSIONS["recipe.author"]
    if not who.roles & needed:
        raise RecipeRefused(
            f"upload refused: {who.name} may not author recipes ({' or '.join(sorted(needed))})"
        )
    recipe = loaded.recipe
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_USER_FEED)
        found = _get(conn, recipe.id, recipe.version)
        if found is not None:
            if found.sha256 != loaded.sha256:
                raise RecipeRefused(
                    f"{found.label} is on the server already with other content (sha256 "
                    f"{found.sha256[:12]}…, this text {loaded.sha256[:12]}…): a recipe version "
                    "never changes, give the new content a new version"
                )
            return found, False
        row = {
            "recipe_id": recipe.id,
            "recipe_version": recipe.version,
            "title": recipe.title,
            "sha256": loaded.sha256,
            "yaml": raw.decode("utf-8"),
            "uploaded_at": now_iso(),
            "author": who.id,
            "status": "draft",
            "effective_from": None,
        }
        conn.execute(insert(_V).values(row))
        payload = {
            "recipe_id": recipe.id,
            "version": recipe.version,
            "sha256": loaded.sha256,
            "title": recipe.title,
            "author": who.id,
        }
        chain.append(conn, "recipe.uploaded", payload, actor=f"u:{who.id}")
        added = _get(conn, recipe.id, recipe.version)
    assert added is not None
    return added, True


# ---------------------------------------------------------------- the three signatures


@dataclass(frozen=True)
class Step:
    """One signature of the lifecycle: who may sign, from which status, to which."""

    action: str
    meaning: str
    event: str
    before: str
    after: str


SUBMIT: Final = Step("recipe.author", "submitted", "recipe.submitted", "draft", "submitted")
REVIEW: Final = Step("recipe.review", "reviewed", "recipe.reviewed", "submitted", "reviewed")
APPROVE: Final = Step("recipe.approve", "approved", "recipe.approved", "reviewed", "approved")

_NEXT_SIGNER: Final = {
    "draft": "its author signs it submitted first",
    "submitted": "a reviewer signs it reviewed first",
    "reviewed": "QA signs it approved next",
    "approved": "it is approved already",
    "effective": "it is effective already",
    "retired": "it is retired",
}

Check = Callable[[Connection, RecipeVersion, str], None]


def _signers(conn: Connection, rv: RecipeVersion) -> dict[str, str]:
    """Who signed each meaning of this version so far (from its events)."""
    rows = conn.execute(
        select(*EVENT_COLUMNS)
        .where(
            _E.c.station == SERVER_STATION,
            _E.c.type.in_([SUBMIT.event, REVIEW.event, APPROVE.event]),
        )
        .order_by(_E.c.seq)
    ).all()
    signed: dict[str, str] = {}
    for event in (event_from_row(r) for r in rows):
        p = event.payload
        if p.get("recipe_id") == rv.recipe_id and p.get("version") == rv.version:
            signed[str(p["signature"]["meaning"])] = str(p["signature"]["user"])
    return signed


def _sign(
    store: CentralStore,
    step: Step,
    recipe_id: str,
    version: int,
    signer: str,
    password: str,
    *,
    extra: dict[str, Any] | None = None,
    check: Check | None = None,
) -> Event:
    """Check and sign one step in one transaction; a wrong password is recorded, then refused."""
    refusal: users.Refused | None = None
    event: Event | None = None
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_USER_FEED)
        rv = _get(conn, recipe_id, version)
        if rv is None:
            raise RecipeRefused(f"no recipe {recipe_id} v{version} on the server")
        if rv.status != step.before:
            raise RecipeRefused(
                f"{rv.label} is {rv.status}, not {step.before}: {_NEXT_SIGNER[rv.status]}"
            )
        _validate(rv.yaml.encode("utf-8"), rv.label)  # the validator may be newer than the upload
        if check is not None:
            check(conn, rv, signer)
        change = {
            "recipe_id": rv.recipe_id,
            "version": rv.version,
            "sha256": rv.sha256,
            "meaning": step.meaning,
            **(extra or {}),
        }
        directory = users.load(conn)
        signature, refusal = users.sign(
            conn,
            store,
            directory,
            signer,
            password,
            action=step.action,
            meaning=step.meaning,
            change=change,
        )
        if signature is not None:
            payload = {**change, "signature": signature}
            event = chain.append(conn, step.event, payload, actor=f"u:{signer}")
            values: dict[str, Any] = {"status": step.after}
            if extra and "effective_from" in extra:
                values["effective_from"] = extra["effective_from"]
            conn.execute(update(_V).where(_key(rv)).values(values))
            if step is APPROVE and extra and extra["effective_from"] <= _today().isoformat():
                store.advisory_lock(conn, LOCK_MASTER)
                _publish(conn, rv)
    if refusal is not None:
        raise RecipeRefused(f"signature refused: {refusal}")
    assert event is not None
    return event


def _key(rv: RecipeVersion) -> Any:
    return (_V.c.recipe_id == rv.recipe_id) & (_V.c.recipe_version == rv.version)


def submit(
    store: CentralStore, recipe_id: str, version: int, *, signer: str, password: str
) -> Event:
    """The author signs the draft "submitted" (only its author may)."""

    def author_only(_conn: Connection, rv: RecipeVersion, who: str) -> None:
        if rv.author is not None and who != rv.author:
            raise RecipeRefused(f"only the author of {rv.label}, {rv.author}, submits it")

    return _sign(store, SUBMIT, recipe_id, version, signer, password, check=author_only)


def review(
    store: CentralStore, recipe_id: str, version: int, *, signer: str, password: str
) -> Event:
    """A reviewer who is not the author signs the submitted version "reviewed"."""

    def not_the_author(_conn: Connection, rv: RecipeVersion, who: str) -> None:
        if who == rv.author:
            raise RecipeRefused(f"{who} wrote {rv.label}: another person reviews it")

    return _sign(store, REVIEW, recipe_id, version, signer, password, check=not_the_author)


def approve(
    store: CentralStore,
    recipe_id: str,
    version: int,
    *,
    signer: str,
    password: str,
    effective_from: date | None = None,
) -> Event:
    """QA signs the reviewed version "approved", effective from a date (default today, UTC)."""
    when = effective_from or _today()
    if when < _today():
        raise RecipeRefused(f"effective date {when} is in the past: give today or a later date")

    def independent(conn: Connection, rv: RecipeVersion, who: str) -> None:
        signed = _signers(conn, rv)
        if who == rv.author:
            raise RecipeRefused(f"{who} wrote {rv.label}: QA approves another person's recipe")
        if who == signed.get("reviewed"):
            raise RecipeRefused(f"{who} reviewed {rv.label}: another person in QA approves it")
        current = _effective(conn, rv.recipe_id)
        if current is not None and current.version >= rv.version:
            raise RecipeRefused(
                f"{current.label} is effective: {rv.label} cannot take its place "
                "(give the change a higher version)"
            )

    return _sign(
        store,
        APPROVE,
        recipe_id,
        version,
        signer,
        password,
        extra={"effective_from": when.isoformat()},
        check=independent,
    )


# ---------------------------------------------------------------- effective and retired


def _effective(conn: Connection, recipe_id: str) -> RecipeVersion | None:
    row = conn.execute(
        select(_V)
        .where(_V.c.recipe_id == recipe_id, _V.c.status == "effective")
        .order_by(_V.c.recipe_version.desc())
    ).first()
    return None if row is None else _version(row)


def _publish(conn: Connection, rv: RecipeVersion) -> None:
    """Make ``rv`` effective: into the stations' feed, its lower versions retired."""
    feed = conn.execute(
        select(_R.c.version).where(
            _R.c.recipe_id == rv.recipe_id, _R.c.recipe_version == rv.version
        )
    ).scalar()
    if feed is None:
        feed = conn.execute(
            insert(_R)
            .values(
                recipe_id=rv.recipe_id,
                recipe_version=rv.version,
                status="effective",
                title=rv.title,
                sha256=rv.sha256,
                yaml=rv.yaml,
                uploaded_at=rv.uploaded_at,
            )
            .returning(_R.c.version)
        ).scalar_one()
    conn.execute(update(_V).where(_key(rv)).values(status="effective"))
    payload = {
        "recipe_id": rv.recipe_id,
        "version": rv.version,
        "sha256": rv.sha256,
        "effective_from": rv.effective_from,
        "master_version": int(feed),
    }
    chain.append(conn, "recipe.effective", payload)
    older = conn.execute(
        select(_V)
        .where(
            _V.c.recipe_id == rv.recipe_id,
            _V.c.recipe_version < rv.version,
            _V.c.status.in_(["effective", "approved"]),
        )
        .order_by(_V.c.recipe_version)
    ).all()
    for row in older:
        old = _version(row)
        conn.execute(update(_V).where(_key(old)).values(status="retired"))
        chain.append(
            conn,
            "recipe.retired",
            {"recipe_id": old.recipe_id, "version": old.version, "superseded_by": rv.version},
            reason=f"superseded by v{rv.version}",
        )


def publish_due(store: CentralStore, today: date | None = None) -> list[str]:
    """Make every approved version whose effective date has come effective; their labels."""
    day = (today or _today()).isoformat()
    due = (_V.c.status == "approved") & (_V.c.effective_from <= day)
    with store.read() as conn:
        if conn.execute(select(_V.c.id).where(due).limit(1)).first() is None:
            return []
    published: list[str] = []
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_MASTER)
        rows = conn.execute(select(_V).where(due).order_by(_V.c.recipe_id, _V.c.recipe_version))
        for rv in [_version(r) for r in rows]:
            current = _get(conn, rv.recipe_id, rv.version)
            if current is not None and current.status == "approved":  # not retired meanwhile
                _publish(conn, current)
                published.append(current.label)
    return published


def statuses(store: CentralStore) -> Iterator[tuple[str, list[RecipeVersion]]]:
    """Each recipe ID with its versions, newest first (for the list page and the CLI)."""
    by_id: dict[str, list[RecipeVersion]] = {}
    for rv in versions(store):
        by_id.setdefault(rv.recipe_id, []).append(rv)
    for recipe_id in sorted(by_id):
        yield recipe_id, sorted(by_id[recipe_id], key=lambda r: -r.version)
