"""Equipment and material lots: what a technician, QA and the engine see."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from kiosk.custody import Transfer
from kiosk.engine import ActionRefused, Reading
from kiosk.masterdata import MasterData, MasterDataError
from tests.helpers import MATERIALS, VECTOR_GTIN, start_ordered
from tests.helpers import run_kiosk as run

from .conftest import Station
from .test_execution import DIN, to_weigh

GTIN = "08430215011539"


def with_materials(md: MasterData) -> MasterData:
    for code, name, gtin in MATERIALS:
        md.register_material(code, name, [gtin], by="u:quinn")
    return md


def test_balance_must_be_registered_calibrated_and_checked_today(station: Station) -> None:
    md = station.engine.masterdata
    assert md.balance_problem("BAL-1") is None
    assert "not registered" in (md.balance_problem("NOPE") or "")
    md.register_equipment("BAL-2", "balance", "SN-2", "MT", date(2026, 11, 1), by="u:tess")
    assert "calibration was due 2026-11-01" in (md.balance_problem("SN-2") or "")
    md.calibrate("BAL-2", date(2027, 11, 1), by="u:tess", certificate="CAL-1")
    assert "not had today's daily check" in (md.balance_problem("SN-2") or "")
    assert not md.daily_check("BAL-2", 100.0, 100.2, "g", 0.05, by="u:tess")
    assert "failed today's daily check" in (md.balance_problem("SN-2") or "")
    assert md.daily_check("BAL-2", 100.0, 100.03, "g", 0.05, by="u:tess")
    assert md.balance_problem("SN-2") is None
    station.clock.advance(timedelta(days=1))
    assert "not had today's daily check" in (md.balance_problem("SN-2") or "")
    md.retire("BAL-2", by="u:tess", reason="broken")
    assert "not registered" in (md.balance_problem("SN-2") or "")


def test_master_data_is_rebuilt_from_the_log(station: Station) -> None:
    md = with_materials(station.engine.masterdata)
    md.register_lot(GTIN, "L1", "CD4CD8-BEADS", date(2027, 1, 1), by="u:quinn")
    md.set_lot_status(GTIN, "L1", "quarantined", by="u:quinn", reason="OOS")
    again = MasterData(station.store, station.clock)
    assert again.lots[(GTIN, "L1")].status == "quarantined"
    assert again.materials["CD4CD8-BEADS"].gtins == (GTIN,)
    assert again.equipment["BAL-1"].last_check is not None
    assert any("equipment.checked" in line for line in again.equipment["BAL-1"].history)


def test_master_data_refusals(station: Station) -> None:
    md = station.engine.masterdata
    with pytest.raises(MasterDataError, match="registered already"):
        md.register_equipment("BAL-1", "balance", "X", "", date(2027, 1, 1), by="u:tess")
    with pytest.raises(MasterDataError, match="belongs to another asset"):
        md.register_equipment("BAL-X", "balance", "BAL-1", "", date(2027, 1, 1), by="u:tess")
    with pytest.raises(MasterDataError, match="kind must be"):
        md.register_equipment("T-1", "toaster", "T1", "", date(2027, 1, 1), by="u:tess")
    with pytest.raises(MasterDataError, match="certificate"):
        md.calibrate("BAL-1", date(2028, 1, 1), by="u:tess", certificate=" ")
    with pytest.raises(MasterDataError, match="no equipment"):
        md.daily_check("BAL-404", 1, 1, "g", 0.1, by="u:tess")
    with_materials(md)
    md.register_lot(GTIN, "L1", "CD4CD8-BEADS", date(2027, 1, 1), by="u:quinn")
    with pytest.raises(MasterDataError, match="registered already"):
        md.register_lot(GTIN, "L1", "CD4CD8-BEADS", date(2027, 1, 1), by="u:quinn")
    with pytest.raises(MasterDataError, match="not registered: register it first"):
        md.register_lot(GTIN, "L2", "Beads", date(2027, 1, 1), by="u:quinn")
    with pytest.raises(MasterDataError, match="not a GTIN of Lentiviral vector"):
        md.register_lot(GTIN, "L3", "LV-VECTOR", date(2027, 1, 1), by="u:quinn")
    with pytest.raises(MasterDataError, match="GTIN 08430215011539 is the GTIN of CD4/CD8"):
        md.register_material("OTHER", "Other beads", [GTIN], by="u:quinn")
    with pytest.raises(MasterDataError, match="not registered"):
        md.set_lot_status(GTIN, "L9", "released", by="u:quinn", reason="x")


def test_lot_checks(station: Station) -> None:
    md = with_materials(station.engine.masterdata)
    md.register_lot(GTIN, "OK", "CD4CD8-BEADS", date(2027, 1, 1), by="u:quinn")
    md.register_lot(GTIN, "OLD", "CD4CD8-BEADS", date(2026, 1, 1), by="u:quinn")
    assert md.lot_problem(GTIN, "OK", date(2027, 1, 1)) is None
    assert "not known" in (md.lot_problem(GTIN, "NEW", date(2027, 1, 1)) or "")
    assert "expired on 2026-01-01" in (md.lot_problem(GTIN, "OLD", date(2026, 1, 1)) or "")
    assert "differs" in (md.lot_problem(GTIN, "OK", date(2027, 2, 1)) or "")


def test_weigh_refused_on_unchecked_balance_and_override_is_an_exception(
    station: Station,
) -> None:
    session, batch = to_weigh(station)
    eng = station.engine
    eng.masterdata.register_equipment("BAL-2", "balance", "SN-2", "", date(2027, 1, 1), by="x")
    with pytest.raises(ActionRefused, match="not had today's daily check — use another balance"):
        eng.weigh(session, batch, Reading(100.0, "g", True, "SN-2"))
    refused = [e for e in station.store.events(batch=batch) if e.type == "action.refused"]
    assert refused
    with pytest.raises(ActionRefused, match="reason"):
        eng.weigh(session, batch, Reading(100.0, "g", True, "SN-2"), override=station.creds("sam"))
    eng.weigh(
        session,
        batch,
        Reading(100.0, "g", True, "SN-2"),
        override=station.creds("sam"),
        reason="BAL-1 under maintenance",
    )
    (exc,) = eng.batch(batch).exceptions.values()
    assert exc.category == "resource"
    assert eng.batch(batch).records["measure.dispensed"].payload["device"] == "SN-2"


def test_material_scan_checks_lot_at_point_of_use(station: Station) -> None:
    session = station.login("olivia")
    eng = station.engine
    with_materials(eng.masterdata)
    eng.masterdata.register_lot(GTIN, "BEADS-1", "CD4CD8-BEADS", date(2027, 12, 31), by="q")
    batch = start_ordered(
        eng,
        session,
        "car-t-autologous",
        {
            "patient_id": "PT-1",
            "order_id": "O-1",
            "patient_weight": 70,
            "collection_time": "2026-11-26T10:00:00Z",
            "shipment": "frozen",
        },
    )
    eng.scan(session, batch, DIN)
    eng.witness(session, batch, station.creds("oscar"))
    eng.scan(session, batch, "&/CHG123417654321")
    eng.check(session, batch, "pass")
    eng.enter(session, batch, "-170")
    eng.witness(session, batch, station.creds("oscar"))
    eng.sign_step(session, batch, station.creds("sam"))
    eng.scan(session, batch, DIN)
    with pytest.raises(ActionRefused, match="lot OTHER is not known"):
        eng.scan(session, batch, f"01{GTIN}17271231\x1d10OTHER")
    eng.scan(session, batch, f"]d201{GTIN}17271231\x1d10BEADS-1")
    used = [e for e in station.store.events(batch=batch) if e.type == "material.used"]
    assert used[0].payload["lot"] == "BEADS-1"
    assert used[0].payload["material"] == "CD4/CD8 microbeads"  # as the batch record shows it
    assert used[0].payload["material_code"] == "CD4CD8-BEADS"
    receipt = Transfer("receipt", "QC lab", True, giver="Courier", logger_reading="4 °C")
    eng.transfer(session, batch, receipt, station.creds("oscar"))
    with pytest.raises(ActionRefused, match="from: say who"):
        eng.transfer(session, batch, replace(receipt, giver=" "), station.creds("oscar"))


def test_equipment_lots_and_genealogy_commands(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite")
    assert run("oq", "run", "oq/car-t-full-batch.yaml", "--db", db).returncode == 0
    listing = run("equipment", "--db", db, "list")
    assert "BAL-7" in listing.stdout
    assert "calibration was due 2026-10-31" in listing.stdout
    added = run(
        "equipment",
        "--db",
        db,
        "add",
        "BAL-11",
        "--kind",
        "balance",
        "--serial",
        "SN-11",
        "--calibration-due",
        "2027-05-01",
        "--as",
        "tess",
        stdin="tech-tess-2026\n",
    )
    assert added.returncode == 0, added.stdout
    wrong = run(
        "equipment",
        "--db",
        db,
        "check",
        "BAL-11",
        "--reference",
        "100",
        "--reading",
        "100",
        "--tolerance",
        "0.1",
        "--as",
        "olivia",
        stdin="op-olivia-2026\n",
    )
    assert wrong.returncode == 1
    assert "role" in wrong.stdout
    failed = run(
        "equipment",
        "--db",
        db,
        "check",
        "BAL-11",
        "--reference",
        "100",
        "--reading",
        "100.5",
        "--tolerance",
        "0.1",
        "--as",
        "tess",
        stdin="tech-tess-2026\n",
    )
    assert failed.returncode == 1
    assert "FAILED" in failed.stdout
    lot = run(
        "lots",
        "--db",
        db,
        "add",
        "--gtin",
        VECTOR_GTIN,
        "--lot",
        "NEW-1",
        "--material",
        "LV-VECTOR",
        "--expiry",
        "2027-03-01",
        "--quantity",
        "12.5",
        "--unit",
        "mL",
        "--as",
        "quinn",
        stdin="qa-quinn-2026\n",
    )
    assert lot.returncode == 0, lot.stdout
    wrong_gtin = run(
        "lots", "--db", db, "add", "--gtin", GTIN, "--lot", "NEW-2", "--material", "LV-VECTOR",
        "--expiry", "2027-03-01", "--as", "quinn", stdin="qa-quinn-2026\n",
    )  # fmt: skip
    assert wrong_gtin.returncode == 1
    assert "refused: GTIN 08430215011539 is not a GTIN of Lentiviral vector" in wrong_gtin.stdout
    listed = run("lots", "--db", db, "list").stdout
    assert "lots: this station's own (no server)" in listed
    assert "12.5 of 12.5 mL left" in listed.split("NEW-1")[1].splitlines()[0]
    # the batch took 5 mL of the vector lot and 7.5 mL of the beads (the recipe's amounts)
    assert "45 of 50 mL left" in listed.split("LV-0042")[1].splitlines()[0]
    assert "67.5 of 75 mL left" in listed.split("BEADS-2411")[1].splitlines()[0]
    genealogy = run("genealogy", "--db", db, "--batch", "B-OQ-0001")
    assert genealogy.returncode == 0
    assert "lot LV-0042" in genealogy.stdout
    assert "DIN G123417654321" in genealogy.stdout
    assert "custody: Courier" in genealogy.stdout
    by_lot = run("genealogy", "--db", db, "--lot", "BEADS-2411")
    assert "B-OQ-0001" in by_lot.stdout
    assert run("genealogy", "--db", db, "--lot", "NEVER-USED").returncode == 1
    assert run("genealogy", "--db", str(tmp_path / "none.sqlite"), "--lot", "X").returncode == 1
