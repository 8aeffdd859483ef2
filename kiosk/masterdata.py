"""Master data at the station: equipment (with calibration and daily checks), materials and lots.

Like users, master data lives in the event log: registering a balance, its
calibration, each daily check, a lot's release or quarantine are events, and
`MasterData` is their projection. The engine asks it, at the moment of use,
whether a balance may be trusted (registered, calibration not overdue, checked
today) and whether a material lot may be used (known, released, not expired).
Master data pulled from the central server (kiosk.sync) is applied on top with
`apply_pulled`; the station's own daily checks stay its own events.

Materials and lots (which material a lot is, how much is left, the checks at a material
step) are in `kiosk.lots`. A station attached to the pulled copy (`attach`) re-reads it at every
check, so a lot the server quarantined is refused as soon as the sync worker has pulled it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from kiosk.lots import (
    LOT_STATUSES,
    Kit,
    Lot,
    LotRegister,
    MasterDataError,
    Material,
    PulledMaster,
    pulled_age,
)
from local_store import Event, EventStore, StoreConflict, Unique

EQUIPMENT_KINDS = (
    "balance",
    "scanner",
    "camera",
    "printer",
    "incubator",
    "freezer",
    "cell_counter",
)
# Materials and lots are in kiosk.lots; their names stay importable from here.
__all__ = [
    "EQUIPMENT_KINDS",
    "LOT_STATUSES",
    "DailyCheck",
    "Equipment",
    "Kit",
    "Lot",
    "MasterData",
    "MasterDataError",
    "Material",
    "PulledMaster",
    "pulled_age",
]


@dataclass
class DailyCheck:
    ts: str
    passed: bool
    reference: float
    reading: float
    unit: str
    tolerance: float
    by: str


@dataclass
class Equipment:
    id: str  # asset tag, e.g. BAL-7
    kind: str
    serial: str  # what the device itself reports (balance I4, scanner USB serial)
    model: str
    calibration_due: date
    retired: bool = False
    last_check: DailyCheck | None = None
    history: list[str] = field(default_factory=list)  # logbook lines


def _day(text: str) -> date:
    return date.fromisoformat(text)


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


class MasterData(LotRegister):
    """Projection of equipment.*, material.* and lot.* events, with the checks the engine needs
    (those of lots in `kiosk.lots.LotRegister`)."""

    TYPES = frozenset(
        {
            "equipment.registered",
            "equipment.calibrated",
            "equipment.checked",
            "equipment.retired",
            "equipment.swap_step",
            "device.accepted",
            "lot.registered",
            "lot.status",
            "material.registered",
            "material.used",
            "kit.registered",
        }
    )

    def __init__(self, store: EventStore, clock: Callable[[], datetime]) -> None:
        self.store = store
        self.clock = clock
        self.equipment: dict[str, Equipment] = {}
        self.materials: dict[str, Material] = {}
        self.kits: dict[str, Kit] = {}
        self.lots: dict[tuple[str, str], Lot] = {}
        self.used_here: dict[tuple[str, str], float] = {}  # from this station's events
        self.accepted: dict[str, str] = {}  # role -> identity a technician accepted here
        self.used_elsewhere: dict[tuple[str, str], float] = {}  # other stations, per the server
        self.pulled: PulledMaster | None = None
        self._pulled_versions: dict[str, int] = {}
        self._consumption_at: str | None = None
        self._seq = 0
        for event in store.events(types=self.TYPES):
            if event.station == store.station:
                self._seq = max(self._seq, event.seq)
            self.apply(event)

    def catch_up(self) -> None:
        """Apply this station's events written since (by the engine, or another process)."""
        station = self.store.station
        for event in self.store.events(types=self.TYPES, after_seq=self._seq, station=station):
            self._seq = event.seq
            self.apply(event)

    def attach(self, pulled: PulledMaster) -> None:
        """Use the server's master data from now on, re-read at every check (`refresh`)."""
        self.pulled = pulled
        self._pulled_versions = {}
        self._consumption_at = None
        self.refresh()

    def refresh(self) -> None:
        """Catch up with events written since (by the engine or another process) and with what
        the sync worker pulled since: new materials and lots, other stations' consumption."""
        self.catch_up()
        if self.pulled is None:
            return
        for kind in ("equipment", "materials", "lots", "kits"):
            items = self.pulled.master_items(kind, after=self._pulled_versions.get(kind, 0))
            if items:
                self.apply_pulled(kind, items)
                self._pulled_versions[kind] = int(items[-1]["version"])
        at = self.pulled.consumption_at()
        if at is not None and at == self._consumption_at:
            return  # the same answer as at the last check
        self._consumption_at = at
        elsewhere: dict[tuple[str, str], float] = {}
        for row in self.pulled.consumption():
            if row.get("station") == self.store.station:
                continue  # this station counts its own from its own record
            key = (str(row["gtin"]), str(row["lot"]))
            elsewhere[key] = elsewhere.get(key, 0.0) + float(row["quantity"])
        self.used_elsewhere = elsewhere

    def lots_as_of(self) -> str | None:
        """When the lot list was last pulled from the server (None: never, or no server)."""
        return None if self.pulled is None else self.pulled.pulled_at("lots")

    # ------------------------------------------------------------ projection

    def apply(self, event: Event) -> None:
        p = event.payload
        if event.type == "device.accepted":
            if event.station == self.store.station:  # acceptance is per station
                self.accepted[str(p["role"])] = str(p["serial"])
        elif event.type == "equipment.registered":
            self.equipment[p["id"]] = Equipment(
                id=p["id"],
                kind=p["kind"],
                serial=p["serial"],
                model=p.get("model", ""),
                calibration_due=_day(p["calibration_due"]),
            )
        elif event.type.startswith("equipment."):
            item = self.equipment.get(p.get("id", ""))
            if item is None:
                return
            if event.type == "equipment.calibrated":
                item.calibration_due = _day(p["calibration_due"])
            elif event.type == "equipment.checked":
                item.last_check = DailyCheck(
                    ts=event.ts,
                    passed=bool(p["passed"]),
                    reference=float(p["reference"]),
                    reading=float(p["reading"]),
                    unit=str(p["unit"]),
                    tolerance=float(p["tolerance"]),
                    by=event.actor,
                )
            elif event.type == "equipment.retired":
                item.retired = True
        elif event.type == "material.registered":
            self.materials[p["code"]] = Material(p["code"], p["name"], tuple(p["gtins"]))
        elif event.type == "kit.registered":
            lots = tuple((str(i["gtin"]), str(i["lot"])) for i in p["lots"])
            self.kits[p["kit"]] = Kit(p["kit"], lots)
        elif event.type == "material.used":
            quantity = p.get("quantity")
            if isinstance(quantity, int | float) and not isinstance(quantity, bool):
                key = (str(p.get("gtin") or ""), str(p.get("lot")))
                self.used_here[key] = self.used_here.get(key, 0.0) + float(quantity)
        elif event.type == "lot.registered":
            key = (p["gtin"], p["lot"])
            self.lots[key] = Lot(
                gtin=p["gtin"],
                lot=p["lot"],
                material=p["material"],
                expiry=_day(p["expiry"]),
                status=p.get("status", "released"),
                quantity=_float(p.get("quantity")),
                unit=p.get("unit"),
            )
        elif event.type == "lot.status":
            lot = self.lots.get((p["gtin"], p["lot"]))
            if lot is not None:
                lot.status = p["status"]
        if event.type.startswith("equipment.") and p.get("id") in self.equipment:
            self.equipment[p["id"]].history.append(f"{event.ts} {event.type} {event.actor}")

    def _record(
        self,
        type_: str,
        payload: dict[str, Any],
        actor: str,
        reason: str | None = None,
        signature: Mapping[str, Any] | None = None,
        unique: Sequence[Unique] = (),
    ) -> Event:
        if signature is not None:  # the e-signature of the person making the change
            payload = {**payload, "signature": dict(signature)}
        try:
            event = self.store.append(type_, payload, actor=actor, reason=reason, unique=unique)
        except StoreConflict as exc:  # another process recorded it since this one loaded
            raise MasterDataError(f"refused: {exc}") from exc
        self.catch_up()
        return event

    def apply_pulled(self, kind: str, items: Iterable[Mapping[str, Any]]) -> None:
        """Equipment or lots as the central server lists them (oldest version first).

        Daily checks stay the station's own; a server row changes what the asset or lot is.
        """
        for item in items:
            if kind == "equipment":
                asset = str(item["asset"])
                due = _day(str(item["calibration_due"]))
                known = self.equipment.get(asset)
                if known is None:
                    known = Equipment(
                        asset, str(item["kind"]), str(item["serial"]), str(item["model"]), due
                    )
                    self.equipment[asset] = known
                known.serial, known.model, known.calibration_due = (
                    str(item["serial"]),
                    str(item["model"]),
                    due,
                )
                known.retired = item.get("status", "active") != "active"
            elif kind == "kits":
                lots = tuple((str(i["gtin"]), str(i["lot"])) for i in item["lots"])
                self.kits[str(item["kit"])] = Kit(str(item["kit"]), lots)
            elif kind == "materials":
                code = str(item["code"])
                self.materials[code] = Material(
                    code, str(item["name"]), tuple(str(g) for g in item["gtins"])
                )
            elif kind == "lots":
                key = (str(item["gtin"]), str(item["lot"]))
                self.lots[key] = Lot(
                    key[0],
                    key[1],
                    str(item["material"]),
                    _day(str(item["expiry"])),
                    str(item.get("status", "released")),
                    _float(item.get("quantity")),
                    None if item.get("unit") is None else str(item["unit"]),
                )

    # ------------------------------------------------------------ changes

    def register_equipment(
        self,
        asset: str,
        kind: str,
        serial: str,
        model: str,
        calibration_due: date,
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
    ) -> Equipment:
        if kind not in EQUIPMENT_KINDS:
            raise MasterDataError(f"kind must be one of {', '.join(EQUIPMENT_KINDS)}")
        if asset in self.equipment:
            raise MasterDataError(f"{asset} is registered already")
        if any(e.serial == serial and not e.retired for e in self.equipment.values()):
            raise MasterDataError(f"serial number {serial} belongs to another asset")
        if not asset.strip() or not serial.strip():
            raise MasterDataError("asset tag and serial number are required")
        payload = {
            "id": asset,
            "kind": kind,
            "serial": serial,
            "model": model,
            "calibration_due": calibration_due.isoformat(),
        }
        self._record(
            "equipment.registered",
            payload,
            by,
            signature=signature,
            unique=[Unique.of("equipment.registered", "asset tag", id=asset)],
        )
        return self.equipment[asset]

    def calibrate(
        self,
        asset: str,
        due: date,
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
        certificate: str,
    ) -> None:
        self._asset(asset)
        if not certificate.strip():
            raise MasterDataError("the calibration certificate number is required")
        payload = {"id": asset, "calibration_due": due.isoformat(), "certificate": certificate}
        self._record("equipment.calibrated", payload, by, signature=signature)

    def daily_check(
        self,
        asset: str,
        reference: float,
        reading: float,
        unit: str,
        tolerance: float,
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
    ) -> bool:
        """Record a daily check with a reference weight; True when within tolerance."""
        item = self._asset(asset)
        if item.retired:
            raise MasterDataError(f"{asset} is retired")
        passed = abs(reading - reference) <= tolerance
        payload = {
            "id": asset,
            "reference": reference,
            "reading": reading,
            "unit": unit,
            "tolerance": tolerance,
            "passed": passed,
        }
        self._record("equipment.checked", payload, by, signature=signature)
        return passed

    def retire(
        self, asset: str, *, by: str, signature: Mapping[str, Any] | None = None, reason: str
    ) -> None:
        self._asset(asset)
        self._record("equipment.retired", {"id": asset}, by, reason, signature=signature)

    # ------------------------------------------------------------ checks at the point of use

    def by_serial(self, serial: str) -> Equipment | None:
        for item in self.equipment.values():
            if item.serial == serial and not item.retired:
                return item
        return None

    def balance_problem(self, serial: str) -> str | None:
        """Why a balance reporting `serial` may not be used now, or None when it may."""
        item = self.by_serial(serial)
        if item is None:
            return f"balance {serial} is not registered: a technician must register it"
        now = self.clock().astimezone(UTC)
        if item.calibration_due < now.date():
            return f"{item.id} calibration was due {item.calibration_due.isoformat()}"
        check = item.last_check
        if check is None or check.ts[:10] != now.date().isoformat():
            return f"{item.id} has not had today's daily check"
        if not check.passed:
            return f"{item.id} failed today's daily check"
        return None

    def equipment_problem(self, identity: str, role: str | None = None) -> str | None:
        """Why process equipment reporting `identity` (serial or ApplicationUri) may not be the
        source of a value now, or None when it may: registered, in calibration and, given the
        `role` it serves, the device a technician accepted for that role at this station
        (`device.accepted`). (Process equipment has no daily check with a reference, unlike a
        balance.)"""
        item = self.by_serial(identity)
        if item is None:
            return f"equipment {identity} is not registered: a technician must register it"
        if item.calibration_due < self.clock().astimezone(UTC).date():
            return f"{item.id} calibration was due {item.calibration_due.isoformat()}"
        if role is None:
            return None
        accepted = self.accepted.get(role)
        if accepted is None:
            return (
                f"{item.id} ({identity}) has not been accepted as {role}: "
                "a technician must accept it"
            )
        if accepted != identity:
            return (
                f"a different device ({item.id}, {identity}) answers as {role}: "
                "a technician must accept it"
            )
        return None

    def _asset(self, asset: str) -> Equipment:
        item = self.equipment.get(asset)
        if item is None:
            raise MasterDataError(f"no equipment {asset}")
        return item
