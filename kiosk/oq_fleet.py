"""Validation scripts across stations: a real central server, one SQLite file per station.

``kiosk oq run SCRIPT --central-db URL [--db-dir DIR]`` with a script that lists ``stations:``
(name and rooms). The runner:

1. starts a real central server (``central serve``, uvicorn on loopback, a free port) on the
   database at URL, and sets it up as an admin would, with the ``central`` command: the
   stations (their tokens), equipment and lots, its users (the first admin unsigned, every
   other user signed by that admin, each with a temporary password), and the script's recipes
   as drafts uploaded by that admin (for QA's review at the server);
2. gives each station its own SQLite file under DIR and pulls the master data into it; each
   user then chooses the script's password at their first login, at the first station, which
   sets it at the server (as at a real station);
3. runs the steps; a step names its station (``station: NAME``; it stays until another is
   named). Besides every action of a single-station script there are ``sync`` (push, then
   pull; after a pull the station applies order changes to its batches, as the running kiosk
   does), ``release`` (hand the batch over, then push), ``claim`` (sign "received" and take the
   batch over), ``forge`` (append a raw event to the station's chain and push it: the
   attacks the server must refuse), ``order`` / ``revise_order`` / ``cancel_order`` (the
   upstream system posts an order, revises or cancels one with a reason, with the
   ``central orders`` command) and ``central`` (any ``central`` command with ``args``, signed
   with ``password``).

The server checks events against the authority map with a wide clock skew
(``CENTRAL_CLOCK_SKEW_S``): the script runs on a simulated clock that may be days ahead.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import httpx
from argon2 import PasswordHasher

from kiosk import handover
from kiosk.auth import Auth, AuthError, AuthPolicy, change_hash
from kiosk.clock import SimClock
from kiosk.engine import ActionRefused, Engine
from kiosk.engine.core import bound_here
from kiosk.oq import (
    OqError,
    Outcome,
    Runner,
    Script,
    _describe,
    _do,
    accept_equipment,
    run_step,
)
from kiosk.recipe import LoadedRecipe
from kiosk.roles import allowed
from kiosk.sync import (
    ServerUsers,
    SyncClient,
    SyncError,
    SyncRefused,
    SyncState,
    pull_master,
    push_pending,
)
from local_store import EventStore, StoreError

SKEW_S = str(400 * 24 * 3600)
"""The clock skew the script's server allows: a simulated clock may run days ahead."""
FLEET_ACTIONS = (
    "sync",
    "release",
    "claim",
    "forge",
    "order",
    "revise_order",
    "cancel_order",
    "central",
)


@dataclass
class Station:
    """One station of the script: its file, its sync state, its engine and sessions."""

    name: str
    rooms: list[str]
    store: EventStore
    state: SyncState
    client: SyncClient
    runner: Runner
    server: CentralServer

    def pull(self) -> None:
        pull_master(self.client, self.state)
        self.runner.auth.refresh()
        self.runner.engine.masterdata.attach(self.state)
        self.runner.engine.apply_order_changes()  # as the kiosk does after each pull

    def push(self) -> None:
        push_pending(self.store, self.client, self.state)


class CentralServer:
    """``central serve`` in a child process on a free loopback port; ``central`` commands."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def command(self, *args: str, stdin: str | None = None, password: str | None = None) -> str:
        """Run ``central ARGS --db DATABASE``; its output, or OqError with what it said."""
        env = {k: v for k, v in os.environ.items() if k != "CENTRAL_PASSWORD"}
        if password is not None:
            env["CENTRAL_PASSWORD"] = password
        done = subprocess.run(  # noqa: S603  # our own interpreter and command
            [sys.executable, "-m", "central", *args, "--db", self.database],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        if done.returncode != 0:
            said = (done.stdout + done.stderr).strip().splitlines()
            raise OqError(f"central {' '.join(args[:2])}: {said[-1] if said else 'failed'}")
        return done.stdout

    def start(self) -> None:
        env = {**os.environ, "CENTRAL_CLOCK_SKEW_S": SKEW_S}
        self._process = subprocess.Popen(  # noqa: S603  # our own interpreter and command
            [
                sys.executable,
                "-m",
                "central",
                "serve",
                "--db",
                self.database,
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                err = (
                    self._process.stderr.read().decode(errors="replace")
                    if self._process.stderr
                    else ""
                )
                raise OqError(f"the central server did not start: {err.strip()[-300:]}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise OqError(f"the central server did not answer on {self.url} within 60 s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        if self._process is not None and self._process.stderr is not None:
            self._process.stderr.close()
        self._process = None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


_TEMPORARY = re.compile(r"temporary password \(shown only now\): (\S+)")


def _set_up_server(server: CentralServer, script: Script, path: Path) -> dict[str, str]:
    """Register the stations, recipes, equipment, lots and users; the stations' tokens."""
    tokens: dict[str, str] = {}
    for station in script.stations:
        said = server.command("stations", "add", station.name, *_rooms(station.rooms))
        tokens[station.name] = said.strip().splitlines()[-1].strip()
    for item in script.equipment:
        server.command(
            "equipment",
            "add",
            item.id,
            "--kind",
            item.kind,
            "--serial",
            item.serial,
            "--model",
            item.model,
            "--calibration-due",
            item.calibration_due.isoformat(),
        )
    for material in script.materials:
        gtins = [arg for gtin in material.gtins for arg in ("--gtin", gtin)]
        server.command("materials", "add", material.code, "--name", material.name, *gtins)
    for lot in script.lots:
        if lot.quantity is None or lot.unit is None:
            raise OqError(f"lot {lot.lot}: the server needs its quantity and unit")
        server.command(
            "lots",
            "add",
            lot.gtin,
            lot.lot,
            "--material",
            lot.material,
            "--expiry",
            lot.expiry.isoformat(),
            "--status",
            lot.status,
            "--quantity",
            f"{lot.quantity:g}",
            "--unit",
            lot.unit,
        )
    for kit in script.kits:
        pairs = [arg for item in kit.lots for arg in ("--lot", f"{item.gtin}/{item.lot}")]
        server.command("kits", "add", kit.id, *pairs)
    admins = [u for u in script.users if "admin" in u.roles]
    if not admins:
        raise OqError("a script across stations needs a user with the admin role")
    first = admins[0]
    temporary: dict[str, str] = {}
    for user in [first, *[u for u in script.users if u is not first]]:
        signer = [] if user is first else ["--as", first.id]
        said = server.command(
            "users",
            "add",
            user.id,
            "--name",
            user.name,
            "--roles",
            ",".join(user.roles),
            *(["--badge", user.badge] if user.badge else []),
            *signer,
            password=None if user is first else first.password,
        )
        found = _TEMPORARY.search(said)
        if found is None:
            raise OqError(f"central users add {user.id} printed no temporary password")
        temporary[user.id] = found.group(1)
        if user is first:  # the first admin signs the others: their own password first
            server.command(
                "users", "password", user.id, stdin=f"{found.group(1)}\n{user.password}\n"
            )
    # The recipes as drafts by the first admin, so QA at the server reads the full review (the
    # stations run the script's own files).
    recipes = [str((path.parent / ref).resolve()) for ref in script.recipes]
    server.command("recipes", "upload", *recipes, "--as", first.id, password=first.password)
    return {**tokens, **{f"temporary:{k}": v for k, v in temporary.items()}}


def _rooms(rooms: list[str]) -> list[str]:
    return ["--rooms", ",".join(rooms)] if rooms else []


def _do_fleet(station: Station, stations: Mapping[str, Station], step: Mapping[str, Any]) -> None:
    """The actions that involve the server: raise ActionRefused when something is refused."""
    action = step["do"]
    runner = station.runner
    try:
        if action == "sync":
            station.push()
            station.pull()
            return
        if action in ("order", "revise_order"):
            revise = [] if action == "order" else ["--reason", str(step.get("reason", ""))]
            with tempfile.TemporaryDirectory() as tmp:
                file = Path(tmp) / "order.json"
                file.write_text(json.dumps([dict(step["order"])]), encoding="utf-8")
                verb = "add" if action == "order" else "revise"
                _refused_by_server(station.server, "orders", verb, str(file), *revise)
            return
        if action == "central":  # an administrator's command at the server (recipes, say)
            password = step.get("password")
            _refused_by_server(
                station.server,
                *[str(arg) for arg in step.get("args", [])],
                password=None if password is None else str(password),
            )
            return
        if action == "cancel_order":
            reason = str(step.get("reason", ""))
            _refused_by_server(
                station.server, "orders", "cancel", str(step["order_id"]), "--reason", reason
            )
            return
        session = runner.session(step.get("as"))
        batch = str(step.get("batch", runner.batch))
        if action == "release":
            if not allowed("batch.handover", session.user.roles):
                raise ActionRefused(f"{session.user.name} may not hand a batch over")
            handover.release(
                station.store, batch, session.user.id, session.user.name, step.get("room")
            )
            if step.get("push", True):
                station.push()
            return
        if action == "claim":
            signature = runner.auth.sign(
                session=session,
                user_id=step.get("user"),
                password=str(step.get("password", "")),
                meaning="received",
                signed=change_hash("batch.receive", {"batch": batch, "station": station.name}),
                action="batch.receive",
            ).to_payload()
            handover.claim(station.store, station.client, batch, signature)
            runner.engine.forget(batch)
            runner.batch = batch
            station.push()
            return
        if action == "forge":
            station.store.append(
                str(step["type"]),
                dict(step.get("payload", {})),
                actor=session.actor,
                batch=step.get("batch"),
            )
            station.push()
            return
    except handover.HandoverError as exc:
        raise ActionRefused(str(exc)) from exc
    except SyncRefused as exc:
        raise ActionRefused(f"the server refused: {exc}") from exc
    except SyncError as exc:
        raise ActionRefused(f"sync failed: {exc}") from exc
    raise OqError(f"unknown action {action!r}")


def _refused_by_server(server: CentralServer, *args: str, password: str | None = None) -> None:
    """A ``central`` command; what it refuses is a refusal of the step."""
    try:
        server.command(*args, password=password)
    except OqError as exc:
        raise ActionRefused(str(exc)) from exc


@contextmanager
def _fleet(
    script: Script,
    path: Path,
    central_db: str,
    db_dir: Path,
    recipes: dict[str, LoadedRecipe],
    clock: SimClock,
    hasher: PasswordHasher | None,
) -> Iterator[dict[str, Station]]:
    server = CentralServer(central_db)
    server.start()
    stations: dict[str, Station] = {}
    try:
        setup = _set_up_server(server, script, path)
        policy = AuthPolicy(
            max_failed=script.max_failed_logins,
            inactivity=timedelta(minutes=script.inactivity_minutes),
        )
        db_dir.mkdir(parents=True, exist_ok=True)
        for spec in script.stations:
            store = EventStore(db_dir / f"{spec.name}.sqlite", spec.name, clock=clock)
            state = SyncState(SyncState.path_for(store.path))
            token = setup[spec.name]
            client = SyncClient(server.url, token)

            def connect(token: str = token) -> SyncClient:
                return SyncClient(server.url, token)

            auth = Auth(store, clock, policy, hasher, authority=ServerUsers(state, connect))

            def owner(batch: str, store: EventStore = store) -> str | None:
                held = handover.local_owner(store, batch)
                return "another station (handed over)" if held == handover.RELEASED else held

            def bound(
                kind: str, value: str, store: EventStore = store, client: SyncClient = client
            ) -> str | None:
                return bound_here(store, kind, value) or handover.fleet_bound(client, kind, value)

            engine = Engine(
                store,
                auth,
                recipes,
                clock,
                rooms=frozenset(spec.rooms) if spec.rooms else None,
                owner_of=owner,
                bound_elsewhere=bound,
            )
            engine.order_source = state.orders  # the orders as last pulled
            stations[spec.name] = Station(
                spec.name, spec.rooms, store, state, client, Runner(engine, auth, clock), server
            )
            stations[spec.name].pull()
        first = stations[script.stations[0].name]
        for user in script.users:  # each chooses their password at their first login
            if user is not next(u for u in script.users if "admin" in u.roles):
                first.runner.auth.change_password(
                    user.id, setup[f"temporary:{user.id}"], user.password
                )
        for station in stations.values():
            station.pull()
            engine, auth = station.runner.engine, station.runner.auth
            accept_equipment(engine, auth, script.equipment, script.users)  # per station
        yield stations
    except (SyncError, AuthError, StoreError) as exc:
        raise OqError(f"setting up the stations failed: {exc}") from exc
    finally:
        for station in stations.values():
            station.client.close()
            station.store.close()
        server.stop()


def run_fleet(
    script: Script,
    lines: Mapping[int, int],
    path: Path,
    central_db: str,
    db_dir: Path,
    recipes: dict[str, LoadedRecipe],
    out: TextIO,
    *,
    fast_hash: bool = False,
) -> bool:
    """Run a script across its stations against a real server; True when every line passed."""
    clock = SimClock(script.start)
    hasher = PasswordHasher(time_cost=1, memory_cost=8192) if fast_hash else None
    print(f"OQ {script.title} ({path}) across {len(script.stations)} stations", file=out)
    outcomes: list[Outcome] = []
    with _fleet(script, path, central_db, db_dir, recipes, clock, hasher) as stations:
        current = script.stations[0].name
        batch: str | None = None
        for index, step in enumerate(script.steps):
            line = lines.get(index, 0)
            if not isinstance(step, Mapping) or "do" not in step:
                outcomes.append(Outcome(line, "?", False, "step without 'do'"))
                print(f"FAIL  line {line:4}  a step needs 'do: ACTION'", file=out)
                continue
            current = str(step.get("station", current))
            if current not in stations:
                outcomes.append(Outcome(line, _describe(step), False, f"no station {current}"))
                print(f"FAIL  line {line:4}  no station {current!r} in the script", file=out)
                continue
            station = stations[current]
            runner = station.runner
            act = (
                partial(_do_fleet, station, stations, step)
                if step["do"] in FLEET_ACTIONS
                else partial(_do, runner, step)
            )
            outcomes.append(run_step(runner, step, line, act, out, f"[{current}] "))
            batch = runner.batch or batch
        chains_ok = True
        for station in stations.values():
            verdict = station.store.verify()
            chains_ok = chains_ok and verdict.ok
            print(
                f"{'PASS' if verdict.ok else 'FAIL'}  audit trail of {station.name}: "
                f"{verdict.events} events, chain "
                f"{'intact' if verdict.ok else 'BROKEN at ' + str(verdict.bad_seq)}",
                file=out,
            )
        if batch is not None:
            holder = next(
                (s for s in stations.values() if handover.local_owner(s.store, batch) == s.name),
                None,
            )
            if holder is not None:
                print(
                    f"batch {batch}: {holder.runner.engine.batch(batch).state} "
                    f"(held by {holder.name})",
                    file=out,
                )
    passed = sum(o.passed for o in outcomes) + chains_ok
    failed = len(outcomes) + 1 - passed
    print(f"oq: {passed} passed, {failed} failed", file=out)
    return failed == 0
