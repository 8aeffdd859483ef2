"""People's sessions at the web portal: a random token in the browser, its SHA-256 on the server.

A person signs in once at ``/login`` (``central.portal``) and gets a session: a random token in
an HttpOnly cookie, a row in ``portal_sessions`` holding only the token's SHA-256, the user,
when it started, when it was last used and when (and why) it ended. A session ends

- when the person signs out (``/logout``),
- after ``IDLE`` without a request (idle timeout, 11.10(d) and 11.300(d)),
- ``ABSOLUTE`` after the sign-in however busy it was,
- when the account is disabled or locked (the caller checks the user on every request).

The clock is injected (``Sessions.clock``) so the timeouts are tested without waiting.
``last_seen`` is written at most once per ``TOUCH_EVERY`` so reading pages costs no write each
time; the idle timeout is therefore exact to within that much.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Final

from sqlalchemy import insert, select, update

from central import schema
from central.store import CentralStore
from local_store.events import format_ts

IDLE: Final = timedelta(minutes=15)
ABSOLUTE: Final = timedelta(hours=8)
TOUCH_EVERY: Final = timedelta(seconds=30)

SIGNED_OUT: Final = "signed out"
IDLE_TIMEOUT: Final = "idle timeout"
ABSOLUTE_TIMEOUT: Final = "absolute timeout"
ACCOUNT_CLOSED: Final = "account disabled or locked"

_P = schema.portal_sessions

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def digest(token: str) -> str:
    """What the server keeps of a session token: its SHA-256, hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _parse(ts: str) -> datetime:
    return datetime.fromisoformat(ts.replace("Z", "+00:00"))


@dataclass(frozen=True)
class Ended:
    """Why a token no longer signs anyone in (for the sign-in page's one line)."""

    reason: str


@dataclass
class Sessions:
    """Start, look up and end portal sessions in the server's database."""

    store: CentralStore
    clock: Clock = field(default=utc_now)
    idle: timedelta = IDLE
    absolute: timedelta = ABSOLUTE

    def start(self, user_id: str) -> str:
        """A new session for ``user_id``: the token for the cookie (the server keeps its hash)."""
        token = secrets.token_urlsafe(32)
        now = format_ts(self.clock())
        with self.store.write() as conn:
            conn.execute(
                insert(_P).values(
                    token_sha256=digest(token), user_id=user_id, created=now, last_seen=now
                )
            )
        return token

    def user_of(self, token: str) -> str | Ended | None:
        """The user the token signs in; ``Ended`` for a session that ended or just timed out
        (ended now, in the database); None for a token the server never issued."""
        if not token:
            return None
        key = digest(token)
        with self.store.read() as conn:
            row = conn.execute(
                select(
                    _P.c.user_id, _P.c.created, _P.c.last_seen, _P.c.ended, _P.c.end_reason
                ).where(_P.c.token_sha256 == key)
            ).first()
        if row is None:
            return None
        user_id, created, last_seen, ended, reason = row
        if ended is not None:
            return Ended(str(reason or SIGNED_OUT))
        now = self.clock()
        if now - _parse(created) >= self.absolute:
            self._end(key, ABSOLUTE_TIMEOUT)
            return Ended(ABSOLUTE_TIMEOUT)
        if now - _parse(last_seen) >= self.idle:
            self._end(key, IDLE_TIMEOUT)
            return Ended(IDLE_TIMEOUT)
        if now - _parse(last_seen) >= TOUCH_EVERY:
            with self.store.write() as conn:
                conn.execute(
                    update(_P)
                    .where(_P.c.token_sha256 == key, _P.c.ended.is_(None))
                    .values(last_seen=format_ts(now))
                )
        return str(user_id)

    def end(self, token: str, reason: str = SIGNED_OUT) -> None:
        """End the session of ``token`` (nothing for an unknown or ended one)."""
        if token:
            self._end(digest(token), reason)

    def _end(self, key: str, reason: str) -> None:
        with self.store.write() as conn:
            conn.execute(
                update(_P)
                .where(_P.c.token_sha256 == key, _P.c.ended.is_(None))
                .values(ended=format_ts(self.clock()), end_reason=reason)
            )
