"""Station registration and the per-station tokens stations authenticate with.

``add`` draws a token of 32 random bytes (``secrets.token_urlsafe``), prints it once and keeps
only its SHA-256. A slow password hash (argon2) protects low-entropy secrets people choose; a
256-bit random token cannot be guessed or brute-forced from its hash, so a fast hash loses
nothing, lets the server find the station by an indexed lookup of the hash, and costs
microseconds instead of tens of milliseconds (and tens of MB) on every push.
"""

import hashlib
import json
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import IntegrityError

from central import schema
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.store import CentralStore, now_iso
from local_store.events import GENESIS

TOKEN_PREFIX: Final = "kst_"  # noqa: S105  # a marker that makes tokens recognisable, no secret
STATION_PATTERN: Final = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"

_S = schema.stations


@dataclass(frozen=True)
class StationInfo:
    """A registered station and what the server holds of its record."""

    name: str
    created_at: str
    revoked_at: str | None
    head_seq: int
    head_hash: str
    last_push_at: str | None
    incidents: int = 0
    role: str = "station"  # "station" (pushes its chain) or "lims" (posts QC results only)

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def token_hash(token: str) -> str:
    """SHA-256 (hex) of a station token (see the module docstring for why not argon2)."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


ROLES: Final = ("station", "lims", "orders")


def add_station(
    store: CentralStore, name: str, rooms: Sequence[str] = (), *, role: str = "station"
) -> str:
    """Register ``name`` (standing in ``rooms``; none: every room) and return its token (shown
    once; only its hash is kept)."""
    for room in rooms:
        if not re.fullmatch(STATION_PATTERN, room):
            raise CentralError(f"a room name is 1-64 letters, digits, '.', '_' or '-': {room!r}")
    if not re.fullmatch(STATION_PATTERN, name):
        raise CentralError(
            "a station name is 1-64 letters, digits, '.', '_' or '-', starting with a letter or "
            f"digit: {name!r}"
        )
    if role not in ROLES:
        raise CentralError(f"a token role is {' or '.join(ROLES)}, not {role!r}")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    try:
        with store.write() as conn:
            conn.execute(
                insert(_S).values(
                    name=name,
                    token_hash=token_hash(token),
                    created_at=now_iso(),
                    revoked_at=None,
                    head_seq=0,
                    head_hash=GENESIS,
                    last_push_at=None,
                    rooms=json.dumps(sorted(set(rooms))) if rooms else None,
                    role=role,
                )
            )
    except IntegrityError as exc:
        raise CentralError(
            f"station {name} is registered already (a station name is never reused; "
            "a new token for it needs a new name)"
        ) from exc
    return token


def revoke_station(store: CentralStore, name: str) -> None:
    """Refuse the station's token from now on. Its events stay; the name is never reused."""
    with store.write() as conn:
        row = conn.execute(select(_S.c.revoked_at).where(_S.c.name == name)).first()
        if row is None:
            raise CentralError(f"no station {name!r}")
        if row.revoked_at is not None:
            raise CentralError(f"station {name} was revoked already at {row.revoked_at}")
        conn.execute(update(_S).where(_S.c.name == name).values(revoked_at=now_iso()))


def list_stations(store: CentralStore) -> list[StationInfo]:
    """Every registered station, by name, with its number of recorded incidents (not the
    server's own user chain, ``central.users.SERVER_STATION``, which ``central verify`` checks)."""
    counts = (
        select(schema.incidents.c.station, func.count().label("n"))
        .group_by(schema.incidents.c.station)
        .subquery()
    )
    stmt = (
        select(
            _S.c.name,
            _S.c.created_at,
            _S.c.revoked_at,
            _S.c.head_seq,
            _S.c.head_hash,
            _S.c.last_push_at,
            func.coalesce(counts.c.n, 0),
            _S.c.role,
        )
        .outerjoin(counts, counts.c.station == _S.c.name)
        .where(_S.c.name != SERVER_STATION)
        .order_by(_S.c.name)
    )
    with store.read() as conn:
        return [StationInfo(*row) for row in conn.execute(stmt)]


def station_rooms(store: CentralStore, name: str) -> list[str]:
    """The rooms ``name`` is registered for; empty: every room."""
    with store.read() as conn:
        text = conn.execute(select(_S.c.rooms).where(_S.c.name == name)).scalar_one_or_none()
    if not text:
        return []
    found = json.loads(text)
    return [str(r) for r in found] if isinstance(found, list) else []


def station_for_token(store: CentralStore, token: str) -> StationInfo | None:
    """The station a token belongs to (revoked ones included), or None for an unknown token."""
    stmt = select(
        _S.c.name,
        _S.c.created_at,
        _S.c.revoked_at,
        _S.c.head_seq,
        _S.c.head_hash,
        _S.c.last_push_at,
        _S.c.role,
    ).where(_S.c.token_hash == token_hash(token))
    with store.read() as conn:
        row = conn.execute(stmt).first()
    if row is None:
        return None
    name, created_at, revoked_at, head_seq, head_hash, last_push_at, role = row
    return StationInfo(
        name, created_at, revoked_at, head_seq, head_hash, last_push_at, role=str(role)
    )
