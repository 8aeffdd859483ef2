"""Materials: the right material at each step, quantities, the parsers of new input (issue 12)."""

from __future__ import annotations

import io
import math
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from central.materials import MaterialError, check_code, check_quantity
from kiosk.masterdata import MasterData, MasterDataError, pulled_age
from kiosk.oq import run_script
from kiosk.recipe import RecipeError, load_recipe
from kiosk.sync import SyncClient, SyncError, SyncState, SyncWorker, _consumption
from kiosk.units import Quantity
from local_store import EventStore
from tests.helpers import BEADS_GTIN, MATERIALS, ROOT, VECTOR_GTIN, run_kiosk

EXPIRY = date(2027, 12, 31)


def clock() -> datetime:
    return datetime(2026, 11, 27, 7, 0, tzinfo=UTC)


@pytest.fixture
def master(tmp_path: Path) -> MasterData:
    md = MasterData(EventStore(tmp_path / "s.sqlite", "S-1"), clock)
    for code, name, gtin in MATERIALS:
        md.register_material(code, name, [gtin], by="u:quinn")
    return md


def test_the_oq_script_passes_every_line(tmp_path: Path) -> None:
    out = io.StringIO()
    ok = run_script(ROOT / "oq" / "materials.yaml", tmp_path / "oq.sqlite", out, fast_hash=True)
    assert ok, out.getvalue()
    assert "oq: 40 passed, 0 failed" in out.getvalue()
    assert "scan text=KIT-ACT-LV-1 -> accepted" in out.getvalue()


def test_each_material_step_of_the_reference_recipe_names_its_code() -> None:
    recipe = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml").recipe
    codes = {
        step.id: step.material_code
        for stage in recipe.stages
        for step in stage.steps
        if getattr(step, "expect", None) == "gs1.material"
    }
    assert codes == {
        "beads_lot": "CD4CD8-BEADS",
        "activation_reagent": "TCELL-ACT",
        "vector_lot": "LV-VECTOR",
    }


def recipe_with(tmp_path: Path, step: str) -> Path:
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: r\nversion: 1\ntitle: R\nstatus: effective\nstages:\n"
        "  - id: s\n    title: S\n    steps:\n" + step,
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("step", "said"),
    [
        (
            "      - {id: lot, kind: scan, title: L, expect: gs1.material}\n",
            "a gs1.material scan needs the material_code of the material",
        ),
        (
            "      - {id: lot, kind: scan, title: L, expect: text, material_code: BEADS}\n",
            "only a gs1.material scan names a material_code or consume",
        ),
        (
            "      - {id: lot, kind: scan, title: L, expect: gs1.material, material_code: B,\n"
            "         consume: {amount: 0, unit: mL}}\n",
            "greater than 0",
        ),
        (
            "      - {id: lot, kind: scan, title: L, expect: gs1.material, material_code: B,\n"
            "         consume: {amount: 1, unit: furlongs}}\n",
            "furlongs",
        ),
        (
            "      - {id: lot, kind: scan, title: L, expect: gs1.material, material_code: b c}\n",
            "material_code",
        ),
    ],
)
def test_a_material_step_is_checked_when_the_recipe_loads(
    tmp_path: Path, step: str, said: str
) -> None:
    with pytest.raises(RecipeError) as caught:
        load_recipe(recipe_with(tmp_path, step))
    assert said in str(caught.value)
    assert "step s.lot" in str(caught.value)


def test_wrong_material_is_named_before_anything_else(master: MasterData) -> None:
    master.register_lot(BEADS_GTIN, "B-1", "CD4CD8-BEADS", EXPIRY, by="q", status="quarantined")
    # an unknown lot whose GTIN is another material's: the material is what is wrong
    assert master.use_problem(VECTOR_GTIN, "NEW", EXPIRY, "CD4CD8-BEADS")[0] == (
        "scanned Lentiviral vector, this step needs CD4/CD8 microbeads"
    )
    assert master.use_problem(BEADS_GTIN, "B-1", EXPIRY, "LV-VECTOR")[0] == (
        "scanned CD4/CD8 microbeads, this step needs Lentiviral vector"
    )
    assert master.use_problem(BEADS_GTIN, "B-1", EXPIRY, "CD4CD8-BEADS")[0] == (
        "lot B-1 is quarantined"
    )


def test_a_lot_from_before_material_codes_is_refused_in_words(tmp_path: Path) -> None:
    store = EventStore(tmp_path / "old.sqlite", "S-1")
    lot = {"gtin": BEADS_GTIN, "lot": "OLD-1", "expiry": "2027-12-31", "status": "released"}
    store.append("lot.registered", {**lot, "material": "CD4/CD8 microbeads"}, actor="u:quinn")
    md = MasterData(store, clock)
    md.register_material("CD4CD8-BEADS", "CD4/CD8 microbeads", [BEADS_GTIN], by="u:quinn")
    assert md.use_problem(BEADS_GTIN, "OLD-1", EXPIRY, "CD4CD8-BEADS")[0] == (
        "lot OLD-1 names no registered material (CD4/CD8 microbeads): QA must register it "
        "again under its material's code"
    )


def test_a_kit_lists_registered_lots_one_per_material(master: MasterData) -> None:
    master.register_lot(BEADS_GTIN, "B-1", "CD4CD8-BEADS", EXPIRY, by="q")
    master.register_lot(BEADS_GTIN, "B-2", "CD4CD8-BEADS", EXPIRY, by="q")
    master.register_lot(VECTOR_GTIN, "LV-1", "LV-VECTOR", EXPIRY, by="q", status="recalled")
    with pytest.raises(MasterDataError, match="lot NOPE of 08430215011539 is not registered"):
        master.register_kit("KIT-1", [(BEADS_GTIN, "NOPE")], by="q")
    with pytest.raises(MasterDataError, match="B-1 and B-2 are both CD4/CD8 microbeads"):
        master.register_kit("KIT-1", [(BEADS_GTIN, "B-1"), (BEADS_GTIN, "B-2")], by="q")
    with pytest.raises(MasterDataError, match="kit ID '0843'"):
        master.register_kit("0843", [(BEADS_GTIN, "B-1")], by="q")
    master.register_kit("KIT-1", [(BEADS_GTIN, "B-1"), (VECTOR_GTIN, "LV-1")], by="q")
    with pytest.raises(MasterDataError, match="registered already"):
        master.register_kit("KIT-1", [(BEADS_GTIN, "B-2")], by="q")
    found, problem = master.kit_lot("KIT-1", "CD4CD8-BEADS")
    assert (found.lot if found else None, problem) == ("B-1", None)
    assert master.kit_lot("KIT-1", "TCELL-ACT") == (
        None,
        "kit KIT-1 has no T-cell activation reagent",
    )
    again = MasterData(master.store, clock)  # a projection of the events
    assert again.kits["KIT-1"].lots == ((BEADS_GTIN, "B-1"), (VECTOR_GTIN, "LV-1"))


def test_quantities_are_converted_and_counted(master: MasterData) -> None:
    master.register_lot(
        VECTOR_GTIN, "LV-1", "LV-VECTOR", EXPIRY, by="q", quantity=0.01, unit="L"
    )  # 10 mL
    problem, taken = master.use_problem(
        VECTOR_GTIN, "LV-1", EXPIRY, "LV-VECTOR", Quantity.of(4, "mL")
    )
    assert problem is None
    assert taken == pytest.approx(0.004)  # recorded in the lot's unit
    master.store.append(
        "material.used",
        {"step": "s", "gtin": VECTOR_GTIN, "lot": "LV-1", "quantity": 0.008, "unit": "L"},
        actor="u:olivia",
        batch="B-1",
    )
    problem, _ = master.use_problem(VECTOR_GTIN, "LV-1", EXPIRY, "LV-VECTOR", Quantity.of(4, "mL"))
    assert problem == "Lentiviral vector lot LV-1 has 0.002 L left, this step needs 0.004 L"
    problem, _ = master.use_problem(VECTOR_GTIN, "LV-1", EXPIRY, "LV-VECTOR", Quantity.of(4, "g"))
    assert problem is not None
    assert "counted in L, this step takes 4 g" in problem
    master.store.append(
        "material.used",
        {"step": "s", "gtin": VECTOR_GTIN, "lot": "LV-1", "quantity": 0.002, "unit": "L"},
        actor="u:olivia",
        batch="B-2",
    )
    problem, _ = master.use_problem(VECTOR_GTIN, "LV-1", EXPIRY, "LV-VECTOR", Quantity.of(1, "mL"))
    assert problem == "Lentiviral vector lot LV-1 has run out, this step needs 0.001 L"
    # a lot without a quantity is not counted
    master.register_lot(VECTOR_GTIN, "LV-2", "LV-VECTOR", EXPIRY, by="q")
    assert master.use_problem(VECTOR_GTIN, "LV-2", EXPIRY, "LV-VECTOR", Quantity.of(1, "L")) == (
        None,
        None,
    )


class Pulled:
    """What a sync worker has pulled so far (the station reads it at every check)."""

    def __init__(self) -> None:
        self.items: dict[str, list[dict[str, Any]]] = {"equipment": [], "materials": [], "lots": []}
        self.used: list[dict[str, Any]] = []
        self.at: str | None = None

    def master_items(self, kind: str, after: int = 0) -> list[dict[str, Any]]:
        return [i for i in self.items.get(kind, []) if i["version"] > after]

    def pulled_at(self, kind: str) -> str | None:
        return self.at

    def consumption_at(self) -> str | None:
        return f"answer {id(self.used)}"  # a new list is a new answer

    def consumption(self) -> list[dict[str, Any]]:
        return self.used


def test_what_the_worker_pulls_counts_at_the_next_check(tmp_path: Path) -> None:
    md = MasterData(EventStore(tmp_path / "s.sqlite", "S-1"), clock)
    pulled = Pulled()
    md.attach(pulled)
    assert md.use_problem(BEADS_GTIN, "B-1", EXPIRY, "CD4CD8-BEADS")[0] == (
        "lot B-1 is not known at this station"
    )
    pulled.items["materials"].append(
        {"version": 1, "code": "CD4CD8-BEADS", "name": "CD4/CD8 microbeads", "gtins": [BEADS_GTIN]}
    )
    lot = {"gtin": BEADS_GTIN, "lot": "B-1", "material": "CD4CD8-BEADS", "expiry": "2027-12-31"}
    pulled.items["lots"].append(
        {"version": 1, **lot, "status": "released", "quantity": "20", "unit": "mL"}
    )
    assert md.use_problem(BEADS_GTIN, "B-1", EXPIRY, "CD4CD8-BEADS")[0] is None
    pulled.used = [
        {"gtin": BEADS_GTIN, "lot": "B-1", "station": "S-2", "quantity": 15.0},
        {"gtin": BEADS_GTIN, "lot": "B-1", "station": "S-1", "quantity": 99.0},  # its own: ignored
    ]
    assert md.use_problem(BEADS_GTIN, "B-1", EXPIRY, "CD4CD8-BEADS", Quantity.of(7.5, "mL"))[0] == (
        "CD4/CD8 microbeads lot B-1 has 5 mL left, this step needs 7.5 mL"
    )
    pulled.items["lots"].append(
        {"version": 2, **lot, "status": "recalled", "quantity": "20", "unit": "mL"}
    )
    assert md.use_problem(BEADS_GTIN, "B-1", EXPIRY, "CD4CD8-BEADS")[0] == "lot B-1 is recalled"


def test_the_age_of_the_pulled_list_in_words() -> None:
    now = clock()
    assert pulled_age(None, now) == "never pulled from the server"
    assert pulled_age("2026-11-27T06:59:30.000Z", now) == "less than a minute old"
    assert pulled_age("2026-11-27T06:35:00.000Z", now) == "25 min old"
    assert pulled_age("2026-11-27T01:00:00.000Z", now) == "6 h old"
    assert pulled_age("2026-11-20T07:00:00.000Z", now) == "7 days old"


def test_pulls_are_kept_a_pull_interval_apart(tmp_path: Path) -> None:
    """The wait after a good cycle is cut short so that a pull is never later than due."""
    store = EventStore(tmp_path / "s.sqlite", "S-1")
    with SyncClient("http://127.0.0.1:9", "token") as client:
        worker = SyncWorker(store, client, interval=10.0, pull_interval=60.0)
        assert worker._next_wait() == 10.0  # never pulled: the first cycle pulls anyway
        worker._last_pull = time.monotonic() - 55.0
        assert worker._next_wait() <= 5.0
        worker._last_pull = time.monotonic()
        assert worker._next_wait() == 10.0
    store.close()


# ---------------------------------------------------------------- parsers (property-based)


@given(st.decimals(min_value=Decimal("0.000001"), max_value=Decimal("1e9"), places=6))
def test_a_positive_quantity_is_kept_as_its_value(value: Decimal) -> None:
    assert Decimal(check_quantity(str(value))) == value


@given(st.text(max_size=20))
def test_any_other_quantity_is_refused_naming_the_field(text: str) -> None:
    try:
        number = Decimal(text.strip())
        good = number.is_finite() and number > 0
    except ArithmeticError:
        good = False
    if good:
        assert Decimal(check_quantity(text)) == Decimal(text.strip())
    else:
        with pytest.raises(MaterialError, match=r"^quantity "):
            check_quantity(text)


@given(st.text(max_size=40))
def test_a_material_code_is_checked(text: str) -> None:
    ok = (
        0 < len(text) <= 32
        and text[0] in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
        and all(c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-" for c in text)
    )
    if ok:
        assert check_code(text) == text
    else:
        with pytest.raises(MaterialError, match=r"^material code "):
            check_code(text)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
LINE = st.fixed_dictionaries(
    {"gtin": JSON, "lot": JSON, "station": JSON, "quantity": JSON | st.floats()}
)


@given(st.one_of(JSON, st.fixed_dictionaries({"items": st.lists(LINE | JSON, max_size=4)})))
def test_a_consumption_answer_is_kept_whole_or_refused(data: Any) -> None:
    """Whatever the server sends, the station keeps well-formed lines or refuses the answer."""
    kept: list[dict[str, Any]] = []
    refusal: SyncError | None = None
    try:
        kept = _consumption(data, "http://server")
    except SyncError as exc:  # any other error fails the test
        refusal = exc
    if refusal is not None:
        assert "lot consumption" in str(refusal)
    for line in kept:
        assert set(line) == {"gtin", "lot", "station", "quantity"}
        assert all(isinstance(line[k], str) for k in ("gtin", "lot", "station"))
        assert math.isfinite(line["quantity"])
        assert line["quantity"] >= 0


def test_lots_list_says_how_old_the_servers_list_is(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    EventStore(db, "S-1").close()
    state = SyncState(SyncState.path_for(db))
    state.save_master(
        "materials",
        [{"version": 1, "code": "LV-VECTOR", "name": "Lentiviral vector", "gtins": [VECTOR_GTIN]}],
        1,
    )
    lot = {"gtin": VECTOR_GTIN, "lot": "LV-9", "material": "LV-VECTOR", "expiry": "2028-06-30"}
    state.save_master(
        "lots", [{"version": 1, **lot, "status": "quarantined", "quantity": "50", "unit": "mL"}], 1
    )
    used = {"gtin": VECTOR_GTIN, "lot": "LV-9", "station": "S-2", "quantity": 5.0}
    state.save_consumption([used])
    listed = run_kiosk("lots", "--db", str(db), "list")
    assert listed.returncode == 0, listed.stderr
    first, line = listed.stdout.splitlines()
    assert first.startswith("lots from the server: less than a minute old (pulled 20")
    assert line.split() == [
        VECTOR_GTIN, "LV-9", "Lentiviral", "vector", "expires", "2028-06-30", "quarantined",
        "45", "of", "50", "mL", "left",
    ]  # fmt: skip
