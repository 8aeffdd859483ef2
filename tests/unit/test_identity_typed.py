"""Chain of identity at the keyboard and at the label: a DIN, CoI or reagent lot typed by hand
needs a supervisor's signature; the label check refuses a label without the batch's CoI."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from kiosk import review
from kiosk.engine import ActionRefused
from kiosk.labels import label_model
from kiosk.recipe import RecipeError, load_recipe

from .conftest import Station

LABELLED = """\
id: labelled
version: 1
title: Label check
status: effective
product: S1234A00
stages:
  - id: s
    steps:
      - {{id: bag, kind: scan, expect: isbt128.din, binds: din}}
      - {{id: coi, kind: scan, expect: isbt128.coi, binds: coi}}
      - {{id: beads, kind: scan, expect: gs1.material, material: beads, material_code: BEADS}}
      - {{id: label, kind: label_print, label: product}}
      - {{id: check, kind: scan, expect: isbt128.din, match: {match}}}
      - {{id: done, kind: instruction}}
"""
DIN, COI = "G123417654321", "CHG123417654321"
BAG = "=G12341765432170"
GTIN = "08430215011539"
TYPED_LOT = f"(01){GTIN}(10)B-1(17)271231"


def _recipe(
    station: Station, tmp_path: Path, rid: str, *, match: str = "label", coi_when: str = ""
) -> None:
    """The test recipe as `rid`, its beads lot registered once."""
    text = LABELLED.format(match=match).replace("id: labelled", f"id: {rid}", 1)
    if coi_when:
        text = text.replace("binds: coi}", f'binds: coi, when: "{coi_when}"}}')
        text = text.replace(
            "stages:", "context:\n  with_coi: {kind: choice, choices: ['yes', 'no']}\nstages:"
        )
    path = tmp_path / f"{rid}.yaml"
    path.write_text(text, encoding="utf-8")
    station.engine.add_recipe(load_recipe(path))
    master = station.engine.masterdata
    if "BEADS" not in master.materials:
        master.register_material("BEADS", "CD4/CD8 beads", [GTIN], by="system")
        master.register_lot(GTIN, "B-1", "BEADS", date(2027, 12, 31), by="system")


@pytest.fixture
def labelled(station: Station, tmp_path: Path) -> Station:
    _recipe(station, tmp_path, "labelled")
    return station


def _to(station: Station, step: str, recipe: str = "labelled") -> str:
    """A batch of the test recipe, run up to `step` with scans."""
    eng, olivia = station.engine, station.login("olivia")
    batch = eng.start_batch(olivia, recipe, {}, batch_id=f"B-ID-{recipe.upper()}")
    for key, action in (
        ("s.bag", lambda: eng.scan(olivia, batch, BAG)),
        ("s.coi", lambda: eng.scan(olivia, batch, f"&/{COI}")),
        ("s.beads", lambda: eng.scan(olivia, batch, f"]d201{GTIN}17271231\x1d10B-1")),
        ("s.label", lambda: eng.print_label(olivia, batch)),
    ):
        if eng.batch(batch).step_key == step:
            break
        assert eng.batch(batch).step_key == key
        action()
    assert eng.batch(batch).step_key == step
    return batch


# ---------------------------------------------------------------- typed by hand


@pytest.mark.parametrize(
    ("step", "typed", "what"),
    [
        ("s.bag", "G123417654321 A", "a DIN"),
        ("s.coi", "CHG123417654321 A", "a CoI"),
        ("s.beads", TYPED_LOT, "a material label"),
    ],
)
def test_a_code_typed_by_hand_needs_a_supervisors_signature_and_is_an_exception(
    labelled: Station, step: str, typed: str, what: str
) -> None:
    eng, olivia = labelled.engine, labelled.login("olivia")
    batch = _to(labelled, step)
    with pytest.raises(ActionRefused, match=f"{what} typed by hand needs a supervisor's signature"):
        eng.scan(olivia, batch, typed, keyed=True)
    with pytest.raises(ActionRefused, match="reason"):
        eng.scan(olivia, batch, typed, keyed=True, override=labelled.creds("sam"), reason=" ")
    with pytest.raises(ActionRefused, match="cannot sign"):  # not the operator herself
        eng.scan(olivia, batch, typed, keyed=True, override=labelled.creds("olivia"), reason="x")
    with pytest.raises(ActionRefused):  # an operator is no supervisor
        eng.scan(olivia, batch, typed, keyed=True, override=labelled.creds("oscar"), reason="x")
    assert eng.batch(batch).step_key == step  # nothing recorded
    eng.scan(olivia, batch, typed, keyed=True, override=labelled.creds("sam"), reason="smudged")
    state = eng.batch(batch)
    assert state.step_key != step
    (exc,) = state.exceptions.values()
    assert (exc.category, exc.step, exc.blocking) == ("manual_entry", step, False)
    assert exc.values["override_by"] == "sam"
    assert exc.message.endswith("typed by hand, not scanned (smudged)")
    record = state.records[step]
    assert record.payload["keyed"] is True
    assert record.payload["reason"] == "smudged"
    # the supervisor's signature is in the record, meaning approved, for this override
    assert [(s["user"], s["meaning"], s["purpose"]) for s in record.signatures] == [
        ("sam", "approved", "override")
    ]
    # the review lists it once, as the exception with the supervisor's name
    items = [i for i in review.open_items(state) if i.step == step]
    assert [(i.kind, i.category) for i in items] == [("exception", "manual_entry")]


def test_the_check_character_is_verified_before_the_signature_is_asked(
    labelled: Station,
) -> None:
    eng, olivia = labelled.engine, labelled.login("olivia")
    batch = _to(labelled, "s.bag")
    with pytest.raises(ActionRefused, match="check character wrong"):
        eng.scan(olivia, batch, "G123417654312 A", keyed=True)
    eng.scan(
        olivia, batch, "G123417654321 A", keyed=True, override=labelled.creds("sam"), reason="x"
    )
    with pytest.raises(ActionRefused, match="check character wrong"):
        eng.scan(olivia, batch, "CHG123417654321 C", keyed=True, override=labelled.creds("sam"))
    eng.scan(olivia, batch, f"&/{COI}")
    with pytest.raises(ActionRefused, match="GTIN check digit wrong"):
        eng.scan(
            olivia,
            batch,
            "(01)08430215011538(10)B-1(17)271231",
            keyed=True,
            override=labelled.creds("sam"),
            reason="x",
        )
    with pytest.raises(ActionRefused, match="each number in brackets"):
        eng.scan(olivia, batch, "08430215011539 B-1", keyed=True, override=labelled.creds("sam"))
    assert eng.batch(batch).step_key == "s.beads"


def test_a_typed_lot_is_checked_and_used_like_a_scanned_one(labelled: Station) -> None:
    eng, olivia = labelled.engine, labelled.login("olivia")
    batch = _to(labelled, "s.beads")
    with pytest.raises(ActionRefused, match="expired"):
        eng.scan(
            olivia,
            batch,
            f"(01){GTIN}(10)B-1(17)240220",
            keyed=True,
            override=labelled.creds("sam"),
            reason="x",
        )
    eng.scan(olivia, batch, TYPED_LOT, keyed=True, override=labelled.creds("sam"), reason="x")
    used = [e.payload for e in labelled.store.events(batch=batch) if e.type == "material.used"]
    assert [(u["gtin"], u["lot"]) for u in used] == [(GTIN, "B-1")]


# ---------------------------------------------------------------- the label check


def test_the_label_check_refuses_a_label_without_the_batchs_coi(labelled: Station) -> None:
    eng, olivia = labelled.engine, labelled.login("olivia")
    batch = _to(labelled, "s.check")
    label = eng.batch(batch).records["s.label"].payload["label"]
    printed = label_model(label).compound
    assert f"&/{COI}" in printed  # the Data Matrix carries the CoI

    refusals = [
        (BAG, "no CoI read"),  # the DIN's Code 128 alone
        (f"&/{COI}", "no DIN read"),  # the CoI alone
        ("=+02000=G12341765432170&/CHA999917123654", "wrong label: scanned CoI CHA999917123654"),
        ("=+02000=A99991712365400&/CHG123417654321", "wrong label: scanned DIN A999917123654"),
    ]
    for n, (text, message) in enumerate(refusals, start=1):
        with pytest.raises(ActionRefused, match=message):
            eng.scan(olivia, batch, text)
        state = eng.batch(batch)
        assert state.state == "on_hold"
        identity = [x for x in state.exceptions.values() if x.category == "identity"]
        assert len(identity) == n
        assert identity[-1].blocking
        assert identity[-1].step == "s.check"
        with pytest.raises(ActionRefused, match="on hold"):
            eng.scan(olivia, batch, printed)
        eng.acknowledge(
            olivia, batch, identity[-1].id, labelled.creds("sam"), "label reprinted and checked"
        )
    with pytest.raises(ActionRefused, match="scan it"):  # typing cannot check the label
        eng.scan(olivia, batch, "G123417654321 A", keyed=True, override=labelled.creds("sam"))
    eng.scan(olivia, batch, printed)
    state = eng.batch(batch)
    assert state.step_key == "s.done"
    record = state.records["s.check"]
    assert (record.payload["value"], record.payload["coi"]) == (DIN, COI)


def test_a_din_match_still_takes_a_bag_label_without_coi(station: Station, tmp_path: Path) -> None:
    """`match: din` (a pre-labelled bag before filling) is unchanged: the CoI is compared only
    when the read carries one."""
    _recipe(station, tmp_path, "din", match="din")
    eng, olivia = station.engine, station.login("olivia")
    batch = _to(station, "s.check", recipe="din")
    eng.scan(olivia, batch, BAG)
    assert eng.batch(batch).step_key == "s.done"


def test_the_label_is_not_printed_without_the_coi_the_recipe_binds(
    station: Station, tmp_path: Path
) -> None:
    _recipe(station, tmp_path, "maybe", coi_when="with_coi == 'yes'")
    eng, olivia = station.engine, station.login("olivia")
    batch = eng.start_batch(olivia, "maybe", {"with_coi": "no"}, batch_id="B-ID-3")
    eng.scan(olivia, batch, BAG)  # the CoI step is skipped: no CoI bound
    eng.scan(olivia, batch, f"]d201{GTIN}17271231\x1d10B-1")
    assert eng.batch(batch).step_key == "s.label"
    with pytest.raises(ActionRefused, match="no CoI is bound to this batch"):
        eng.print_label(olivia, batch)
    assert eng.batch(batch).step_key == "s.label"


@pytest.mark.parametrize(
    ("steps", "problem"),
    [
        (
            "      - {id: check, kind: scan, expect: isbt128.din, match: label}\n",
            "bind both before it",
        ),
        (
            "      - {id: bag, kind: scan, expect: isbt128.din, binds: din}\n"
            "      - {id: coi, kind: scan, expect: isbt128.coi, binds: coi}\n"
            "      - {id: check, kind: scan, expect: isbt128.coi, match: label}\n",
            "cannot bind or match 'label'",
        ),
    ],
)
def test_a_label_check_needs_din_and_coi_bound_before_it(
    tmp_path: Path, steps: str, problem: str
) -> None:
    path = tmp_path / "bad.yaml"
    head = "id: bad\nversion: 1\ntitle: Bad\nstatus: effective\nstages:\n  - id: s\n    steps:\n"
    path.write_text(head + steps, encoding="utf-8")
    with pytest.raises(RecipeError, match=problem):
        load_recipe(path)
