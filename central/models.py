"""The JSON shapes of the HTTP API (pydantic), which are also its OpenAPI schema."""

from typing import Any, Final, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from central.ingest import MAX_BATCH
from local_store import Event

HEX64: Final = r"^[0-9a-f]{64}$"
MAX_INT: Final = 2**31 - 1
"""Sequence numbers and versions are 32-bit integers on PostgreSQL."""


class ErrorBody(BaseModel):
    detail: str = Field(description="what went wrong, in words for the person at the station")


class EventModel(BaseModel):
    """An event exactly as the station stored and hashed it (``local_store.Event``)."""

    model_config = ConfigDict(extra="forbid", strict=True)

    station: str = Field(min_length=1)
    seq: int = Field(ge=1, le=MAX_INT)
    ts: str
    actor: str
    batch: str | None
    type: str
    payload: dict[str, Any]
    reason: str | None
    prev: str = Field(pattern=HEX64)
    hash: str = Field(pattern=HEX64)

    def to_event(self) -> Event:
        return Event(
            self.station,
            self.seq,
            self.ts,
            self.actor,
            self.batch,
            self.type,
            self.payload,
            self.reason,
            self.prev,
            self.hash,
        )

    @classmethod
    def of(cls, event: Event) -> "EventModel":
        return cls.model_construct(**event.to_dict())


class PushRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    events: list[EventModel] = Field(
        max_length=MAX_BATCH,
        description=f"the station's events, in sequence order, at most {MAX_BATCH}",
    )


class Head(BaseModel):
    """The station's acknowledged high-water mark on the server."""

    station: str
    acknowledged: int = Field(description="the last sequence number stored (0 for none)")
    acknowledged_hash: str = Field(description="its hash (the chain's starting value for none)")


class Ack(Head):
    stored: int = Field(description="events of this push stored now")
    duplicates: int = Field(description="events of this push the server already held")
    receipt: dict[str, Any] | None = Field(
        default=None,
        description="the server's Ed25519-signed receipt: station, seq, head, at, the (seq, "
        "hash) of every event stored by this push, signature (hex) over the rest",
    )


class PublicKey(BaseModel):
    public_key: str = Field(description="PEM (SubjectPublicKeyInfo) of the receipt key")


class Refused(BaseModel):
    """A push refused from ``seq`` on (HTTP 409); events before it may have been stored."""

    detail: str
    code: str = Field(description="conflict | chain_broken | gap")
    station: str
    seq: int
    problem: str
    acknowledged: int
    acknowledged_hash: str


# ---------------------------------------------------------------- master data


class RecipeItem(BaseModel):
    version: int
    recipe_id: str
    recipe_version: int
    status: str
    title: str
    sha256: str = Field(description="SHA-256 of the YAML text encoded as UTF-8")
    yaml: str
    uploaded_at: str


class UserItem(BaseModel):
    version: int
    event: EventModel


class EquipmentItem(BaseModel):
    version: int
    asset: str
    kind: str
    serial: str
    model: str
    calibration_due: str
    status: str
    changed_at: str


class LotItem(BaseModel):
    version: int
    gtin: str
    lot: str
    material: str
    expiry: str
    status: str
    changed_at: str
    quantity: str | None = None  # received, decimal text (c0006)
    unit: str | None = None
    reason: str | None = None
    changed_by: str | None = None


ItemT = TypeVar("ItemT", bound=BaseModel)


class MasterPage(BaseModel, Generic[ItemT]):
    kind: str
    since: int
    version: int = Field(description="the highest version in items (since, when empty)")
    latest: int = Field(description="the highest version the server has")
    more: bool = Field(description="true when items stopped at the limit: ask again from version")
    items: list[ItemT]


class UserPage(MasterPage[UserItem]):
    min_password: int = Field(
        description="the server's minimum length for passwords set from now on: its policy "
        "(the last user.policy_set), else its default; stations apply it"
    )


# ---------------------------------------------------------------- QA


class BatchOut(BaseModel):
    batch: str
    status: str
    recipe_id: str | None
    recipe_version: int | None
    first_ts: str
    last_ts: str
    events: int


class ReviewItemOut(BaseModel):
    id: str
    kind: str = Field(description="exception, correction, comment, manual_entry, value, ...")
    category: str
    severity: str | None
    step: str | None
    message: str
    ts: str
    values: dict[str, Any]
    required: bool = Field(description="release waits for its disposition (false: information)")
    status: str = Field(description="open, info, or QA's decision")
    disposition: dict[str, Any] | None


class ReviewOut(BaseModel):
    batch: str
    source: str = Field(description="recipe: rebuilt with the batch's recipe; events: raw list")
    note: str | None
    open: int = Field(description="required items not yet dispositioned")
    items: list[ReviewItemOut]


class StationOut(BaseModel):
    name: str
    active: bool
    created_at: str
    revoked_at: str | None
    acknowledged: int
    last_push_at: str | None
    incidents: int


class IncidentOut(BaseModel):
    id: int
    station: str
    seq: int
    code: str
    problem: str
    at: str


class Health(BaseModel):
    status: str
    version: str
