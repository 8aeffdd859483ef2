"""The event: one entry of the append-only, hash-chained record, and its canonical encoding.

The hash of an event is the SHA-256 (hex) of the canonical JSON of all its other fields::

    canonical_json({"actor": ..., "batch": ..., "payload": ..., "prev": ..., "reason": ...,
                    "seq": ..., "station": ..., "ts": ..., "type": ...})

Canonical JSON sorts keys, uses compact separators, keeps non-ASCII characters as they are
(UTF-8 when hashed) and refuses NaN and infinities. Because the top-level keys are fixed and
already in sorted order, the hashed string can be assembled from the stored payload text
without parsing it again (:func:`hash_text`); that is what makes verification fast. The two
constructions are equal by construction and by a property test.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from json.encoder import encode_basestring
from typing import Any, Final

GENESIS: Final = "0" * 64
"""The ``prev`` of the first event of every station."""

FIELDS: Final = ("station", "seq", "ts", "actor", "batch", "type", "payload", "reason", "prev")
"""The hashed fields, in storage order (the JSON object sorts them)."""

encode_json_string: Any = encode_basestring
"""JSON string literal of a str: the C encoder json.dumps(..., ensure_ascii=False) uses."""


def canonical_json(obj: Any) -> str:
    """Return the canonical JSON text of ``obj`` (sorted keys, compact, UTF-8 text, no NaN).

    Raises ``TypeError`` for values JSON cannot represent and ``ValueError`` for NaN/infinity.
    """
    return json.dumps(
        obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def hash_text(
    station: str,
    seq: int,
    ts: str,
    actor: str,
    batch: str | None,
    type: str,
    payload_text: str,
    reason: str | None,
    prev: str,
) -> str:
    """The canonical JSON of an event's hashed fields, built around an already canonical payload.

    Equal to ``canonical_json({... "payload": json.loads(payload_text) ...})`` whenever
    ``payload_text`` is itself canonical JSON. Raises ``TypeError`` if a field has a wrong type.
    """
    if seq.__class__ is not int:  # bool and int subclasses are not sequence numbers
        raise TypeError(f"seq must be an int, not {seq.__class__.__name__}")
    return (
        f'{{"actor":{encode_json_string(actor)},'
        f'"batch":{"null" if batch is None else encode_json_string(batch)},'
        f'"payload":{payload_text},'
        f'"prev":{encode_json_string(prev)},'
        f'"reason":{"null" if reason is None else encode_json_string(reason)},'
        f'"seq":{seq},'
        f'"station":{encode_json_string(station)},'
        f'"ts":{encode_json_string(ts)},'
        f'"type":{encode_json_string(type)}}}'
    )


def sha256_hex(text: str) -> str:
    """SHA-256 (hex) of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def event_hash(
    station: str,
    seq: int,
    ts: str,
    actor: str,
    batch: str | None,
    type: str,
    payload: Mapping[str, Any],
    reason: str | None,
    prev: str,
) -> str:
    """SHA-256 (hex) of the canonical JSON of an event's fields other than ``hash``.

    This is the reference definition; the store computes the same value with :func:`hash_text`.
    """
    fields = {
        "actor": actor,
        "batch": batch,
        "payload": payload,
        "prev": prev,
        "reason": reason,
        "seq": seq,
        "station": station,
        "ts": ts,
        "type": type,
    }
    return sha256_hex(canonical_json(fields))


def format_ts(moment: datetime) -> str:
    """UTC ISO-8601 with milliseconds and ``Z``, e.g. ``2026-11-27T09:14:03.512Z``.

    Raises ``ValueError`` for a naive datetime: the record never guesses a time zone.
    """
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("the store's clock must return timezone-aware (UTC) datetimes")
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"


def _check(d: Mapping[str, Any], key: str, kind: type, optional: bool = False) -> Any:
    value = d[key]
    if value is None and optional:
        return None
    if type(value) is not kind:
        raise ValueError(
            f"event field {key!r} must be {kind.__name__}"
            f"{' or null' if optional else ''}, not {type(value).__name__}"
        )
    return value


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the record, exactly as stored, hashed and synced."""

    station: str
    seq: int
    ts: str
    actor: str
    batch: str | None
    type: str
    payload: dict[str, Any]
    reason: str | None
    prev: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (keys as in DESIGN.md). The payload is shared, not copied."""
        return {
            "station": self.station,
            "seq": self.seq,
            "ts": self.ts,
            "actor": self.actor,
            "batch": self.batch,
            "type": self.type,
            "payload": self.payload,
            "reason": self.reason,
            "prev": self.prev,
            "hash": self.hash,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Event":
        """Build an event from its JSON form; ``ValueError`` names a missing, extra or mistyped key.

        The hash is not checked here: :func:`local_store.verify_events` does that.
        """
        expected = {*FIELDS, "hash"}
        missing = sorted(expected - d.keys())
        if missing:
            raise ValueError(f"event is missing {', '.join(missing)}")
        extra = sorted(str(k) for k in d.keys() - expected)
        if extra:
            raise ValueError(f"event has unknown keys {', '.join(extra)}")
        return cls(
            station=_check(d, "station", str),
            seq=_check(d, "seq", int),
            ts=_check(d, "ts", str),
            actor=_check(d, "actor", str),
            batch=_check(d, "batch", str, optional=True),
            type=_check(d, "type", str),
            payload=_check(d, "payload", dict),
            reason=_check(d, "reason", str, optional=True),
            prev=_check(d, "prev", str),
            hash=_check(d, "hash", str),
        )
