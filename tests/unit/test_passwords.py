"""The password policy, at the station and at the server alike (kiosk/passwords.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central import users
from central.store import CentralStore
from kiosk import passwords
from kiosk.auth import AuthError
from tests.unit.conftest import PASSWORDS, Station


def test_the_shipped_list_is_read_and_holds_the_usual_suspects() -> None:
    common = passwords.common_passwords()
    assert len(common) > 10_000
    for word in ("password", "12345678", "iloveyou", "sunshine", "football"):
        assert word in common


@pytest.mark.parametrize("word", ["Password", "PASSWORD", "password", "Sunshine", " iloveyou "])
def test_common_passwords_are_refused_whatever_their_case(word: str) -> None:
    assert passwords.problem(word) == (
        "this password is on the list of commonly used passwords: choose another"
    )


def test_short_and_good_passwords() -> None:
    assert passwords.problem("a1b2c3") == "a password needs at least 8 characters"
    assert passwords.problem("olivia-fresh-1") is None


def test_a_policy_sets_the_minimum_but_never_below_the_floor() -> None:
    assert passwords.problem("olivia-fresh", 13) == "a password needs at least 13 characters"
    assert passwords.problem("olivia-fresh-1", 13) is None
    assert passwords.problem("a1b2c3", 4) == "a password needs at least 8 characters"


@given(st.text(max_size=64))
def test_the_check_answers_every_text_with_none_or_one_line(text: str) -> None:
    found = passwords.problem(text)
    assert found is None or ("\n" not in found and found)


def test_a_station_refuses_a_common_new_password(station: Station) -> None:
    with pytest.raises(AuthError, match="commonly used"):
        station.auth.change_password("olivia", PASSWORDS["olivia"], "sunshine")
    assert station.auth.login("olivia", PASSWORDS["olivia"]).user.id == "olivia"


def test_the_server_refuses_a_common_new_password(tmp_path: Path) -> None:
    with CentralStore(str(tmp_path / "c.sqlite")) as store:
        first = users.add_user(store, "ada", "Ada Adeyemi", ["admin"])
        assert first.password is not None
        with pytest.raises(users.UserError, match="commonly used"):
            users.set_password(store, "ada", first.password, "1qaz2WSX3edc")
        users.set_password(store, "ada", first.password, "ada-own-phrase-7")
        assert users.check_login(store, "ada", "ada-own-phrase-7").id == "ada"


def test_the_server_hashes_passwords_with_argon2id_at_its_default_cost() -> None:
    """The integration tests make the server's hashing cheap (tests/integration/conftest.py);
    what a real server stores is argon2id at argon2-cffi's RFC 9106 low-memory profile."""
    import argon2

    hasher = users._hasher()
    assert hasher.type is argon2.Type.ID
    assert (hasher.time_cost, hasher.memory_cost) == (3, 65536)
    assert users._dummy_hash().startswith("$argon2id$v=19$m=65536,t=3,")
