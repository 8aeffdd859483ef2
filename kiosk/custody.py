"""Chain of custody: what a transfer of the patient's material says and what its receiver signs.

Qt-free and engine-free, so the engine, the screens, the batch record and the central server
read one definition. A transfer (``custody.handover`` event) names the giver and the receiver,
where it happened, the condition (the shipper's logger reading, whether the seal is intact)
and, for a shipment, the dry shipper, the logger, the courier and the air waybill. The receiver
signs it with an e-signature meaning "received", bound to :func:`signed_content` of the
transfer: change any field and the signature no longer matches (21 CFR 11.70).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from kiosk.text import Text
from local_store import Event, canonical_json

EVENT: Final = "custody.handover"
MEANING: Final = "received"

KINDS: Final[Mapping[str, str]] = {
    "receipt": "received from the courier",
    "room": "room to room",
    "storage_in": "into storage",
    "storage_out": "out of storage",
    "ship": "handed to the courier for shipping",
}
"""Kinds of transfer and how the record says them."""

SIGNED_KEYS: Final = ("batch", "kind", "from", "to", "location", "condition", "shipment")


class CustodyError(ValueError):
    """A transfer that cannot be recorded as given; ``str()`` names the field."""


@dataclass(frozen=True)
class Shipment:
    """What goes with the product to the courier (kind ``ship``)."""

    shipper: str  # the dry shipper's ID
    logger: str  # the temperature logger's ID (started before hand-over)
    courier: str  # courier company
    awb: str  # air waybill number

    def to_payload(self) -> dict[str, str]:
        return {
            "shipper": self.shipper.strip(),
            "logger": self.logger.strip(),
            "courier": self.courier.strip(),
            "awb": self.awb.strip(),
        }


@dataclass(frozen=True)
class Transfer:
    """One hand-over of the bag or product, as the giver describes it before the receiver signs.

    ``giver`` None means the logged-in user hands over (the receiver must then be someone
    else); for a receipt it is the courier as named on the shipper's papers.
    """

    kind: str
    location: str
    seal_intact: bool
    giver: str | None = None
    logger_reading: str = ""  # e.g. "-182 °C, max -176 °C during transit"
    note: str = ""
    shipment: Shipment | None = None

    def problem(self) -> Text | None:
        """What is missing or wrong, naming the field, or None."""
        if self.kind not in KINDS:
            return Text(
                "kind: must be one of {kinds}, not {kind!r}", kinds=", ".join(KINDS), kind=self.kind
            )
        if not self.location.strip():
            return Text("location: say where the transfer happens")
        if self.giver is not None and not self.giver.strip():
            return Text("from: say who handed the material over")
        if self.kind == "ship":
            if self.shipment is None:
                return Text(
                    "shipment: a shipment needs the dry shipper, logger, courier and waybill"
                )
            for name, value in self.shipment.to_payload().items():
                if not value:
                    return Text("shipment.{name}: missing", name=name)
        if self.kind in ("receipt", "ship") and not self.logger_reading.strip():
            return Text("logger: enter the shipper's temperature logger reading")
        return None

    def condition(self) -> dict[str, Any]:
        return {
            "seal_intact": self.seal_intact,
            "logger": self.logger_reading.strip() or None,
            "note": self.note.strip() or None,
        }


def signed_content(payload: Mapping[str, Any], batch: str) -> str:
    """SHA-256 of what the receiver signs: the batch and the transfer's fields."""
    content = {key: payload.get(key) for key in SIGNED_KEYS}
    content["batch"] = batch
    return hashlib.sha256(canonical_json(content).encode()).hexdigest()


def signature_problem(payload: Mapping[str, Any], batch: str | None) -> str | None:
    """Why a ``custody.handover`` payload does not carry a valid receiver signature, or None.

    Checked by the central server on every pushed transfer."""
    sig = payload.get("signature")
    if not isinstance(sig, Mapping):
        return "custody without the receiver's signature"
    if sig.get("meaning") != MEANING:
        return f"the receiver's signature must mean {MEANING!r}, not {sig.get('meaning')!r}"
    if batch is None or sig.get("signed") != signed_content(payload, batch):
        return "the receiver's signature is not bound to this transfer"
    if payload.get("to") != sig.get("name"):
        return "the receiver named is not the person who signed"
    return None


@dataclass(frozen=True)
class Entry:
    """One line of a batch's custody timeline."""

    ts: str
    station: str
    kind: str
    giver: str
    receiver: str
    location: str
    condition: str
    shipment: str
    signed: str  # "Name (user), meaning, time" or "no signature"


def condition_text(condition: Any) -> str:
    """A transfer's condition in words (seal, logger reading, note)."""
    if isinstance(condition, str):  # records written before transfers carried a structure
        return condition
    if not isinstance(condition, Mapping):
        return ""
    parts = ["seal intact" if condition.get("seal_intact") else "SEAL NOT INTACT"]
    if condition.get("logger"):
        parts.append(f"logger {condition['logger']}")
    if condition.get("note"):
        parts.append(str(condition["note"]))
    return "; ".join(parts)


def _shipment_text(shipment: Any) -> str:
    if not isinstance(shipment, Mapping):
        return ""
    return (
        f"shipper {shipment.get('shipper')}, logger {shipment.get('logger')}, "
        f"{shipment.get('courier')} AWB {shipment.get('awb')}"
    )


def _utc(ts: Any) -> str:
    """``2026-11-27T07:00:00.022Z`` as ``2026-11-27 07:00:00 UTC``; anything else as it is."""
    text = str(ts)
    if len(text) >= 19 and text[10] == "T":
        return f"{text[:10]} {text[11:19]} UTC"
    return text


def timeline(events: Iterable[Event]) -> list[Entry]:
    """The batch's custody transfers in record order, for the batch record and the server."""
    found = []
    for event in events:
        if event.type != EVENT:
            continue
        p = event.payload
        sig = p.get("signature")
        signed = (
            f"{sig.get('name')} ({sig.get('user')}), {sig.get('meaning')}, {_utc(sig.get('ts'))}"
            if isinstance(sig, Mapping)
            else "no signature"
        )
        found.append(
            Entry(
                ts=event.ts,
                station=event.station,
                kind=KINDS.get(str(p.get("kind")), str(p.get("kind") or "hand-over")),
                giver=str(p.get("from", "")),
                receiver=str(p.get("to", "")),
                location=str(p.get("location") or ""),
                condition=condition_text(p.get("condition")),
                shipment=_shipment_text(p.get("shipment")),
                signed=signed,
            )
        )
    return found
