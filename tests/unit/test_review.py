"""Review by exception (kiosk/review.py): items as they happen, dispositions, the release gate.

Batches are made the way validation makes them: OQ scripts run through the real engine
(`kiosk.oq.run_script`), and the engine driven directly for the mid-batch cases.
`car_t_script` builds a clean reference batch; test_ebr and test_batchml use it too.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml

from kiosk import review
from kiosk.engine import ActionRefused, Engine
from kiosk.oq import run_script
from kiosk.review import ReviewPolicy
from local_store import EventStore
from tests.helpers import ACTIVATION_GTIN, BEADS_GTIN, SCRIPT_MATERIALS, VECTOR_GTIN
from tests.helpers import run_kiosk as kiosk

from .conftest import PASSWORDS, Station

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "recipes" / "car-t-autologous.yaml"
GS = "\x1d"

USERS = [
    {"id": "olivia", "name": "Olivia Okafor", "roles": ["operator"], "password": "op-olivia-2026"},
    {"id": "oscar", "name": "Oscar Lindqvist", "roles": ["operator"], "password": "op-oscar-2026"},
    {"id": "sam", "name": "Samira Haddad", "roles": ["supervisor"], "password": "sup-samira-2026"},
    {"id": "quinn", "name": "Quinn Marlowe", "roles": ["qa"], "password": "qa-quinn-2026"},
    {"id": "tess", "name": "Tess Varga", "roles": ["technician"], "password": "tech-tess-2026"},
]
BALANCE = "B207696838"
EQUIPMENT = [
    {
        "id": "BAL-7",
        "kind": "balance",
        "serial": BALANCE,
        "model": "MT XSR2002S",
        "calibration_due": "2027-06-30",
    },
    *(
        {
            "id": asset,
            "kind": kind,
            "serial": serial,
            "model": model,
            "calibration_due": "2027-06-30",
            "accepted_as": role,
        }
        for asset, kind, serial, model, role in (
            ("INC-3", "incubator", "urn:sim:incubator", "OPC UA incubator", "incubator"),
            ("TANK-2", "freezer", "urn:sim:storage-tank", "LN2 vapour tank", "storage_tank"),
        )
    ),
]
LOTS = [
    {"gtin": gtin, "lot": lot, "material": material, "expiry": expiry}
    for gtin, lot, material, expiry in (
        (BEADS_GTIN, "BEADS-2411", "CD4CD8-BEADS", "2027-12-31"),
        (ACTIVATION_GTIN, "ACT-77", "TCELL-ACT", "2027-12-31"),
        (VECTOR_GTIN, "LV-0042", "LV-VECTOR", "2028-06-30"),
    )
]
DAILY_CHECK = {
    "do": "daily_check",
    "as": "tess",
    "equipment": "BAL-7",
    "reference": 200.0,
    "reading": 200.01,
}
OSCAR = {"user": "oscar", "password": "op-oscar-2026"}
SAM = {"user": "sam", "password": "sup-samira-2026"}
DIN = "=G12341765432170"


def car_t_steps(
    batch: str,
    *,
    counts: Iterable[float] = (150.0, 400.0, 900.0, 1300.0, 1800.0),
    viability: float = 92.0,
    before_release: Iterable[Mapping[str, Any]] = (),
    release: bool = True,
    patient: str = "PT-0042",
    collection: str = "654321",
    order: str = "ORD-2026-0113",
) -> list[dict[str, Any]]:
    """A clean run of the reference recipe (no exception), from receipt to QA release.

    A second batch in one file needs another ``collection`` (the bag's DIN serial) and
    ``order``: a bag and an order belong to one batch.
    """
    din = DIN if collection == "654321" else f"=G123417{collection}00"

    def w(who: Mapping[str, str]) -> dict[str, Any]:
        return {"do": "witness", **who}

    sample = din.removeprefix("=")[:13] + "-S"

    def count(cells: float, viable: float, **more: Any) -> list[dict[str, Any]]:
        """A count from the cell counter's file (cells in millions in 100 mL), the volume typed,
        the cells calculated, the viability from the same result."""
        result = {"do": "import_count", "sample": sample, "viable_per_ml": cells * 1e4}
        return [
            {**result, "viability": viable},
            {"do": "enter", "value": "100"},
            {"do": "confirm"},
            {**result, "viability": viable, **more},
        ]

    steps: list[dict[str, Any]] = [
        {"do": "login", "user": "tess", "password": "tech-tess-2026"},
        {"do": "login", "user": "olivia", "password": "op-olivia-2026"},
        {
            "do": "start",
            "recipe": "car-t-autologous",
            "batch": batch,
            "order": {
                "patient_id": patient,
                "order_id": order,
                "weight_kg": 70.0,
                "coi": f"CHG123417{collection}",
                "dins": [din.removeprefix("=")[:13]],
                "collection_time": "2026-11-26T10:00:00Z",
                "shipment": "frozen",
            },
            "expect": {"step": "receipt.bag_scan"},
        },
        {"do": "scan", "text": din},
        w(OSCAR),
        {"do": "scan", "text": f"&/CHG123417{collection}"},
        {"do": "check", "result": "pass"},
        {"do": "enter", "value": "-160"},
        w(OSCAR),
        {"do": "sign", **SAM, "expect": {"step": "isolation.bag_check"}},
        {"do": "scan", "text": din},
        {"do": "scan", "text": f"]d2010843021501153917271231{GS}10BEADS-2411"},
        {"do": "confirm"},
        *count(850.0, viability),
        {"do": "scan", "text": f"]d201{ACTIVATION_GTIN}17271231{GS}10ACT-77"},
        {"do": "enter", "value": "100.0"},
        {"do": "timer_start"},
        {"do": "advance", "hours": 24},
        {"do": "timer_stop", "expect": {"step": "activation.incubator_temperature"}},
        {"do": "capture", "value": 37.0, "unit": "°C"},
        {"do": "capture", "value": 5.0, "unit": "%", "expect": {"step": "transduction.vector_lot"}},
        {"do": "scan", "text": f"]d201{VECTOR_GTIN}17280630{GS}10LV-0042"},
        {"do": "enter", "value": "200.0"},
        w(OSCAR),
        {"do": "enter", "value": "100.0"},
        {"do": "confirm"},
        {"do": "sign", **SAM},
        {"do": "confirm"},
        w(OSCAR),
        {"do": "timer_start"},
        {"do": "advance", "hours": 24},
        {"do": "timer_stop", "expect": {"step": "expansion[1].daily_concentration"}},
    ]
    counts = list(counts)
    for day, cells in enumerate(counts, start=1):
        steps += count(cells, round(viability + day * 0.1, 1))
        if day == 5:
            steps.append({"do": "enter", "value": "35.2"})
        if cells < 1500:
            steps += [
                dict(DAILY_CHECK),
                {"do": "weigh", "value": 250.0 + day / 10, "unit": "g", "device": BALANCE},
                {"do": "timer_start"},
                {"do": "advance", "hours": 24},
                {"do": "timer_stop"},
            ]
    steps += [
        *count(1750.0, 93.1),
        w(OSCAR),
        {"do": "confirm"},
        {"do": "confirm"},
        {"do": "enter", "value": "40"},
        {"do": "enter", "value": "500.0"},
        {"do": "enter", "value": "95.0"},
        {"do": "enter", "value": "40.0"},
        {"do": "confirm"},
        {"do": "confirm"},
        {"do": "confirm"},
        {"do": "sign", **SAM, "expect": {"step": "fill_label.final_bag_din"}},
        {"do": "scan", "text": din},
        dict(DAILY_CHECK),
        {"do": "weigh", "value": 105.3, "device": BALANCE},
        w(OSCAR),
        {"do": "confirm"},
        {"do": "confirm"},
        {"do": "print_label"},
        {"do": "scan_label"},  # the printed Data Matrix: the batch's DIN and CoI
        w(OSCAR),
        {"do": "check", "result": "pass", "expect": {"step": "cryopreservation.cryo_bag_din"}},
        {"do": "scan", "text": din},
        {"do": "timer_start"},
        {"do": "advance", "minutes": 120},
        {"do": "timer_stop"},
        {"do": "capture", "value": -182, "unit": "°C", "device": "urn:sim:storage-tank"},
        {"do": "enter", "value": "LN2-3 / rack 2 / box 5 / slot 14"},
        {"do": "scan", "text": "DS-0042"},
        {"do": "check", "result": "pass"},
        {"do": "enter", "value": "BioLogistics, Colin Reyes"},
        {"do": "enter", "value": "7781-3310"},
        {"do": "sign", **SAM, "expect": {"step": "qa_release.release"}},
        {"do": "advance", "days": 1},  # the LIMS results arrive after freezing
        *(
            {"do": "record_result", "test": test, "value": value, "unit": unit}
            for test, value, unit in (
                ("endotoxin", 0.5, "EU/mL"),
                ("vcn", 1.2, "copies/cell"),
                ("sterility", "negative", None),
                ("mycoplasma", "negative", None),
            )
        ),
        *before_release,
    ]
    if release:
        steps += [
            {"do": "login", "user": "quinn", "password": "qa-quinn-2026"},
            {
                "do": "sign",
                "user": "quinn",
                "password": "qa-quinn-2026",
                "expect": {"state": "released"},
            },
        ]
    return steps


def write_script(
    path: Path,
    steps: list[dict[str, Any]],
    *,
    recipes: Iterable[Path] = (RECIPE,),
    start: str = "2026-11-27T07:00:00Z",
) -> Path:
    script = {
        "title": f"test batch {path.stem}",
        "recipes": [str(r) for r in recipes],
        "station": "TEST-CART-1",
        "start": start,
        "inactivity_minutes": 100000,
        "users": USERS,
        "equipment": EQUIPMENT,
        "materials": SCRIPT_MATERIALS,
        "lots": LOTS,
        "steps": steps,
    }
    path.write_text(yaml.safe_dump(script, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def run(script: Path, db: Path) -> str:
    """Run an OQ script (fast password hashing); fail the test if any line failed."""
    out = io.StringIO()
    ok = run_script(script, db, out, fast_hash=True)
    assert ok, out.getvalue()
    return out.getvalue()


def make_batch(tmp: Path, name: str, db: Path | None = None, **kwargs: Any) -> Path:
    """Run a clean car-t batch named `name` into `db` (default tmp/name.sqlite)."""
    db = db or tmp / f"{name}.sqlite"
    run(write_script(tmp / f"{name}.yaml", car_t_steps(name, **kwargs)), db)
    return db


def reference_db(tmp: Path) -> Path:
    """The shipped reference OQ batch B-OQ-0001 (four exceptions, dispositioned, released)."""
    db = tmp / "reference.sqlite"
    run(ROOT / "oq" / "car-t-full-batch.yaml", db)
    return db


def state_of(db: Path, batch: str) -> tuple[Any, list[Any]]:
    from kiosk.ebr import load_record

    with EventStore(db, "READER", create=False) as store:
        record = load_record(store, batch, ROOT / "recipes")
    return record.state, record.events


# ---------------------------------------------------------------- the reference batch


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_db(tmp_path_factory.mktemp("reference"))


def test_reference_batch_items_and_dispositions(reference: Path) -> None:
    state, events = state_of(reference, "B-OQ-0001")
    found = review.items(state, history=events)
    exceptions = [i for i in found if i.kind == "exception"]
    # the reference script grows; these four have been in it from the start
    assert {"cpp_cqa", "identity", "resource", "value"} <= {i.category for i in exceptions}
    assert all(i.required and not i.open for i in exceptions)
    low = next(i for i in exceptions if i.category == "cpp_cqa")
    assert low.disposition is not None
    assert low.disposition["decision"] == "deviation"
    assert low.disposition["reference"] == "DEV-2026-0042"
    assert low.disposition["signature"]["name"] == "Quinn Marlowe"
    assert review.open_items(state, history=events) == []
    # nothing but the exceptions needs a disposition in the reference batch
    assert [i for i in found if i.required and i.kind != "exception"] == []


def test_cpp_cqa_values_are_information_with_limits(reference: Path) -> None:
    state, _ = state_of(reference, "B-OQ-0001")
    values = {i.id: i for i in review.items(state) if i.kind == "value"}
    day2 = values["value:expansion[2].daily_viability"]
    assert not day2.required
    assert day2.status == "info"
    assert day2.values["value"] == 90.1
    assert day2.values["alert"] == [85.0, 100.0]
    assert day2.values["action"] == [70.0, 100.0]
    assert day2.values["in_limits"] is True
    low = values["value:isolation.post_isolation_viability"]
    assert low.values["status"] == "out (action)"
    assert low.values["exceptions"] == [
        i.id for i in review.items(state) if i.category == "cpp_cqa" and i.kind == "exception"
    ]
    assert values["value:expansion[1].daily_viability"].values["status"] == "out (alert)"
    assert values["value:qc_sampling.sterility"].values["expected"] == "negative"
    assert values["value:qc_sampling.sterility"].values["in_limits"] is True
    # values are left out of the release gate and on request
    assert not any(i.kind == "value" for i in review.items(state, include_values=False))
    assert [i.id for i in review.value_items(state)] == list(values)


# ---------------------------------------------------------------- items as they happen


def _later(station: Station, session: Any, delta: timedelta) -> None:
    """Let time pass; the person unlocks the station again (5 min inactivity lock)."""
    station.clock.advance(delta)
    station.auth.unlock(session, PASSWORDS[session.user.id])


def _training(station: Station) -> tuple[Engine, Any, str]:
    eng = station.engine
    olivia = station.login("olivia")
    batch = eng.start_batch(olivia, "training", {"trainee": "Olivia"}, batch_id="B-T-1")
    return eng, olivia, batch


def test_exception_is_an_item_the_moment_it_is_raised(station: Station) -> None:
    eng, olivia, batch = _training(station)
    eng.confirm(olivia, batch)
    eng.scan(olivia, batch, DIN)
    eng.check(olivia, batch, "pass")
    assert review.items(eng.batch(batch)) == []
    eng.enter(olivia, batch, "200.0")  # outside the alert limits 50-150 mL, inside action
    state = eng.batch(batch)
    assert state.state == "in_progress"
    (item,) = review.open_items(state)
    assert item.kind == "exception"
    assert item.category == "value"
    assert item.step == "measure.target_volume"
    # QA can disposition while the batch still runs; the item closes at once
    quinn = station.login("quinn")
    eng.disposition(
        quinn, batch, item.id, "reviewed", "Within action limits", "qa-quinn-2026", user_id="quinn"
    )
    assert review.open_items(eng.batch(batch)) == []
    (closed,) = review.items(eng.batch(batch))
    assert closed.status == "reviewed"
    assert closed.disposition is not None
    assert closed.disposition["signature"]["name"] == "Quinn Marlowe"


def test_derived_items_comment_correction_manual_late(station: Station) -> None:
    eng, olivia, batch = _training(station)
    eng.confirm(olivia, batch)
    # typed DIN: a manual-entry exception with the supervisor's signature
    eng.scan(
        olivia,
        batch,
        "G123417654321 A",
        keyed=True,
        override=station.creds("sam"),
        reason="barcode smudged",
    )
    eng.check(olivia, batch, "na", comment="Bench replaced this morning")  # N.A.: exception
    _later(station, olivia, timedelta(hours=2))  # the entry comes two hours late
    eng.enter(olivia, batch, "100.0", comment="read from the beaker scale")
    eng.correct(olivia, batch, "measure.target_volume", "101.0", "Transposed digits")
    state = eng.batch(batch)
    by_kind: dict[str, list[review.ReviewItem]] = {}
    for item in review.open_items(state):
        by_kind.setdefault(item.kind, []).append(item)
    assert sorted(by_kind) == ["comment", "correction", "exception", "late_entry"]
    manual, na = sorted(by_kind["exception"], key=lambda i: i.category)
    assert na.category == "process"
    assert na.values["comment"] == "Bench replaced this morning"
    # the N.A. comment is carried by its exception: it is not counted twice
    (comment,) = by_kind["comment"]
    assert comment.id == "comment:measure.target_volume"
    assert "read from the beaker scale" in comment.message
    # the typed DIN is listed once: as its exception, not again as a derived manual entry
    assert (manual.category, manual.step) == ("manual_entry", "start.bag_scan")
    assert manual.values["override_by"] == "sam"
    assert "typed by hand, not scanned (barcode smudged)" in manual.message
    (late,) = by_kind["late_entry"]
    assert late.id == "late:measure.target_volume"
    assert "2.0 h" in late.message
    (corr,) = by_kind["correction"]
    assert corr.id == "correction:measure.target_volume:1"
    assert (corr.values["old"], corr.values["new"]) == (100.0, 101.0)
    # with the batch's events the correction carries its reason, time and author
    events = list(station.store.events(batch=batch))
    (corr,) = [i for i in review.items(state, history=events) if i.kind == "correction"]
    assert corr.values["reason"] == "Transposed digits"
    assert corr.values["by"] == "u:olivia"
    # a derived item is dispositioned through the engine like an exception
    quinn = station.login("quinn")
    eng.disposition(
        quinn,
        batch,
        corr.id,
        "accepted",
        "Checked against the log",
        "qa-quinn-2026",
        user_id="quinn",
    )
    assert corr.id not in {i.id for i in review.open_items(eng.batch(batch))}
    assert eng.batch(batch).reviewed[corr.id]["decision"] == "accepted"


def test_late_entry_threshold_is_configurable(station: Station) -> None:
    eng, olivia, batch = _training(station)
    eng.confirm(olivia, batch)
    eng.scan(olivia, batch, DIN)
    _later(station, olivia, timedelta(minutes=30))
    eng.check(olivia, batch, "pass")
    state = eng.batch(batch)
    assert review.items(state, include_values=False) == []
    strict = ReviewPolicy(late_entry=timedelta(minutes=15))
    (late,) = review.items(state, policy=strict)
    assert late.id == "late:start.area_clean"
    assert "30 min" in late.message


def test_time_on_hold_for_a_blocking_exception_does_not_make_an_entry_late(
    station: Station,
) -> None:
    eng, olivia, batch = _training(station)
    eng.confirm(olivia, batch)
    eng.scan(olivia, batch, DIN)
    eng.check(olivia, batch, "fail", comment="Dust on the bench")  # blocking: batch held
    assert eng.batch(batch).state == "on_hold"
    _later(station, olivia, timedelta(hours=3))
    (blocking,) = eng.batch(batch).open_exceptions()
    eng.acknowledge(olivia, batch, blocking.id, station.creds("sam"), "Bench cleaned again")
    eng.enter(olivia, batch, "100.0")  # at once after the batch resumed: not late
    found = review.items(eng.batch(batch))
    assert [(i.kind, i.category) for i in found] == [("exception", "check_failed")]


def test_hold_by_a_person_and_abort_need_the_history(station: Station) -> None:
    eng, olivia, batch = _training(station)
    eng.hold(olivia, batch, "Particles seen in the bag")
    eng.resume(olivia, batch, station.creds("sam"), "Particles were on the outside")
    eng.abort(olivia, batch, station.creds("sam"), "Training stopped")
    state = eng.batch(batch)
    assert review.items(state) == []  # not in the projection
    events = list(station.store.events(batch=batch))
    found = review.open_items(state, history=events)
    assert [i.kind for i in found] == ["hold", "abort"]
    assert "Particles seen in the bag" in found[0].message
    assert found[0].category == "batch_state"
    assert "Samira Haddad" in found[1].message


def test_date_entry_long_before_it_was_typed(station: Station) -> None:
    from kiosk.batch import StepRecord

    eng, _olivia, batch = _training(station)
    state = eng.batch(batch)

    typed = "2026-11-27T07:05:00.000Z"
    state.records["x.thaw"] = StepRecord(
        key="x.thaw",
        step_id="thaw",
        stage="x",
        iteration=1,
        kind="entry",
        value="2025-11-20T07:00:00.000Z",
        unit=None,
        event_hash="0" * 64,
        seq=99,
        actor="u:olivia",
        ts=typed,
        payload={"type": "date"},
    )
    (item,) = review.items(state)
    assert item.id == "late:x.thaw"
    assert "d before it was entered" in item.message


# ---------------------------------------------------------------- the release gate


def test_release_refused_until_a_correction_is_dispositioned(tmp_path: Path) -> None:
    """Through the engine (the OQ runner's actions): the gate holds derived items too."""
    item = "correction:harvest.residual_beads:1"
    steps = car_t_steps(
        "B-GATE-1",
        release=False,
        before_release=[
            {
                "do": "correct",
                "step": "harvest.residual_beads",
                "value": "41",
                "reason": "Transcription error",
            },
            {"do": "login", "user": "quinn", "password": "qa-quinn-2026"},
            {
                "do": "sign",
                "user": "quinn",
                "password": "qa-quinn-2026",
                "expect": {"refused": "1 review item(s) not yet dispositioned"},
            },
            {
                "do": "disposition",
                "exception": item,
                "decision": "accepted",
                "user": "quinn",
                "reason": "Correct value from the counter print-out",
                "password": "qa-quinn-2026",
            },
            {
                "do": "disposition",
                "exception": item,
                "decision": "accepted",
                "reason": "again",
                "password": "qa-quinn-2026",
                "expect": {"refused": "dispositioned already"},
            },
            {
                "do": "sign",
                "user": "quinn",
                "password": "qa-quinn-2026",
                "expect": {"state": "released"},
            },
        ],
    )
    db = tmp_path / "gate.sqlite"
    out = run(write_script(tmp_path / "gate.yaml", steps), db)
    assert "refused: release refused: 1 review item(s)" in out
    state, events = state_of(db, "B-GATE-1")
    assert state.state == "released"
    assert state.reviewed[item]["decision"] == "accepted"
    assert any(e.type == "review.dispositioned" and e.payload["id"] == item for e in events)


def test_clean_batch_releases_with_no_item_to_disposition(tmp_path: Path) -> None:
    db = make_batch(tmp_path, "B-CLEAN-1")
    state, events = state_of(db, "B-CLEAN-1")
    assert state.state == "released"
    assert review.items(state, include_values=False, history=events) == []
    assert len(review.value_items(state)) >= 15


# ---------------------------------------------------------------- kiosk review


def test_kiosk_review_lists_items_with_disposition_and_signer(reference: Path) -> None:
    result = kiosk("review", "--db", str(reference), "--batch", "B-OQ-0001")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert "review item(s), 0 open" in lines[0]
    deviation = next(line for line in lines if line.startswith("deviation"))
    assert "DEV-2026-0042" in deviation
    assert "by Quinn Marlowe (quinn)" in deviation
    assert "Low post-selection viability" in deviation
    assert any(line.startswith("info") and "expansion[2].daily_viability" in line for line in lines)
    only_open = kiosk(
        "review", "--db", str(reference), "--batch", "B-OQ-0001", "--open", "--no-values"
    )
    assert only_open.stdout.splitlines()[1:] == ["no open review items"]


def test_kiosk_review_errors_are_one_line(tmp_path: Path, reference: Path) -> None:
    missing = kiosk("review", "--db", str(tmp_path / "none.sqlite"), "--batch", "B-1")
    assert missing.returncode == 1
    assert missing.stdout.strip() == f"review: no database at {tmp_path / 'none.sqlite'}"
    assert "Traceback" not in missing.stderr
    unknown = kiosk("review", "--db", str(reference), "--batch", "B-NOPE")
    assert unknown.returncode == 1
    assert unknown.stdout.count("\n") == 1
    assert "no batch 'B-NOPE'" in unknown.stdout
    assert "Traceback" not in unknown.stderr


def test_engine_disposition_refuses_unknown_item(station: Station) -> None:
    eng, _olivia, batch = _training(station)
    quinn = station.login("quinn")
    with pytest.raises(ActionRefused, match="no review item"):
        eng.disposition(
            quinn, batch, "comment:start.welcome", "reviewed", "x", "qa-quinn-2026", user_id="quinn"
        )
