"""Users belong to the server: signed admin changes, the stations' read-only copy, a user's own
password set from a station, and the lockout decided across the fleet (a real server)."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import httpx
import pytest
from argon2 import PasswordHasher

from central import users
from central.cli import main as central_main
from central.store import CentralStore
from kiosk.auth import MANAGED, OFFLINE_PASSWORD, Auth, AuthError, AuthPolicy, change_hash
from kiosk.clock import system_clock
from kiosk.sync import (
    ServerUsers,
    SyncClient,
    SyncRefused,
    SyncState,
    pull_master,
    push_pending,
)
from local_store import EventStore
from tests.integration.conftest import Central, portal_session, sign_in_attempt
from tests.integration.pg import free_port

ADA = ("ada", "admin-ada-2026")
FAST = PasswordHasher(time_cost=1, memory_cost=8192)


def central(*argv: str, password: str | None = None, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    mp = pytest.MonkeyPatch()
    mp.setattr("sys.stdin", io.StringIO(stdin))
    if password is not None:
        mp.setenv(users.PASSWORD_ENV, password)
    else:
        mp.delenv(users.PASSWORD_ENV, raising=False)
    try:
        code = central_main(list(argv), out=out)
    finally:
        mp.undo()
    return code, out.getvalue()


central_cli = central  # the tests' ``central`` is the server fixture


def with_admin(store: CentralStore) -> None:
    """The first admin (bootstrap), who then chooses their own password."""
    first = users.add_user(store, ADA[0], "Ada Adeyemi", ["admin"])
    assert first.password is not None
    users.set_password(store, ADA[0], first.password, ADA[1])


def add(store: CentralStore, uid: str, name: str, roles: list[str], password: str) -> None:
    change = users.add_user(store, uid, name, roles, admin=ADA[0], password=ADA[1])
    assert change.password is not None
    users.set_password(store, uid, change.password, password)


class Station:
    """A station database whose users are the server's (pulled, read-only)."""

    def __init__(self, central: Central, name: str, tmp: Path) -> None:
        self.token = central.add_station(name)
        self.url = central.url
        self.db = tmp / f"{name}.sqlite"
        self.store = EventStore(self.db, name)
        self.state = SyncState(SyncState.path_for(self.db))
        self.auth = Auth(
            self.store,
            system_clock,
            AuthPolicy(max_failed=5),
            FAST,
            authority=ServerUsers(self.state, self.client),
        )

    def client(self) -> SyncClient:
        return SyncClient(self.url, self.token, timeout=10)

    def sync(self) -> None:
        with self.client() as client:
            push_pending(self.store, client, self.state)
            pull_master(client, self.state, ["users"])

    def close(self) -> None:
        self.store.close()


def test_cli_bootstrap_signed_changes_and_the_server_chain(tmp_path: Path) -> None:
    db = ["--db", str(tmp_path / "central.sqlite")]
    code, out = central("users", "add", "sam", "--name", "Sam", "--roles", "supervisor", *db)
    assert code == 1
    assert "the first user must be an admin" in out
    code, out = central("users", "add", "ada", "--name", "Ada Adeyemi", "--roles", "admin", *db)
    assert code == 0, out
    assert "bootstrap: the first admin, unsigned" in out
    temporary = re.search(r"shown only now\): (\S+)", out)
    assert temporary is not None
    # the second user needs a signature, and a temporary password never signs
    code, out = central("users", "add", "sam", "--name", "Sam", "--roles", "supervisor", *db)
    assert (code, "say which admin signs" in out) == (1, True)
    args = ["users", "add", "sam", "--name", "Samira Haddad", "--roles", "supervisor,operator"]
    code, out = central(*args, "--as", "ada", *db, password=temporary.group(1))
    assert (code, "set by an admin" in out) == (1, True)
    same = f"{temporary.group(1)}\n{temporary.group(1)}\n"
    code, out = central("users", "password", "ada", *db, stdin=same)
    assert (code, "must differ from the old one" in out) == (1, True)
    code, out = central("users", "password", "ada", *db, stdin=f"{temporary.group(1)}\n{ADA[1]}\n")
    assert (code, out.strip()) == (0, "ada: password changed")
    code, out = central(*args, "--badge", "0420003", "--as", "ada", *db, password=ADA[1])
    assert code == 0, out
    assert "signed by ada" in out
    code, out = central(*args, "--as", "ada", *db, password=ADA[1])
    assert (code, "never reused" in out) == (1, True)
    code, out = central(
        "users", "add", "x", "--name", "X", "--roles", "janitor", "--as", "ada", *db
    )
    assert (code, "user ID" in out) == (1, True)
    for command, extra in (
        ("set-roles", ["--roles", "supervisor"]),
        ("disable", []),
        ("enable", []),
        ("reset-password", []),
    ):
        code, out = central(
            "users",
            command,
            "sam",
            "--reason",
            "audit",
            *extra,
            "--as",
            "ada",
            *db,
            password=ADA[1],
        )
        assert code == 0, (command, out)
    last = ["users", "set-roles", "ada", "--roles", "qa", "--reason", "x", "--as", "ada", *db]
    code, out = central(*last, password=ADA[1])
    assert (code, "last admin" in out) == (1, True)
    code, out = central("users", "list", "--json", *db)
    listed = {u["user"]: u for u in json.loads(out)}
    assert listed["sam"]["roles"] == ["supervisor"]
    assert listed["sam"]["status"] == "active"
    assert listed["sam"]["temporary_password"] is True  # after the reset
    assert listed["sam"]["badge"] == "0420003"
    with CentralStore(db[1]) as store:
        stream = users.feed_events(store)
    created = next(e for e in stream if e.type == "user.created" and e.payload["user"] == "sam")
    signature = created.payload["signature"]
    assert (signature["user"], signature["name"], signature["meaning"]) == (
        "ada",
        "Ada Adeyemi",
        "approved",
    )
    change = {
        "command": "add",
        "user": "sam",
        "name": "Samira Haddad",
        "roles": ["operator", "supervisor"],
        "badge": "0420003",
    }
    assert signature["signed"] == change_hash("user.manage", change)
    assert next(e for e in stream if e.payload["user"] == "ada").payload["bootstrap"] is True
    disabled = next(e for e in stream if e.type == "user.disabled")
    assert (disabled.reason, disabled.actor) == ("audit", "u:ada")
    # the server's user stream is a chain `central verify` checks like any station's
    code, out = central("verify", *db)
    assert code == 0, out
    assert f"{users.SERVER_STATION}: chain intact" in out


def test_wrong_admin_passwords_are_counted_and_lock(tmp_path: Path) -> None:
    with CentralStore(str(tmp_path / "c.sqlite")) as store:
        with_admin(store)
        for attempt in range(users.MAX_FAILED):
            with pytest.raises(users.Refused, match="wrong") as refused:
                users.disable_user(store, "ada", "x", admin="ada", password=f"guess-{attempt}")
        assert "now locked" in str(refused.value)
        # locked: even the right password is answered with "locked", before it is checked
        with pytest.raises(users.Refused, match="locked"):
            users.add_user(store, "bob", "Bob", ["operator"], admin="ada", password=ADA[1])
        with pytest.raises(users.Refused, match="user ID or password wrong"):
            users.add_user(store, "bob", "Bob", ["operator"], admin="nobody", password=ADA[1])
        assert users.directory(store)["ada"].locked
        assert "bob" not in users.directory(store)


def test_stations_pull_a_read_only_copy_and_set_passwords_at_the_server(
    central: Central, tmp_path: Path
) -> None:
    with_admin(central.store)
    nina = users.add_user(central.store, "nina", "Nina Nowak", ["operator"], **signer())
    a = Station(central, "CR-A", tmp_path)
    try:
        a.sync()
        assert a.auth.managed
        a.auth.refresh()
        assert a.auth.users["nina"].temporary
        with pytest.raises(AuthError, match=MANAGED):
            a.auth.add_user("zed", "Zed", ["operator"], "zed-pass-1", by="u:ada")
        # first login: the temporary password must be replaced, at the server
        assert nina.password is not None
        with pytest.raises(AuthError, match="choose a new password"):
            a.auth.login("nina", nina.password)
        a.auth.change_password("nina", nina.password, "nina-own-pass")
        assert a.auth.login("nina", "nina-own-pass").user.id == "nina"
        server = users.directory(central.store)["nina"]
        assert not server.temporary
        FAST.verify(server.password_hash, "nina-own-pass")
        # the station wrote no user.* event of its own (the server refuses those)
        assert not [e for e in a.store.events() if e.type.startswith("user.")]
        # the last passwords are refused at the server too
        with pytest.raises(users.UserError, match="last 5"):
            users.set_password(central.store, "nina", "nina-own-pass", nina.password)
    finally:
        a.close()


def signer() -> dict[str, str]:
    return {"admin": ADA[0], "password": ADA[1]}


def test_an_offline_station_keeps_the_temporary_password(central: Central, tmp_path: Path) -> None:
    with_admin(central.store)
    olga = users.add_user(central.store, "olga", "Olga", ["operator"], **signer())
    assert olga.password is not None
    a = Station(central, "CR-A", tmp_path)
    try:
        a.sync()
        a.url = "http://127.0.0.1:9"  # the server cannot be reached from now on
        with pytest.raises(AuthError) as refused:
            a.auth.change_password("olga", olga.password, "olga-own-pass")
        assert str(refused.value) == OFFLINE_PASSWORD
        assert a.auth.users["olga"].temporary
        with pytest.raises(AuthError, match="choose a new password"):
            a.auth.login("olga", olga.password)  # still the temporary one
        assert users.directory(central.store)["olga"].temporary
    finally:
        a.close()


def test_failed_logins_lock_across_the_fleet(central: Central, tmp_path: Path) -> None:
    with_admin(central.store)
    add(central.store, "oscar", "Oscar Lindqvist", ["operator"], "op-oscar-2026")
    add(central.store, "olivia", "Olivia Okafor", ["operator"], "op-olivia-2026")
    a, b = Station(central, "CR-A", tmp_path), Station(central, "CR-B", tmp_path)
    try:
        a.sync()
        b.sync()
        # Olivia: 4 failures, then a success at B resets the count; one more failure: not locked
        for station, count in ((a, 2), (b, 2)):
            for _ in range(count):
                with pytest.raises(AuthError, match="wrong"):
                    station.auth.login("olivia", "bad-password")
        b.auth.login("olivia", "op-olivia-2026")
        with pytest.raises(AuthError, match="wrong"):
            a.auth.login("olivia", "bad-password")
        # Oscar: 3 failures at A and 2 at B, each below the station's own limit
        for station, count in ((a, 3), (b, 2)):
            for _ in range(count):
                with pytest.raises(AuthError, match=r"wrong$"):
                    station.auth.login("oscar", "bad-password")
        a.sync()
        assert not users.directory(central.store)["oscar"].locked
        b.sync()
        server = users.directory(central.store)
        assert server["oscar"].locked
        assert not server["olivia"].locked
        assert server["olivia"].failed == 1
        locked = [e for e in users.feed_events(central.store) if e.type == "user.locked"]
        assert [(e.payload["user"], e.payload["failures"], e.actor) for e in locked] == [
            ("oscar", 5, "system")
        ]
        # both stations pull the lock and apply it: the right password no longer opens it
        a.sync()
        for station in (a, b):
            with pytest.raises(AuthError, match="locked"):
                station.auth.login("oscar", "op-oscar-2026")
        # an admin's reset at the server unlocks it everywhere, with a temporary password
        reset = users.reset_password(central.store, "oscar", "locked out", **signer())
        assert reset.password is not None
        a.sync()
        with pytest.raises(AuthError, match="choose a new password"):
            a.auth.login("oscar", reset.password)
    finally:
        a.close()
        b.close()


def test_the_password_endpoint(central: Central) -> None:
    with_admin(central.store)
    nina = users.add_user(central.store, "nina", "Nina", ["operator"], **signer())
    token = central.add_station("CR-A")
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=central.url, timeout=30) as http:
        url = "/api/v1/users/nina/password"
        assert http.post(url, json={"old": "x", "new": "y"}).status_code == 401
        wrong = http.post(
            url, json={"old": "not-it-at-all", "new": "nina-pass-2026"}, headers=headers
        )
        assert (wrong.status_code, wrong.json()["detail"]) == (403, "user ID or password wrong")
        unknown = http.post(
            "/api/v1/users/nobody/password", json={"old": "a", "new": "b"}, headers=headers
        )
        assert (unknown.status_code, unknown.json()["detail"]) == (403, wrong.json()["detail"])
        short = http.post(url, json={"old": nina.password, "new": "short"}, headers=headers)
        assert short.status_code == 422
        ok = http.post(url, json={"old": nina.password, "new": "nina-pass-2026"}, headers=headers)
        assert ok.status_code == 200, ok.text
        event = ok.json()["event"]
        assert (event["type"], event["station"], event["payload"]["station"]) == (
            "user.password_set",
            users.SERVER_STATION,
            "CR-A",
        )
        assert users.directory(central.store)["nina"].failed == 0  # the success reset it


def test_the_admin_page(central: Central) -> None:
    with_admin(central.store)
    add(central.store, "quinn", "Quinn Marlowe", ["qa"], "qa-quinn-2026")
    with portal_session(central.url, *ADA) as http:
        with portal_session(central.url, "quinn", "qa-quinn-2026") as reviewer:
            refused = reviewer.get("/admin/users")
            assert refused.status_code == 403  # signed in, not an admin: one line
            assert "is not an admin" in refused.text
        page = http.get("/admin/users")
        assert page.status_code == 200
        assert "Quinn Marlowe" in page.text
        match = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert match is not None
        csrf = match.group(1)
        form = {
            "user": "pat",
            "name": "Pat <b>Doe</b>",
            "roles": "operator",
            "admin_password": ADA[1],
        }
        # without the CSRF token (as another site would post it): refused, nothing changed
        forged = http.post("/admin/users/add", data=form)
        assert forged.status_code == 403
        assert "pat" not in users.directory(central.store)
        # a wrong admin password: the signature is refused
        bad = http.post(
            "/admin/users/add", data={**form, "csrf": csrf, "admin_password": "nope-nope"}
        )
        assert bad.status_code == 403
        assert "refused" in bad.text
        added = http.post("/admin/users/add", data={**form, "csrf": csrf})
        assert added.status_code == 200, added.text
        assert "Temporary password (shown only now)" in added.text
        assert "Pat &lt;b&gt;Doe&lt;/b&gt;" in added.text
        assert users.directory(central.store)["pat"].roles == {"operator"}
        roles = http.post(
            "/admin/users/set-roles",
            data={
                "user": "pat",
                "roles": "operator,supervisor",
                "reason": "trained",
                "admin_password": ADA[1],
                "csrf": csrf,
            },
        )
        assert roles.status_code == 200, roles.text
        assert users.directory(central.store)["pat"].roles == {"operator", "supervisor"}


def test_station_pushed_user_events_never_become_server_users(
    central: Central, tmp_path: Path
) -> None:
    with_admin(central.store)
    token = central.add_station("CR-EVIL")
    db = tmp_path / "evil.sqlite"
    with EventStore(db, "CR-EVIL") as store, SyncClient(central.url, token) as client:
        Auth(store, system_clock, hasher=FAST).add_user(
            "mallory", "Mallory", ["admin", "qa"], "mallory-pass", by="system"
        )
        # the lead's ingest refuses user.* pushes outright (SyncRefused): also fine here
        with contextlib.suppress(SyncRefused):
            push_pending(store, client, SyncState(SyncState.path_for(db)))
        assert "mallory" not in users.directory(central.store)
        page = client.pull("users", 0)
        assert all(item["event"]["station"] == users.SERVER_STATION for item in page["items"])
    with httpx.Client(base_url=central.url, timeout=30) as http:
        refused = sign_in_attempt(http, "mallory", "mallory-pass")
        assert refused.status_code == 403
        assert http.get("/qa").status_code == 303  # no session: to the sign-in page


def test_the_minimum_password_length_is_a_signed_server_policy(
    central: Central, database_url: str, tmp_path: Path
) -> None:
    """Default 12 for passwords set from now on; an admin changes it, signed; existing
    passwords keep working; stations apply the policy they pulled, the server's default (12)
    before an admin ever set one."""
    with_admin(central.store)
    db = ["--db", database_url]
    assert central_cli("users", "policy", *db) == (
        0,
        "passwords set or changed from now on: at least 12 characters\n",
    )
    nina = users.add_user(central.store, "nina", "Nina Nowak", ["operator"], **signer())
    assert nina.password is not None
    with pytest.raises(users.UserError, match="at least 12 characters"):
        users.set_password(central.store, "nina", nina.password, "nina-11char")
    a = Station(central, "CR-A", tmp_path)
    try:
        assert a.auth.min_password == 8  # nothing pulled yet: the station's floor
        a.sync()
        a.auth.refresh()
        # no admin ever set a policy: the station applies the server's default all the same,
        # itself: with the server out of reach it refuses the short password, not "offline"
        assert a.auth.min_password == 12
        a.url = f"https://127.0.0.1:{free_port()}"
        with pytest.raises(AuthError, match=r"^a password needs at least 12 characters$"):
            a.auth.change_password("nina", nina.password, "nina-11char")
        a.url = central.url
        # an admin raises it to 15: signed, with a reason
        code, out = central_cli(
            "users", "policy", "--min-password", "15", "--reason", "SOP-IT-7 rev 3",
            "--as", "ada", *db, password=ADA[1],
        )  # fmt: skip
        assert code == 0, out
        assert out.startswith("passwords set or changed from now on: at least 15 characters")
        event = next(e for e in users.feed_events(central.store) if e.type == "user.policy_set")
        assert event.actor == "u:ada"
        assert event.reason == "SOP-IT-7 rev 3"
        assert event.payload["min_password"] == 15
        assert event.payload["signature"]["user"] == "ada"
        # unsigned, out of range: refused, one line
        assert central_cli("users", "policy", "--min-password", "15", "--reason", "x", *db)[
            1
        ].startswith("central users: say which admin signs this change")
        code, out = central_cli(
            "users", "policy", "--min-password", "6", "--reason", "x", "--as", "ada", *db,
            password=ADA[1],
        )  # fmt: skip
        assert (code, out) == (
            1,
            "central users: the minimum password length must be 8 to 64\n",
        )
        # the station pulls it and checks before asking the server
        a.sync()
        a.auth.refresh()
        assert a.auth.min_password == 15
        with pytest.raises(AuthError, match="at least 15 characters"):
            a.auth.change_password("nina", nina.password, "nina-fourteen1")
        assert users.directory(central.store)["nina"].temporary  # refused at the station
        a.auth.change_password("nina", nina.password, "nina-fifteen-ch")
        assert a.auth.login("nina", "nina-fifteen-ch").user.id == "nina"
        # ada's 14-character password was set under the old policy and still works
        assert len(ADA[1]) < 15
        assert users.check_login(central.store, *ADA).id == "ada"
    finally:
        a.close()


def test_the_admin_page_sets_the_password_policy(central: Central) -> None:
    with_admin(central.store)
    with portal_session(central.url, *ADA) as http:
        page = http.get("/admin/users")
        assert "at least 12 characters" in page.text
        match = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert match is not None
        form = {"csrf": match.group(1), "reason": "SOP-IT-7", "admin_password": ADA[1]}
        bad = http.post("/admin/users/password-policy", data={**form, "min_password": "many"})
        assert bad.status_code == 422
        assert "refused: not a whole number: &#39;many&#39;" in bad.text
        done = http.post("/admin/users/password-policy", data={**form, "min_password": "16"})
        assert done.status_code == 200, done.text
        assert "passwords set or changed from now on: at least 16 characters" in done.text
        assert "at least 16 characters" in http.get("/admin/users").text
    assert users.password_policy(central.store) == 16
