"""People belong to the server: its own hash-chained user stream, signed admin changes, lockout.

The server writes user events into a chain of its own, stored like a station's: station
``@central`` in the ``events`` table (a name no station can register, see
``stations.STATION_PATTERN``), with a ``stations`` row that holds its head and no usable token,
so ``central verify`` re-checks it with every other chain. Its ``user.*`` events are the user
feed stations pull (``user_events``); stations keep a read-only copy.

- Every change (``add``, ``disable``, ``enable``, ``reset-password``, ``set-roles``) carries the
  admin's e-signature: user ID and password re-entered, printed name, meaning "approved", time,
  and the SHA-256 of the change (``kiosk.auth.change_hash("user.manage", change)``), as
  ``kiosk users`` signs at a station. The first admin of an empty server is the one exception
  (``bootstrap: true`` in the event).
- The signer is checked like a login (11.200, 11.300): disabled or locked first, so the answer
  does not tell whether the password was right; an unknown user costs one argon2 verification
  like a wrong password; a temporary or expired password never signs.
- Failed logins: stations push ``login.failed`` and ``login.succeeded`` (not ``user.*``, so
  they are accepted). Counted per user across all stations, and the server's own refusals,
  since the last success or reset, in time order; at ``MAX_FAILED`` the server writes
  ``user.locked`` in its stream, which stations pull and apply (:func:`after_ingest`).
- A new password may not be one of the user's last ``HISTORY`` passwords, and must have the
  policy's minimum length (``user.policy_set``, signed like a user change; ``DEFAULT_MIN``, 12,
  until one is set). The policy travels in the user feed, and every page of it says the
  minimum in force (``min_password``, the default included): stations apply what they pulled.
  Existing passwords are not re-checked: a shorter one keeps working until it is changed.
"""

from __future__ import annotations

import getpass
import json
import logging
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Connection, insert, or_, select

from central import chain, schema
from central.authority import SERVER_STATION
from central.errors import CentralError
from central.records import EVENT_COLUMNS, event_from_row
from central.store import LOCK_USER_FEED, CentralStore, now_iso
from kiosk import passwords
from kiosk.auth import USER_ID_PATTERN, Signature, change_hash
from kiosk.roles import PERMISSIONS, ROLES
from local_store import Event

log = logging.getLogger(__name__)

MAX_FAILED: Final = 5
PASSWORD_DAYS: Final = 90
HISTORY: Final = 5
MANAGE: Final = "user.manage"
PASSWORD_ENV: Final = "CENTRAL_PASSWORD"  # noqa: S105  # the name of an environment variable
"""Environment variable the ``central users`` commands read the admin's password from."""

LOGIN_REPORTS: Final = frozenset({"login.failed", "login.succeeded"})

_E = schema.events
_S = schema.stations
_U = schema.user_events


class UserError(CentralError):
    """A user change or password refused; ``str()`` is for the admin or the user."""


class Refused(UserError):
    """Credentials refused (HTTP 403); the message never says which part was wrong."""


@dataclass
class ServerUser:
    """One user as the server's stream and the stations' login reports make it."""

    id: str
    name: str
    roles: frozenset[str]
    password_hash: str
    password_set: str
    temporary: bool = True
    disabled: bool = False
    locked: bool = False
    failed: int = 0
    badge: str | None = None
    history: list[str] = field(default_factory=list)  # password hashes, newest last

    def as_dict(self) -> dict[str, Any]:
        """For ``central users list --json`` (no password hashes)."""
        return {
            "user": self.id,
            "name": self.name,
            "roles": sorted(self.roles),
            "badge": self.badge,
            "status": self.status,
            "temporary_password": self.temporary,
            "password_set": self.password_set,
            "failed_logins": self.failed,
        }

    @property
    def status(self) -> str:
        return "disabled" if self.disabled else "locked" if self.locked else "active"


@cache
def _dummy_hash() -> str:
    """A hash to verify against for an unknown user, so that costs what a wrong password costs."""
    return PasswordHasher().hash(secrets.token_urlsafe(16))


def _hasher() -> PasswordHasher:
    return PasswordHasher()


def _ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# ---------------------------------------------------------------- the stream


def _append(
    conn: Connection,
    store: CentralStore,
    type_: str,
    payload: dict[str, Any],
    actor: str,
    reason: str | None = None,
) -> Event:
    """Append one event to the server's chain (and to the user feed for ``user.*``)."""
    store.advisory_lock(conn, LOCK_USER_FEED)
    event = chain.append(conn, type_, payload, actor=actor, reason=reason)
    seq = event.seq
    if type_.startswith("user."):
        conn.execute(insert(_U).values(station=SERVER_STATION, seq=seq))
    log.info("user stream: %s %s by %s", type_, payload.get("user"), actor)
    return event


def _events(conn: Connection, *, reports: bool = True) -> list[Event]:
    """The server's stream and (``reports``) every station's login report, in time order.

    The stream alone is a primary-key range; the reports are a scan of the events table (no
    index on type yet), so sign-in checks, which need no failure count, skip them.
    """
    own = _E.c.station == SERVER_STATION
    where = or_(own, _E.c.type.in_(sorted(LOGIN_REPORTS))) if reports else own
    rows = conn.execute(select(*EVENT_COLUMNS).where(where)).all()
    events = [event_from_row(r) for r in rows]
    events.sort(key=lambda e: (e.ts, e.station != SERVER_STATION, e.station, e.seq))
    return events


def fold(events: Iterable[Event]) -> dict[str, ServerUser]:
    """Users from the server's stream; login reports of stations only count failures."""
    users: dict[str, ServerUser] = {}
    for e in events:
        p = e.payload
        uid = p.get("user")
        if not isinstance(uid, str):
            continue
        own = e.station == SERVER_STATION
        if own and e.type == "user.created":
            users[uid] = ServerUser(
                id=uid,
                name=str(p.get("name", uid)),
                roles=frozenset(str(r) for r in p.get("roles") or ()),
                password_hash=str(p.get("password_hash", "")),
                password_set=e.ts,
                temporary=bool(p.get("temporary", True)),
                badge=p.get("badge") if isinstance(p.get("badge"), str) else None,
                history=[str(p.get("password_hash", ""))],
            )
            continue
        user = users.get(uid)
        if user is None:
            continue
        if e.type == "login.failed":
            user.failed += 1
        elif e.type == "login.succeeded":
            user.failed = 0
        elif not own:
            continue  # a station's user.* event is never the server's truth
        elif e.type == "user.password_set":
            user.password_hash = str(p.get("password_hash", ""))
            user.password_set = e.ts
            user.temporary = bool(p.get("temporary", False))
            user.history = [*user.history, user.password_hash][-HISTORY:]
            user.locked, user.failed = False, 0
        elif e.type == "user.disabled":
            user.disabled = True
        elif e.type == "user.enabled":
            user.disabled, user.locked, user.failed = False, False, 0
        elif e.type == "user.roles_set":
            user.roles = frozenset(str(r) for r in p.get("roles") or ())
        elif e.type == "user.locked":
            user.locked = True
    return users


def load(conn: Connection, *, reports: bool = True) -> dict[str, ServerUser]:
    """The users; without ``reports`` their failure counts are the server's own only."""
    return fold(_events(conn, reports=reports))


def directory(store: CentralStore) -> dict[str, ServerUser]:
    """Every user the server knows, by ID."""
    with store.read() as conn:
        return load(conn)


# ---------------------------------------------------------------- checks like a login


def _verify(hasher: PasswordHasher, digest: str, password: str) -> bool:
    try:
        return bool(hasher.verify(digest, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _failed(conn: Connection, store: CentralStore, user: ServerUser, where: str) -> Refused:
    """Record a wrong password at the server; lock at MAX_FAILED. Returns the refusal."""
    user.failed += 1
    _append(conn, store, "login.failed", {"user": user.id, "at": where}, "system")
    if user.failed >= MAX_FAILED and not user.locked:
        _append(conn, store, "user.locked", {"user": user.id, "failures": user.failed}, "system")
        user.locked = True
        return Refused("user ID or password wrong: the account is now locked, ask an admin")
    return Refused("user ID or password wrong")


def _check(
    users: dict[str, ServerUser], user_id: str, password: str, *, allow_temporary: bool
) -> tuple[ServerUser | None, Refused | None]:
    """(user, None) when the credentials hold; (None, refusal) when refused; (user, refusal)
    for a wrong password of a known user (:func:`_authenticate` records it).

    Disabled and locked are answered before the password is looked at; an unknown user costs
    one verification like a wrong password.
    """
    hasher = _hasher()
    user = users.get(user_id)
    if user is None:
        _verify(hasher, _dummy_hash(), password)
        return None, Refused("user ID or password wrong")
    if user.disabled:
        return None, Refused("this account is disabled")
    if user.locked:
        return None, Refused("this account is locked after failed attempts: ask an admin")
    if not _verify(hasher, user.password_hash, password):
        return user, Refused("user ID or password wrong")
    if not allow_temporary:
        if user.temporary:
            return None, Refused(
                "your password was set by an admin: choose your own at a station first"
            )
        if datetime.now(UTC) - _ts(user.password_set) > timedelta(days=PASSWORD_DAYS):
            return None, Refused("your password has expired: choose a new one at a station")
    return user, None


def _authenticate(
    conn: Connection,
    store: CentralStore,
    users: dict[str, ServerUser],
    user_id: str,
    password: str,
    where: str,
    *,
    allow_temporary: bool = False,
) -> tuple[ServerUser | None, Refused | None]:
    """:func:`_check`, recording a wrong password (it counts towards the lockout). The caller
    commits that record and raises the refusal afterwards."""
    user, refusal = _check(users, user_id, password, allow_temporary=allow_temporary)
    if user is not None and refusal is not None:
        return None, _failed(conn, store, user, where)
    return user, refusal


def check_login(store: CentralStore, user_id: str, password: str) -> ServerUser:
    """The user with these credentials (for the server's pages); Refused otherwise.

    Checked on a read snapshot; a refusal opens a write to record it: a wrong password counts
    towards the user's lockout, an unknown user ID is an incident (someone guessing accounts;
    the same write, so both cost about the same time).
    """
    with store.read() as conn:
        users = load(conn, reports=False)
    user, refusal = _check(users, user_id, password, allow_temporary=False)
    if user is not None and refusal is not None:
        with store.write() as conn:
            store.advisory_lock(conn, LOCK_USER_FEED)
            current = load(conn).get(user_id)
            if current is not None and not current.locked and not current.disabled:
                refusal = _failed(conn, store, current, "web")
    elif user is None and refusal is not None and user_id not in users:
        with store.write() as conn:
            conn.execute(
                insert(schema.incidents).values(
                    station="web",
                    seq=0,
                    code="unknown_user",
                    problem=f"sign-in refused for an unknown user ID {user_id[:64]!r}",
                    event=None,
                    at=now_iso(),
                )
            )
    if refusal is not None:
        raise refusal
    assert user is not None
    return user


def portal_login(store: CentralStore, user_id: str, password: str) -> ServerUser:
    """:func:`check_login` for a person signing in at the web portal; the sign-in is recorded
    (``login.succeeded`` at ``web`` in the server's chain), which clears the failure count as a
    station's sign-in does. A wrong password counts towards the fleet's lockout."""
    user = check_login(store, user_id, password)
    with store.write() as conn:
        _append(conn, store, "login.succeeded", {"user": user.id, "at": "web"}, f"u:{user.id}")
    return user


def active_user(store: CentralStore, user_id: str) -> ServerUser | None:
    """The user, if the account exists and is neither disabled nor locked (a session's check on
    every request): the server's ``user.*`` events alone, which hold every lock, not the rest
    of its chain (decisions, results, orders) nor the stations' login reports."""
    with store.read() as conn:
        rows = conn.execute(
            select(*EVENT_COLUMNS)
            .where(_E.c.station == SERVER_STATION, _E.c.type.like("user.%"))
            .order_by(_E.c.seq)
        ).all()
    user = fold(event_from_row(r) for r in rows).get(user_id)
    return None if user is None or user.disabled or user.locked else user


def _sign(
    conn: Connection,
    store: CentralStore,
    users: dict[str, ServerUser],
    admin: str,
    password: str,
    change: dict[str, Any],
    action: str = MANAGE,
) -> tuple[dict[str, Any] | None, Refused | None]:
    """The signature over ``change`` of a user whose roles may do ``action`` (a permission of
    ``kiosk.roles``), or the refusal (a wrong password is recorded)."""
    signer, refusal = _authenticate(conn, store, users, admin, password, "signature")
    if refusal is not None:
        return None, refusal
    assert signer is not None
    allowed = PERMISSIONS[action] & signer.roles
    if not allowed:
        who = ", ".join(sorted(PERMISSIONS[action]))
        return None, Refused(f"{signer.name} does not have a role that may sign this ({who})")
    signature = Signature(
        user=signer.id,
        name=signer.name,
        ts=now_iso(),
        meaning="approved",
        signed=change_hash(action, change),
        roles=tuple(sorted(allowed)),
    )
    return signature.to_payload(), None


def sign(
    conn: Connection,
    store: CentralStore,
    users: dict[str, ServerUser],
    signer_id: str,
    password: str,
    *,
    action: str,
    meaning: str,
    change: dict[str, Any],
) -> tuple[dict[str, Any] | None, Refused | None]:
    """A signature of ``meaning`` over ``change`` for ``action`` (a ``PERMISSIONS`` key), checked
    like a login; or the refusal (a wrong password is recorded: the caller commits, then raises).
    """
    signer, refusal = _authenticate(conn, store, users, signer_id, password, "signature")
    if refusal is not None:
        return None, refusal
    assert signer is not None
    allowed = PERMISSIONS[action] & signer.roles
    if not allowed:
        needed = " or ".join(sorted(PERMISSIONS[action]))
        return None, Refused(f"{signer.name} does not have a role that may sign this ({needed})")
    signature = Signature(
        user=signer.id,
        name=signer.name,
        ts=now_iso(),
        meaning=meaning,
        signed=change_hash(action, change),
        roles=tuple(sorted(allowed)),
    )
    return signature.to_payload(), None


def e_signature(
    conn: Connection,
    store: CentralStore,
    user_id: str,
    password: str,
    *,
    meaning: str,
    signed: str,
    role: str,
) -> tuple[dict[str, Any] | None, Refused | None]:
    """A Part 11 signature of ``user_id`` with the password re-entered, over the SHA-256
    ``signed``, with ``meaning``; or the refusal. The same checks as a sign-in (disabled,
    locked, temporary or expired password never sign; a wrong password counts towards the
    lockout and is recorded: the caller commits and then raises the refusal)."""
    store.advisory_lock(conn, LOCK_USER_FEED)
    signer, refusal = _authenticate(conn, store, load(conn), user_id, password, "signature")
    if refusal is not None:
        return None, refusal
    assert signer is not None
    if role not in signer.roles:
        return None, Refused(f"{signer.name} does not have the {role} role needed to sign this")
    signature = Signature(
        user=signer.id,
        name=signer.name,
        ts=now_iso(),
        meaning=meaning,
        signed=signed,
        roles=(role,),
    )
    return signature.to_payload(), None


def sign_change(
    conn: Connection,
    store: CentralStore,
    signer: str,
    password: str,
    action: str,
    change: dict[str, Any],
) -> tuple[dict[str, Any] | None, Refused | None]:
    """A signature over another kind of change (lots, materials) in ``conn``'s transaction: the
    signer checked like a login against the server's users. The caller commits a refusal (its
    wrong password counts) and raises it after the transaction."""
    store.advisory_lock(conn, LOCK_USER_FEED)
    return _sign(conn, store, load(conn), signer, password, change, action)


# ---------------------------------------------------------------- validation


def _check_roles(roles: Iterable[str]) -> list[str]:
    role_set = {r.strip() for r in roles if r.strip()}
    if not role_set or not role_set <= ROLES:
        raise UserError(f"roles must be some of {', '.join(sorted(ROLES))}")
    return sorted(role_set)


def min_password(conn: Connection) -> int:
    """The policy's minimum password length: the last ``user.policy_set`` in the server's
    stream, else ``passwords.DEFAULT_MIN``."""
    rows = conn.execute(
        select(*EVENT_COLUMNS)
        .where(_E.c.station == SERVER_STATION, _E.c.type == passwords.POLICY_EVENT)
        .order_by(_E.c.seq)
    ).all()
    found = passwords.policy_minimum(event_from_row(r) for r in rows)
    return passwords.DEFAULT_MIN if found is None else found


def password_policy(store: CentralStore) -> int:
    with store.read() as conn:
        return min_password(conn)


def set_policy(
    store: CentralStore,
    minimum: int,
    reason: str,
    *,
    admin: str | None = None,
    password: str | None = None,
) -> Change:
    """Set the minimum length of passwords set or changed from now on (signed by an admin)."""
    if not passwords.FLOOR <= minimum <= passwords.MAX_MIN:
        raise UserError(
            f"the minimum password length must be {passwords.FLOOR} to {passwords.MAX_MIN}"
        )
    why = _reason(reason)
    change = {"command": "policy", "min_password": minimum, "reason": why}

    def apply(
        conn: Connection, users: dict[str, ServerUser], actor: str, proof: dict[str, Any]
    ) -> Change:
        payload = {"min_password": minimum, **proof}
        return Change(_append(conn, store, passwords.POLICY_EVENT, payload, actor, reason=why))

    return _signed_change(store, admin, password, change, apply)


def _check_new_password(
    conn: Connection, hasher: PasswordHasher, user: ServerUser, new: str
) -> None:
    found = passwords.problem(new, min_password(conn))
    if found is not None:
        raise UserError(found)
    if any(_verify(hasher, old, new) for old in user.history[-HISTORY:]):
        raise UserError(f"the new password must differ from your last {HISTORY} passwords")


def temporary_password() -> str:
    """A random temporary password (12 characters), shown to the admin once."""
    return secrets.token_urlsafe(9)


# ---------------------------------------------------------------- signed changes


@dataclass(frozen=True)
class Change:
    """What one signed command did: the event written and a password to hand over, if any."""

    event: Event
    password: str | None = None


Apply = Callable[[Connection, dict[str, "ServerUser"], str, dict[str, Any]], "Change"]
"""Writes a change: (connection, users, actor, proof: signature or bootstrap) -> Change."""
Check = Callable[["ServerUser", dict[str, "ServerUser"]], None]
"""Refuses a change (UserError) before it is written: (the user, all users)."""


def _signed_change(
    store: CentralStore,
    admin: str | None,
    password: str | None,
    change: dict[str, Any],
    apply: Apply,
) -> Change:
    """Check, sign and apply one change in one transaction (a failed signature is recorded)."""
    refusal: Refused | None = None
    result: Change | None = None
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_USER_FEED)
        users = load(conn)
        if not users and change.get("command") == "add" and admin is None:
            if "admin" not in change.get("roles", ()):
                raise UserError("the server has no users yet: the first user must be an admin")
            result = apply(conn, users, "system", {"bootstrap": True})
        elif admin is None or password is None:
            raise UserError("say which admin signs this change (--as ADMIN): it is signed")
        else:
            signature, refusal = _sign(conn, store, users, admin, password, change)
            if signature is not None:
                result = apply(conn, users, f"u:{admin}", {"signature": signature})
    if refusal is not None:
        raise refusal
    assert result is not None
    return result


def _known(users: dict[str, ServerUser], user_id: str) -> ServerUser:
    user = users.get(user_id)
    if user is None:
        raise UserError(f"no user {user_id!r} on the server")
    return user


def _reason(reason: str) -> str:
    if not reason.strip():
        raise UserError("a reason is required")
    return reason.strip()


def add_user(
    store: CentralStore,
    user_id: str,
    name: str,
    roles: Sequence[str],
    *,
    badge: str | None = None,
    admin: str | None = None,
    password: str | None = None,
) -> Change:
    """Create a user with a temporary password (in the result, shown once)."""
    if not re.fullmatch(USER_ID_PATTERN, user_id):
        raise UserError("user ID: 2-32 lower-case letters, digits, '.', '_' or '-'")
    if not name.strip():
        raise UserError("the printed name is required")
    role_list = _check_roles(roles)
    badge = badge.strip() if badge and badge.strip() else None
    change = {
        "command": "add",
        "user": user_id,
        "name": name.strip(),
        "roles": role_list,
        "badge": badge,
    }
    temp = temporary_password()

    def apply(
        conn: Connection, users: dict[str, ServerUser], actor: str, proof: dict[str, Any]
    ) -> Change:
        if user_id in users:
            raise UserError(f"user ID {user_id!r} has been used before and is never reused")
        if badge is not None and any(u.badge == badge for u in users.values()):
            raise UserError("that badge belongs to another user")
        payload = {
            "user": user_id,
            "name": name.strip(),
            "roles": role_list,
            "password_hash": _hasher().hash(temp),
            "temporary": True,
            "badge": badge,
            **proof,
        }
        return Change(_append(conn, store, "user.created", payload, actor), temp)

    return _signed_change(store, admin, password, change, apply)


def _simple_change(
    store: CentralStore,
    command: str,
    type_: str,
    user_id: str,
    reason: str,
    admin: str | None,
    password: str | None,
    extra: dict[str, Any] | None = None,
    check: Check | None = None,
) -> Change:
    why = _reason(reason)
    change = {"command": command, "user": user_id, "reason": why, **(extra or {})}

    def apply(
        conn: Connection, users: dict[str, ServerUser], actor: str, proof: dict[str, Any]
    ) -> Change:
        user = _known(users, user_id)
        if check is not None:
            check(user, users)
        payload = {"user": user_id, **(extra or {}), **proof}
        return Change(_append(conn, store, type_, payload, actor, why))

    return _signed_change(store, admin, password, change, apply)


def _admins_left(users: dict[str, ServerUser], without: str) -> int:
    return sum(
        1 for u in users.values() if u.id != without and "admin" in u.roles and not u.disabled
    )


def disable_user(
    store: CentralStore, user_id: str, reason: str, *, admin: str | None, password: str | None
) -> Change:
    """No more logins or signatures for the user; the ID is never reused."""

    def check(user: ServerUser, users: dict[str, ServerUser]) -> None:
        if user.disabled:
            raise UserError(f"{user_id} is disabled already")
        if admin == user_id:
            raise UserError("an admin cannot disable their own account")
        if "admin" in user.roles and not _admins_left(users, user_id):
            raise UserError(f"{user_id} is the last admin: add another admin first")

    return _simple_change(
        store, "disable", "user.disabled", user_id, reason, admin, password, check=check
    )


def enable_user(
    store: CentralStore, user_id: str, reason: str, *, admin: str | None, password: str | None
) -> Change:
    """Enable a disabled user again (also clears a lockout and the failure count)."""
    return _simple_change(store, "enable", "user.enabled", user_id, reason, admin, password)


def set_roles(
    store: CentralStore,
    user_id: str,
    roles: Sequence[str],
    reason: str,
    *,
    admin: str | None,
    password: str | None,
) -> Change:
    role_list = _check_roles(roles)

    def check(user: ServerUser, users: dict[str, ServerUser]) -> None:
        if "admin" in user.roles and "admin" not in role_list and not _admins_left(users, user_id):
            raise UserError(f"{user_id} is the last admin: add another admin first")

    return _simple_change(
        store,
        "set-roles",
        "user.roles_set",
        user_id,
        reason,
        admin,
        password,
        {"roles": role_list},
        check=check,
    )


def reset_password(
    store: CentralStore, user_id: str, reason: str, *, admin: str | None, password: str | None
) -> Change:
    """A new temporary password (in the result, shown once); unlocks the account."""
    why = _reason(reason)
    temp = temporary_password()
    change = {"command": "reset-password", "user": user_id, "reason": why}

    def apply(
        conn: Connection, users: dict[str, ServerUser], actor: str, proof: dict[str, Any]
    ) -> Change:
        _known(users, user_id)
        payload = {
            "user": user_id,
            "password_hash": _hasher().hash(temp),
            "temporary": True,
            **proof,
        }
        return Change(_append(conn, store, "user.password_set", payload, actor, why), temp)

    return _signed_change(store, admin, password, change, apply)


# ---------------------------------------------------------------- a user's own password


def set_password(
    store: CentralStore, user_id: str, old: str, new: str, *, station: str | None = None
) -> tuple[int, Event]:
    """The user replaces their (temporary or expired) password: (feed version, event)."""
    refusal: Refused | None = None
    found: tuple[int, Event] | None = None
    with store.write() as conn:
        store.advisory_lock(conn, LOCK_USER_FEED)
        users = load(conn)
        where = f"station {station}" if station else "server"
        user, refusal = _authenticate(conn, store, users, user_id, old, where, allow_temporary=True)
        if user is not None:
            hasher = _hasher()
            if old == new:
                raise UserError("the new password must differ from the old one")
            _check_new_password(conn, hasher, user, new)
            payload: dict[str, Any] = {
                "user": user_id,
                "password_hash": hasher.hash(new),
                "temporary": False,
            }
            if station:
                payload["station"] = station
            event = _append(conn, store, "user.password_set", payload, f"u:{user_id}")
            version = conn.execute(
                select(_U.c.version).where(_U.c.station == SERVER_STATION, _U.c.seq == event.seq)
            ).scalar_one()
            found = (int(version), event)
    if refusal is not None:
        raise refusal
    assert found is not None
    return found


# ---------------------------------------------------------------- lockout across the fleet


def after_ingest(store: CentralStore, conn: Connection, events: Sequence[Event]) -> None:
    """Called by ingest inside the push's transaction: lock users at MAX_FAILED failures."""
    reported = {
        e.payload.get("user")
        for e in events
        if e.type == "login.failed" and isinstance(e.payload.get("user"), str)
    }
    if not reported:
        return
    store.advisory_lock(conn, LOCK_USER_FEED)  # one counter at a time: sees the others' commits
    users = load(conn)
    for uid in sorted(str(u) for u in reported):
        user = users.get(uid)
        if user is None or user.locked or user.disabled or user.failed < MAX_FAILED:
            continue
        _append(conn, store, "user.locked", {"user": uid, "failures": user.failed}, "system")
        log.warning("user %s locked after %d failed logins across stations", uid, user.failed)


# ---------------------------------------------------------------- the feed


def feed_events(store: CentralStore) -> list[Event]:
    """The server's user.* events in feed order (what stations pull)."""
    with store.read() as conn:
        rows = conn.execute(
            select(*EVENT_COLUMNS)
            .join(_U, (_E.c.station == _U.c.station) & (_E.c.seq == _U.c.seq))
            .where(_U.c.station == SERVER_STATION)
            .order_by(_U.c.version)
        ).all()
    return [event_from_row(r) for r in rows]


def read_password(prompt: str) -> str:
    """The admin's password: ``$CENTRAL_PASSWORD``, else the terminal, else a line of stdin."""
    from_env = os.environ.get(PASSWORD_ENV)
    if from_env:
        return from_env
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def to_json(users: Iterable[ServerUser]) -> str:
    return json.dumps([u.as_dict() for u in users], indent=2, ensure_ascii=False)
