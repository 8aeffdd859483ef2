"""The authority map as code: which sender may write which event, and what each event must hold.

A station is trusted only for what happens at it; the server is trusted for what the fleet
shares (``docs/architecture.md``, "Authority map"). Every event a station pushes is checked here
before it is stored:

- its type must be one a station may write (``STATION_TYPES``); users, master data, recipes and
  batch ownership are the server's (``SERVER_TYPES``), and anything else is unknown;
- its payload must match the type's schema (pydantic models below: the keys the system relies
  on, with their types; further keys are allowed so that a newer station can add detail);
- an event of a batch carries the batch ID, and an event of no batch carries none;
- the actor is ``u:<user>`` or ``system``.

The checks are pure functions of one event: ownership and clocks, which need the database, are
``central.ingest``'s. ``check(event)`` returns ``None`` or a sentence naming what is wrong.
"""

from collections.abc import Mapping
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from central.errors import FORBIDDEN, INVALID
from kiosk.custody import EVENT as CUSTODY_EVENT
from kiosk.custody import signature_problem as custody_problem
from local_store import Event

SERVER_STATION: Final = "@central"
"""The name of the server's own chain in the events table; no station may be registered so."""

# ---------------------------------------------------------------- payload schemas

_Text = Field(min_length=1, max_length=10_000)
_Hash = Field(pattern=r"^[0-9a-f]{64}$")


class _Payload(BaseModel):
    model_config = ConfigDict(extra="allow", strict=True)


class SignaturePayload(_Payload):
    user: str = _Text
    name: str = _Text
    ts: str = _Text
    meaning: str = _Text
    signed: str = _Hash
    roles: list[str]


class BatchStarted(_Payload):
    recipe_id: str = _Text
    recipe_version: int = Field(ge=1)
    recipe_sha256: str = _Hash
    context: dict[str, Any]


class StageStarted(_Payload):
    stage: str = _Text
    iteration: int = Field(ge=1)


class StepRef(_Payload):
    step: str = _Text


class StepRecorded(_Payload):
    step: str = _Text
    step_id: str = _Text
    stage: str = _Text
    iteration: int = Field(ge=1)
    kind: str = _Text
    name: str | None = None
    critical: str | None = None
    limits: dict[str, Any] | None = None


class StepSkipped(_Payload):
    step: str = _Text
    reason: str = _Text


class SignatureApplied(_Payload):
    step: str | None = None
    purpose: str = _Text
    user: str = _Text
    name: str = _Text
    ts: str = _Text
    meaning: str = _Text
    signed: str = _Hash
    roles: list[str]


class IdentityBound(_Payload):
    step: str | None = None
    din: str | None = Field(default=None, min_length=1, max_length=64)
    coi: str | None = Field(default=None, min_length=1, max_length=64)


class MaterialUsed(_Payload):
    step: str = _Text
    gtin: str | None = None
    lot: str | None = None
    quantity: float | None = Field(default=None, ge=0)  # taken from the lot, in its unit


class CustodyHandover(_Payload):
    """A transfer of the bag or product; the receiver's signature is checked by
    ``kiosk.custody.signature_problem`` (meaning "received", bound to the transfer)."""

    kind: str = _Text
    from_: str = Field(alias="from", min_length=1)
    to: str = _Text
    location: str = _Text
    signature: SignaturePayload | None = None  # required: refused by name when missing


class ExceptionRaised(_Payload):
    id: str = _Text
    category: str = _Text
    severity: Literal["critical", "major", "minor"]
    blocking: bool
    step: str | None = None
    message: str = _Text
    values: dict[str, Any] = Field(default_factory=dict)


class SignedRef(_Payload):
    id: str = _Text
    signature: SignaturePayload


class Disposition(_Payload):
    id: str = _Text
    decision: str = _Text
    reference: str | None = None
    signature: SignaturePayload


class StepCorrected(_Payload):
    step: str = _Text
    corrects: int = Field(ge=1)


class BatchStateChanged(_Payload):
    state: Literal["in_progress", "on_hold", "completed", "released", "aborted"]
    signature: SignaturePayload | None = None


class ActionRefusedPayload(_Payload):
    action: str = _Text
    reason: str = _Text


class BatchHandover(_Payload):
    """The owner releases a batch for hand-over to another station (``batch.handover``)."""

    room: str | None = None
    by: str = _Text


class BatchClaimed(_Payload):
    """A station received a batch (``batch.claimed``): the receiver's signature, "received"."""

    from_: str = Field(alias="from", min_length=1)
    signature: SignaturePayload


class UserRef(_Payload):
    user: str = _Text


class LoginFailed(_Payload):
    user: str = _Text
    attempts: int = Field(ge=0)


class EquipmentChecked(_Payload):
    id: str = _Text
    passed: bool


class DevicePayload(_Payload):
    role: str = _Text


class DeviceAccepted(_Payload):
    role: str = _Text
    serial: str = _Text
    signature: SignaturePayload


class StationExit(_Payload):
    by: str = _Text
    signature: SignaturePayload


class ResultPending(_Payload):
    """A QC release test the batch waits for (``result.pending``)."""

    step: str = _Text
    test: str = _Text


class ResultRecorded(_Payload):
    """A QC result taken in from the server's ``qc.result`` (``result.recorded``)."""

    step: str = _Text
    test: str = _Text
    lims_ref: str = _Text


class DeviationOpened(_Payload):
    """A supervisor opened a deviation from a review item (``kiosk.deviations``)."""

    id: str = Field(pattern=r"^DEV-[0-9A-F]{8}$")
    item: str = _Text
    classification: Literal["minor", "major", "critical"]
    description: str = _Text


class MonitorSamples(_Payload):
    step: str = _Text
    role: str = _Text
    device: str | None = None
    units: dict[str, str | None]
    samples: list[dict[str, Any]] = Field(min_length=1)


class MonitorGapPayload(_Payload):
    step: str = _Text
    role: str = _Text
    start: str = _Text
    end: str | None = None
    reason: str = _Text


class AnyPayload(_Payload):
    pass


# ---------------------------------------------------------------- the map


BATCH_TYPES: Final[Mapping[str, type[_Payload]]] = {
    "batch.started": BatchStarted,
    "stage.started": StageStarted,
    "step.recorded": StepRecorded,
    "step.completed": StepRef,
    "step.skipped": StepSkipped,
    "signature.applied": SignatureApplied,
    "timer.started": StepRef,
    "monitor.samples": MonitorSamples,
    "monitor.gap": MonitorGapPayload,
    "identity.bound": IdentityBound,
    "material.used": MaterialUsed,
    "custody.handover": CustodyHandover,
    "exception.raised": ExceptionRaised,
    "exception.acknowledged": SignedRef,
    "exception.dispositioned": Disposition,
    "review.dispositioned": Disposition,
    "step.corrected": StepCorrected,
    "batch.state": BatchStateChanged,
    "action.refused": ActionRefusedPayload,
    "batch.handover": BatchHandover,
    "batch.claimed": BatchClaimed,
    "result.pending": ResultPending,
    "result.recorded": ResultRecorded,
    "deviation.opened": DeviationOpened,
}
"""What the owning station of a batch writes about it (each carries the batch ID)."""

STATION_FACTS: Final[Mapping[str, type[_Payload]]] = {
    "login.succeeded": UserRef,
    "login.failed": LoginFailed,
    "logout": UserRef,
    "session.locked": UserRef,
    "session.unlocked": UserRef,
    "equipment.checked": EquipmentChecked,
    "equipment.swap_step": AnyPayload,
    "device.accepted": DeviceAccepted,
    "device.connected": DevicePayload,
    "device.refused": DevicePayload,
    "device.disconnected": DevicePayload,
    "station.setup": AnyPayload,
    "station.exit": StationExit,
}
"""What happens at a station and belongs to no batch: logins it saw, its devices, its set-up."""

STATION_TYPES: Final[Mapping[str, type[_Payload]]] = {**BATCH_TYPES, **STATION_FACTS}

USER_TYPES: Final = frozenset(
    {
        "user.created",
        "user.password_set",
        "user.disabled",
        "user.enabled",
        "user.roles_set",
        "user.locked",
        "user.unlocked",
        "user.policy_set",
    }
)
"""The server's user stream (``central/users.py``)."""

RECIPE_TYPES: Final = frozenset(
    {
        "recipe.uploaded",
        "recipe.submitted",
        "recipe.reviewed",
        "recipe.approved",
        "recipe.effective",
        "recipe.retired",
    }
)
"""The recipe lifecycle (``central/recipes.py``): uploads, the three signatures, and the
server's own publication and retirement of versions."""

SERVER_TYPES: Final = (
    USER_TYPES
    | RECIPE_TYPES
    | {
        "equipment.registered",
        "equipment.calibrated",
        "equipment.retired",
        "lot.registered",
        "lot.status",
        "material.registered",
        "kit.registered",
        "batch.owner",
        "qc.result",
        "qa.dispositioned",
        "qa.released",
        "deviation.updated",
        "deviation.reclassified",
        "deviation.closed",
    }
)
"""The server's: users, roles, passwords and lockout; equipment and lot master data; who owns a
batch; QC results posted by the LIMS (``qc.result``, ``central.lims``); QA's dispositions,
releases and deviation investigations and closures in the portal (``central.release``). A
station's copy of them is what it pulled; it may never push one."""

SERVER_PREFIXES: Final = ("user.", "recipe.", "order.")
"""Whole families that only the server writes."""


def check(event: Event) -> tuple[str, str] | None:
    """What is wrong with ``event`` as a push from a station: (``forbidden`` or ``invalid``, the
    problem in words), or None when the map allows it."""
    kind = event.type
    if kind in SERVER_TYPES or kind.startswith(SERVER_PREFIXES):
        return FORBIDDEN, (
            f"{kind} events are written only by the central server; a station may not push one"
        )
    model = STATION_TYPES.get(kind)
    if model is None:
        return INVALID, f"unknown event type {kind!r}"
    if not (event.actor == "system" or (event.actor.startswith("u:") and len(event.actor) > 2)):
        return INVALID, f"actor {event.actor!r} is neither u:<user> nor system"
    if kind in BATCH_TYPES and not event.batch:
        return INVALID, f"a {kind} event must name its batch"
    if kind not in BATCH_TYPES and event.batch is not None:
        return INVALID, f"a {kind} event belongs to no batch, but names batch {event.batch}"
    problem = payload_problem(model, event.payload)
    if problem is None and kind == CUSTODY_EVENT:
        problem = custody_problem(event.payload, event.batch)
    return None if problem is None else (INVALID, problem)


def payload_problem(model: type[_Payload], payload: Mapping[str, Any]) -> str | None:
    """The first schema problem of ``payload``, in words (``values: Input should be a valid
    dictionary``), or None."""
    try:
        model.model_validate(payload)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "payload"
        return f"malformed payload: {where}: {first['msg']}"
    return None
