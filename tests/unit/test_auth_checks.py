"""E-signatures get the same checks as login (21 CFR 11.200, 11.300), and password history."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from argon2 import PasswordHasher

from kiosk.auth import Auth, AuthError

from .conftest import PASSWORDS, Station

SIGN = {"meaning": "verified", "signed": "ab" * 32, "action": "step.sign"}


class CountingHasher(PasswordHasher):
    """A real argon2 hasher that counts verifications (the cost of an answer, without clocks)."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=8192)
        self.verified = 0

    def verify(self, hash: str | bytes, password: str | bytes) -> bool:
        self.verified += 1
        return super().verify(hash, password)


def _sign(station: Station, user: str, password: str, **extra: Any) -> object:
    return station.auth.sign(session=None, user_id=user, password=password, **{**SIGN, **extra})


def test_a_temporary_password_never_signs(station: Station) -> None:
    station.auth.reset_password("sam", "temp-pass-9", by="u:ada", reason="forgotten")
    with pytest.raises(AuthError, match="set by an admin"):
        _sign(station, "sam", "temp-pass-9")
    station.auth.change_password("sam", "temp-pass-9", "sam-own-pass-1")
    assert _sign(station, "sam", "sam-own-pass-1")


def test_an_expired_password_never_signs(station: Station) -> None:
    assert _sign(station, "sam", PASSWORDS["sam"])
    station.clock.advance(timedelta(days=91))
    with pytest.raises(AuthError, match="expired"):
        _sign(station, "sam", PASSWORDS["sam"])


def test_lock_and_disable_answer_before_the_password(station: Station) -> None:
    for _ in range(3):
        with pytest.raises(AuthError, match="wrong"):
            _sign(station, "sam", "not-the-password")
    failed = sum(1 for _ in station.store.events(types={"login.failed"}))
    right = pytest.raises(AuthError, match="locked")
    with right as with_right:
        _sign(station, "sam", PASSWORDS["sam"])
    with pytest.raises(AuthError, match="locked") as with_wrong:
        _sign(station, "sam", "not-the-password")
    assert str(with_right.value) == str(with_wrong.value)
    # a locked account's wrong password is not even checked, so not counted again
    assert sum(1 for _ in station.store.events(types={"login.failed"})) == failed
    station.auth.disable("oscar", by="u:ada", reason="left")
    answers = set()
    for password in (PASSWORDS["oscar"], "not-the-password"):
        with pytest.raises(AuthError) as refused:
            station.auth.login("oscar", password)
        answers.add(str(refused.value))
    assert answers == {"this account is disabled"}


def test_an_unknown_user_costs_one_verification_like_a_wrong_password(station: Station) -> None:
    hasher = CountingHasher()
    auth = Auth(station.store, station.clock, station.auth.policy, hasher)
    for attempt in (
        lambda: auth.login("olivia", "wrong-password"),
        lambda: auth.login("nobody", "wrong-password"),
        lambda: auth.login_badge("NO-SUCH-BADGE", "wrong-password"),
        lambda: auth.sign(session=None, user_id="nobody", password="wrong-password", **SIGN),
    ):
        before = hasher.verified
        with pytest.raises(AuthError):
            attempt()
        assert hasher.verified - before == 1


def test_the_last_five_passwords_are_refused(station: Station) -> None:
    auth = station.auth
    old = PASSWORDS["olivia"]
    chosen = [f"olivia-pass-{n}" for n in range(1, 6)]
    for new in chosen:
        auth.change_password("olivia", old, new)
        old = new
    # the four before the current one are refused (the current one: "differ from the old")
    for reused in chosen[:-1]:
        with pytest.raises(AuthError, match="last 5 passwords"):
            auth.change_password("olivia", old, reused)
    # the original password is six passwords back: allowed again
    auth.change_password("olivia", old, PASSWORDS["olivia"])
    assert auth.login("olivia", PASSWORDS["olivia"]).user.id == "olivia"
    # the history survives a restart (it is a projection of the log)
    again = Auth(station.store, station.clock, auth.policy, auth.hasher)
    with pytest.raises(AuthError, match="last 5 passwords"):
        again.change_password("olivia", PASSWORDS["olivia"], chosen[-1])
