"""Users, passwords, sessions and signatures as Part 11 (11.50-11.300) asks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kiosk.auth import Auth, AuthError

from .conftest import PASSWORDS, Station


def test_passwords_are_stored_as_argon2id_hashes(station: Station) -> None:
    created = list(station.store.events(types={"user.created"}))
    assert created
    for event in created:
        assert event.payload["password_hash"].startswith("$argon2id$")
        assert PASSWORDS[event.payload["user"]] not in str(event.payload)


def test_login_and_wrong_password(station: Station) -> None:
    session = station.login("olivia")
    assert session.user.name == "Olivia Okafor"
    with pytest.raises(AuthError, match="user ID or password wrong"):
        station.auth.login("olivia", "nope-nope")
    with pytest.raises(AuthError, match="user ID or password wrong"):
        station.auth.login("nobody", "whatever1")


def test_lockout_after_failed_attempts_is_recorded(station: Station) -> None:
    for _ in range(2):
        with pytest.raises(AuthError, match=r"wrong$"):
            station.auth.login("oscar", "bad-password")
    with pytest.raises(AuthError, match="now locked"):
        station.auth.login("oscar", "bad-password")
    with pytest.raises(AuthError, match="locked"):
        station.login("oscar")  # the right password no longer opens it
    types = [e.type for e in station.store.events() if e.payload.get("user") == "oscar"]
    assert types.count("login.failed") == 3
    assert "user.locked" in types
    # the lock survives a restart: the user table is rebuilt from the log
    again = Auth(station.store, station.clock, station.auth.policy, station.auth.hasher)
    assert again.users["oscar"].locked


def test_admin_reset_unlocks_with_temporary_password(station: Station) -> None:
    for _ in range(3):
        with pytest.raises(AuthError):
            station.auth.login("oscar", "bad-password")
    station.auth.reset_password("oscar", "temp-pass-1", by="u:ada", reason="locked out")
    with pytest.raises(AuthError, match="choose a new password"):
        station.auth.login("oscar", "temp-pass-1")
    station.auth.change_password("oscar", "temp-pass-1", "oscar-new-pass")
    assert station.auth.login("oscar", "oscar-new-pass").user.id == "oscar"


def test_password_expires(station: Station) -> None:
    station.clock.advance(timedelta(days=91))
    with pytest.raises(AuthError, match="expired"):
        station.login("olivia")
    station.auth.change_password("olivia", PASSWORDS["olivia"], "olivia-fresh-1")
    assert station.auth.login("olivia", "olivia-fresh-1")


def test_user_ids_are_never_reused(station: Station) -> None:
    station.auth.disable("oscar", by="u:ada", reason="left the company")
    with pytest.raises(AuthError, match="disabled"):
        station.login("oscar")
    with pytest.raises(AuthError, match="never reused"):
        station.auth.add_user("oscar", "Another Oscar", ["operator"], "password-1", by="u:ada")


def test_user_validation(station: Station) -> None:
    with pytest.raises(AuthError, match="at least 8"):
        station.auth.add_user("newbie", "New Bie", ["operator"], "short", by="u:ada")
    with pytest.raises(AuthError, match="roles must be"):
        station.auth.add_user("newbie", "New Bie", ["janitor"], "long-enough", by="u:ada")
    with pytest.raises(AuthError, match="printed name"):
        station.auth.add_user("newbie", "  ", ["operator"], "long-enough", by="u:ada")
    with pytest.raises(AuthError, match="user ID"):
        station.auth.add_user("New Bie", "New Bie", ["operator"], "long-enough", by="u:ada")


def test_first_signature_in_session_needs_id_and_password(station: Station) -> None:
    session = station.login("quinn")
    kwargs = {"meaning": "reviewed", "signed": "ab" * 32, "action": "exception.disposition"}
    with pytest.raises(AuthError, match="first signature"):
        station.auth.sign(session=session, user_id=None, password=PASSWORDS["quinn"], **kwargs)
    sig = station.auth.sign(session=session, user_id="quinn", password=PASSWORDS["quinn"], **kwargs)
    assert (sig.name, sig.meaning, sig.signed) == ("Quinn Marlowe", "reviewed", "ab" * 32)
    assert sig.ts.endswith("Z")
    # later signatures in the same continuous session: the password is enough
    assert station.auth.sign(session=session, user_id=None, password=PASSWORDS["quinn"], **kwargs)
    with pytest.raises(AuthError, match="wrong"):
        station.auth.sign(session=session, user_id=None, password="not-it-at-all", **kwargs)


def test_signer_role_and_separation_of_duties(station: Station) -> None:
    kwargs = {"meaning": "verified", "signed": "cd" * 32, "action": "step.sign"}
    with pytest.raises(AuthError, match="role"):
        station.auth.sign(session=None, user_id="olivia", password=PASSWORDS["olivia"], **kwargs)
    with pytest.raises(AuthError, match="different person"):
        station.auth.sign(
            session=None, user_id="sam", password=PASSWORDS["sam"], not_by=["sam"], **kwargs
        )
    with pytest.raises(AuthError, match="user ID and password"):
        station.auth.sign(session=None, user_id=None, password=PASSWORDS["sam"], **kwargs)


def test_badge_login(station: Station) -> None:
    station.auth.add_user(
        "bea", "Bea Badge", ["operator"], "bea-password", by="u:ada", badge="BADGE-0042"
    )
    assert station.auth.login_badge("BADGE-0042", "bea-password").user.id == "bea"
    with pytest.raises(AuthError, match="badge not known"):
        station.auth.login_badge("BADGE-9999", "bea-password")
    with pytest.raises(AuthError, match="another user"):
        station.auth.add_user(
            "bob", "Bob", ["operator"], "bob-password", by="u:ada", badge="BADGE-0042"
        )


def test_touch_idle_and_lock(station: Station) -> None:
    session = station.login("olivia")
    station.clock.advance(timedelta(minutes=4))
    station.auth.touch(session)
    station.clock.advance(timedelta(minutes=4))
    assert not station.auth.idle(session)  # the touch kept it open
    station.clock.advance(timedelta(minutes=2))
    assert station.auth.idle(session)
    assert not session.locked  # asking has no side effect
    station.auth.lock(session, "locked by the user")
    assert session.locked
    with pytest.raises(AuthError, match="locked"):
        station.auth.check_session(session)
    locks = list(station.store.events(types={"session.locked"}))
    assert locks[-1].payload["reason"] == "locked by the user"
