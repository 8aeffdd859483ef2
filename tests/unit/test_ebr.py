"""The batch record (kiosk/ebr.py): the PDF read back with pypdf, the JSON copy, the command."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from kiosk.batch import BatchState
from kiosk.ebr import (
    BatchRecord,
    EbrError,
    export,
    export_json,
    fmt_ts,
    load_record,
    write_pdf,
)
from kiosk.recipe import load_recipe
from kiosk.trends import trend_data
from local_store import EventStore, event_hash
from tests.helpers import run_kiosk as kiosk

from .conftest import Station
from .test_review import ROOT, car_t_steps, reference_db, run, write_script

pypdf = pytest.importorskip("pypdf")

RECIPES = ROOT / "recipes"
CORRECTION = {
    "do": "correct",
    "step": "receipt.shipper_temp_frozen",
    "value": "-165",
    "reason": "Read from the wrong logger channel",
}


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(str(path)).pages]


def flat(text: str) -> str:
    """Table cells wrap: compare text with every run of whitespace as one space."""
    return " ".join(text.split())


def load(db: Path, batch: str, recipes: Path | None = RECIPES) -> BatchRecord:
    with EventStore(db, "READER", create=False) as store:
        return load_record(store, batch, recipes)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return reference_db(tmp_path_factory.mktemp("ebr-ref"))


@pytest.fixture(scope="module")
def reference_pdf(reference: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ebr-ref-pdf") / "B-OQ-0001.pdf"
    export(reference, "B-OQ-0001", out, recipes_dir=RECIPES)
    return out


@pytest.fixture(scope="module")
def two_batches(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """B-CORR-1 (one corrected CQA, dispositioned, released), then a clean B-CLEAN-2."""
    tmp = tmp_path_factory.mktemp("ebr-two")
    db = tmp / "two.sqlite"
    item = "correction:receipt.shipper_temp_frozen:1"
    steps = car_t_steps(
        "B-CORR-1",
        release=False,
        before_release=[
            CORRECTION,
            {"do": "login", "user": "quinn", "password": "qa-quinn-2026"},
            {
                "do": "disposition",
                "exception": item,
                "decision": "accepted",
                "user": "quinn",
                "password": "qa-quinn-2026",
                "reason": "Logger export checked: -165 °C is the right channel",
            },
            {"do": "sign", "user": "quinn", "password": "qa-quinn-2026"},
        ],
    )
    run(write_script(tmp / "corr.yaml", steps), db)
    clean = car_t_steps(
        "B-CLEAN-2",
        counts=(200.0, 600.0, 1200.0, 1400.0, 1900.0),
        viability=91.0,
        collection="654322",
        order="ORD-2026-0114",
    )
    run(write_script(tmp / "clean.yaml", clean, start="2026-12-10T07:00:00Z"), db)
    return db


# ---------------------------------------------------------------- the full record


def test_every_page_has_identity_header_and_page_n_of_m(reference_pdf: Path) -> None:
    pages = pdf_pages(reference_pdf)
    assert len(pages) > 5
    for number, text in enumerate(pages, start=1):
        head = text.splitlines()[0]
        assert "Batch B-OQ-0001" in head
        assert "Patient ID PT-0042" in head
        assert "DIN G123417654321 A" in head  # with its keyboard check character
        assert f"page {number} of {len(pages)}" in text


def test_cover_names_product_patient_recipe_station_and_status(
    reference_pdf: Path, reference: Path
) -> None:
    cover = pdf_pages(reference_pdf)[0]
    record = load(reference, "B-OQ-0001")
    for expected in (
        "Electronic batch record",
        "Autologous CAR-T",
        "S1234A00",
        "PT-0042",
        "ORD-2026-0113",
        "CHG123417654321",
        "car-t-autologous version 8",
        record.recipe_sha256,
        "sha256 matches car-t-autologous.yaml",
        "OQ-CART-1",
        fmt_ts(record.started_ts),
        fmt_ts(record.ended_ts),
        "RELEASED",
        "released — Quinn Marlowe (quinn)",
        "all match",
    ):
        assert expected in cover, expected


def test_exceptions_come_first(reference_pdf: Path, reference: Path) -> None:
    text = "\n".join(pdf_pages(reference_pdf))
    first = text.index("1. Exceptions and review items")
    steps = text.index("2. Stages and steps")
    assert first < steps
    for exc_id in load(reference, "B-OQ-0001").state.exceptions:
        assert first < text.index(exc_id) < steps
    assert "DEVIATION DEV-2026-0042" in text[first:steps]


def test_steps_show_values_limits_devices_calculations_people(reference_pdf: Path) -> None:
    text = "\n".join(pdf_pages(reference_pdf))
    steps = flat(text[text.index("2. Stages and steps") : text.index("3. Electronic signatures")])
    for expected in (
        "Viability after selection",
        "68.5 %",
        "action 70–100 %",
        "balance serial B207696838",
        "formula: moi * cells_to_transduce / vector_titre",
        "vector_titre = 200 1e6 TU/mL",
        "2.50 mL",
        "-160 °C",
        "action ≤ -150 °C",
        "Olivia Okafor (olivia)",
        "witnessed: Oscar Lindqvist (oscar)",
        "skipped",
        "iteration 5",
        "CD4/CD8 microbeads: GTIN 08430215011539, lot BEADS-2411",
    ):
        assert expected in steps, expected


def test_chain_of_custody_section_names_receiver_signature_and_condition(
    reference_pdf: Path,
) -> None:
    text = flat("\n".join(pdf_pages(reference_pdf)))
    section = text[text.index("6. Chain of custody") : text.index("Appendix A. Audit trail")]
    for expected in (
        "received from the courier",
        "Courier (BioLogistics, AWB 7781-2290) → Olivia Okafor",
        "Goods receipt",
        "seal intact; logger -182 °C",
        "Olivia Okafor (olivia), received, 2026-11-27 07:00:00 UTC",
        "Colin Reyes (colin), received",
        "AWB 7781-3310",
    ):
        assert expected in section, expected
    assert "custody receipt: Courier (BioLogistics, AWB 7781-2290) → Olivia Okafor" in text


def test_every_signature_with_printed_name_time_and_meaning(
    reference_pdf: Path, reference: Path
) -> None:
    text = "\n".join(pdf_pages(reference_pdf))
    section = text[text.index("3. Electronic signatures") : text.index("4. Corrections")]
    record = load(reference, "B-OQ-0001")
    signatures = record.signatures()
    assert len(signatures) >= 15
    for sig in signatures:
        assert f"{sig['name']} ({sig['user']})" in section
        assert fmt_ts(sig["ts"]) in flat(section)
    meanings = {s["meaning"] for s in signatures}
    assert {"witnessed", "verified", "acknowledged", "reviewed", "released"} <= meanings
    rows = flat(section)
    for sig in signatures:
        assert f"{sig['name']} ({sig['user']}) {sig['meaning']}" in rows


def test_audit_appendix_has_every_event(reference_pdf: Path, reference: Path) -> None:
    text = "\n".join(pdf_pages(reference_pdf))
    appendix = text[text.index("Appendix A. Audit trail") :]
    for event in load(reference, "B-OQ-0001").events:
        stamp = fmt_ts(event.ts).removesuffix(" UTC") + event.ts[19:23]
        assert f"{event.seq}\n{stamp}" in appendix, event.seq
        assert event.hash[:12] in appendix


def test_fonts_are_embedded_and_cover_the_symbols(reference_pdf: Path) -> None:
    reader = pypdf.PdfReader(str(reference_pdf))
    fonts: dict[str, Any] = {}
    for page in reader.pages:
        for ref in page["/Resources"]["/Font"].values():
            font = ref.get_object()
            fonts[str(font["/BaseFont"])] = font
    assert fonts
    for name, font in fonts.items():
        descriptor = font.get("/FontDescriptor")
        if descriptor is None:  # composite fonts keep it on the descendant
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        assert "/FontFile2" in descriptor.get_object(), f"{name} is not embedded"
    text = "\n".join(pdf_pages(reference_pdf))
    for symbol in "°≤–":
        assert symbol in text


def test_correction_shows_old_value_new_value_and_reason(two_batches: Path, tmp_path: Path) -> None:
    out = tmp_path / "corr.pdf"
    export(two_batches, "B-CORR-1", out, recipes_dir=RECIPES)
    text = "\n".join(pdf_pages(out))
    section = flat(text[text.index("4. Corrections") : text.index("5. Materials")])
    for expected in ("receipt.shipper_temp_", "-160 °C", "-165 °C", CORRECTION["reason"]):
        assert expected in section, expected
    # the step shows the corrected value, the first value and the correction
    assert "CORRECTED" in text
    assert "first recorded -160 °C" in flat(text)
    # and the review item with QA's decision comes first
    items = text[text.index("1.2 Other review items") : text.index("2. Stages and steps")]
    assert "correction:receipt.shipper_temp_frozen:1" in items
    assert "ACCEPTED" in items


def test_running_batch_exports_with_its_open_items(station: Station, tmp_path: Path) -> None:
    eng = station.engine
    olivia = station.login("olivia")
    batch = eng.start_batch(olivia, "training", {"trainee": "Zoë Ő"}, batch_id="B-RUN-1")
    eng.confirm(olivia, batch)
    eng.scan(olivia, batch, "=G12341765432170")
    eng.check(olivia, batch, "fail", comment="Dust ± 2 µm on the bench")
    out = tmp_path / "running.pdf"
    record = load_record(station.store, batch, RECIPES)
    pages = write_pdf(record, out)
    text = flat("\n".join(pdf_pages(out)))
    assert pages == len(pdf_pages(out))
    assert "ON HOLD" in text
    assert "not ended" in text
    assert "OPEN — not yet dispositioned" in text
    assert "blocking: NOT acknowledged" in text
    assert "Dust ± 2 µm on the bench" in text
    # a character outside the embedded Vera font comes from the fallback font, or is
    # printed as its code point: never silently dropped
    from kiosk.ebr import _fonts

    shown = "Zoë Ő" if _fonts().fallback else "Zoë [U+0150]"
    assert f"Batch B-RUN-1 · Trainee name {shown} · DIN" in text


def test_a_din_typed_by_hand_shows_the_supervisor_who_approved_it(
    station: Station, tmp_path: Path
) -> None:
    eng = station.engine
    olivia = station.login("olivia")
    batch = eng.start_batch(olivia, "training", {"trainee": "Olivia"}, batch_id="B-KEY-1")
    eng.confirm(olivia, batch)
    eng.scan(
        olivia,
        batch,
        "G123417654321 A",
        keyed=True,
        override=station.creds("sam"),
        reason="DIN barcode smudged",
    )
    out = tmp_path / "typed.pdf"
    write_pdf(load_record(station.store, batch, RECIPES), out)
    text = flat("\n".join(pdf_pages(out)))
    assert "typed by hand (override): DIN barcode smudged" in text
    assert "DIN G123417654321 typed by hand, not scanned (DIN barcode smudged)" in text
    assert "exception · manual_entry · major" in text
    assert "Samira Haddad" in text  # the supervisor's signature, printed name and meaning
    assert "approved" in text


# ---------------------------------------------------------------- review by exception


def test_review_report_of_a_clean_batch_fits_on_three_pages(
    two_batches: Path, tmp_path: Path
) -> None:
    out = tmp_path / "review.pdf"
    line = export(two_batches, "B-CLEAN-2", out, review_only=True, recipes_dir=RECIPES)
    pages = pdf_pages(out)
    assert len(pages) <= 3, line
    text = "\n".join(pages)
    assert "No review items: a clean batch." in text
    assert "2. CPP and CQA values" in text
    assert "Viability at harvest" in text
    assert "action 80–100 %" in text
    assert "3. Trends across batches" in text  # two batches in this database
    assert "Audit trail" not in text
    for number, page in enumerate(pages, start=1):
        assert "Patient ID PT-0042" in page.splitlines()[0]
        assert f"page {number} of {len(pages)}" in page


def test_review_report_lists_items_with_dispositions(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "review.pdf"
    export(reference, "B-OQ-0001", out, review_only=True, recipes_dir=RECIPES)
    text = "\n".join(pdf_pages(out))
    record = load(reference, "B-OQ-0001")
    for exc_id in record.state.exceptions:
        assert exc_id in text
    assert "out (action)" in text
    assert "Trends across batches" not in text  # one batch only


def test_trend_data_across_batches(two_batches: Path) -> None:
    with EventStore(two_batches, "READER", create=False) as store:
        data = trend_data(store)
    json.dumps(data)  # ready for a dashboard
    assert [b["batch"] for b in data["batches"]] == ["B-CORR-1", "B-CLEAN-2"]
    metrics = {m["key"]: m for m in data["metrics"]}
    assert [p["value"] for p in metrics["viability"]["points"]] == [93.1, 93.1]
    assert metrics["viability"]["limits"]["action"] == [80.0, 100.0]
    assert [p["value"] for p in metrics["expansion_fold"]["points"]] == [17.5, 17.5]
    assert len(metrics["transduction_efficiency"]["points"]) == 2
    hours = [p["value"] for p in metrics["collection_to_release_h"]["points"]]
    assert len(hours) == 2
    assert hours[1] > hours[0] > 24
    endotoxin = data["parameters"]["endotoxin"]["points"]
    assert [p["value"] for p in endotoxin] == [0.5, 0.5]  # the LIMS's results
    shipper = data["parameters"]["shipper_temp"]["points"]
    assert [p["value"] for p in shipper] == [-165, -160]  # the correction is applied


# ---------------------------------------------------------------- the electronic copy


def test_json_export_is_the_events_verbatim_and_rebuilds_the_state(reference: Path) -> None:
    record = load(reference, "B-OQ-0001")
    data = json.loads(json.dumps(export_json(record), default=str))
    with EventStore(reference, "READER", create=False) as store:
        stored = [e.to_dict() for e in store.events(batch="B-OQ-0001")]
    assert data["events"] == stored
    for e in data["events"]:
        fields = {k: v for k, v in e.items() if k != "hash"}
        assert event_hash(**fields) == e["hash"]
    recipe = data["recipe"]
    assert (recipe["id"], recipe["version"]) == ("car-t-autologous", 8)
    assert recipe["available"] is True
    import hashlib

    assert hashlib.sha256(recipe["source"].encode()).hexdigest() == recipe["sha256"]
    summary = data["summary"]
    assert summary["status"] == "released"
    assert summary["identifiers"]["Patient ID"] == "PT-0042"
    assert summary["last_hash"] == stored[-1]["hash"]
    assert summary["review"]["open"] == 0
    assert data["users"]["quinn"] == "Quinn Marlowe"
    assert "password_hash" not in json.dumps(data)
    # rebuild the record from the copy alone
    loaded = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml")
    from local_store import Event

    events = [Event.from_dict(e) for e in data["events"]]
    state = BatchState(
        id=data["batch"],
        recipe=loaded.recipe,
        recipe_sha256=recipe["sha256"],
        context=dict(events[0].payload["context"]),
        started_ts=events[0].ts,
    )
    for event in events:
        state.apply(event)
    assert {k: r.value for k, r in state.records.items()} == {
        k: r.value for k, r in record.state.records.items()
    }
    assert state.state == "released"


# ---------------------------------------------------------------- without the recipe


def test_record_printed_from_events_when_recipe_missing(reference: Path, tmp_path: Path) -> None:
    empty = tmp_path / "no-recipes"
    empty.mkdir()
    out = tmp_path / "norecipe.pdf"
    line = export(reference, "B-OQ-0001", out, recipes_dir=empty)
    assert "recipe was not available" in line
    text = "\n".join(pdf_pages(out))
    assert "the recipe was not available" in flat(text)
    assert "2.5 mL" in text  # the recipe's decimals are not known: shown as recorded
    assert "patient_id PT-0042" in text.splitlines()[0]
    for exc_id in load(reference, "B-OQ-0001").state.exceptions:
        assert exc_id in text


def test_changed_recipe_file_is_not_used(reference: Path, tmp_path: Path) -> None:
    changed = tmp_path / "changed"
    changed.mkdir()
    source = (RECIPES / "car-t-autologous.yaml").read_text(encoding="utf-8")
    (changed / "car-t-autologous.yaml").write_text(source + "\n# edited\n", encoding="utf-8")
    record = load(reference, "B-OQ-0001", changed)
    assert record.recipe is None
    assert "sha256 is" in record.recipe_note
    assert "not the" in record.recipe_note


def test_build_record_from_events_refuses_a_recipe_with_another_hash(reference: Path) -> None:
    """The server's path: events it stores, a recipe it holds, names it knows."""
    from kiosk.ebr import build_record

    stored = load(reference, "B-OQ-0001")
    other = load_recipe(ROOT / "recipes" / "training.yaml")
    record = build_record("B-OQ-0001", stored.events, {"quinn": "Quinn Marlowe"}, other, "?")
    assert record.recipe is None
    assert "is not the" in record.recipe_note
    assert record.name("u:quinn") == "Quinn Marlowe (quinn)"
    assert record.state.state == "released"
    right = load_recipe(ROOT / "recipes" / "car-t-autologous.yaml")
    record = build_record("B-OQ-0001", stored.events, {}, right, "from the server")
    assert record.recipe is right
    assert record.recipe_note == "from the server"
    with pytest.raises(EbrError, match=r"not batch\.started"):
        build_record("B-OQ-0001", stored.events[1:], {}, right, "")


def test_altered_event_is_reported_on_the_cover(reference: Path, tmp_path: Path) -> None:
    record = load(reference, "B-OQ-0001")
    victim = next(e for e in record.events if e.type == "step.recorded")
    from dataclasses import replace

    record.events[record.events.index(victim)] = replace(
        victim, payload={**victim.payload, "value": "tampered"}
    )
    record.hash_mismatches = [
        e.seq
        for e in record.events
        if event_hash(**{k: v for k, v in e.to_dict().items() if k != "hash"}) != e.hash
    ]
    out = tmp_path / "altered.pdf"
    write_pdf(record, out)
    assert f"ALTERED: the hash of event(s) {victim.seq}" in pdf_pages(out)[0]


# ---------------------------------------------------------------- the command


def main(*args: str) -> tuple[int, str]:
    """The `kiosk` command in this process (the subprocess tests cover the real entry point)."""
    from kiosk.cli import main as kiosk_main

    out = io.StringIO()
    code = kiosk_main(list(args), out)
    return code, out.getvalue()


def test_kiosk_ebr_export_in_a_subprocess(reference: Path, tmp_path: Path) -> None:
    out = tmp_path / "record.pdf"
    result = kiosk("ebr", "export", "--db", str(reference), "--batch", "B-OQ-0001", "-o", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"wrote {out}: batch record of batch B-OQ-0001, ")
    assert out.read_bytes().startswith(b"%PDF-")
    missing = kiosk(
        "ebr", "export", "--db", str(tmp_path / "none.sqlite"), "--batch", "B-1", "-o", str(out)
    )
    assert missing.returncode == 1
    assert missing.stdout == f"ebr: no database at {tmp_path / 'none.sqlite'}\n"
    assert "Traceback" not in missing.stderr


@pytest.mark.parametrize(
    ("extra", "suffix", "magic"),
    [
        (("--review-only",), "pdf", b"%PDF-"),
        (("--format", "json"), "json", b"{"),
        (("--format", "batchml"), "xml", b"<?xml"),
    ],
)
def test_kiosk_ebr_export_formats(
    reference: Path, tmp_path: Path, extra: tuple[str, ...], suffix: str, magic: bytes
) -> None:
    out = tmp_path / f"record.{suffix}"
    code, text = main(
        "ebr", "export", "--db", str(reference), "--batch", "B-OQ-0001", "-o", str(out), *extra
    )
    assert code == 0, text
    assert text.startswith(f"wrote {out}")
    assert out.read_bytes().startswith(magic)


def test_kiosk_ebr_export_errors_are_one_line(reference: Path, tmp_path: Path) -> None:
    out = str(tmp_path / "x.pdf")
    cases = [
        (("--db", str(tmp_path / "missing.sqlite"), "--batch", "B-1", "-o", out), "no database"),
        (("--db", str(reference), "--batch", "B-NOPE", "-o", out), "no batch 'B-NOPE'"),
        (
            (
                "--db",
                str(reference),
                "--batch",
                "B-OQ-0001",
                "-o",
                out,
                "--review-only",
                "--format",
                "json",
            ),
            "review-only",
        ),
        (
            (
                "--db",
                str(reference),
                "--batch",
                "B-OQ-0001",
                "-o",
                str(tmp_path / "no-such-dir" / "x.pdf"),
            ),
            "cannot write",
        ),
        (("--db", str(tmp_path), "--batch", "B-1", "-o", out), "no database"),
    ]
    for args, message in cases:
        code, text = main("ebr", "export", *args)
        assert code == 1, args
        assert text.startswith("ebr: ")
        assert message in text
        assert text.count("\n") == 1


# ---------------------------------------------------------------- a look at the layout


@pytest.fixture
def png_dir(tmp_path: Path) -> Path:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    return tmp_path


def test_pages_render_to_png(reference_pdf: Path, png_dir: Path) -> None:
    """Renders the cover and the first step page (look at them when the layout changes)."""
    prefix = png_dir / "page"
    subprocess.run(
        ["pdftoppm", "-r", "60", "-png", "-f", "1", "-l", "3", str(reference_pdf), str(prefix)],
        check=True,
        timeout=60,
    )
    images = sorted(png_dir.glob("page-*.png"))
    assert len(images) == 3
    for image in images:
        data = image.read_bytes()
        assert data.startswith(b"\x89PNG")
        assert len(data) > 10_000  # not blank
