"""Materials and lots at the station: which material a lot is, whether it may be used, how much is
left (the part of `kiosk.masterdata.MasterData` about materials).

A lot belongs to one material (its code); a material step names the code it needs and a lot of
another material is refused naming both. A lot's remaining quantity is a projection: the
quantity received, less what this station's `material.used` events took, less what the other
stations used as the server last said. `MasterData` keeps the projection (its `apply`,
`apply_pulled`, `refresh`); `LotRegister` holds the changes and the checks at the point of use.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from kiosk.recipe import MATERIAL_CODE
from kiosk.units import Quantity, UnitError
from local_store import Event, Unique

LOT_STATUSES = ("released", "quarantined", "recalled", "rejected")


class MasterDataError(Exception):
    """A master-data change was refused; str() is for the technician or admin."""


@dataclass(frozen=True)
class Material:
    code: str  # e.g. CD4CD8-BEADS: what a recipe step names (`material_code`)
    name: str  # as operators know it
    gtins: tuple[str, ...]


@dataclass
class Lot:
    gtin: str
    lot: str
    material: str  # the material's code
    expiry: date
    status: str
    quantity: float | None = None  # received; None: not counted
    unit: str | None = None


KIT_ID = r"^[A-Z][A-Z0-9_.-]{0,31}$"
"""A kit ID as printed on its label: a letter first (a GS1 string starts with digits)."""


@dataclass(frozen=True)
class Kit:
    id: str
    lots: tuple[tuple[str, str], ...]  # (GTIN, lot) of each lot in the kit


class PulledMaster(Protocol):
    """What the station pulled from the server (``kiosk.sync.SyncState``)."""

    def master_items(self, kind: str, after: int = 0) -> list[dict[str, Any]]: ...

    def pulled_at(self, kind: str) -> str | None: ...

    def consumption_at(self) -> str | None: ...

    def consumption(self) -> list[dict[str, Any]]: ...


def pulled_age(at: str | None, now: datetime) -> str:
    """How old a pulled list is, in operator words ("never pulled", "4 min old", "3 h old")."""
    if at is None:
        return "never pulled from the server"
    seconds = (now - datetime.fromisoformat(at.replace("Z", "+00:00"))).total_seconds()
    if seconds < 60:
        return "less than a minute old"
    if seconds < 3600:
        return f"{int(seconds // 60)} min old"
    if seconds < 2 * 86400:
        return f"{int(seconds // 3600)} h old"
    return f"{int(seconds // 86400)} days old"


class LotRegister:
    """Materials and lots: their registration at a station without a server, and the checks a
    material step makes. Mixed into `MasterData`, which provides the projection."""

    clock: Callable[[], datetime]
    materials: dict[str, Material]
    lots: dict[tuple[str, str], Lot]
    used_here: dict[tuple[str, str], float]  # from this station's events
    used_elsewhere: dict[tuple[str, str], float]  # other stations, as the server last said
    kits: dict[str, Kit]

    def refresh(self) -> None:
        raise NotImplementedError  # MasterData's

    def _record(
        self,
        type_: str,
        payload: dict[str, Any],
        actor: str,
        reason: str | None = None,
        signature: Mapping[str, Any] | None = None,
        unique: Sequence[Unique] = (),
    ) -> Event:
        raise NotImplementedError  # MasterData's

    # ------------------------------------------------------------ changes

    def register_material(
        self,
        code: str,
        name: str,
        gtins: Sequence[str],
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
    ) -> Material:
        """A material of this station's own master data (a station without a server)."""
        if not re.fullmatch(MATERIAL_CODE, code):
            raise MasterDataError(
                f"material code {code!r}: capital letters, digits, '.', '_' or '-', at most 32"
            )
        if not name.strip():
            raise MasterDataError("a material needs a name")
        if not gtins:
            raise MasterDataError("a material needs at least one GTIN")
        for gtin in gtins:
            owner = self.material_of_gtin(gtin)
            if owner is not None and owner.code != code:
                raise MasterDataError(f"GTIN {gtin} is the GTIN of {owner.name} already")
        payload = {"code": code, "name": name.strip(), "gtins": sorted(set(gtins))}
        self._record("material.registered", payload, by, signature=signature)
        return self.materials[code]

    def register_lot(
        self,
        gtin: str,
        lot: str,
        material: str,
        expiry: date,
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
        status: str = "released",
        quantity: float | None = None,
        unit: str | None = None,
    ) -> Lot:
        """A lot of a registered material (`material` is its code), with the quantity
        received when it is counted."""
        if status not in LOT_STATUSES:
            raise MasterDataError(f"status must be one of {', '.join(LOT_STATUSES)}")
        if (gtin, lot) in self.lots:
            raise MasterDataError(f"lot {lot} of {gtin} is registered already")
        known = self.materials.get(material)
        if known is None:
            raise MasterDataError(f"material {material!r} is not registered: register it first")
        if gtin not in known.gtins:
            raise MasterDataError(f"GTIN {gtin} is not a GTIN of {known.name}")
        if (quantity is None) != (unit is None):
            raise MasterDataError("give the quantity received together with its unit")
        payload: dict[str, Any] = {
            "gtin": gtin,
            "lot": lot,
            "material": material,
            "expiry": expiry.isoformat(),
            "status": status,
        }
        if quantity is not None and unit is not None:
            if not quantity > 0:
                raise MasterDataError("the quantity received must be above zero")
            try:
                Quantity.of(quantity, unit)
            except UnitError as exc:
                raise MasterDataError(f"unit {unit!r}: {exc}") from exc
            payload.update(quantity=quantity, unit=unit)
        self._record(
            "lot.registered",
            payload,
            by,
            signature=signature,
            unique=[Unique.of("lot.registered", "lot", gtin=gtin, lot=lot)],
        )
        return self.lots[(gtin, lot)]

    def set_lot_status(
        self,
        gtin: str,
        lot: str,
        status: str,
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
        reason: str,
    ) -> None:
        if (gtin, lot) not in self.lots:
            raise MasterDataError(f"lot {lot} of {gtin} is not registered")
        if status not in LOT_STATUSES:
            raise MasterDataError(f"status must be one of {', '.join(LOT_STATUSES)}")
        self._record(
            "lot.status",
            {"gtin": gtin, "lot": lot, "status": status},
            by,
            reason,
            signature=signature,
        )

    def register_kit(
        self,
        kit_id: str,
        lots: Sequence[tuple[str, str]],
        *,
        by: str,
        signature: Mapping[str, Any] | None = None,
    ) -> Kit:
        """A kit of registered lots, at most one of each material."""
        if not re.fullmatch(KIT_ID, kit_id):
            raise MasterDataError(
                f"kit ID {kit_id!r}: a capital letter, then capitals, digits, '.', '_' or '-'"
            )
        if kit_id in self.kits:
            raise MasterDataError(f"kit {kit_id} is registered already")
        if not lots:
            raise MasterDataError("a kit lists at least one lot")
        seen: dict[str, str] = {}
        for gtin, lot in lots:
            record = self.lots.get((gtin, lot))
            if record is None:
                raise MasterDataError(f"lot {lot} of {gtin} is not registered")
            if record.material in seen:
                raise MasterDataError(
                    f"lots {seen[record.material]} and {lot} are both "
                    f"{self.material_name(record.material)}: a kit has one lot of each material"
                )
            seen[record.material] = lot
        payload = {"kit": kit_id, "lots": [{"gtin": g, "lot": n} for g, n in lots]}
        self._record(
            "kit.registered",
            payload,
            by,
            signature=signature,
            unique=[Unique.of("kit.registered", "kit", kit=kit_id)],
        )
        return self.kits[kit_id]

    # ------------------------------------------------------------ checks at the point of use

    def kit_lot(self, kit_id: str, needs: str) -> tuple[Lot | None, str | None]:
        """The kit's lot of material `needs`, or (None, why not)."""
        self.refresh()
        kit = self.kits.get(kit_id)
        if kit is None:
            return None, f"kit {kit_id} is not known at this station"
        for key in kit.lots:
            record = self.lots.get(key)
            if record is not None and record.material == needs:
                return record, None
        return None, f"kit {kit_id} has no {self.material_name(needs)}"

    def material_of_gtin(self, gtin: str | None) -> Material | None:
        for material in self.materials.values():
            if gtin in material.gtins:
                return material
        return None

    def material_name(self, code: str) -> str:
        known = self.materials.get(code)
        return code if known is None else known.name

    def remaining(self, gtin: str, lot: str) -> float | None:
        """What is left of a lot in its unit (None when its quantity is not counted)."""
        record = self.lots.get((gtin, lot))
        if record is None or record.quantity is None:
            return None
        key = (gtin, lot)
        return record.quantity - self.used_here.get(key, 0.0) - self.used_elsewhere.get(key, 0.0)

    def use_problem(
        self,
        gtin: str | None,
        lot: str,
        label_expiry: date,
        needs: str,
        amount: Quantity | None = None,
    ) -> tuple[str | None, float | None]:
        """(why the scanned lot may not be used at a step that needs material `needs` and
        takes `amount`, or None; the quantity to record as used, in the lot's unit)."""
        self.refresh()
        key = (gtin or "", lot)
        record = self.lots.get(key)
        scanned = self.material_of_gtin(gtin)
        if record is not None and record.material not in self.materials and self.materials:
            return (  # a lot registered before materials had codes names a material in words
                f"lot {lot} names no registered material ({record.material}): QA must "
                "register it again under its material's code",
                None,
            )
        got = record.material if record is not None else scanned.code if scanned else None
        if got is not None and got != needs:
            return (
                f"scanned {self.material_name(got)}, this step needs {self.material_name(needs)}",
                None,
            )
        problem = self.lot_problem(gtin, lot, label_expiry)
        if problem or record is None or amount is None or record.quantity is None:
            return problem, None
        try:
            take = amount.to(record.unit or "1").value
        except UnitError:
            return (
                f"lot {lot} is counted in {record.unit}, this step takes {amount}: the recipe "
                "and the lot do not match, call QA",
                None,
            )
        left = self.remaining(key[0], lot) or 0.0
        if left + 1e-9 < take:
            gone = "has run out" if left <= 1e-9 else f"has {max(left, 0.0):g} {record.unit} left"
            return (
                f"{self.material_name(record.material)} lot {lot} {gone}, this step needs "
                f"{take:g} {record.unit}",
                None,
            )
        return None, take

    def lot_problem(self, gtin: str | None, lot: str, label_expiry: date) -> str | None:
        """Why a material lot may not be used now, or None when it may."""
        record = self.lots.get((gtin or "", lot))
        if record is None:
            return f"lot {lot} is not known at this station"
        if record.status != "released":
            return f"lot {lot} is {record.status}"
        today = self.clock().astimezone(UTC).date()
        expiry = min(record.expiry, label_expiry)
        if expiry < today:
            return f"{record.material} lot {lot} expired on {expiry.isoformat()}"
        if record.expiry != label_expiry:
            return (
                f"lot {lot}: label expiry {label_expiry} differs from the lot record "
                f"{record.expiry}"
            )
        return None
