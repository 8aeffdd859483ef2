"""Signing in to the server's web portal (``/login``): sessions, timeouts, lockout, CSRF, headers.

A real uvicorn server over a real database (``central``); the session clock is the app's own,
replaced by a settable one where the timeouts are tested, so nothing waits. Part 11: 11.10(d)
(access limited to signed-in people with the page's role; sessions end when idle, after 8 h
and on sign-out) and 11.300(d) (failed sign-ins here and at stations lock the account together).
"""

from __future__ import annotations

import asyncio
import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from central import qa, schema, users
from central.api import create_app
from kiosk.auth import AuthError
from tests.integration.conftest import (
    SESSION_COOKIE,
    Central,
    csrf,
    portal_session,
    server_user,
    sign_in_attempt,
)
from tests.integration.test_central_users import Station

QA_USER = ("quinn", "qa-quinn-2026")


class Clock:
    """The sessions' clock, moved by the test."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 5, 8, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def portal(central: Central) -> Central:
    server_user(central.store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
    return central


def problem(page: httpx.Response) -> str:
    found = re.search(r'id="problem">([^<]*)<', page.text)
    assert found is not None, page.text
    return found.group(1)


def test_sign_in_and_out_ends_the_session_on_the_server(portal: Central) -> None:
    with httpx.Client(base_url=portal.url, timeout=30) as browser:
        signed_in = sign_in_attempt(browser, *QA_USER, next_path="/qa/deviations")
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/qa/deviations"
        cookie = next(
            c for c in signed_in.headers.get_list("set-cookie") if c.startswith(SESSION_COOKIE)
        )
        assert "HttpOnly" in cookie
        assert "SameSite=strict" in cookie or "SameSite=Strict" in cookie
        assert "Secure" not in cookie  # plain HTTP here; see the HTTPS test
        token = browser.cookies[SESSION_COOKIE]
        page = browser.get("/qa")
        assert page.status_code == 200
        assert "Signed in: Quinn Marlowe (quinn)" in page.text
        # the server keeps the token's SHA-256 only
        with portal.store.read() as conn:
            rows = conn.execute(select(schema.portal_sessions)).all()
        assert [r.token_sha256 for r in rows] == [hashlib.sha256(token.encode()).hexdigest()]
        assert all(token not in str(value) for row in rows for value in row)
        # signing out needs the form's CSRF token
        assert browser.post("/logout").status_code == 403
        assert browser.get("/qa").status_code == 200
        out = browser.post("/logout", data={"csrf": csrf(browser)})
        assert (out.status_code, out.headers["location"]) == (303, "/login?out=1")
    with httpx.Client(base_url=portal.url, timeout=30, cookies={SESSION_COOKIE: token}) as old:
        refused = old.get("/qa")
        assert refused.status_code == 303
        assert refused.headers["location"] == "/login?next=%2Fqa&ended=signed%20out"
        assert old.get("/api/v1/batches").status_code == 401
        assert "signed out" in old.get(refused.headers["location"]).text


def test_idle_and_absolute_timeouts(portal: Central) -> None:
    clock = Clock()
    portal.server.app.state.services.sessions.clock = clock
    with portal_session(portal.url, *QA_USER) as browser:
        for _ in range(2):  # in use: each request within 15 min keeps it open
            clock.advance(minutes=14)
            assert browser.get("/qa").status_code == 200
        clock.advance(minutes=15)
        idle = browser.get("/qa")
        assert idle.status_code == 303
        assert "ended=idle%20timeout" in idle.headers["location"]
        assert browser.get("/qa").status_code == 303  # ended for good
    with portal_session(portal.url, *QA_USER) as browser:
        for _ in range(47):  # 7 h 50 min of steady use
            clock.advance(minutes=10)
            assert browser.get("/qa/deviations").status_code == 200
        clock.advance(minutes=10)
        late = browser.get("/qa/deviations")
        assert late.status_code == 303
        assert "ended=absolute%20timeout" in late.headers["location"]


def test_a_disabled_account_loses_its_session(portal: Central) -> None:
    server_user(portal.store, "quill", "Quill Second", ["qa"], "qa-quill-2026")
    with portal_session(portal.url, "quill", "qa-quill-2026") as browser:
        assert browser.get("/qa").status_code == 200
        users.disable_user(portal.store, "quill", "left", admin="ada", password="admin-ada-2026")
        gone = browser.get("/qa")
        assert gone.status_code == 303
        assert "account%20disabled%20or%20locked" in gone.headers["location"]


def test_unknown_user_and_wrong_password_read_the_same(portal: Central) -> None:
    with httpx.Client(base_url=portal.url, timeout=30) as browser:
        wrong = sign_in_attempt(browser, "quinn", "not-her-password")
        unknown = sign_in_attempt(browser, "nobody", "not-her-password")
        assert wrong.status_code == unknown.status_code == 403
        assert problem(wrong) == problem(unknown) == "Sign-in refused: user ID or password wrong."
        assert SESSION_COOKIE not in browser.cookies
    # each refusal is on record: the wrong password on the user, the unknown ID as an incident
    assert users.directory(portal.store)["quinn"].failed == 1
    found = [i for i in qa.list_incidents(portal.store) if i.code == "unknown_user"]
    assert [i.problem for i in found] == ["sign-in refused for an unknown user ID 'nobody'"]


def test_portal_and_station_failures_lock_together(portal: Central, tmp_path: Path) -> None:
    server_user(portal.store, "nina", "Nina Novak", ["qa"], "qa-nina-2026")
    station = Station(portal, "CR-A", tmp_path)
    try:
        station.sync()
        for _ in range(2):
            with pytest.raises(AuthError, match="wrong"):
                station.auth.login("nina", "bad-password")
        station.sync()  # the station reports two failures
        with httpx.Client(base_url=portal.url, timeout=30) as browser:
            for _ in range(2):
                assert "wrong." in problem(sign_in_attempt(browser, "nina", "bad-password"))
            assert not users.directory(portal.store)["nina"].locked
            fifth = problem(sign_in_attempt(browser, "nina", "bad-password"))
            assert fifth == (
                "Sign-in refused: user ID or password wrong: the account is now locked, "
                "ask an admin."
            )
            assert users.directory(portal.store)["nina"].locked
            right = sign_in_attempt(browser, "nina", "qa-nina-2026")
            assert right.status_code == 403
            assert "locked" in problem(right)
            assert SESSION_COOKIE not in browser.cookies
        station.sync()  # the station pulls the lock the portal wrote
        with pytest.raises(AuthError, match="locked"):
            station.auth.login("nina", "qa-nina-2026")
    finally:
        station.close()


def test_forms_without_the_csrf_token_change_nothing(portal: Central) -> None:
    with httpx.Client(base_url=portal.url, timeout=30) as browser:
        browser.get("/login")
        no_token = browser.post("/login", data={"user": QA_USER[0], "password": QA_USER[1]})
        assert no_token.status_code == 403
        assert SESSION_COOKIE not in browser.cookies
    with portal_session(portal.url, "ada", "admin-ada-2026") as admin:
        form = {"user": "pat", "name": "Pat Doe", "roles": "operator", "admin_password": "x"}
        for token in (None, "not-the-token"):
            data = form if token is None else {**form, "csrf": token}
            refused = admin.post("/admin/users/add", data=data)
            assert refused.status_code == 403
            assert "CSRF" in refused.text
        assert "pat" not in users.directory(portal.store)


def test_next_stays_on_this_site(portal: Central) -> None:
    for asked, landed in (
        ("https://evil.example/", "/qa"),
        ("//evil.example/qa", "/qa"),
        ("/\\evil.example", "/qa"),
        ("/qa/deviations?x=1", "/qa/deviations?x=1"),
    ):
        with httpx.Client(base_url=portal.url, timeout=30) as browser:
            answer = sign_in_attempt(browser, *QA_USER, next_path=asked)
            assert answer.status_code == 303
            location = answer.headers["location"]
            if location == "/":  # the start page sends QA on to the batches
                location = browser.get("/").headers["location"]
            assert location == landed, asked


def test_headers_and_basic_credentials(portal: Central) -> None:
    with httpx.Client(base_url=portal.url, timeout=30) as anonymous:
        assert anonymous.get("/qa", auth=QA_USER).status_code == 303  # Basic signs nobody in
        assert anonymous.get("/api/v1/incidents", auth=QA_USER).status_code == 401
        login = anonymous.get("/login")
        assert "Batches" not in login.text  # no navigation before signing in
    with portal_session(portal.url, *QA_USER) as browser:
        for path in ("/login", "/qa", "/qa/deviations", "/api/v1/batches"):
            headers = browser.get(path).headers
            policy = headers["content-security-policy"]
            assert "default-src 'self'" in policy, path
            assert "frame-ancestors 'none'" in policy
            assert "form-action 'self'" in policy
            assert headers["x-frame-options"] == "DENY"
            assert headers["x-content-type-options"] == "nosniff"
            assert headers["referrer-policy"] == "same-origin"
            assert headers["cache-control"] == "no-store"


def test_the_cookie_is_secure_over_https(tmp_path: Path) -> None:
    """Behind HTTPS (the request's scheme), every cookie the portal sets is Secure."""
    from central.store import CentralStore

    async def sign_in(store: CentralStore) -> tuple[list[str], int]:
        transport = httpx.ASGITransport(app=create_app(store))
        async with httpx.AsyncClient(transport=transport, base_url="https://portal.test") as client:
            await client.get("/login")
            form = {
                "csrf": client.cookies["central_csrf"],
                "user": "quinn",
                "password": "qa-quinn-2026",
            }
            answer = await client.post("/login", data=form)
            assert answer.status_code == 303
            page = await client.get("/qa")
            return answer.headers.get_list("set-cookie"), page.status_code

    with CentralStore(str(tmp_path / "central.sqlite")) as store:
        server_user(store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
        cookies, status = asyncio.run(sign_in(store))
    session = next(c for c in cookies if c.startswith(SESSION_COOKIE))
    assert "HttpOnly" in session
    assert all("Secure" in c for c in cookies)
    assert status == 200  # the browser sends the Secure cookie back over HTTPS
