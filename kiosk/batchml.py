"""The batch record as MESA B2MML / BatchML V0700 `BatchProductionRecord` (no Qt).

ISA-88 part 4 batch production record, the way another system reads our records
(DOMAIN.md §7). The document validates against
``BatchML-BatchProductionRecord.xsd`` (namespace ``http://www.mesa.org/xml/B2MML``).

The Business To Manufacturing Markup Language (B2MML) is used courtesy of MESA
International. (Every file written here carries that statement as an XML comment.)

How the record maps onto the schema:

- ``ID`` / ``EntryID`` / ``BatchID``: the batch id; ``ObjectType`` "Batch Production
  Record"; ``EquipmentScope`` and ``EquipmentID`` the station; ``MaterialDefinitionID``
  the ISBT 128 product code when the recipe is available; ``RecordStatus`` the batch
  state; ``CreationDate`` the start, ``LastChangedDate`` the last event.
- ``ChangeHistory/Change``: one per ``step.corrected`` event, with the corrected
  step as ``RecordReference``, the old value as ``PrechangeData`` and the reason.
- ``Comments/Comment``: comments typed at checks and entries.
- ``ControlRecipes/ControlRecipeRecord/ControlRecipe``: the control recipe (the
  master recipe's id and version, with this batch's values): ``Formula`` holds the
  batch context (patient identifiers, weight, collection time, DIN, CoI) as
  process inputs; one ``RecipeElement`` (UnitProcedure) per stage iteration, each
  holding one ``RecipeElement`` (Phase) per step with its recorded value as a
  process-output ``Parameter``.
- ``Events/Event``: every event of the batch, in order: type, sub-type, time,
  person (printed name), station, step, device, value and previous value, and the
  complete event (``UserAttribute`` ``kiosk.event``: the canonical JSON of
  ``Event.to_dict()`` with its hash), so the log can be rebuilt and re-verified
  from the BatchML alone (`events_from_batchml`).
- ``PersonnelIdentification``: one manifest per e-signature: printed name, the
  signature's meaning as ``ChangeIndication`` (11.50), what was signed as
  ``RecordReference``.
- ``Samples``: the QC stages (stage id starting ``qc``) as a sample whose tests
  are the stage's entries, each with its result and expected result.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from kiosk import __version__
from local_store import Event, canonical_json

if TYPE_CHECKING:
    from kiosk.ebr import BatchRecord

NS: Final = "http://www.mesa.org/xml/B2MML"
ATTRIBUTION: Final = (
    "The Business To Manufacturing Markup Language (B2MML) is used courtesy of MESA International."
)
EVENT_ATTRIBUTE: Final = "kiosk.event"

# Our event types as BatchML EventType / EventSubType (SingleEventType enumerations).
_EVENT_TYPES: Final[dict[str, tuple[str, str]]] = {
    "batch.started": ("Control Recipe", "State Change"),
    "batch.state": ("Control Recipe", "State Change"),
    "stage.started": ("Procedural Execution", "State Change"),
    "step.recorded": ("Procedural Execution", "Process Data"),
    "step.completed": ("Procedural Execution", "State Change"),
    "step.skipped": ("Procedural Execution", "State Change"),
    "step.corrected": ("Operator", "Modification"),
    "signature.applied": ("Operator", "Security"),
    "timer.started": ("Procedural Execution", "State Change"),
    "identity.bound": ("Material", "Allocation"),
    "material.used": ("Material", "Consume"),
    "exception.raised": ("Alarm", "Message"),
    "exception.acknowledged": ("Operator", "Prompt Response"),
    "exception.dispositioned": ("Operator", "Prompt Response"),
    "review.dispositioned": ("Operator", "Prompt Response"),
    "action.refused": ("Message", "Security"),
}


def _q(tag: str) -> str:
    return f"{{{NS}}}{tag}"


def _add(parent: ET.Element, tag: str, text: Any = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attrs)
    if text is not None:
        element.text = str(text)
    return element


def _id(text: Any) -> str:
    """IdentifierType is a normalizedString: no tabs or line breaks."""
    return " ".join(str(text).split())


def _entry(
    parent: ET.Element,
    entry_id: str,
    object_type: str,
    ts: str | None = None,
    description: Iterable[str] = (),
    external: str | None = None,
    other: str | None = None,
) -> None:
    """The BatchProductionRecordEntryType group every record entry starts with."""
    _add(parent, "EntryID", _id(entry_id))
    if other is not None:
        _add(parent, "ObjectType", object_type, OtherValue=other)
    else:
        _add(parent, "ObjectType", object_type)
    if ts:
        _add(parent, "TimeStamp", ts)
    if external:
        _add(parent, "ExternalReference", _id(external))
    for text in description:
        _add(parent, "Description", text)


def _data_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "double"
    return "string"


def _value(parent: ET.Element, tag: str, value: Any, unit: str | None = None) -> ET.Element:
    """A B2MML ValueType: ValueString, DataType, UnitOfMeasure."""
    element = _add(parent, tag)
    if isinstance(value, dict | list):
        _add(element, "ValueString", canonical_json(value))
        _add(element, "DataType", "string")
    else:
        _add(element, "ValueString", "" if value is None else _text(value))
        _add(element, "DataType", _data_type(value))
    if unit:
        _add(element, "UnitOfMeasure", _id(unit))
    return element


def _batch_value(parent: ET.Element, value: Any, unit: str | None, interpretation: str) -> None:
    """A BatchML BatchValueType (inside a Parameter): every element is required."""
    element = _add(parent, "Value")
    _add(element, "ValueString", "" if value is None else _text(value))
    _add(element, "DataInterpretation", interpretation)
    _add(element, "DataType", _data_type(value))
    _add(element, "UnitOfMeasure", _id(unit or ""))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _parameter(
    parent: ET.Element,
    pid: str,
    kind: str,
    value: Any,
    unit: str | None,
    description: str | None = None,
    interpretation: str = "Constant",
) -> None:
    element = _add(parent, "Parameter")
    _add(element, "ID", _id(pid))
    if description:
        _add(element, "Description", description)
    _add(element, "ParameterType", kind)
    _batch_value(element, value, unit, interpretation)


def build_batchml(record: BatchRecord) -> ET.Element:
    """The BatchProductionRecord element for one batch."""
    from kiosk.ebr import summarize  # noqa: PLC0415 — kiosk.ebr imports this module lazily

    ET.register_namespace("", NS)
    state = record.state
    recipe = record.recipe.recipe if record.recipe else None
    root = ET.Element(_q("BatchProductionRecord"))
    _add(root, "ID", _id(record.batch))
    _entry(
        root,
        record.batch,
        "Batch Production Record",
        record.started_ts,
        [f"{record.recipe_title}: batch record of {record.batch}", record.recipe_note],
    )
    _add(root, "EquipmentScope", _id(record.station))
    _add(root, "CreationDate", record.started_ts)
    _add(root, "BatchID", _id(record.batch))
    _add(root, "EquipmentID", _id(record.station))
    _add(root, "LastChangedDate", record.events[-1].ts)
    if recipe is not None and recipe.product:
        _add(root, "MaterialDefinitionID", _id(recipe.product))
    _add(root, "RecordStatus", _id(record.status))
    _add(root, "Version", "1")

    # ChangeHistory: corrections with their previous value and reason (Annex 11 §9)
    corrections = [e for e in record.good_events if e.type == "step.corrected"]
    if corrections:
        history = _add(root, "ChangeHistory")
        for event in corrections:
            p = event.payload
            change = _add(history, "Change")
            _entry(
                change,
                f"{event.station}:{event.seq}",
                "Change",
                event.ts,
                [
                    f"{p.get('step')} corrected from {p.get('old')} to {p.get('new')} by "
                    f"{record.name(event.actor)}"
                ],
            )
            _add(change, "RecordReference", _id(p.get("step")))
            _value(change, "PrechangeData", p.get("old"), p.get("unit"))
            _add(change, "Reason", event.reason or "")

    # Comments typed at checks and entries
    commented = [
        e for e in record.good_events if e.type == "step.recorded" and e.payload.get("comment")
    ]
    if commented:
        comments = _add(root, "Comments")
        for event in commented:
            comment = _add(comments, "Comment")
            _entry(comment, f"{event.station}:{event.seq}", "Comment", event.ts)
            _add(comment, "RecordReference", _id(event.payload.get("step")))
            _add(comment, "CommentText", str(event.payload.get("comment")))
            _add(comment, "PersonID", record.name(event.actor))

    # ControlRecipes: the recipe id/version with this batch's values
    control = _add(_add(root, "ControlRecipes"), "ControlRecipeRecord")
    _entry(control, f"{record.batch}/control-recipe", "Control Recipe", record.started_ts)
    cr = _add(control, "ControlRecipe")
    _add(cr, "ID", _id(record.recipe_id))
    _add(cr, "Version", _id(record.recipe_version))
    _add(cr, "Description", f"{record.recipe_title} (master recipe sha256 {record.recipe_sha256})")
    _add(cr, "BatchID", _id(record.batch))
    header = _add(cr, "Header")
    if recipe is not None and recipe.product:
        _add(header, "ProductID", _id(recipe.product))
    _add(header, "ProductName", _id(record.recipe_title))
    formula = _add(cr, "Formula")
    specs = state.recipe.context
    for name, value in state.context.items():
        spec = specs.get(name)
        _parameter(
            formula,
            name,
            "ProcessInput",
            value,
            spec.unit if spec else None,
            (spec.label if spec and spec.label else None) or name,
        )
    if state.din:
        _parameter(formula, "din", "ProcessInput", state.din, None, "ISBT 128 DIN")
    if state.coi:
        _parameter(formula, "coi", "ProcessInput", state.coi, None, "ISBT 128 chain of identity")
    if recipe is not None:
        for name, param in recipe.parameters.items():
            _parameter(formula, name, "ProcessParameter", param.value, param.unit, param.label)
    _recipe_elements(cr, record)

    # Events: the complete audit trail
    events_el = _add(root, "Events")
    for event in record.events:
        _event(events_el, event, record, summarize(event, record.name))

    # PersonnelIdentification: one manifest per e-signature (11.50)
    signatures = record.signatures()
    if signatures:
        people = _add(root, "PersonnelIdentification")
        for sig in signatures:
            manifest = _add(people, "PersonnelIdentificationManifest")
            _entry(
                manifest,
                f"signature:{sig['seq']}:{sig['user']}",
                "Personnel Identification Manifest",
                str(sig["ts"]),
                [f"{sig['meaning']} by {sig['name']} ({sig['user']}): {sig['what']}"],
                external=str(sig["signed"]),
            )
            _add(manifest, "RecordReference", _id(sig["what"]))
            _add(manifest, "Name", str(sig["name"]))
            _add(manifest, "ChangeIndication", str(sig["meaning"]))
            if sig.get("reason"):
                _add(manifest, "Reason", str(sig["reason"]))

    _samples(root, record)
    return root


def _recipe_elements(cr: ET.Element, record: BatchRecord) -> None:
    current: ET.Element | None = None
    for event in record.good_events:
        p = event.payload
        if event.type == "stage.started":
            current = _add(cr, "RecipeElement")
            _add(current, "ID", _id(f"{p.get('stage')}[{p.get('iteration')}]"))
            try:
                title = record.state.recipe.stage(str(p.get("stage"))).title
            except KeyError:
                title = None
            _add(
                current, "Description", f"{title or p.get('stage')}, iteration {p.get('iteration')}"
            )
            _add(current, "RecipeElementType", "UnitProcedure")
        elif event.type == "step.recorded" and current is not None:
            phase = _add(current, "RecipeElement")
            _add(phase, "ID", _id(p.get("step")))
            _add(
                phase,
                "Description",
                f"{p.get('kind')} step, recorded by {record.name(event.actor)}",
            )
            _add(phase, "RecipeElementType", "Phase")
            if p.get("device"):
                _add(phase, "ActualEquipmentID", _id(p["device"]))
            current_record = record.state.records.get(str(p.get("step")))
            value = current_record.value if current_record is not None else p.get("value")
            _parameter(
                phase,
                str(p.get("name") or p.get("step_id")),
                "ProcessOutput",
                value,
                p.get("unit"),
                f"{p.get('critical') or 'value'} at {fmt_time(event.ts)}",
                "Equation" if p.get("kind") == "calc" else "Constant",
            )


def fmt_time(ts: str) -> str:
    return ts.replace("T", " ").replace("Z", " UTC")


def _event(parent: ET.Element, event: Event, record: BatchRecord, summary: str) -> None:
    p = event.payload
    el = _add(parent, "Event")
    _entry(
        el,
        f"{event.station}:{event.seq}",
        "Event",
        event.ts,
        [summary],
        external=event.hash,
    )
    kind, sub = _EVENT_TYPES.get(event.type, ("Other", "Other"))
    if kind == "Other":
        _add(el, "EventType", "Other", OtherValue=event.type)
    else:
        _add(el, "EventType", kind)
    _add(el, "EventSubType", sub)
    if p.get("device"):
        _add(el, "EquipmentID", _id(p["device"]))
    if event.type == "step.recorded":
        _value(el, "Value", p.get("value"), p.get("unit"))
    elif event.type == "step.corrected":
        _value(el, "Value", p.get("new"), p.get("unit"))
        _value(el, "PreviousValue", p.get("old"), p.get("unit"))
    elif event.type == "batch.state":
        _value(el, "Value", p.get("state"))
    if event.type in ("exception.raised", "action.refused"):
        _add(el, "MessageText", str(p.get("message") or p.get("reason") or ""))
    if event.reason:
        _add(el, "MessageText", f"reason: {event.reason}")
    _add(el, "PersonID", record.name(event.actor))
    signature = p if event.type == "signature.applied" else p.get("signature")
    if isinstance(signature, Mapping) and signature.get("name"):
        _add(el, "PersonID", f"{signature.get('name')} ({signature.get('user')})")
    _add(el, "ComputerID", _id(event.station))
    if p.get("step"):
        _add(el, "ProceduralElementReference", _id(p["step"]))
    if event.type == "exception.raised":
        _add(el, "Category", _id(p.get("category")))
        alarm = _add(el, "AlarmData")
        _add(alarm, "AlarmEvent", "Raised")
        _add(alarm, "AlarmType", _id(p.get("category")))
        _add(alarm, "Priority", _id(p.get("severity")))
    if event.type in ("exception.acknowledged", "exception.dispositioned", "review.dispositioned"):
        _add(el, "AssociatedEventID", _id(p.get("id")))
    attr = _add(el, "UserAttribute")
    _add(attr, "AttributeID", EVENT_ATTRIBUTE)
    _add(attr, "Description", "the complete event as stored and hashed (canonical JSON)")
    _value(attr, "Value", canonical_json(event.to_dict()))


def _samples(root: ET.Element, record: BatchRecord) -> None:
    stages = [s for s in record.state.recipe.stages if s.id.startswith("qc")]
    recorded = [
        e
        for e in record.good_events
        if e.type in ("step.recorded", "result.recorded")  # typed, or from the LIMS
        and str(e.payload.get("stage", "")).startswith("qc")
    ]
    if not recorded:
        return
    samples = _add(root, "Samples")
    for stage_id in dict.fromkeys(str(e.payload.get("stage")) for e in recorded):
        stage = next((s for s in stages if s.id == stage_id), None)
        events = [e for e in recorded if e.payload.get("stage") == stage_id]
        sample = _add(samples, "Sample")
        _entry(
            sample,
            f"{record.batch}/{stage_id}",
            "Sample",
            events[0].ts,
            [(stage.title if stage and stage.title else None) or stage_id],
        )
        _add(sample, "SampleSourceID", _id(record.batch))
        _add(sample, "SampleType", "release testing")
        for event in events:
            p = event.payload
            if event.type == "step.recorded" and p.get("kind") != "entry":
                continue
            test = _add(sample, "SampleTest")
            _entry(test, f"{event.station}:{event.seq}", "Sample Test", event.ts)
            _add(test, "TestCode", _id(p.get("step_id")))
            _add(test, "TestName", _id(p.get("step")))
            result = _add(test, "SampleTestResult")
            _entry(result, f"{event.station}:{event.seq}/result", "Sample Test Result", event.ts)
            value = record.state.records.get(str(p.get("step")))
            _value(result, "Results", value.value if value else p.get("value"), p.get("unit"))
            expected = _expected(record, str(p.get("stage")), str(p.get("step_id")), p)
            if expected is not None:
                _value(result, "ExpectedResults", expected, p.get("unit"))


def _expected(record: BatchRecord, stage: str, step_id: str, payload: Mapping[str, Any]) -> Any:
    try:
        model = next(s for s in record.state.recipe.stage(stage).steps if s.id == step_id)
    except (KeyError, StopIteration):
        model = None
    expected = getattr(model, "expected", None)
    if expected is not None:
        return expected
    limits = (payload.get("limits") or {}).get("action")
    if isinstance(limits, list) and len(limits) == 2 and limits != [None, None]:
        from kiosk.ebr import fmt_limits  # noqa: PLC0415 — see build_batchml

        return fmt_limits(limits)
    return None


def to_text(root: ET.Element) -> str:
    """The document, with the XML declaration and the MESA attribution as a comment."""
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!-- {ATTRIBUTION} -->\n"
        f"<!-- Written by cleanroom-kiosk {__version__}: BatchML V0700 BatchProductionRecord. -->\n"
        f"{body}\n"
    )


def write_batchml(record: BatchRecord, path: str | os.PathLike[str]) -> None:
    Path(path).write_text(to_text(build_batchml(record)), encoding="utf-8")


def events_from_batchml(text: str) -> list[Event]:
    """The batch's events, rebuilt from a BatchML file this module wrote."""
    # ElementTree never fetches external entities, and the expat bundled with CPython 3.11
    # (>= 2.4.1) caps entity expansion ("billion laughs"); the input is our own export.
    root = ET.fromstring(text)  # noqa: S314
    events: list[Event] = []
    for attr in root.iter(_q("UserAttribute")):
        if attr.findtext(_q("AttributeID")) != EVENT_ATTRIBUTE:
            continue
        raw = attr.findtext(f"{_q('Value')}/{_q('ValueString')}")
        if raw:
            events.append(Event.from_dict(json.loads(raw)))
    return events
