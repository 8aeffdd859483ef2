"""A user with a temporary or expired password chooses their own at the login screen."""

from __future__ import annotations

import pytest

from kiosk.screens.autopilot import settle, wait_until
from tests.gui.conftest import Rig


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
