"""Swapping a device: the technician's steps, headless; the technician screen drives them.

A station takes readings only from the device a technician accepted for each
role (21 CFR 11.10(h), see `kiosk.devices.manager`). When a balance or a
scanner is replaced, the technician, logged in, goes through:

1. `identify(role)` — ask the connected device its serial number;
2. `check_master(serial)` — is it registered, as what, is its calibration
   due date still ahead, has it had today's daily check;
3. `read_weight(role)` and `daily_check(asset, reference_g, tolerance_g,
   reading)` — weigh the reference weight on it (balances), recorded through
   `MasterData.daily_check`;
4. `accept(role, serial, credentials)` — a signature by a technician or admin
   (`device.manage`, meaning "approved"); writes `device.accepted`, and from
   then on the device's readings count.

Every step is an event in the equipment logbook (`equipment.swap_step`, or
the master-data event of the daily check) naming who did it; the time is the
event's. Refusals are `SwapRefused` with the reason in the technician's
words. Accept is refused for a device that is not registered, is registered
as another kind than the role, has an overdue calibration, or is not the
device connected in the role right now.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.auth import Auth, AuthError, Session, Signature, change_hash
from kiosk.devices.balance import WeightReading
from kiosk.devices.errors import DeviceError
from kiosk.devices.manager import ACCEPTED
from kiosk.masterdata import Equipment, MasterData, MasterDataError
from kiosk.roles import allowed
from kiosk.text import Text, message_of
from local_store import Event, EventStore

if TYPE_CHECKING:
    from kiosk.engine import Credentials

log = logging.getLogger(__name__)

STEP = "equipment.swap_step"
"""The logbook event of each swap step: {step, role, serial, id (asset), equipment, result}."""


class RoleProbe(Protocol):
    """What the workflow needs from the station's devices (`DeviceManager` is one)."""

    def role_kind(self, role: str) -> str | None:
        """The configured kind of `role`, None when the station has no such role."""
        ...

    def identify(self, role: str, timeout: float = 5.0) -> str:
        """Ask the device in `role` its serial number; DeviceError if it cannot."""
        ...

    def read_stable(self, role: str, timeout: float = 10.0) -> WeightReading:
        """A stable weight from the balance in `role` (accepted or not)."""
        ...

    def connected_serial(self, role: str) -> str | None:
        """The serial number of the device connected in `role`, None if none is."""
        ...

    def note_accepted(self, event: Event) -> None:
        """A `device.accepted` event was written: trust that device from now on."""
        ...


class KnownRoles:
    """A `RoleProbe` for roles whose answering device is known beforehand, not asked: the
    simulated stations of OQ scripts and the demo's OPC UA simulator. {role: (kind, serial)}"""

    def __init__(self, answering: dict[str, tuple[str, str]]) -> None:
        self.answering = answering

    def role_kind(self, role: str) -> str | None:
        known = self.answering.get(role)
        return None if known is None else known[0]

    def identify(self, role: str, timeout: float = 5.0) -> str:
        if role not in self.answering:
            raise SwapRefused(Text("there is no device role {role} at this station", role=role))
        return self.answering[role][1]

    def read_stable(self, role: str, timeout: float = 10.0) -> WeightReading:
        raise SwapRefused(Text("{role}: no balance to read here", role=role))

    def connected_serial(self, role: str) -> str | None:
        known = self.answering.get(role)
        return None if known is None else known[1]

    def note_accepted(self, event: Event) -> None:
        return None


class SwapRefused(DeviceError):
    """A swap step was refused; str() says why, in the technician's words."""

    def __init__(self, message: str | Text) -> None:
        super().__init__(message, "refused")


@dataclass(frozen=True)
class Identified:
    """The device connected in a role, as it identified itself."""

    role: str
    kind: str
    serial: str
    asset: str | None  # the equipment it is registered as, if any
    message: str


@dataclass(frozen=True)
class MasterCheck:
    """What the equipment master says about a serial number."""

    serial: str
    message: str
    asset: str | None = None
    kind: str | None = None
    model: str = ""
    calibration_due: date | None = None
    calibration_ok: bool = False
    checked_today: bool = False  # a daily check today, passed
    problem: str | None = "not registered"  # why it cannot be accepted, None when it can

    @property
    def registered(self) -> bool:
        return self.asset is not None

    @property
    def may_accept(self) -> bool:
        return self.problem is None


@dataclass(frozen=True)
class CheckResult:
    """A recorded daily check."""

    asset: str
    passed: bool
    reading_g: float
    reference_g: float
    tolerance_g: float
    message: str


@dataclass(frozen=True)
class Accepted:
    """A signed acceptance: this device serves this role from now on."""

    role: str
    serial: str
    asset: str
    signature: Signature
    event: Event
    remaining: str | None  # what still keeps it from use (e.g. today's daily check), if anything
    message: str


class SwapWorkflow:
    """The swap steps for a logged-in technician (see the module docstring).

    Every step takes the technician's `session`: it must be open and its user
    must have `device.manage` (technician or admin). Steps that talk to the
    device block for at most their timeout: call them off the UI thread.
    """

    def __init__(
        self,
        probe: RoleProbe,
        masterdata: MasterData,
        auth: Auth,
        store: EventStore,
        clock: Callable[[], datetime],
    ) -> None:
        self.probe = probe
        self.masterdata = masterdata
        self.auth = auth
        self.store = store
        self.clock = clock

    # ------------------------------------------------------------ steps

    def identify(self, role: str, *, session: Session, timeout: float = 5.0) -> Identified:
        """Ask the device connected in `role` its serial number."""
        self._may(session)
        kind = self._kind(role)
        serial = self.probe.identify(role, timeout)
        item = self.masterdata.by_serial(serial)
        if item is None:
            message = f"the {kind} in {role} reports serial {serial}: not registered"
        else:
            message = f"the {kind} in {role} reports serial {serial}: {item.kind} {item.id}"
        self._step(session, "identify", role=role, serial=serial, item=item, result=message)
        return Identified(role, kind, serial, item.id if item else None, message)

    def check_master(
        self, serial: str, *, session: Session, role: str | None = None
    ) -> MasterCheck:
        """Registered (as the role's kind, if a role is given)? Calibration not overdue?"""
        self._may(session)
        kind = self._kind(role) if role is not None else None
        item = self.masterdata.by_serial(serial)
        check = self._master_check(serial, item, role, kind)
        self._step(
            session, "check_master", role=role, serial=serial, item=item, result=check.message
        )
        return check

    def read_weight(self, role: str, *, session: Session, timeout: float = 10.0) -> WeightReading:
        """A stable weight from the balance in `role`: the reference weight for the daily check."""
        self._may(session)
        if self._kind(role) != "balance":
            raise SwapRefused(Text("{role} is not a balance", role=role))
        return self.probe.read_stable(role, timeout)

    def daily_check(
        self,
        asset: str,
        reference_g: float,
        tolerance_g: float,
        reading: WeightReading | float,
        *,
        session: Session,
        signer: Credentials | None = None,
    ) -> CheckResult:
        """Record the daily check of `asset` with a reference weight, in grams.

        `reading` is what the balance showed: a `WeightReading` from
        `read_weight` (it must be stable and come from this asset), or a
        number the technician read off the balance's display. With `signer`
        the check is signed as `kiosk equipment check` signs it.
        """
        self._may(session)
        item = self.masterdata.equipment.get(asset)
        if item is None or item.retired:
            raise SwapRefused(Text("{asset} is not registered equipment in use", asset=asset))
        if item.kind != "balance":
            raise SwapRefused(
                Text(
                    "{asset} is a {kind}: daily checks are for balances",
                    asset=asset,
                    kind=item.kind,
                )
            )
        if reference_g <= 0 or tolerance_g <= 0:
            raise SwapRefused(Text("the reference weight and the tolerance must be more than 0 g"))
        if isinstance(reading, WeightReading):
            if reading.device != item.serial:
                raise SwapRefused(
                    Text(
                        "this weight came from balance {device}, not from {asset} "
                        "(serial {serial})",
                        device=reading.device,
                        asset=asset,
                        serial=item.serial,
                    )
                )
            if not reading.stable:
                raise SwapRefused(Text("the weight was not stable: weigh the reference again"))
            grams = reading.to("g").value  # DeviceError(kind="unit") if not a mass
        else:
            grams = float(reading)
        signature: dict[str, Any] | None = None
        actor = session.actor
        if signer is not None:
            change = {"asset": asset, "reference": reference_g, "reading": grams, "unit": "g"}
            signed = self._sign(session, signer, "equipment.checked", change)
            signature, actor = signed.to_payload(), f"u:{signed.user}"
        try:
            passed = self.masterdata.daily_check(
                asset, reference_g, grams, "g", tolerance_g, by=actor, signature=signature
            )
        except MasterDataError as exc:
            raise SwapRefused(message_of(exc)) from exc
        shown = f"{grams:g} g against {reference_g:g} g ± {tolerance_g:g} g"
        if passed:
            message = f"{asset} daily check passed: {shown}"
        else:
            message = (
                f"{asset} daily check FAILED: {shown} — clean and level the balance, check the "
                "reference weight and check again; it cannot be used until it passes"
            )
        log.info("%s", message)
        return CheckResult(asset, passed, grams, reference_g, tolerance_g, message)

    def accept(
        self, role: str, serial: str, technician: Credentials, *, session: Session
    ) -> Accepted:
        """Accept the device reporting `serial` for `role`, signed by a technician or admin."""
        self._may(session)
        kind = self._kind(role)
        item = self.masterdata.by_serial(serial)
        check = self._master_check(serial, item, role, kind)
        problem: str | Text | None = check.problem
        if problem is None:
            connected = self.probe.connected_serial(role)
            if connected is None:
                problem = Text(
                    "no {kind} is connected as {role}: connect it and identify it first",
                    kind=kind,
                    role=role,
                )
            elif connected != serial:
                problem = Text(
                    "the {kind} connected as {role} reports serial {connected}, not {serial}:"
                    " identify it again",
                    kind=kind,
                    role=role,
                    connected=connected,
                    serial=serial,
                )
        if problem is not None or item is None:
            reason = problem or check.message
            self._step(
                session, "accept", role=role, serial=serial, item=item, result=f"refused: {reason}"
            )
            raise SwapRefused(reason)
        change = {"station": self.store.station, "role": role, "serial": serial, "asset": item.id}
        signature = self._sign(session, technician, ACCEPTED, change)
        actor = f"u:{signature.user}"
        message = f"{kind} {item.id} (serial {serial}) accepted as {role} by {signature.name}"
        step = self._step_payload("accept", role, serial, item, message)
        accepted = {
            "role": role,
            "serial": serial,
            "asset": item.id,
            "signature": signature.to_payload(),
        }
        _step, event = self.store.append_many(
            [(STEP, step, actor, None, None), (ACCEPTED, accepted, actor, None, None)]
        )
        self.masterdata.catch_up()  # applies the step once
        self.probe.note_accepted(event)
        remaining = self.masterdata.balance_problem(serial) if kind == "balance" else None
        log.info("%s", message)
        return Accepted(role, serial, item.id, signature, event, remaining, message)

    # ------------------------------------------------------------ helpers

    def _may(self, session: Session) -> None:
        try:
            self.auth.check_session(session)
        except AuthError as exc:
            raise SwapRefused(message_of(exc)) from exc
        if not allowed("device.manage", session.user.roles):
            raise SwapRefused(
                Text(
                    "{name} may not manage devices: a technician or admin must",
                    name=session.user.name,
                )
            )

    def _sign(
        self, session: Session, signer: Credentials, what: str, change: dict[str, Any]
    ) -> Signature:
        """A technician's or admin's signature (meaning "approved") bound to this change."""
        try:
            return self.auth.sign(
                session=session,
                user_id=signer.user_id,
                password=signer.password,
                meaning="approved",
                signed=change_hash("device.manage", {"event": what, **change}),
                action="device.manage",
            )
        except AuthError as exc:
            raise SwapRefused(message_of(exc)) from exc

    def _kind(self, role: str) -> str:
        kind = self.probe.role_kind(role)
        if kind is None:
            raise SwapRefused(Text("there is no device role {role} at this station", role=role))
        return kind

    def _master_check(
        self, serial: str, item: Equipment | None, role: str | None, kind: str | None
    ) -> MasterCheck:
        if item is None:
            message = (
                f"serial {serial} is not registered: register it first "
                f"(kiosk equipment add ASSET --serial {serial} …)"
            )
            return MasterCheck(serial, message, problem=message)
        today = self.clock().astimezone(UTC).date()
        calibration_ok = item.calibration_due >= today
        check = item.last_check
        checked_today = check is not None and check.passed and check.ts[:10] == today.isoformat()
        problem: str | None = None
        if kind is not None and item.kind != kind:
            problem = f"{item.id} is a {item.kind}: it cannot be accepted as {role} (a {kind})"
        elif not calibration_ok:
            problem = (
                f"{item.id} calibration was due {item.calibration_due.isoformat()}: "
                "it cannot be accepted until it is calibrated"
            )
        if problem is not None:
            message = problem
        else:
            daily = "passed today" if checked_today else "not done today"
            if item.kind != "balance":
                daily = "not needed"
            message = (
                f"{item.id} ({item.kind}{', ' + item.model if item.model else ''}) is registered; "
                f"calibration due {item.calibration_due.isoformat()}; daily check {daily}"
            )
        return MasterCheck(
            serial,
            message,
            asset=item.id,
            kind=item.kind,
            model=item.model,
            calibration_due=item.calibration_due,
            calibration_ok=calibration_ok,
            checked_today=checked_today,
            problem=problem,
        )

    def _step_payload(
        self, step: str, role: str | None, serial: str, item: Equipment | None, result: str
    ) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "step": step,
            "serial": serial,
            "equipment": item.id if item else f"serial {serial}",
            "result": result,
        }
        if role is not None:
            payload["role"] = role
        if item is not None:
            payload["id"] = item.id  # the asset: MasterData files the step in its logbook
        return payload

    def _step(
        self,
        session: Session,
        step: str,
        *,
        role: str | None,
        serial: str,
        item: Equipment | None,
        result: str,
    ) -> Event:
        payload = self._step_payload(step, role, serial, item, result)
        event = self.store.append(STEP, payload, actor=session.actor)
        self.masterdata.catch_up()
        return event
