"""Users, roles, passwords, sessions and electronic signatures (21 CFR 11.50-11.300).

Users live in the same append-only event log as everything else: creating a
user, setting a password, a failed login, a lockout are events, and the user
table is a projection rebuilt from them. Passwords are argon2id hashes.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kiosk import passwords
from kiosk.roles import MEANINGS, PERMISSIONS, ROLES
from kiosk.text import Text
from local_store import Event, EventStore, StoreConflict, Unique, canonical_json

log = logging.getLogger(__name__)

USER_ID_PATTERN = r"^[a-z][a-z0-9._-]{1,31}$"
MIN_PASSWORD = passwords.MIN_PASSWORD
PASSWORD_HISTORY = 5
"""A new password may not be any of the user's last this many passwords."""
MANAGED = "Users are managed at the central server"
OFFLINE_PASSWORD = (
    "The server cannot be reached: your new password cannot be set now. "  # noqa: S105  # a message
    "Log in again when the station is online."
)


class AuthError(Exception):
    """Login or signature refused; str() is for the person at the screen."""


class UserAuthority(Protocol):
    """The central server as the station sees it (``kiosk.sync.ServerUsers``).

    With one, the station's users are a read-only copy of the server's: it never writes
    ``user.*`` events itself, and a user's own new password is set at the server.
    """

    def user_events(self) -> list[Event]:
        """The pulled user events, in the server's order (the read-only copy)."""
        ...

    def min_password(self) -> int | None:
        """The minimum password length the server said it applies (its default when no admin
        set a policy); None when it has not said."""
        ...

    def set_password(self, user_id: str, old: str, new: str) -> list[Event]:
        """Set the password at the server; the resulting user events. AuthError when refused
        (``OFFLINE_PASSWORD`` when the server cannot be reached)."""
        ...


@dataclass(frozen=True)
class AuthPolicy:
    max_failed: int = 5
    password_days: int = 90
    inactivity: timedelta = timedelta(minutes=5)


@dataclass
class User:
    id: str
    name: str
    roles: frozenset[str]
    password_hash: str
    password_set: datetime
    temporary: bool = False
    disabled: bool = False
    locked: bool = False
    failed: int = 0
    badge: str | None = None
    history: list[str] = field(default_factory=list)  # password hashes, newest last


@dataclass
class Session:
    """A continuous session of one user at the station (11.200)."""

    user: User
    started: datetime
    last_activity: datetime
    signed_once: bool = False
    locked: bool = False

    @property
    def actor(self) -> str:
        return f"u:{self.user.id}"


@dataclass(frozen=True)
class Signature:
    """An executed signature: who (printed name), when (UTC), meaning, and what it signs."""

    user: str
    name: str
    ts: str
    meaning: str
    signed: str  # SHA-256 of the record signed (11.70)
    roles: tuple[str, ...] = field(default_factory=tuple)

    def to_payload(self) -> dict[str, Any]:
        return {
            "user": self.user,
            "name": self.name,
            "ts": self.ts,
            "meaning": self.meaning,
            "signed": self.signed,
            "roles": list(self.roles),
        }


def change_hash(action: str, change: Mapping[str, Any]) -> str:
    """What an administrative signature is bound to: the action and the change itself."""
    text = canonical_json({"action": action, **change})
    return hashlib.sha256(text.encode()).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _parse_ts(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


class Auth:
    """The station's user directory and signing service."""

    def __init__(
        self,
        store: EventStore,
        clock: Callable[[], datetime],
        policy: AuthPolicy | None = None,
        hasher: PasswordHasher | None = None,
        pulled: Iterable[Event] = (),
        authority: UserAuthority | None = None,
    ) -> None:
        """`pulled`: user events from the central server (kiosk.sync). With an `authority`
        (a station with a server) the users are the server's, read-only, refreshed from
        `authority.user_events()` before every login and signature."""
        self.store = store
        self.clock = clock
        self.policy = policy or AuthPolicy()
        self.hasher = hasher or PasswordHasher()
        self.authority = authority
        self._pulled = list(pulled)
        self.users: dict[str, User] = {}
        self.min_password = passwords.FLOOR
        """A new password's least length: the server's policy as pulled, else the floor."""
        self._dummy = self.hasher.hash("not a password: " + store.station)
        self._rebuild()

    @property
    def managed(self) -> bool:
        """True when the central server manages the users (this station only reads them)."""
        return self.authority is not None

    def _rebuild(self) -> None:
        """(Re)build the users from the local log and the pulled copy, keeping User objects
        (sessions hold them) and updating them in place."""
        if self.authority is not None:
            self._pulled = self.authority.user_events()
        events = list(self.store.events(types=_USER_EVENTS))
        if self.authority is not None:  # the users are the server's; this station reports logins
            events = [e for e in events if not e.type.startswith("user.")]
        events += [
            e for e in self._pulled if e.station != self.store.station and e.type in _USER_EVENTS
        ]
        built: dict[str, User] = {}
        for event in sorted(events, key=lambda e: (e.ts, e.station, e.seq)):
            self._apply(event, built)
        self.min_password = self._policy_minimum()
        for uid, user in list(built.items()):
            old = self.users.get(uid)
            if old is not None:  # sessions hold User objects: update them in place
                for f in fields(User):
                    setattr(old, f.name, getattr(user, f.name))
                built[uid] = old
        self.users = built

    def _policy_minimum(self) -> int:
        """A new password's least length: the policy pulled with the users (a signed
        ``user.policy_set``), else the minimum the server said it applies (its default), else
        the floor."""
        received = passwords.policy_minimum(
            e for e in self._pulled if e.station != self.store.station
        )
        if received is None and self.authority is not None:
            received = self.authority.min_password()
        if received is None:
            return passwords.FLOOR
        return min(passwords.MAX_MIN, max(passwords.FLOOR, received))

    def refresh(self) -> None:
        """Take what was pulled from the server since (a lockout, a reset, a new user, the
        password policy it applies)."""
        if self.authority is not None and len(self.authority.user_events()) != len(self._pulled):
            self._rebuild()
        elif self.authority is not None:
            self.min_password = self._policy_minimum()

    # ------------------------------------------------------------ projection

    def _apply(self, event: Event, users: dict[str, User] | None = None) -> None:
        users = self.users if users is None else users
        p = event.payload
        uid = str(p.get("user", ""))
        when = _parse_ts(event.ts)
        if event.type == "user.created":
            users[uid] = User(
                id=uid,
                name=str(p["name"]),
                roles=frozenset(p["roles"]),
                password_hash=str(p["password_hash"]),
                password_set=when,
                temporary=bool(p.get("temporary", False)),
                badge=p.get("badge"),
                history=[str(p["password_hash"])],
            )
            return
        user = users.get(uid)
        if user is None:
            return
        if event.type == "user.password_set":
            user.password_hash = str(p["password_hash"])
            user.password_set = when
            user.temporary = bool(p.get("temporary", False))
            user.history = [*user.history, user.password_hash][-PASSWORD_HISTORY:]
            user.locked = False
            user.failed = 0
        elif event.type == "user.disabled":
            user.disabled = True
        elif event.type == "user.enabled":
            user.disabled = False
            user.locked = False
            user.failed = 0
        elif event.type == "user.roles_set":
            user.roles = frozenset(p["roles"])
        elif event.type == "login.failed":
            user.failed = int(p["attempts"])
            if self.managed and user.failed >= self.policy.max_failed:
                user.locked = True  # at this station, until the server resets it
        elif event.type == "user.locked":
            user.locked = True
        elif event.type == "login.succeeded":
            user.failed = 0

    def _record(self, type_: str, payload: dict[str, Any], actor: str) -> Event:
        event = self.store.append(type_, payload, actor=actor)
        self._apply(event)
        return event

    # ------------------------------------------------------------ administration

    def add_user(
        self,
        user_id: str,
        name: str,
        roles: Iterable[str],
        password: str,
        *,
        by: str,
        badge: str | None = None,
        temporary: bool = False,
        signature: Mapping[str, Any] | None = None,
    ) -> User:
        """Create a user. `by` is the acting admin's actor ("u:admin") or "system"."""
        self._not_managed()
        if not re.fullmatch(USER_ID_PATTERN, user_id):
            raise AuthError(Text("user ID: 2-32 lower-case letters, digits, '.', '_' or '-'"))
        if user_id in self.users:
            raise AuthError(
                Text(
                    "user ID {user_id!r} has been used before and is never reused", user_id=user_id
                )
            )
        role_set = frozenset(roles)
        if not role_set or not role_set <= ROLES:
            raise AuthError(Text("roles must be some of {roles}", roles=", ".join(sorted(ROLES))))
        if not name.strip():
            raise AuthError(Text("the printed name is required"))
        if badge is not None and any(u.badge == badge for u in self.users.values()):
            raise AuthError(Text("that badge belongs to another user"))
        self._check_password(password)
        payload = {
            "user": user_id,
            "name": name.strip(),
            "roles": sorted(role_set),
            "password_hash": self.hasher.hash(password),
            "temporary": temporary,
            "badge": badge,
        }
        if signature is not None:
            payload["signature"] = dict(signature)
        # Checked again inside the write transaction: another process may have added the
        # same user (or badge) since this one loaded its list.
        unique = [Unique.of("user.created", "user ID", user=user_id)]
        if badge is not None:
            unique.append(Unique.of("user.created", "badge", badge=badge))
        try:
            event = self.store.append("user.created", payload, actor=by, unique=unique)
        except StoreConflict as exc:
            raise AuthError(
                Text("refused, already recorded by another process: {exc}", exc=exc)
            ) from exc
        self._apply(event)
        return self.users[user_id]

    def disable(
        self,
        user_id: str,
        *,
        by: str,
        reason: str,
        signature: Mapping[str, Any] | None = None,
    ) -> None:
        self._not_managed()
        user = self._user(user_id)
        if not reason.strip():
            raise AuthError(Text("a reason is required"))
        payload: dict[str, Any] = {"user": user.id}
        if signature is not None:
            payload["signature"] = dict(signature)
        self.store.append("user.disabled", payload, actor=by, reason=reason)
        user.disabled = True

    def reset_password(
        self,
        user_id: str,
        password: str,
        *,
        by: str,
        reason: str,
        signature: Mapping[str, Any] | None = None,
    ) -> None:
        """Admin reset: a temporary password the user must change at next login; unlocks."""
        self._not_managed()
        user = self._user(user_id)
        self._check_password(password)
        if not reason.strip():
            raise AuthError(Text("a reason is required"))
        payload: dict[str, Any] = {
            "user": user.id,
            "password_hash": self.hasher.hash(password),
            "temporary": True,
        }
        if signature is not None:
            payload["signature"] = dict(signature)
        event = self.store.append("user.password_set", payload, actor=by, reason=reason)
        self._apply(event)

    def change_password(self, user_id: str, old: str, new: str) -> None:
        """The user's own new password (first login, expiry). With a server it is set there
        (the server checks it again); offline it cannot be, and the old one stays."""
        self.refresh()
        user = self._user(user_id)
        self._verify_password(user, old)
        if old == new:
            raise AuthError(Text("the new password must differ from the old one"))
        self._check_password(new)
        self._check_history(user, new)
        if self.authority is not None:
            events = self.authority.set_password(user.id, old, new)
            self._pulled = [*self._pulled, *events]
            self._rebuild()
            return
        payload = {"user": user.id, "password_hash": self.hasher.hash(new), "temporary": False}
        self._record("user.password_set", payload, f"u:{user.id}")

    # ------------------------------------------------------------ sessions

    def login(self, user_id: str, password: str) -> Session:
        self.refresh()
        user = self._user(user_id, password)
        self._verify_password(user, password)
        now = self.clock()
        self._fresh_password(user, "log in")
        self._record("login.succeeded", {"user": user.id}, f"u:{user.id}")
        return Session(user=user, started=now, last_activity=now)

    def login_badge(self, badge: str, password: str) -> Session:
        self.refresh()
        for user in self.users.values():
            if user.badge == badge and not user.disabled:
                return self.login(user.id, password)
        self._costly_refusal(password)
        raise AuthError(Text("badge not known: log in with your user ID"))

    def logout(self, session: Session) -> None:
        self.store.append("logout", {"user": session.user.id}, actor=session.actor)
        session.locked = True

    def touch(self, session: Session) -> None:
        """A touch on the screen: activity that keeps an unlocked session open."""
        if not session.locked:
            session.last_activity = self.clock()

    def idle(self, session: Session) -> bool:
        """True when the session has been idle past the inactivity limit (no side effect)."""
        return self.clock() - session.last_activity > self.policy.inactivity

    def lock(self, session: Session, reason: str) -> None:
        """Lock the station now (the Lock button, or inactivity); recorded as an event."""
        if session.locked:
            return
        session.locked = True
        self.store.append(
            "session.locked", {"user": session.user.id, "reason": reason}, actor=session.actor
        )

    def check_session(self, session: Session) -> None:
        """Refuse work in a session that is locked or idle past the inactivity limit."""
        now = self.clock()
        if not session.locked and now - session.last_activity > self.policy.inactivity:
            self.lock(session, "inactivity")
        if session.locked:
            raise AuthError(Text("the station is locked: enter your password to continue"))
        if session.user.disabled:
            raise AuthError(Text("your account is disabled"))
        session.last_activity = now

    def unlock(self, session: Session, password: str) -> None:
        self.refresh()
        self._verify_password(session.user, password)
        session.locked = False
        session.last_activity = self.clock()
        self.store.append("session.unlocked", {"user": session.user.id}, actor=session.actor)

    # ------------------------------------------------------------ signatures

    def sign(
        self,
        *,
        session: Session | None,
        user_id: str | None,
        password: str,
        meaning: str,
        signed: str,
        action: str,
        roles: Iterable[str] | None = None,
        not_by: Iterable[str] = (),
    ) -> Signature:
        """Execute a signature after re-checking identity, role and separation of duties.

        Inside the signer's own continuous session the first signature needs user ID and
        password, later ones the password only (11.200). Anyone else signing on the
        station (a witness, a supervisor) gives both, every time.
        """
        if meaning not in MEANINGS:
            raise AuthError(Text("unknown signature meaning {meaning!r}", meaning=meaning))
        self.refresh()
        own = session is not None and (user_id is None or user_id == session.user.id)
        if own:
            assert session is not None
            if user_id is None and not session.signed_once:
                raise AuthError(
                    Text("first signature in this session: enter your user ID and password")
                )
            user = session.user
        else:
            if user_id is None:
                raise AuthError(Text("enter the signer's user ID and password"))
            user = self._user(user_id, password)
        if user.id in set(not_by):
            raise AuthError(
                Text("{name} cannot sign this: a different person must", name=user.name)
            )
        allowed = PERMISSIONS[action] & user.roles
        if roles is not None:
            allowed &= frozenset(roles)
        if not allowed:
            raise AuthError(Text("{name} does not have a role that may sign this", name=user.name))
        self._verify_password(user, password)
        self._fresh_password(user, "sign")
        if session is not None and own:
            session.signed_once = True
        return Signature(
            user=user.id,
            name=user.name,
            ts=_iso(self.clock()),
            meaning=meaning,
            signed=signed,
            roles=tuple(sorted(allowed)),
        )

    # ------------------------------------------------------------ helpers

    def _user(self, user_id: str, password: str | None = None) -> User:
        """The user; an unknown one is refused after one argon2 verification when a password
        was given, so that it costs what a wrong password costs."""
        user = self.users.get(user_id)
        if user is None:
            if password is not None:
                self._costly_refusal(password)
            raise AuthError(Text("user ID or password wrong"))
        return user

    def _costly_refusal(self, password: str) -> None:
        """Spend one verification against a dummy hash (for an unknown user or badge)."""
        with contextlib.suppress(VerifyMismatchError, VerificationError, InvalidHashError):
            self.hasher.verify(self._dummy, password)

    def _fresh_password(self, user: User, doing: str) -> None:
        """A temporary or expired password neither logs in nor signs (11.300)."""
        if user.temporary:
            if doing == "log in":
                raise AuthError(Text("your password was reset: choose a new password first"))
            raise AuthError(
                Text("your password was set by an admin: log in and choose your own before signing")
            )
        if self.clock() - user.password_set > timedelta(days=self.policy.password_days):
            if doing == "log in":
                raise AuthError(Text("your password has expired: choose a new password"))
            raise AuthError(Text("your password has expired: log in and choose a new one first"))

    def _check_history(self, user: User, new: str) -> None:
        for old in user.history[-PASSWORD_HISTORY:]:
            try:
                if self.hasher.verify(old, new):
                    raise AuthError(
                        Text(
                            "the new password must differ from your last {count} passwords",
                            count=PASSWORD_HISTORY,
                        )
                    )
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                continue

    def _not_managed(self) -> None:
        if self.managed:
            raise AuthError(Text("{managed}: this station only reads them", managed=MANAGED))

    def _check_password(self, password: str) -> None:
        found = passwords.problem(password, self.min_password)
        if found is not None:
            raise AuthError(found)

    def _verify_password(self, user: User, password: str) -> None:
        if user.disabled:
            raise AuthError(Text("this account is disabled"))
        if user.locked:
            raise AuthError(Text("this account is locked after failed attempts: ask an admin"))
        try:
            self.hasher.verify(user.password_hash, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            attempts = user.failed + 1
            self._record("login.failed", {"user": user.id, "attempts": attempts}, "system")
            log.warning("failed password for %s (%d)", user.id, attempts)
            if attempts >= self.policy.max_failed and self.managed:
                # The server decides the fleet lockout; this station stops here meanwhile.
                raise AuthError(
                    Text("user ID or password wrong: the account is now locked, ask an admin")
                ) from None
            if attempts >= self.policy.max_failed:
                self._record("user.locked", {"user": user.id, "attempts": attempts}, "system")
                raise AuthError(
                    Text("user ID or password wrong: the account is now locked, ask an admin")
                ) from None
            raise AuthError(Text("user ID or password wrong")) from None


_USER_EVENTS = frozenset(
    {
        "user.created",
        "user.password_set",
        "user.disabled",
        "user.enabled",
        "user.roles_set",
        "login.failed",
        "user.locked",
        "login.succeeded",
    }
)
