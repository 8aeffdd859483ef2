"""The BatchML export (kiosk/batchml.py), validated against MESA's B2MML V0700 schemas."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from kiosk.batchml import ATTRIBUTION, NS, build_batchml, events_from_batchml, to_text
from kiosk.ebr import BatchRecord, export, load_record
from local_store import EventStore, event_hash

from .test_review import ROOT, car_t_steps, reference_db, run, write_script

SCHEMAS = Path(__file__).resolve().parents[2] / ".." / "shared" / "schemas" / "b2mml"
Q = f"{{{NS}}}"


def load(db: Path, batch: str) -> BatchRecord:
    with EventStore(db, "READER", create=False) as store:
        return load_record(store, batch, ROOT / "recipes")


@pytest.fixture(scope="module")
def schema() -> Any:
    xmlschema = pytest.importorskip("xmlschema")
    xsd = SCHEMAS / "BatchML-BatchProductionRecord.xsd"
    if not xsd.is_file():
        pytest.skip(f"the B2MML V0700 schemas are not at {SCHEMAS.resolve()}")
    return xmlschema.XMLSchema(str(xsd))


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> BatchRecord:
    return load(reference_db(tmp_path_factory.mktemp("bml-ref")), "B-OQ-0001")


@pytest.fixture(scope="module")
def corrected(tmp_path_factory: pytest.TempPathFactory) -> BatchRecord:
    """A clean batch with a corrected entry and a comment, still waiting for release."""
    tmp = tmp_path_factory.mktemp("bml-corr")
    steps = car_t_steps(
        "B-BML-1",
        release=False,
        before_release=[
            {
                "do": "correct",
                "step": "harvest.residual_beads",
                "value": "41",
                "reason": "Counted the wrong grid",
            },
        ],
    )
    qc_check = [step for step in steps if step.get("do") == "check"][1]  # QC samples taken
    qc_check["comment"] = "Sterility sample taken twice, first bottle cracked"
    db = tmp / "bml.sqlite"
    run(write_script(tmp / "bml.yaml", steps), db)
    return load(db, "B-BML-1")


def test_reference_batch_validates_against_the_xsd(schema: Any, reference: BatchRecord) -> None:
    text = to_text(build_batchml(reference))
    errors = list(schema.iter_errors(text))
    assert errors == [], [str(e) for e in errors[:3]]


def test_corrected_batch_validates_against_the_xsd(schema: Any, corrected: BatchRecord) -> None:
    errors = list(schema.iter_errors(to_text(build_batchml(corrected))))
    assert errors == [], [str(e) for e in errors[:3]]


def test_attribution_statement_is_carried(reference: BatchRecord) -> None:
    text = to_text(build_batchml(reference))
    assert f"<!-- {ATTRIBUTION} -->" in text.splitlines()[1]
    assert ATTRIBUTION == (
        "The Business To Manufacturing Markup Language (B2MML) is used courtesy of "
        "MESA International."
    )


def test_record_header_control_recipe_and_people(reference: BatchRecord) -> None:
    root = build_batchml(reference)
    assert root.tag == f"{Q}BatchProductionRecord"
    assert root.findtext(f"{Q}BatchID") == "B-OQ-0001"
    assert root.findtext(f"{Q}RecordStatus") == "released"
    assert root.findtext(f"{Q}MaterialDefinitionID") == "S1234A00"
    recipe = root.find(f"{Q}ControlRecipes/{Q}ControlRecipeRecord/{Q}ControlRecipe")
    assert recipe is not None
    assert recipe.findtext(f"{Q}ID") == "car-t-autologous"
    assert recipe.findtext(f"{Q}Version") == "8"
    formula = {
        p.findtext(f"{Q}ID"): p.findtext(f"{Q}Value/{Q}ValueString")
        for p in recipe.iter(f"{Q}Parameter")
        if p.findtext(f"{Q}ParameterType") == "ProcessInput"
    }
    assert formula["patient_id"] == "PT-0042"
    assert formula["din"] == "G123417654321"
    units = recipe.findall(f"{Q}RecipeElement")
    assert [u.findtext(f"{Q}ID") for u in units][:2] == ["receipt[1]", "isolation[1]"]
    phase = next(
        e
        for e in recipe.iter(f"{Q}RecipeElement")
        if e.findtext(f"{Q}ID") == "transduction.vector_volume"
    )
    assert phase.findtext(f"{Q}Parameter/{Q}Value/{Q}ValueString") == "2.5"
    assert phase.findtext(f"{Q}Parameter/{Q}Value/{Q}UnitOfMeasure") == "mL"
    people = root.findall(f"{Q}PersonnelIdentification/{Q}PersonnelIdentificationManifest")
    assert len(people) == len(reference.signatures())
    released = [p for p in people if p.findtext(f"{Q}ChangeIndication") == "released"]
    assert [p.findtext(f"{Q}Name") for p in released] == ["Quinn Marlowe"]
    samples = root.findall(f"{Q}Samples/{Q}Sample/{Q}SampleTest")
    assert {t.findtext(f"{Q}TestCode") for t in samples} >= {"endotoxin", "sterility"}


def test_every_event_is_in_the_export_and_rebuilds_verbatim(reference: BatchRecord) -> None:
    root = build_batchml(reference)
    events = root.findall(f"{Q}Events/{Q}Event")
    assert len(events) == len(reference.events)
    assert [e.findtext(f"{Q}ExternalReference") for e in events] == [
        e.hash for e in reference.events
    ]
    alarms = [e for e in events if e.findtext(f"{Q}EventType") == "Alarm"]
    assert {a.findtext(f"{Q}Category") for a in alarms} >= {"identity", "cpp_cqa"}
    rebuilt = events_from_batchml(to_text(root))
    assert rebuilt == reference.events
    for e in rebuilt:
        fields = {k: v for k, v in e.to_dict().items() if k != "hash"}
        assert event_hash(**fields) == e.hash


def test_change_history_has_prechange_data_and_reason(corrected: BatchRecord) -> None:
    root = build_batchml(corrected)
    (change,) = root.findall(f"{Q}ChangeHistory/{Q}Change")
    assert change.findtext(f"{Q}ObjectType") == "Change"
    assert change.findtext(f"{Q}RecordReference") == "harvest.residual_beads"
    assert change.findtext(f"{Q}PrechangeData/{Q}ValueString") == "40.0"
    assert change.findtext(f"{Q}Reason") == "Counted the wrong grid"
    corrected_event = next(
        e
        for e in root.findall(f"{Q}Events/{Q}Event")
        if e.findtext(f"{Q}EventSubType") == "Modification"
    )
    assert corrected_event.findtext(f"{Q}PreviousValue/{Q}ValueString") == "40.0"
    assert corrected_event.findtext(f"{Q}Value/{Q}ValueString") == "41.0"
    comments = root.findall(f"{Q}Comments/{Q}Comment")
    assert [c.findtext(f"{Q}CommentText") for c in comments] == [
        "Sterility sample taken twice, first bottle cracked"
    ]
    assert comments[0].findtext(f"{Q}PersonID") == "Olivia Okafor (olivia)"


def test_export_writes_a_file_that_validates(
    schema: Any, tmp_path: Path, corrected: BatchRecord
) -> None:
    db = tmp_path / "one.sqlite"
    run(write_script(tmp_path / "one.yaml", car_t_steps("B-BML-2")), db)
    out = tmp_path / "record.xml"
    line = export(db, "B-BML-2", out, fmt="batchml", recipes_dir=ROOT / "recipes")
    assert "BatchML" in line
    schema.validate(str(out))
    ET.parse(out)  # well-formed on its own too
