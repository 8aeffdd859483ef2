"""One malformed event never breaks a review, a PDF or the server's batch page.

The reference batch is copied event by event with one payload damaged (as a faulty station,
an old version or a hand-edited file could leave it). `kiosk review`, every export format and
the central server's review must still work, name the damaged event, and show the rest.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from central import qa
from kiosk.damage import damage
from kiosk.ebr import build_record, load_record, summarize
from kiosk.recipe import LoadedRecipe, load_recipe
from local_store import Event, EventStore
from tests.helpers import run_kiosk as kiosk

from .test_review import ROOT, reference_db

BATCH = "B-OQ-0001"
RECIPE = ROOT / "recipes" / "car-t-autologous.yaml"

Damage = tuple[str, Any]
CASES: dict[str, tuple[str, dict[str, Any]]] = {
    # name: (event type to damage (its first one), fields to overwrite)
    "values-abc": ("exception.raised", {"values": "abc"}),
    "message-number": ("exception.raised", {"message": 42, "step": ["x"]}),
    "blocking-text": ("exception.raised", {"blocking": "yes", "id": 5}),
    "limits-text": ("step.recorded", {"limits": "x"}),
    "iteration-text": ("stage.started", {"iteration": "three"}),
    "state-missing": ("batch.state", {"state": None}),
}


def copy_with(source: Path, target: Path, type_: str, change: dict[str, Any]) -> int:
    """Copy every event, overwriting fields of the first event of ``type_``; its seq."""
    damaged_seq = 0
    with (
        EventStore(source, "COPY", read_only=True) as old,
        EventStore(target, old.stations()[0]) as new,
    ):
        for e in old.events():
            payload = dict(e.payload)
            if not damaged_seq and e.type == type_:
                payload.update(change)
                damaged_seq = e.seq
            new.append(e.type, payload, actor=e.actor, batch=e.batch, reason=e.reason)
    assert damaged_seq
    return damaged_seq


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_db(tmp_path_factory.mktemp("damaged-ref"))


@pytest.mark.parametrize("case", list(CASES))
def test_review_and_every_export_survive_one_damaged_event(
    reference: Path, tmp_path: Path, case: str
) -> None:
    type_, change = CASES[case]
    db = tmp_path / "damaged.sqlite"
    seq = copy_with(reference, db, type_, change)

    review = kiosk("review", "--db", str(db), "--batch", BATCH)
    assert review.returncode == 0, review.stdout + review.stderr
    assert f"DAMAGED   event {seq} of station" in review.stdout
    assert "review item(s)" in review.stdout  # the rest of the batch is reviewed

    for fmt, name in (("pdf", "r.pdf"), ("json", "r.json"), ("batchml", "r.xml")):
        out = tmp_path / name
        result = kiosk("ebr", "export", "--db", str(db), "--batch", BATCH, "-o", str(out),
                       "--format", fmt)  # fmt: skip
        assert result.returncode == 0, (fmt, result.stdout + result.stderr)
        assert out.stat().st_size > 0
    result = kiosk("ebr", "export", "--db", str(db), "--batch", BATCH, "-o",
                   str(tmp_path / "review.pdf"), "--review-only")  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    exported = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert len(exported["events"]) > 200  # every event is still in the electronic copy

    with EventStore(db, "READER", read_only=True) as store:
        record = load_record(store, BATCH, ROOT / "recipes")
    [bad] = [e for e in record.events if e.seq == seq]
    assert summarize(bad).startswith(f"DAMAGED {type_} event")
    assert any(f"event {seq} of station" in p for p in record.problems)


class _Recipes:
    _shared: LoadedRecipe | None = None

    def __init__(self) -> None:
        self.loaded = self.shared()

    @classmethod
    def shared(cls) -> LoadedRecipe:
        if cls._shared is None:
            cls._shared = load_recipe(RECIPE)
        return cls._shared

    def get(self, _recipe_id: str, _version: int, _sha256: str) -> LoadedRecipe:
        return self.loaded


def test_server_review_lists_the_damage_and_the_items(reference: Path, tmp_path: Path) -> None:
    db = tmp_path / "damaged.sqlite"
    seq = copy_with(reference, db, "exception.raised", {"values": "abc"})
    with EventStore(db, "READER", read_only=True) as store:
        events = list(store.events(batch=BATCH))
    recipes = cast(qa.RecipeCache, _Recipes())
    state, _loaded, note = qa.rebuild_state(events, recipes)
    assert state is not None  # rebuilt with its recipe, not the crude event list
    assert note is not None
    assert f"event {seq} of station" in note
    assert "field 'values' should be a mapping" in note
    assert len(state.exceptions) >= 3  # the other exceptions are still there


_junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=5),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


@pytest.fixture(scope="module")
def reference_events(reference: Path) -> list[Event]:
    with EventStore(reference, "READER", read_only=True) as store:
        return list(store.events(batch=BATCH))


@given(index=st.integers(min_value=1, max_value=10_000), field=st.text(max_size=8), junk=_junk)
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_any_single_damaged_field_leaves_a_record(
    reference_events: list[Event], index: int, field: str, junk: Any
) -> None:
    """Overwrite one field of one event (not the first) with junk: the record still builds."""
    events = list(reference_events)
    target = events[1 + index % (len(events) - 1)]
    keys = sorted(target.payload) or [field]
    key = keys[index % len(keys)] if field == "" else field
    payload = {**target.payload, key: junk}
    events[events.index(target)] = Event(
        target.station, target.seq, target.ts, target.actor, target.batch, target.type,
        payload, target.reason, target.prev, target.hash,
    )  # fmt: skip
    record = build_record(BATCH, events, {}, _Recipes.shared(), "")
    record.review_items()
    for event in record.events:
        assert summarize(event)
    if damage(events[events.index(next(e for e in events if e.seq == target.seq))]):
        assert any(f"event {target.seq} of station" in p for p in record.problems)
