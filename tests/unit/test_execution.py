"""The execution engine, as operators and supervisors meet it (through the training recipe)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.auth import Session
from kiosk.engine import ActionRefused, Credentials, Engine, Reading
from local_store import Event
from tests.helpers import start_ordered

from .conftest import Station

DIN = "=G12341765432170"


def start(st: Station, who: str = "olivia") -> tuple[Session, str]:
    session = st.login(who)
    batch = st.engine.start_batch(
        session, "training", {"trainee": "Tess Trainee"}, batch_id="B-T-1"
    )
    return session, batch


def to_weigh(st: Station) -> tuple[Session, str]:
    session, batch = start(st)
    st.engine.confirm(session, batch)
    st.engine.scan(session, batch, DIN)
    st.engine.check(session, batch, "pass")
    st.engine.enter(session, batch, "100.0")
    return session, batch


def events(st: Station, batch: str, type_: str) -> list[Event]:
    return [e for e in st.store.events(batch=batch) if e.type == type_]


def test_batch_start_records_recipe_identity(station: Station) -> None:
    _, batch = start(station)
    first = next(station.store.events(batch=batch))
    assert first.type == "batch.started"
    assert first.payload["recipe_id"] == "training"
    assert first.payload["recipe_version"] == 1
    assert first.payload["recipe_sha256"] == station.engine.recipes["training"].sha256
    assert station.engine.view(batch).key == "start.welcome"


def test_context_is_checked_at_start(station: Station) -> None:
    session = station.login("olivia")
    with pytest.raises(ActionRefused, match="Trainee name is required"):
        station.engine.start_batch(session, "training", {})
    with pytest.raises(ActionRefused, match=r"Patient weight must be 3–200 kg"):
        station.engine.start_batch(
            session,
            "car-t-autologous",
            {
                "patient_id": "P",
                "order_id": "O",
                "patient_weight": 900,
                "collection_time": "2026-11-26T10:00:00Z",
                "shipment": "frozen",
            },
            supervisor=station.creds("sam"),
            reason="order system down",
        )


def test_qa_may_not_start_a_batch(station: Station) -> None:
    with pytest.raises(ActionRefused, match="may not start"):
        station.engine.start_batch(station.login("quinn"), "training", {"trainee": "x"})


def test_complete_training_batch(station: Station) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    eng.weigh(session, batch, Reading(100.2, "g", True, "BAL-1"))
    assert eng.view(batch).waiting_for == "witness"
    eng.witness(session, batch, station.creds("oscar"))
    assert eng.view(batch).key == "measure.dispensed_volume"
    assert eng.view(batch).preview["value"] == pytest.approx(100.2)
    eng.confirm(session, batch)
    eng.timer_start(session, batch)
    station.clock.advance(timedelta(minutes=2))
    eng.timer_stop(session, batch)
    label = eng.print_label(session, batch)
    assert label["din"] == "G123417654321"
    eng.sign_step(session, batch, station.creds("sam"))
    assert eng.view(batch).state == "completed"
    calc = eng.batch(batch).records["measure.dispensed_volume"]
    assert calc.payload["inputs"]["dispensed"]["value"] == pytest.approx(100.2)
    assert calc.payload["formula"] == "dispensed / water_density"
    assert station.store.verify().ok


def test_out_of_order_is_refused_and_logged(station: Station) -> None:
    session, batch = start(station)
    with pytest.raises(ActionRefused, match=r"out of order: the current step is start\.welcome"):
        station.engine.enter(session, batch, "5", step="measure.target_volume")
    refused = events(station, batch, "action.refused")
    assert refused
    assert refused[-1].payload["step"] == "measure.target_volume"
    assert station.engine.view(batch).key == "start.welcome"


def test_wrong_kind_of_action_for_the_step(station: Station) -> None:
    session, batch = start(station)
    with pytest.raises(ActionRefused, match="needs a confirmation"):
        station.engine.enter(session, batch, "5")


def test_entry_checks_type_decimals_and_range(station: Station) -> None:
    session, batch = start(station)
    eng = station.engine
    eng.confirm(session, batch)
    eng.scan(session, batch, DIN)
    eng.check(session, batch, "pass")
    with pytest.raises(ActionRefused, match="not a number"):
        eng.enter(session, batch, "ten")
    with pytest.raises(ActionRefused, match="at most 1 decimal place"):
        eng.enter(session, batch, "100.25")
    with pytest.raises(ActionRefused, match="not possible here"):
        eng.enter(session, batch, "900")
    assert eng.view(batch).key == "measure.target_volume"
    assert len(events(station, batch, "step.recorded")) == 3  # the refused entries left no record


def test_alert_limit_raises_non_blocking_exception(station: Station) -> None:
    session, batch = start(station)
    eng = station.engine
    eng.confirm(session, batch)
    eng.scan(session, batch, DIN)
    eng.check(session, batch, "pass")
    eng.enter(session, batch, "160.0")
    state = eng.batch(batch)
    assert state.state == "in_progress"
    (exc,) = state.exceptions.values()
    assert exc.category == "value"
    assert not exc.blocking
    assert "alert limits 50–150 mL" in exc.message


def test_action_limit_holds_batch_until_supervisor_acknowledges(station: Station) -> None:
    session, batch = start(station)
    eng = station.engine
    eng.confirm(session, batch)
    eng.scan(session, batch, DIN)
    eng.check(session, batch, "pass")
    eng.enter(session, batch, "300.0")
    state = eng.batch(batch)
    assert state.state == "on_hold"
    (exc,) = state.exceptions.values()
    assert exc.blocking
    with pytest.raises(ActionRefused, match="on hold"):
        eng.weigh(session, batch, Reading(10, "g", True, "BAL-1"))
    with pytest.raises(ActionRefused, match="role"):
        eng.acknowledge(session, batch, exc.id, station.creds("oscar"), "ok")
    with pytest.raises(ActionRefused, match="reason"):
        eng.acknowledge(session, batch, exc.id, station.creds("sam"), "  ")
    sig = eng.acknowledge(session, batch, exc.id, station.creds("sam"), "Confirmed with trainer")
    assert sig.name == "Samira Haddad"
    assert sig.meaning == "acknowledged"
    assert eng.view(batch).state == "in_progress"
    assert eng.view(batch).key == "measure.dispensed"
    ack = events(station, batch, "exception.acknowledged")[-1]
    assert ack.reason == "Confirmed with trainer"
    assert ack.actor == "u:sam"


def test_witness_must_be_a_different_person(station: Station) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    eng.weigh(session, batch, Reading(99.0, "g", True, "BAL-1"))
    with pytest.raises(ActionRefused, match="different person"):
        eng.witness(session, batch, station.creds("olivia"))
    with pytest.raises(ActionRefused, match="wrong"):
        eng.witness(session, batch, Credentials("oscar", "not-his-password"))
    assert eng.view(batch).waiting_for == "witness"
    with pytest.raises(ActionRefused, match="waiting for a witness"):
        eng.confirm(session, batch)
    sig = eng.witness(session, batch, station.creds("oscar"))
    recorded = events(station, batch, "step.recorded")[-1]
    assert sig.signed == recorded.hash  # 11.70: bound to what it signs
    applied = events(station, batch, "signature.applied")[-1]
    assert applied.payload["name"] == "Oscar Lindqvist"
    assert applied.payload["meaning"] == "witnessed"
    assert applied.payload["ts"].endswith("Z")


def test_weigh_refuses_unstable_and_records_device(station: Station) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    with pytest.raises(ActionRefused, match="not stable"):
        eng.weigh(session, batch, Reading(99.0, "g", False, "BAL-1"))
    with pytest.raises(ActionRefused, match="needs g"):
        eng.weigh(session, batch, Reading(99.0, "mL", True, "BAL-1"))
    eng.weigh(session, batch, Reading(0.0991, "kg", True, "BAL-1"))
    record = eng.batch(batch).records["measure.dispensed"]
    assert record.value == pytest.approx(99.1)
    assert record.payload["device"] == "BAL-1"


def test_manual_weight_needs_supervisor_override_and_is_an_exception(station: Station) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    with pytest.raises(ActionRefused, match="supervisor override"):
        eng.weigh(session, batch, None, manual_value=98.0)
    with pytest.raises(ActionRefused, match="role"):
        eng.weigh(
            session,
            batch,
            None,
            manual_value=98.0,
            override=station.creds("oscar"),
            reason="balance down",
        )
    eng.weigh(
        session,
        batch,
        None,
        manual_value=98.0,
        override=station.creds("sam"),
        reason="balance failed its check",
    )
    record = eng.batch(batch).records["measure.dispensed"]
    assert record.payload["manual"] is True
    assert record.payload["device"] is None
    (exc,) = eng.batch(batch).exceptions.values()
    assert exc.category == "manual_entry"


def test_timer_window(station: Station) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    eng.weigh(session, batch, Reading(100.0, "g", True, "BAL-1"))
    eng.witness(session, batch, station.creds("oscar"))
    eng.confirm(session, batch)
    with pytest.raises(ActionRefused, match="start the timer"):
        eng.timer_stop(session, batch)
    eng.timer_start(session, batch)
    station.clock.advance(timedelta(seconds=20))
    with pytest.raises(ActionRefused, match="still to go"):
        eng.timer_stop(session, batch)
    station.clock.advance(timedelta(minutes=12))
    station.auth.unlock(session, "op-olivia-2026")
    eng.timer_stop(session, batch)
    state = eng.batch(batch)
    assert state.state == "on_hold"
    assert [e.category for e in state.exceptions.values()] == ["timer"]


def test_inactivity_locks_the_session(station: Station) -> None:
    session, batch = start(station)
    station.clock.advance(timedelta(minutes=6))
    with pytest.raises(ActionRefused, match="locked"):
        station.engine.confirm(session, batch)
    station.auth.unlock(session, "op-olivia-2026")
    station.engine.confirm(session, batch)
    assert station.engine.view(batch).key == "start.bag_scan"


def test_check_fail_needs_comment_and_raises(station: Station) -> None:
    session, batch = start(station)
    eng = station.engine
    eng.confirm(session, batch)
    eng.scan(session, batch, DIN)
    with pytest.raises(ActionRefused, match="comment"):
        eng.check(session, batch, "fail")
    eng.check(session, batch, "na", comment="bench replaced today")
    (exc,) = eng.batch(batch).exceptions.values()
    assert exc.category == "process"
    assert "N.A." in exc.message


def test_correction_keeps_old_value_and_needs_reason(station: Station) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    with pytest.raises(ActionRefused, match="reason"):
        eng.correct(session, batch, "measure.target_volume", "101.0", "")
    with pytest.raises(ActionRefused, match="captured"):
        eng.correct(session, batch, "start.bag_scan", "x", "typo")
    eng.correct(session, batch, "measure.target_volume", "101.0", "transposed digits")
    (corr,) = events(station, batch, "step.corrected")
    assert corr.payload["old"] == 100.0
    assert corr.payload["new"] == 101.0
    assert corr.reason == "transposed digits"
    original = [
        e
        for e in events(station, batch, "step.recorded")
        if e.payload["step"] == "measure.target_volume"
    ]
    assert original[0].payload["value"] == 100.0  # never overwritten
    assert eng.batch(batch).records["measure.target_volume"].value == 101.0


def test_state_rebuilt_from_log_matches(station: Station) -> None:
    session, batch = to_weigh(station)
    station.engine.weigh(session, batch, Reading(100.0, "g", True, "BAL-1"))
    live = station.engine.batch(batch)
    fresh = Engine(station.store, station.auth, station.engine.recipes, station.clock).batch(batch)
    assert fresh.step_key == live.step_key
    assert fresh.values == live.values
    assert fresh.din == live.din == "G123417654321"
    assert fresh.pending is not None
    assert fresh.pending.key == "measure.dispensed"


def test_hold_resume_and_abort(station: Station) -> None:
    session, batch = start(station)
    eng = station.engine
    eng.hold(session, batch, "gowning breach")
    with pytest.raises(ActionRefused, match="on hold"):
        eng.confirm(session, batch)
    eng.resume(session, batch, station.creds("sam"), "re-gowned")
    eng.confirm(session, batch)
    with pytest.raises(ActionRefused, match="role"):
        eng.abort(session, batch, station.creds("oscar"), "test")
    eng.abort(session, batch, station.creds("sam"), "training cancelled")
    assert eng.view(batch).state == "aborted"
    with pytest.raises(ActionRefused, match="aborted"):
        eng.scan(session, batch, DIN)


def test_fresh_shipment_branch_calculates_time_since_collection(station: Station) -> None:
    session = station.login("olivia")
    eng = station.engine
    batch = start_ordered(
        eng,
        session,
        "car-t-autologous",
        {
            "patient_id": "PT-1",
            "order_id": "O-1",
            "patient_weight": "70.0",
            "collection_time": "2026-11-26T10:00:00Z",
            "shipment": "fresh",
        },
    )
    eng.scan(session, batch, DIN)
    eng.witness(session, batch, station.creds("oscar"))
    eng.scan(session, batch, "&/CHG123417654321")
    eng.check(session, batch, "pass")
    eng.enter(session, batch, "5.0")
    eng.witness(session, batch, station.creds("oscar"))
    # fresh shipment: the time since collection is calculated from the order (21 h)
    view = eng.view(batch)
    assert view.key == "receipt.time_since_collection"
    assert view.preview["value"] == pytest.approx(21.0, abs=0.1)
    eng.confirm(session, batch)
    assert eng.view(batch).key == "receipt.receipt_verified"
    assert eng.view(batch).identifiers == {
        "patient_id": "PT-1",
        "order_id": "O-1",
        "DIN": "G123417654321",
        "CoI": "CHG123417654321",
    }


def test_wrong_bag_is_refused_logged_and_blocks(station: Station) -> None:
    session = station.login("olivia")
    eng = station.engine
    batch = start_ordered(
        eng,
        session,
        "car-t-autologous",
        {
            "patient_id": "PT-1",
            "order_id": "O-1",
            "patient_weight": 70,
            "collection_time": "2026-11-26T10:00:00Z",
            "shipment": "frozen",
        },
    )
    eng.scan(session, batch, DIN)
    eng.witness(session, batch, station.creds("oscar"))
    eng.scan(session, batch, "&/CHG123417654321")
    eng.check(session, batch, "pass")
    eng.enter(session, batch, "-170")
    eng.witness(session, batch, station.creds("oscar"))
    eng.sign_step(session, batch, station.creds("sam"))
    assert eng.view(batch).key == "isolation.bag_check"
    with pytest.raises(
        ActionRefused, match=r"scanned DIN A999917123654, this batch is DIN G123417654321"
    ):
        eng.scan(session, batch, "=A99991712365400")
    state = eng.batch(batch)
    assert state.state == "on_hold"
    (exc,) = state.exceptions.values()
    assert exc.category == "identity"
    assert exc.values["scanned"] == "A999917123654"
    assert "isolation.bag_check" not in state.records


def test_concatenated_and_compound_reads_carry_the_din(station: Station) -> None:
    session, batch = start(station)
    eng = station.engine
    eng.confirm(session, batch)
    # a scanner joining the DIN and product code symbols (AIM ]C4) is accepted
    eng.scan(session, batch, "]C4=G12341765432170=<S12954A0")
    assert eng.batch(batch).din == "G123417654321"


def test_coi_on_the_bag_label_is_bound_and_checked(station: Station) -> None:
    session = station.login("olivia")
    eng = station.engine
    batch = start_ordered(
        eng,
        session,
        "car-t-autologous",
        {
            "patient_id": "PT-1",
            "order_id": "O-1",
            "patient_weight": 70,
            "collection_time": "2026-11-26T10:00:00Z",
            "shipment": "frozen",
        },
    )
    with pytest.raises(ActionRefused, match="no DIN"):
        eng.scan(session, batch, "&/CHG123417654321")
    eng.scan(session, batch, "=G12341765432170&/CHG123417654321")
    assert eng.batch(batch).coi == "CHG123417654321"
