"""The event record's encoding: canonical JSON, the hash, timestamps and the JSON form."""

import hashlib
import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from local_store import Event, canonical_json, event_hash
from local_store.events import GENESIS, format_ts, hash_text

GOLDEN_PAYLOAD = {
    "step": "expansion[3].viability",
    "value": 91.4,
    "unit": "%",
    "device": None,
    "limits": {"alert": [85, 100], "action": [70, 100]},
    "note": "Zellzahl µL °C ✓",
}
GOLDEN_PREV = "9f2c" + "0" * 60
# Written out by hand: the encoding every station and the server must agree on, forever.
GOLDEN_TEXT = (
    '{"actor":"u:jdoe","batch":"B-2026-0113","payload":{"device":null,'
    '"limits":{"action":[70,100],"alert":[85,100]},"note":"Zellzahl µL °C ✓",'
    '"step":"expansion[3].viability","unit":"%","value":91.4},'
    f'"prev":"{GOLDEN_PREV}","reason":null,"seq":1842,"station":"CR2-K1",'
    '"ts":"2026-11-27T09:14:03.512Z","type":"step.recorded"}'
)
GOLDEN_ARGS: tuple[str, int, str, str, str, str] = (
    "CR2-K1",
    1842,
    "2026-11-27T09:14:03.512Z",
    "u:jdoe",
    "B-2026-0113",
    "step.recorded",
)


def test_event_hash_matches_the_hand_written_canonical_text() -> None:
    expected = hashlib.sha256(GOLDEN_TEXT.encode("utf-8")).hexdigest()
    assert expected == "f2e662f7e0b9a9036bc4b7a00532e757848b743e9c2b5d237cec2d4980fc6e16"
    assert event_hash(*GOLDEN_ARGS, GOLDEN_PAYLOAD, None, GOLDEN_PREV) == expected
    text = hash_text(*GOLDEN_ARGS, canonical_json(GOLDEN_PAYLOAD), None, GOLDEN_PREV)
    assert text == GOLDEN_TEXT


def test_canonical_json_is_sorted_compact_utf8_and_refuses_nan() -> None:
    assert canonical_json({"b": 1, "a": [1.5, "é", None]}) == '{"a":[1.5,"é",null],"b":1}'
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": float("nan")})
    with pytest.raises(ValueError, match="JSON compliant"):
        canonical_json({"x": float("inf")})


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
payloads = st.dictionaries(st.text(), json_values, max_size=6)
optional_text = st.none() | st.text()


@given(
    station=st.text(),
    seq=st.integers(min_value=1, max_value=2**63 - 1),
    ts=st.text(),
    actor=st.text(),
    batch=optional_text,
    type_=st.text(),
    payload=payloads,
    reason=optional_text,
    prev=st.text(),
)
def test_concatenated_text_equals_canonical_json_of_the_dict(
    station: str,
    seq: int,
    ts: str,
    actor: str,
    batch: str | None,
    type_: str,
    payload: dict[str, Any],
    reason: str | None,
    prev: str,
) -> None:
    fields = {
        "station": station,
        "seq": seq,
        "ts": ts,
        "actor": actor,
        "batch": batch,
        "type": type_,
        "payload": payload,
        "reason": reason,
        "prev": prev,
    }
    text = hash_text(station, seq, ts, actor, batch, type_, canonical_json(payload), reason, prev)
    assert text == canonical_json(fields)
    assert hashlib.sha256(text.encode()).hexdigest() == event_hash(
        station, seq, ts, actor, batch, type_, payload, reason, prev
    )


@given(payload=payloads)
def test_canonical_json_survives_a_round_trip(payload: dict[str, Any]) -> None:
    # The store keeps the payload as canonical text and hands back json.loads of it; the
    # server re-encodes that. Both must give the same text, or hashes would differ.
    text = canonical_json(payload)
    assert canonical_json(json.loads(text)) == text


def test_hash_text_refuses_a_bool_seq() -> None:
    with pytest.raises(TypeError, match="seq must be an int, not bool"):
        hash_text("S", True, "t", "a", None, "x", "{}", None, GENESIS)


def test_format_ts_is_utc_milliseconds_with_z() -> None:
    moment = datetime(2026, 11, 27, 9, 14, 3, 512999, tzinfo=UTC)
    assert format_ts(moment) == "2026-11-27T09:14:03.512Z"
    cet = timezone(timedelta(hours=1))
    assert format_ts(datetime(2026, 11, 27, 10, 14, 3, 5000, tzinfo=cet)) == (
        "2026-11-27T09:14:03.005Z"
    )
    with pytest.raises(ValueError, match="timezone-aware"):
        format_ts(datetime(2026, 11, 27, 9, 14, 3))


def _event() -> Event:
    return Event(
        station="CR2-K1",
        seq=1,
        ts="2026-11-27T09:14:03.512Z",
        actor="u:jdoe",
        batch=None,
        type="batch.started",
        payload={"recipe_id": "car-t", "recipe_version": 3},
        reason=None,
        prev=GENESIS,
        hash="ab" * 32,
    )


def test_to_dict_has_the_design_keys_and_from_dict_inverts_it() -> None:
    event = _event()
    d = event.to_dict()
    assert list(d) == [
        "station",
        "seq",
        "ts",
        "actor",
        "batch",
        "type",
        "payload",
        "reason",
        "prev",
        "hash",
    ]
    assert Event.from_dict(json.loads(json.dumps(d))) == event


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"seq": True}, "'seq' must be int, not bool"),
        ({"seq": "1"}, "'seq' must be int, not str"),
        ({"station": None}, "'station' must be str, not NoneType"),
        ({"batch": 5}, "'batch' must be str or null, not int"),
        ({"payload": []}, "'payload' must be dict, not list"),
        ({"extra": 1, "more": 2}, "unknown keys extra, more"),
    ],
)
def test_from_dict_names_the_bad_field(change: dict[str, Any], message: str) -> None:
    d = _event().to_dict() | change
    with pytest.raises(ValueError, match=message):
        Event.from_dict(d)


def test_from_dict_names_missing_fields() -> None:
    d = _event().to_dict()
    del d["hash"], d["prev"]
    with pytest.raises(ValueError, match="event is missing hash, prev"):
        Event.from_dict(d)
