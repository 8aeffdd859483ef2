"""A user with a temporary or expired password chooses their own at the login screen."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.auth import MANAGED, OFFLINE_PASSWORD
from kiosk.clock import SimClock
from kiosk.screens.autopilot import settle, wait_until
from tests.gui.conftest import PASSWORDS, Rig, make_rig


@pytest.mark.gui
def test_temporary_password_is_replaced_at_first_login(rig: Rig) -> None:
    auth = rig.kiosk.auth
    auth.add_user("nina", "Nina Nowak", ["operator"], "temp-pass-1", by="u:ada", temporary=True)
    form = rig.window.login.form
    rig.prompts.answer("new-password", new="nina-own-pass", again="nina-own-pass-x")
    form.fill({"user": "nina", "password": "temp-pass-1"})
    form.submit()
    wait_until(lambda: not rig.window.login.busy)
    settle()
    assert rig.kiosk.station.session is None  # the two passwords differed: not in
    rig.prompts.answer("new-password", new="nina-own-pass", again="nina-own-pass")
    form.fill({"user": "nina", "password": "temp-pass-1"})
    form.submit()
    wait_until(lambda: not rig.window.login.busy)
    settle()
    session = rig.kiosk.station.session
    assert session is not None
    assert session.user.id == "nina"
    assert not auth.users["nina"].temporary
    assert auth.login("nina", "nina-own-pass").user.id == "nina"


# ---------------------------------------------------------------- a station with a server


def _server_station(tmp_path: Path, qtbot, url: str, store) -> Rig:  # type: ignore[no-untyped-def]
    """A station registered at the server `store` serves on `url`, its users pulled once."""
    from central import users
    from central.stations import add_station
    from kiosk.sync import SyncClient, SyncState, pull_master

    token = add_station(store, "GUI-1")
    token_file = tmp_path / "token"
    token_file.write_text(token, encoding="utf-8")
    db = tmp_path / "station.sqlite"
    state = SyncState(SyncState.path_for(db))
    if url.endswith(":9"):  # the server is not reachable: the pull of earlier days, kept
        items = [
            {"version": n, "event": e.to_dict()}
            for n, e in enumerate(users.feed_events(store), start=1)
        ]
        state.save_master("users", items, len(items))
    else:
        with SyncClient(url, token) as client:
            pull_master(client, state, ["users"])
    clock = SimClock(datetime.now(UTC))  # the server's password times are real times
    r = make_rig(tmp_path, server={"url": url, "token_file": str(token_file)}, clock=clock)
    qtbot.addWidget(r.window)
    r.window.show()
    qtbot.waitExposed(r.window)
    return r


def _server_with_users(store) -> str:  # type: ignore[no-untyped-def]
    """Admin ada (own password) and nina (a temporary one, returned)."""
    from central import users

    first = users.add_user(store, "ada", "Ada Adeyemi", ["admin"])
    assert first.password is not None
    users.set_password(store, "ada", first.password, PASSWORDS["ada"])
    nina = users.add_user(
        store, "nina", "Nina Nowak", ["operator"], admin="ada", password=PASSWORDS["ada"]
    )
    assert nina.password is not None
    return nina.password


def _first_login(rig: Rig, user: str, temporary: str, new: str) -> None:
    rig.prompts.answer("new-password", new=new, again=new)
    form = rig.window.login.form
    form.fill({"user": user, "password": temporary})
    form.submit()
    wait_until(lambda: not rig.window.login.busy)
    settle()
    wait_until(lambda: not rig.window.login.busy)
    settle()


@pytest.mark.gui
def test_first_login_offline_keeps_the_temporary_password(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from central.store import CentralStore

    with CentralStore(str(tmp_path / "central.sqlite")) as store:
        temporary = _server_with_users(store)
        rig = _server_station(tmp_path, qtbot, "http://127.0.0.1:9", store)
        try:
            assert rig.kiosk.auth.managed
            assert "olivia" not in rig.kiosk.auth.users  # no demo users: users are the server's
            _first_login(rig, "nina", temporary, "nina-own-pass")
            assert rig.kiosk.station.session is None
            assert rig.window.login.form.problem.text() == OFFLINE_PASSWORD
            assert rig.kiosk.auth.users["nina"].temporary
            assert users_of(store)["nina"].temporary
            # the admin screen only shows the read-only copy
            admin = rig.window.admin
            admin.refresh()
            texts = [w.text() for w in admin.findChildren(QLabel)]
            assert any(t.startswith(MANAGED) for t in texts)
            assert not admin.findChildren(QPushButton, "admin-add")
            assert not admin.findChildren(QPushButton, "admin-reset")
        finally:
            rig.kiosk.close()


@pytest.mark.gui
def test_first_login_online_sets_the_password_at_the_server(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    from central.store import CentralStore
    from tests.integration.conftest import ServerThread

    with CentralStore(str(tmp_path / "central.sqlite")) as store:
        temporary = _server_with_users(store)
        server = ServerThread(store).start()
        rig = _server_station(tmp_path, qtbot, server.url, store)
        try:
            _first_login(rig, "nina", temporary, "nina-own-pass")
            session = rig.kiosk.station.session
            assert session is not None
            assert session.user.id == "nina"
            assert not rig.kiosk.auth.users["nina"].temporary
            PasswordHasher().verify(users_of(store)["nina"].password_hash, "nina-own-pass")
            assert not [e for e in rig.kiosk.store.events() if e.type.startswith("user.")]
        finally:
            rig.kiosk.close()
            server.stop()


@pytest.mark.gui
def test_the_new_password_form_names_the_policy_the_station_pulled(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The form says the server's minimum; the station refuses a shorter one itself (offline
    here: it never asks the server) and says so in one line."""
    from central import users
    from central.store import CentralStore

    with CentralStore(str(tmp_path / "central.sqlite")) as store:
        temporary = _server_with_users(store)
        users.set_policy(store, 15, "SOP-IT-7", admin="ada", password=PASSWORDS["ada"])
        rig = _server_station(tmp_path, qtbot, "http://127.0.0.1:9", store)
        try:
            assert rig.kiosk.auth.min_password == 15
            _first_login(rig, "nina", temporary, "nina-14-chars!")
            asked = [a for a in rig.prompts.asked if a.kind == "new-password"]
            assert "Type a new password of at least 15 characters, twice." in asked[-1].lines
            assert rig.window.login.form.problem.text() == "a password needs at least 15 characters"
            assert rig.kiosk.station.session is None
        finally:
            rig.kiosk.close()


@pytest.mark.gui
def test_the_form_names_the_servers_default_policy(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """No admin ever ran ``central users policy``: the station pulled the server's default
    (12) with the users, says it on the form and refuses a shorter password itself."""
    from central.store import CentralStore
    from tests.integration.conftest import ServerThread

    with CentralStore(str(tmp_path / "central.sqlite")) as store:
        temporary = _server_with_users(store)
        server = ServerThread(store).start()
        rig = _server_station(tmp_path, qtbot, server.url, store)
        try:
            _first_login(rig, "nina", temporary, "nina-11char")
            asked = [a for a in rig.prompts.asked if a.kind == "new-password"]
            assert "Type a new password of at least 12 characters, twice." in asked[-1].lines
            assert rig.window.login.form.problem.text() == "a password needs at least 12 characters"
            assert rig.kiosk.station.session is None
            assert users_of(store)["nina"].temporary
        finally:
            rig.kiosk.close()
            server.stop()


def users_of(store):  # type: ignore[no-untyped-def]
    from central import users

    return users.directory(store)
