"""Translations: every text the screens set goes through `tr()`, the German catalogue is
complete and built, German is chosen per user at login, dates follow the language on screen
while the records keep UTC. (The German screens' layout: tests/gui/test_layout.py.)"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel

from kiosk.screens import i18n
from kiosk.screens.autopilot import settle
from kiosk.screens.display import local_time
from tests.gui.conftest import Rig

pytestmark = pytest.mark.gui

SCREENS = Path(i18n.__file__).parent
NOT_OURS = {"wedge_filter.py"}  # the wedge scanner's module: log lines only, owned elsewhere
SHOWN_BY = {
    "button",
    "label",
    "setText",
    "set_full_text",
    "setWindowTitle",
    "set_problem",
    "refuse",
    "info",
    "accept",
    "alarm",
}


# prompts and forms: which positional arguments and keywords are shown (titles, lines)
SHOWN_AT = {"_ask": (1, 2), "confirm": (0, 1), "text": (0,), "form": (1, 2), "Form": (1, 2)}
SHOWN_AT |= {"SignRequest": (1,), "sign_request": (1,)}
SHOWN_KEYWORDS = ("lines", "title", "what", "who", "value", "ok", "ok_text", "hint")


def _words(node: ast.expr) -> bool:
    """A literal with words in it: a plain string or an f-string's fixed parts."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return any(c.isalpha() for c in node.value)
    if isinstance(node, ast.JoinedStr):
        parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
        return any(c.isalpha() for p in parts if isinstance(p, str) for c in p)
    if isinstance(node, ast.List | ast.Tuple):
        return any(_words(e) for e in node.elts)
    return False


def test_every_text_the_screens_show_goes_through_tr() -> None:
    untranslated = []
    for path in sorted(SCREENS.glob("*.py")):
        if path.name in NOT_OURS:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            name = (
                f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            )
            shown = [node.args[0]] if name in SHOWN_BY and node.args else []
            shown += [node.args[i] for i in SHOWN_AT.get(name, ()) if i < len(node.args)]
            if name in SHOWN_AT:
                shown += [k.value for k in node.keywords if k.arg in SHOWN_KEYWORDS]
            untranslated += [
                f"{path.name}:{node.lineno}: {ast.unparse(arg)[:60]}"
                for arg in shown
                if _words(arg)
            ]
    assert untranslated == []


def test_the_german_catalogue_is_complete_and_current(tmp_path: Path) -> None:
    lupdate = Path(sys.executable).with_name("pyside6-lupdate")
    lrelease = Path(sys.executable).with_name("pyside6-lrelease")
    committed = SCREENS / "translations" / "kiosk_de.ts"
    fresh = tmp_path / "kiosk_de.ts"
    shutil.copy(committed, fresh)
    sources = sorted(str(p) for p in SCREENS.glob("*.py"))
    subprocess.run(
        [str(lupdate), *sources, "-ts", str(fresh), "-no-obsolete"], check=True, capture_output=True
    )
    unfinished = [
        m.findtext("source")
        for m in ET.parse(fresh).iter("message")
        if m.find("translation") is not None and m.find("translation").get("type") == "unfinished"  # type: ignore[union-attr]
    ]
    assert unfinished == [], "texts without German (run make translations, then translate)"
    built = tmp_path / "kiosk_de.qm"
    subprocess.run(
        [str(lrelease), str(committed), "-qm", str(built)], check=True, capture_output=True
    )
    assert built.read_bytes() == (SCREENS / "translations" / "kiosk_de.qm").read_bytes()


def test_german_is_chosen_per_user_at_login_and_dates_follow_it(rig: Rig) -> None:
    w, p = rig.window, rig.pilot
    try:
        w.login.form.show_summary()
        w.login.form.choice_buttons["language"]["Deutsch"].click()
        settle()  # the screens are built again in German (a queued call)
        assert w.login.form.title_label.text() == "Anmelden"
        rig.login("olivia")
        assert i18n.language() == "de"
        titles = [lab.text() for lab in w.home.findChildren(QLabel)]
        assert "Chargen an dieser Station" in titles
        assert local_time("2026-11-27T07:00:00Z").count(".") == 2  # 27.11.2026 …
        p.logout()
        assert i18n.language() == "en"  # the next person gets the station's language
        rig.login("oscar")
        assert "Batches on this station" in [lab.text() for lab in w.home.findChildren(QLabel)]
        p.logout()
        rig.login("olivia")  # her choice is kept for her next login
        assert i18n.language() == "de"
        events = rig.events("logout")
        assert events
        assert all(e.ts.endswith("Z") or e.ts.endswith("+00:00") for e in events)  # type: ignore[attr-defined]
    finally:
        i18n.set_language("en")


def test_german_numbers_on_screen_keep_their_point_for_the_engine() -> None:
    from kiosk.screens.display import limits_text, value_text

    try:
        assert i18n.set_language("de")
        assert value_text(99.8, "g") == "99,8 g"
        assert limits_text((0.5, 2.5), "mL") == "0,5–2,5 mL"
        assert value_text("LOT-1.2") == "LOT-1.2"  # a text stays as typed
    finally:
        i18n.set_language("en")
    assert value_text(99.8, "g") == "99.8 g"


def test_a_users_language_is_kept_across_a_restart(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.conftest import make_rig

    first = make_rig(tmp_path)
    qtbot.addWidget(first.window)
    first.window.show()
    qtbot.waitExposed(first.window)
    try:
        first.window.login.form.show_summary()
        first.window.login.form.choice_buttons["language"]["Deutsch"].click()
        settle()
        first.login("olivia")
        assert i18n.language() == "de"
        first.pilot.logout()
    finally:
        first.kiosk.close()
        i18n.set_language("en")
    kept = tmp_path / "station.sqlite.languages"
    assert kept.stat().st_mode & 0o077 == 0  # the file is the station's alone
    from datetime import UTC, datetime

    from kiosk.clock import SimClock

    later = SimClock(datetime(2026, 11, 28, 7, 0, tzinfo=UTC))
    again = make_rig(tmp_path, clock=later)  # the kiosk restarted on the same database
    qtbot.addWidget(again.window)
    again.window.show()
    qtbot.waitExposed(again.window)
    try:
        again.login("olivia")  # she does not choose again
        assert i18n.language() == "de"
        again.pilot.logout()
        again.login("oscar")
        assert i18n.language() == "en"
    finally:
        again.kiosk.close()
        i18n.set_language("en")


def test_a_damaged_language_file_is_ignored_not_fatal(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests.gui.conftest import make_rig

    (tmp_path / "station.sqlite.languages").write_text("{not json", encoding="utf-8")
    rig = make_rig(tmp_path)
    qtbot.addWidget(rig.window)
    rig.window.show()
    qtbot.waitExposed(rig.window)
    try:
        rig.login("olivia")
        assert i18n.language() == "en"
    finally:
        rig.kiosk.close()
        i18n.set_language("en")


# ---------------------------------------------------------------- messages from the engine


def _catalogue(context: str) -> dict[str, str]:
    tree = ET.parse(SCREENS / "translations" / "kiosk_de.ts")
    return {
        m.findtext("source") or "": m.findtext("translation") or ""
        for c in tree.iter("context")
        if c.findtext("name") == context
        for m in c.iter("message")
    }


def _fields(template: str) -> set[str]:
    import string

    return {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}


def test_every_engine_message_is_listed_for_the_catalogue_and_in_german() -> None:
    from kiosk.screens.engine_templates import TEMPLATES
    from kiosk.screens.engine_texts import collect

    in_code = collect()
    assert len(in_code) > 150  # the engine's refusals, the label checks, sign-in, hand-over
    missing = sorted(set(in_code) - set(TEMPLATES))
    assert missing == [], "run: .venv/bin/python -m kiosk.screens.engine_texts, then translate"
    assert sorted(set(TEMPLATES) - set(in_code)) == []  # nothing stale either
    german = _catalogue(i18n.ENGINE)
    assert sorted(t for t in in_code if not german.get(t)) == []
    # a German text names the same values: otherwise it could not be filled in
    assert [t for t in in_code if _fields(german[t]) != _fields(t)] == []


def test_engine_messages_read_german_with_german_numbers_and_records_stay_english(qapp) -> None:  # type: ignore[no-untyped-def]
    from kiosk.entries import ActionRefused
    from kiosk.text import Text

    refused = ActionRefused(
        Text(
            "{label}: {number:g} is not possible here ({limits}) — check and re-enter",
            label="Volume",
            number=600.5,
            limits="1–500 mL",
        )
    )
    assert str(refused) == "Volume: 600.5 is not possible here (1–500 mL) — check and re-enter"
    assert i18n.shown(refused) == str(refused)  # English on an English screen
    try:
        assert i18n.set_language("de")
        assert i18n.shown(refused) == (
            "Volume: 600,5 ist hier nicht möglich (1–500 mL) – prüfen und neu eingeben"
        )
        assert str(refused).startswith("Volume: 600.5 is not possible")  # logs stay English
        # an English sentence from the record (an exception's message) is read back
        assert i18n.shown("Target volume 300.5 mL is outside the action limits 10–250 mL") == (
            "Target volume 300,5 mL liegt außerhalb der Aktionsgrenzen 10–250 mL"
        )
        nested = "batch is on hold: order O-1.2 belongs to batch B-7 already — a supervisor"
        assert i18n.shown(nested + " must acknowledge it") == (
            "Charge angehalten: Auftrag O-1.2 gehört bereits zu Charge B-7"
            " – die Schichtleitung muss dies bestätigen"
        )  # the identifier O-1.2 keeps its point
        assert i18n.shown("batch put on hold by Olivia Okafor (olivia): no reason given") == (
            "Charge angehalten von Olivia Okafor (olivia): keine Begründung angegeben"
        )  # a QA review item, its words from the record
        assert i18n.shown("Balance out of calibration") == "Balance out of calibration"
    finally:
        i18n.set_language("en")


def test_a_german_user_sees_the_engines_refusal_the_hold_and_the_sync_state_in_german(
    rig: Rig,
) -> None:
    from kiosk.app import SYNC_STATES
    from kiosk.screens.config import Metrics
    from kiosk.screens.layoutcheck import check_layout
    from kiosk.text import Text

    w, p = rig.window, rig.pilot
    try:
        w.login.form.show_summary()
        w.login.form.choice_buttons["language"]["Deutsch"].click()
        settle()
        rig.login("olivia")
        offline = Text("{state}, not yet sent: {pending}", state=SYNC_STATES["offline"], pending=3)
        rig.kiosk.bridge.on_status("sync", False, offline)  # as the sync worker reports it
        settle()
        assert "sync: Störung: offline, noch nicht gesendet: 3" in w.home.status.text()
        p.start("training", {"trainee": "Olivia Okafor"})
        p.confirm()
        p.scan_keyed("W000009123456G")
        p.check("na", comment="Training room, no clean area")
        p.expect(key="measure.target_volume")

        p.type_number("600")  # beyond what the step allows at all: the engine refuses
        rig.prompts.answer("confirm")
        p.click("entry-record")
        assert p.message() == (
            "Target volume: 600 ist hier nicht möglich (1–500 mL) – prüfen und neu eingeben",
            "refused",
        )

        p.type_number("300")  # outside the action limits: recorded, the batch on hold
        rig.prompts.answer("confirm")
        p.click("entry-record")
        p.expect(state="on_hold")
        card = w.step.findChild(QLabel, "hold-exception")
        assert card is not None
        assert card.text().startswith(
            "Target volume 300 mL liegt außerhalb der Aktionsgrenzen 10–250 mL"
        )
        raised = rig.events("exception.raised")
        assert raised[-1].payload["message"] == (  # type: ignore[attr-defined]
            "Target volume 300 mL is outside the action limits 10–250 mL"
        )  # the record stays English
        m = Metrics.for_panel(rig.config.panel)
        assert check_layout("German hold at 1280×800", w, m) == []
    finally:
        i18n.set_language("en")


def test_a_german_user_sees_a_device_error_a_sync_error_and_every_release_reason_in_german(
    qapp: object,
    tmp_path: Path,
) -> None:
    import httpx

    from kiosk.devices.errors import DeviceError
    from kiosk.devices.transport import SerialTransport
    from kiosk.engine import ActionRefused
    from kiosk.recipe import load_recipe
    from kiosk.sync import SyncClient, SyncError
    from tests.unit.conftest import make_station
    from tests.unit.test_deviations import RECIPE

    port = SerialTransport("loop://")  # a balance that never answers
    with pytest.raises(DeviceError) as device:
        port.read_line(timeout=0.01)
    port.close()

    def refuse(request: httpx.Request) -> httpx.Response:
        return httpx.Response(401, json={"detail": "unknown token"})

    client = SyncClient("http://127.0.0.1:8000", "t", transport=httpx.MockTransport(refuse))
    with pytest.raises(SyncError) as sync, client:
        client.head()

    station = make_station(tmp_path / "station.sqlite", "TEST-1")
    try:
        path = tmp_path / "devs.yaml"
        path.write_text(RECIPE, encoding="utf-8")
        station.engine.add_recipe(load_recipe(path))
        olivia = station.login("olivia")
        batch = station.engine.start_batch(olivia, "devs", {}, batch_id="B-DEV")
        station.engine.enter(olivia, batch, "-120")  # outside the alert limits: a review item
        with pytest.raises(ActionRefused) as release:  # olivia releasing her own batch
            station.engine.sign_step(olivia, batch, station.creds("olivia"))
    finally:
        station.store.close()

    assert str(device.value) == "no answer from loop://"  # logs and records: English
    assert str(sync.value).startswith("the server http://127.0.0.1:8000")
    assert str(release.value).startswith("release refused: 1 review item(s) not yet")
    assert "; olivia performed or witnessed steps of batch B-DEV" in str(release.value)
    try:
        assert i18n.set_language("de")
        assert i18n.shown(device.value) == "keine Antwort von loop://"
        # the weighing step gets a device's message as words from the worker: read back
        assert i18n.shown(str(device.value)) == "keine Antwort von loop://"
        assert i18n.shown(sync.value) == (
            "der Server http://127.0.0.1:8000 hat das Token dieser Station abgelehnt: unknown token"
        )
        german = i18n.shown(release.value)
        assert german.startswith("Freigabe abgelehnt: 1 Prüfpunkt(e) noch nicht von der QS")
        assert "; olivia hat Schritte der Charge B-DEV ausgeführt oder bezeugt" in german
        # the same refusal read back from the record's English words
        assert i18n.shown(str(release.value)) == german
    finally:
        i18n.set_language("en")


def test_who_may_sign_and_a_signatures_meaning_read_german_on_a_german_screen(qapp) -> None:  # type: ignore[no-untyped-def]
    sig = {"name": "Samira Haddad", "meaning": "witnessed", "ts": "2026-11-27T07:00:00+00:00"}
    assert i18n.roles_text(["supervisor", "operator"]) == "a supervisor or an operator"
    assert " — witnessed — " in i18n.signature_text(sig)
    try:
        assert i18n.set_language("de")
        assert (
            i18n.roles_text(["supervisor", "operator"]) == "der Schichtleitung oder einem Bediener"
        )
        assert i18n.roles_text([]) == "jeder berechtigten Person"
        assert i18n.signature_text(sig).startswith("Samira Haddad — bezeugt — ")
    finally:
        i18n.set_language("en")
