"""Validation (OQ) scripts: user actions and expectations run against the real engine.

A script is YAML (format in docs/validation.md). Each action is carried out
through the same `Engine`, `Auth` and `EventStore` the screens use, on a real
SQLite file, with a simulated clock; each expectation is checked and printed
as PASS or FAIL. The run ends with the hash chain verified.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, TextIO

import yaml
from argon2 import PasswordHasher
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from kiosk import orders, review, yamlload
from kiosk.auth import Auth, AuthError, AuthPolicy, Session, change_hash
from kiosk.batchid import batch_id_problem
from kiosk.clock import SimClock
from kiosk.custody import EVENT as CUSTODY_EVENT
from kiosk.custody import Shipment, Transfer
from kiosk.engine import (
    ActionRefused,
    Captured,
    CounterResult,
    Credentials,
    Engine,
    MonitorGap,
    MonitorSample,
    QcResult,
    Reading,
)
from kiosk.labels import label_model
from kiosk.recipe import LoadedRecipe, RecipeError, load_recipe
from kiosk.roles import allowed
from kiosk.startup import station_problem
from local_store import EventStore, StoreError

log = logging.getLogger(__name__)


class OqError(Exception):
    """The script itself is unusable (not a failed expectation)."""


class ScriptUser(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    roles: list[str]
    password: str
    badge: str | None = None


class ScriptEquipment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    kind: str = "balance"
    serial: str
    model: str = ""
    calibration_due: date
    accepted_as: str | None = None  # the role a technician accepted it for at this station


class ScriptMaterial(BaseModel):
    model_config = ConfigDict(extra="forbid")
    code: str
    name: str
    gtins: list[str] = Field(min_length=1)


class ScriptLot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gtin: str
    lot: str
    material: str  # the material's code
    expiry: date
    status: str = "released"
    quantity: float | None = None  # received, in `unit`
    unit: str | None = None


class ScriptKitLot(BaseModel):
    model_config = ConfigDict(extra="forbid")
    gtin: str
    lot: str


class ScriptKit(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    lots: list[ScriptKitLot] = Field(min_length=1)


class ScriptStation(BaseModel):
    """A station of a script across stations, and the rooms it stands in."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
    rooms: list[str] = Field(default_factory=list)


class Script(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str
    recipes: list[str] = Field(min_length=1)
    station: str = "OQ-1"
    stations: list[ScriptStation] = Field(default_factory=list)
    start: datetime
    max_failed_logins: int = 5
    inactivity_minutes: int = 15
    users: list[ScriptUser] = Field(default_factory=list)
    equipment: list[ScriptEquipment] = Field(default_factory=list)
    materials: list[ScriptMaterial] = Field(default_factory=list)
    lots: list[ScriptLot] = Field(default_factory=list)
    kits: list[ScriptKit] = Field(default_factory=list)
    steps: list[dict[str, Any]] = Field(min_length=1)


@dataclass
class Outcome:
    line: int
    text: str
    passed: bool
    detail: str


@dataclass
class Runner:
    engine: Engine
    auth: Auth
    clock: SimClock
    sessions: dict[str, Session] = field(default_factory=dict)
    active: str | None = None
    batch: str | None = None
    last_error: str | None = None

    def session(self, who: str | None) -> Session:
        name = who or self.active
        if name is None or name not in self.sessions:
            raise OqError(f"no one is logged in as {name!r}")
        return self.sessions[name]


def _reading(step: Mapping[str, Any]) -> Reading:
    """A simulated balance reading from a script line (value, unit, stable, device)."""
    return Reading(
        float(step["value"]),
        str(step.get("unit", "g")),
        bool(step.get("stable", True)),
        str(step.get("device", "SIM-BALANCE-1")),
    )


def accept_equipment(
    engine: Engine, auth: Auth, equipment: list[ScriptEquipment], users: list[ScriptUser]
) -> None:
    """A technician accepts each item with `accepted_as` for that role at this station, through
    the swap workflow as on the Technician screen: a signed `device.accepted`."""
    from kiosk.devices.swap import KnownRoles, SwapRefused, SwapWorkflow  # noqa: PLC0415

    answering = {item.accepted_as: item for item in equipment if item.accepted_as}
    pending = {r: i for r, i in answering.items() if engine.masterdata.accepted.get(r) != i.serial}
    if not pending:
        return
    tech = next((u for u in users if {"technician", "admin"} & set(u.roles)), None)
    if tech is None:
        raise OqError("equipment accepted_as a role needs a user with the technician role")
    roles = KnownRoles({role: (item.kind, item.serial) for role, item in answering.items()})
    swap = SwapWorkflow(roles, engine.masterdata, auth, engine.store, engine.clock)
    session = auth.login(tech.id, tech.password)
    try:
        for role, item in pending.items():
            swap.accept(role, item.serial, Credentials(tech.id, tech.password), session=session)
    except SwapRefused as exc:
        raise OqError(f"accepting the script's equipment failed: {exc}") from exc
    finally:
        auth.logout(session)


def _captured(step: Mapping[str, Any], clock: datetime) -> Captured:
    """A simulated equipment reading from a script line (value, unit, status, device)."""
    return Captured(
        value=float(step["value"]),
        unit=step.get("unit"),
        timestamp=clock,
        source=str(step.get("device", "urn:sim:incubator")),
        status=str(step.get("status", "Good")),
        node=step.get("node"),
    )


def _monitoring(eng: Engine, batch: str, step: Mapping[str, Any], clock: datetime) -> Any:
    """Simulated monitoring of the running timer step: one sample (`values` by node, `device`,
    `status`), after a closed gap (`gap: {reason, minutes}`) when the line has one."""
    key = str(step.get("step") or eng.batch(batch).step_key)
    current = eng.batch(batch).step
    nodes = getattr(getattr(current, "monitor", None), "nodes", {}) or {}
    device = str(step.get("device", "urn:sim:incubator"))
    status = str(step.get("status", "Good"))
    readings = {
        name: Captured(float(value), getattr(nodes.get(name), "unit", None), clock, device, status)
        for name, value in (step.get("values") or {}).items()
    }
    gaps = []
    gap = step.get("gap")
    if isinstance(gap, Mapping):
        start = clock - timedelta(minutes=float(gap.get("minutes", 15)))
        gaps.append(MonitorGap(start, str(gap.get("reason", "no answer")), clock))
    return eng.record_monitoring(batch, key, [MonitorSample(clock, readings)], gaps)


def _counter(step: Mapping[str, Any], clock: datetime) -> CounterResult:
    """A simulated cell counter result from a script line (viable and total per mL, %)."""
    return CounterResult(
        sample_id=str(step["sample"]),
        viability_pct=float(step["viability"]),
        viable_per_ml=float(step["viable_per_ml"]),
        total_per_ml=float(step.get("total_per_ml", step["viable_per_ml"])),
        measured_at=clock,
        instrument=str(step.get("device", "Vi-CELL BLU SIM-1")),
        file_name=str(step.get("file", "oq-count.csv")),
        sha256=str(step.get("sha256", "0" * 64)),
        line=int(step.get("line", 2)),
    )


def _result(step: Mapping[str, Any], clock: datetime) -> QcResult:
    """A QC result as the LIMS would send it, from a script line."""
    return QcResult(
        test=str(step["test"]),
        value=step["value"],
        unit=step.get("unit"),
        method=str(step.get("method", "OQ method")),
        sample_id=str(step.get("sample", "QC-1")),
        result_time=clock.isoformat(),
        lims_ref=str(step.get("lims_ref", f"LIMS-{step['test']}")),
    )


def _printed_label(runner: Runner, batch: str) -> str:
    """The Data Matrix of the label the batch printed last: the compound message drawn from
    the recorded label content, as the PDF and the ZPL draw it."""
    recorded = [
        e.payload["label"]
        for e in runner.engine.store.batch_history(batch)
        if e.type == "step.recorded" and e.payload.get("kind") == "label_print"
    ]
    if not recorded:
        raise OqError(f"batch {batch} has printed no label yet")
    return label_model(recorded[-1]).compound


def _creds(step: Mapping[str, Any]) -> Credentials:
    return Credentials(step.get("user"), str(step.get("password", "")))


def _transfer(step: Mapping[str, Any]) -> Transfer:
    """A custody transfer as a script gives it (docs/validation.md, ``handover``)."""
    ship = step.get("shipment")
    return Transfer(
        kind=str(step.get("kind", "receipt")),
        location=str(step.get("location", "")),
        seal_intact=bool(step.get("seal_intact", False)),
        giver=str(step["from"]) if "from" in step else None,
        logger_reading=str(step.get("logger", "")),
        note=str(step.get("condition", "")),
        shipment=Shipment(*(str(ship.get(k, "")) for k in ("shipper", "logger", "courier", "awb")))
        if isinstance(ship, Mapping)
        else None,
    )


def _receiver(step: Mapping[str, Any]) -> Credentials | None:
    """The receiver's signature: ``receiver`` and ``receiver_password``; None when absent."""
    if "receiver" not in step:
        return None
    return Credentials(str(step["receiver"]), str(step.get("receiver_password", "")))


def _exception_id(runner: Runner, ref: str) -> list[str]:
    if runner.batch is None:
        raise ActionRefused("no batch has started: there is no exception to act on")
    state = runner.engine.batch(runner.batch)
    items = list(state.exceptions.values())
    if ref == "last":
        return [items[-1].id] if items else []
    if ref == "last_blocking":
        blocking = [e for e in items if e.open_blocking]
        return [blocking[-1].id] if blocking else []
    if ref.startswith("category:"):
        wanted = ref.removeprefix("category:")
        return [e.id for e in items if e.category == wanted and e.disposition is None]
    if ref == "all_open":  # every review item QA must still disposition
        history = list(runner.engine.history(runner.batch))
        return [
            i.id
            for i in review.open_items(state, history=history)
            if not (i.id in state.exceptions and state.exceptions[i.id].open_blocking)
        ]
    return [ref]


def _do(runner: Runner, step: Mapping[str, Any]) -> None:
    """Carry out one action; raises ActionRefused / AuthError when the system refuses."""
    action = step["do"]
    eng = runner.engine
    key = step.get("step")
    if action == "login":
        session = runner.auth.login(str(step["user"]), str(step["password"]))
        runner.sessions[session.user.id] = session
        runner.active = session.user.id
        return
    if action == "switch":
        runner.active = str(step["user"])
        runner.session(None)
        return
    if action == "logout":
        runner.auth.logout(runner.session(step.get("as")))
        runner.sessions.pop(runner.session(step.get("as")).user.id, None)
        return
    if action == "unlock":
        runner.auth.unlock(runner.session(step.get("as")), str(step["password"]))
        return
    if action == "advance":
        delta = timedelta(
            days=float(step.get("days", 0)),
            hours=float(step.get("hours", 0)),
            minutes=float(step.get("minutes", 0)),
        )
        runner.clock.advance(delta)
        return
    if action in ("add_user", "disable_user", "reset_password"):
        _admin(runner, step)
        return
    if action == "change_password":
        runner.auth.change_password(str(step["user"]), str(step["old"]), str(step["new"]))
        return
    session = runner.session(step.get("as"))
    if action == "daily_check":
        if not allowed("device.manage", session.user.roles):
            raise ActionRefused(f"{session.user.name} may not check equipment")
        passed = runner.engine.masterdata.daily_check(
            str(step["equipment"]),
            float(step["reference"]),
            float(step["reading"]),
            str(step.get("unit", "g")),
            float(step.get("tolerance", 0.1)),
            by=session.actor,
        )
        if not passed:
            raise ActionRefused(f"{step['equipment']} failed its daily check")
        return
    if action == "start":
        problem = batch_id_problem(step["batch"]) if "batch" in step else None
        if problem is not None:
            raise ActionRefused(problem)
        recipe = str(step["recipe"])
        order, sup = step.get("order"), step.get("supervisor")
        if "order_id" in step:  # an order the station pulled from the server
            order = eng.order_source().get(str(step["order_id"]))
            if order is None:
                raise ActionRefused(f"order {step['order_id']} has not reached this station")
        runner.batch = eng.start_batch(
            session,
            recipe,
            dict(step.get("context", {})),
            batch_id=step.get("batch"),
            order=orders.from_mapping(order, recipe) if isinstance(order, dict) else order,
            supervisor=Credentials(str(sup["user"]), str(sup["password"])) if sup else None,
            reason=step.get("reason"),
        )
        return
    batch = step.get("batch", runner.batch)
    if batch is None:
        raise OqError("no batch started yet")
    handlers: dict[str, Callable[[], Any]] = {
        "confirm": lambda: eng.confirm(session, batch, step=key),
        "check": lambda: eng.check(
            session, batch, str(step["result"]), comment=step.get("comment"), step=key
        ),
        "enter": lambda: eng.enter(
            session, batch, step["value"], step=key, comment=step.get("comment")
        ),
        "scan": lambda: eng.scan(
            session,
            batch,
            str(step["text"]),
            step=key,
            keyed=bool(step.get("keyed", False)),
            override=_creds(step) if "user" in step else None,
            reason=step.get("reason"),
        ),
        "scan_label": lambda: eng.scan(session, batch, _printed_label(runner, batch), step=key),
        "weigh": lambda: eng.weigh(
            session,
            batch,
            _reading(step),
            step=key,
        ),
        "weigh_manual": lambda: eng.weigh(
            session,
            batch,
            None,
            manual_value=float(step["value"]),
            override=_creds(step),
            reason=step.get("reason"),
            step=key,
        ),
        "capture": lambda: eng.capture(session, batch, _captured(step, runner.clock()), step=key),
        "capture_manual": lambda: eng.capture(
            session,
            batch,
            None,
            manual_value=float(step["value"]),
            override=_creds(step),
            reason=step.get("reason"),
            step=key,
        ),
        "monitor": lambda: _monitoring(eng, batch, step, runner.clock()),
        "import_count": lambda: eng.import_count(
            session, batch, _counter(step, runner.clock()), step=key
        ),
        "record_result": lambda: eng.record_result(batch, _result(step, runner.clock())),
        "timer_start": lambda: eng.timer_start(session, batch, step=key),
        "timer_stop": lambda: eng.timer_stop(
            session,
            batch,
            step=key,
            override=_creds(step) if "user" in step else None,
            reason=step.get("reason"),
        ),
        "print_label": lambda: eng.print_label(session, batch, step=key),
        "witness": lambda: eng.witness(session, batch, _creds(step), step=key),
        "sign": lambda: eng.sign_step(session, batch, _creds(step), step=key),
        "handover": lambda: eng.transfer(session, batch, _transfer(step), _receiver(step)),
        "weigh_override": lambda: eng.weigh(
            session,
            batch,
            _reading(step),
            override=_creds(step),
            reason=step.get("reason"),
            step=key,
        ),
        "hold": lambda: eng.hold(session, batch, str(step.get("reason", ""))),
        "resume": lambda: eng.resume(session, batch, _creds(step), str(step.get("reason", ""))),
        "abort": lambda: eng.abort(session, batch, _creds(step), str(step.get("reason", ""))),
        "correct": lambda: eng.correct(
            session, batch, str(step["step"]), step["value"], str(step.get("reason", ""))
        ),
    }
    if action == "acknowledge":
        ids = _exception_id(runner, str(step.get("exception", "last_blocking")))
        if not ids:
            raise OqError("there is no exception to acknowledge")
        for exc_id in ids:
            eng.acknowledge(session, batch, exc_id, _creds(step), str(step.get("reason", "")))
        return
    if action == "disposition":
        ids = _exception_id(runner, str(step.get("exception", "all_open")))
        for exc_id in ids:
            eng.disposition(
                session,
                batch,
                exc_id,
                str(step.get("decision", "reviewed")),
                str(step.get("reason", "")),
                str(step.get("password", "")),
                user_id=step.get("user"),
                reference=step.get("reference"),
            )
        return
    if action not in handlers:
        raise OqError(f"unknown action {action!r}")
    handlers[action]()


def _admin(runner: Runner, step: Mapping[str, Any]) -> None:
    """User administration, signed by the admin named in `admin` with `admin_password`."""
    admin = str(step.get("admin", ""))
    change = {k: v for k, v in step.items() if k not in ("admin_password", "password", "expect")}
    signature = runner.auth.sign(
        session=None,
        user_id=admin,
        password=str(step.get("admin_password", "")),
        meaning="approved",
        signed=change_hash("user.manage", change),
        action="user.manage",
    ).to_payload()
    by = f"u:{admin}"
    user = str(step["user"])
    if step["do"] == "add_user":
        runner.auth.add_user(
            user,
            str(step["name"]),
            list(step["roles"]),
            str(step["password"]),
            by=by,
            temporary=bool(step.get("temporary", False)),
            signature=signature,
        )
    elif step["do"] == "disable_user":
        runner.auth.disable(user, by=by, reason=str(step.get("reason", "")), signature=signature)
    else:
        runner.auth.reset_password(
            user,
            str(step["password"]),
            by=by,
            reason=str(step.get("reason", "")),
            signature=signature,
        )


def _check(runner: Runner, expect: Any, refused: str | None, raised: list[str]) -> str | None:
    """None when the expectation holds, else what was different."""
    if expect in (None, "accepted"):
        return None if refused is None else f"refused: {refused}"
    if expect == "refused":
        return None if refused is not None else "was accepted"
    if not isinstance(expect, Mapping):
        return f"unknown expectation {expect!r}"
    problems: list[str] = []
    if "refused" in expect:
        want = expect["refused"]
        if refused is None:
            problems.append("was accepted")
        elif isinstance(want, str) and want.lower() not in refused.lower():
            problems.append(f"refused with {refused!r}, not {want!r}")
    elif refused is not None and expect.get("accepted", True):
        problems.append(f"refused: {refused}")
    if "exception" in expect and expect["exception"] not in raised:
        problems.append(f"no {expect['exception']} exception raised (raised: {raised or 'none'})")
    if expect.get("no_exception") and raised:
        problems.append(f"raised {raised}")
    if runner.batch is not None:
        view = runner.engine.view(runner.batch)
        if "state" in expect and view.state != expect["state"]:
            problems.append(f"batch is {view.state}, not {expect['state']}")
        if "step" in expect and view.key != expect["step"]:
            problems.append(f"current step is {view.key}, not {expect['step']}")
        if "waiting" in expect and view.waiting_for != expect["waiting"]:
            problems.append(f"waiting for {view.waiting_for}, not {expect['waiting']}")
        if "custody" in expect:
            held = sum(1 for e in runner.engine.history(runner.batch) if e.type == CUSTODY_EVENT)
            if held != expect["custody"]:
                problems.append(f"{held} custody transfer(s) recorded, not {expect['custody']}")
        for name, want in dict(expect.get("value", {})).items():
            got = runner.engine.batch(runner.batch).records.get(name)
            number = isinstance(want, float | int) and not isinstance(want, bool)
            if (
                got is None
                or (number and abs(float(got.value) - want) > 1e-9 * max(1, abs(want)))
                or (not number and got.value != want)
            ):
                problems.append(f"{name} is {got.value if got else None}, not {want}")
    elif any(k in expect for k in ("state", "step", "waiting", "value", "custody")):
        problems.append("no batch has started: state, step, waiting and value cannot be checked")
    return "; ".join(problems) or None


def _describe(step: Mapping[str, Any]) -> str:
    parts = [str(step["do"])]
    for key in ("step", "user", "value", "text", "result", "exception", "minutes", "hours", "days"):
        if key in step:
            parts.append(f"{key}={step[key]}")
    return " ".join(parts)


def load_script(path: Path) -> tuple[Script, dict[int, int]]:
    try:
        text = path.read_text(encoding="utf-8")
        raw = yamlload.load(text)  # no anchors or aliases: see kiosk.yamlload
    except yaml.YAMLError as exc:
        line = yamlload.error_line(exc)
        where = f"{path}:{line}" if line is not None else str(path)
        raise OqError(f"{where}: cannot read the script: {yamlload.error_text(exc)}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise OqError(f"{path}: cannot read the script: {exc}") from exc
    try:
        script = Script.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise OqError(f"{path}: {where}: {first['msg']}") from exc
    # line of each step, for the report
    lines: dict[int, int] = {}
    node = yamlload.compose(text)
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if k.value == "steps" and isinstance(v, yaml.SequenceNode):
                for i, item in enumerate(v.value):
                    lines[i] = item.start_mark.line + 1
    return script, lines


def run_script(
    path: Path,
    db: Path | None,
    out: TextIO,
    *,
    fast_hash: bool = False,
    central_db: str | None = None,
    db_dir: Path | None = None,
) -> bool:
    """Run one OQ script against a fresh or existing database; True when every line passed.

    A script that lists ``stations:`` runs across them against a real central server on
    ``central_db`` (``kiosk.oq_fleet``), each station's database in ``db_dir``.
    """
    script, lines = load_script(path)
    recipes: dict[str, LoadedRecipe] = {}
    for ref in script.recipes:
        try:
            loaded = load_recipe((path.parent / ref).resolve())
        except RecipeError as exc:
            raise OqError(f"recipe {ref} is not valid:\n{exc}") from exc
        recipes[loaded.recipe.id] = loaded
    if script.stations:
        if central_db is None:
            raise OqError(f"{path} runs across stations: give --central-db URL")
        from kiosk.oq_fleet import run_fleet  # noqa: PLC0415  # a server only for these

        folder = db_dir or _beside(central_db)
        return run_fleet(script, lines, path, central_db, folder, recipes, out, fast_hash=fast_hash)
    if db is None:
        raise OqError(f"{path} is a script of one station: give --db FILE")
    clock = SimClock(script.start)
    hasher = PasswordHasher(time_cost=1, memory_cost=8192) if fast_hash else None
    try:
        store = EventStore(db, script.station, clock=clock)
    except StoreError as exc:
        raise OqError(str(exc)) from exc
    other = station_problem(store, script.station)
    if other is not None:
        store.close()
        raise OqError(f"refused: {other} (the script's station)")
    with store:
        policy = AuthPolicy(
            max_failed=script.max_failed_logins,
            inactivity=timedelta(minutes=script.inactivity_minutes),
        )
        auth = Auth(store, clock, policy, hasher)
        for user in script.users:
            if user.id not in auth.users:
                auth.add_user(
                    user.id, user.name, user.roles, user.password, by="system", badge=user.badge
                )
        runner = Runner(Engine(store, auth, recipes, clock), auth, clock)
        master = runner.engine.masterdata
        for item in script.equipment:
            if item.id not in master.equipment:
                master.register_equipment(
                    item.id, item.kind, item.serial, item.model, item.calibration_due, by="system"
                )
        accept_equipment(runner.engine, auth, script.equipment, script.users)
        for material in script.materials:
            if material.code not in master.materials:
                master.register_material(material.code, material.name, material.gtins, by="system")
        for lot in script.lots:
            if (lot.gtin, lot.lot) not in master.lots:
                master.register_lot(
                    lot.gtin,
                    lot.lot,
                    lot.material,
                    lot.expiry,
                    by="system",
                    status=lot.status,
                    quantity=lot.quantity,
                    unit=lot.unit,
                )
        for kit in script.kits:
            if kit.id not in master.kits:
                pairs = [(item.gtin, item.lot) for item in kit.lots]
                master.register_kit(kit.id, pairs, by="system")
        outcomes: list[Outcome] = []
        print(f"OQ {script.title} ({path})", file=out)
        for index, step in enumerate(script.steps):
            line = lines.get(index, 0)
            if not isinstance(step, Mapping) or "do" not in step:
                outcomes.append(Outcome(line, "?", False, "step without 'do'"))
                print(f"FAIL  line {line:4}  a step needs 'do: ACTION'", file=out)
                continue
            outcomes.append(run_step(runner, step, line, partial(_do, runner, step), out))
        verdict = store.verify()
        chain_ok = verdict.ok
        print(
            f"{'PASS' if chain_ok else 'FAIL'}  audit trail: {verdict.events} events, chain "
            f"{'intact' if chain_ok else 'BROKEN at ' + str(verdict.bad_seq)}",
            file=out,
        )
        passed = sum(o.passed for o in outcomes) + chain_ok
        failed = len(outcomes) + 1 - passed
        if runner.batch:
            print(f"batch {runner.batch}: {runner.engine.batch(runner.batch).state}", file=out)
        print(f"oq: {passed} passed, {failed} failed", file=out)
        return failed == 0


def run_step(
    runner: Runner,
    step: Mapping[str, Any],
    line: int,
    act: Callable[[], None],
    out: TextIO,
    where: str = "",
) -> Outcome:
    """Carry out one script line with ``act``, check its expectation, print PASS or FAIL.

    ``where`` (e.g. ``"[FILL-1] "``) is printed before the action in scripts across stations.
    """
    before = _exception_ids(runner)
    refused: str | None = None
    try:
        act()
    except (ActionRefused, AuthError) as exc:
        refused = str(exc)
    except (OqError, KeyError, TypeError, ValueError) as exc:
        trouble = f"missing field {exc}" if isinstance(exc, KeyError) else str(exc)
        print(f"FAIL  line {line:4}  {where}{_describe(step)}: {trouble}", file=out)
        return Outcome(line, _describe(step), False, trouble)
    raised = (
        [
            runner.engine.batch(runner.batch).exceptions[i].category
            for i in _exception_ids(runner) - before
        ]
        if runner.batch
        else []
    )
    problem = _check(runner, step.get("expect"), refused, raised)
    result = Outcome(line, _describe(step), problem is None, problem or (refused or "accepted"))
    shown = f"refused: {refused}" if refused else "accepted"
    if raised:
        shown += f" (exception: {', '.join(raised)})"
    mark = "PASS" if result.passed else "FAIL"
    detail = shown if result.passed else f"{problem}"
    print(f"{mark}  line {line:4}  {where}{result.text} -> {detail}", file=out)
    return result


def _beside(central_db: str) -> Path:
    """Station files beside a SQLite central database, else in ./oq-stations."""
    if "://" not in central_db:
        return Path(central_db).resolve().parent / "stations"
    return Path("oq-stations").resolve()


def _exception_ids(runner: Runner) -> set[str]:
    if runner.batch is None:
        return set()
    try:
        return set(runner.engine.batch(runner.batch).exceptions)
    except ActionRefused:
        return set()
