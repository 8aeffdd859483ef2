"""Product labels on printers: ZPL to a fake Zebra on a real socket, PDF through CUPS's `lp`."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from kiosk.devices.errors import DeviceError
from kiosk.devices.printers import parse_printer_url, print_pdf_cups, print_product_label
from kiosk.devices.sim_printer import FakeZebra, ZplError, check_format
from kiosk.devices.zpl import (
    HostStatus,
    PrinterError,
    ZplPrinter,
    label_zpl,
    parse_host_status,
)
from kiosk.identity import CoiId, Din, parse_label
from kiosk.labels import LabelPrintError, label_model, write_label_pdf
from tests.helpers import run_kiosk

CONTENT = {
    "batch": "B-2026-0007",
    "din": "G123417654321",
    "product": "S1234A00",
    "coi": "CHG123417654321",
    "expiry": "2027-08-31T12:00:00Z",
    "identifiers": {"patient_id": "P-0042", "date_of_birth": "1970-01-31", "DIN": "x"},
    "copies": 1,
}


@pytest.fixture
def zebra() -> Iterator[FakeZebra]:
    with FakeZebra() as printer:
        yield printer


def pdf_lines(path: Path) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(path).pages)
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_pdf_and_zpl_carry_the_same_data(tmp_path: Path) -> None:
    label = label_model(CONTENT)
    pdf = tmp_path / "label.pdf"
    write_label_pdf(CONTENT, pdf)
    printed = check_format(label_zpl(label).decode())
    # eye-readable: the same lines, word for word, on both
    assert sorted(printed.of("text")) == sorted([*label.eye_readable(), label.flags])
    on_pdf = pdf_lines(pdf)
    for line in label.eye_readable():
        assert any(line in shown for shown in on_pdf), (line, on_pdf)
    assert "Patient ID: P-0042" in label.eye_readable()
    # the CoI eye-readable on both (structure 040 as printed), and in the Data Matrix
    assert "&/CHG123417654321" in label.eye_readable()
    assert "G1234 17 654321" in label.eye_readable()
    # barcodes: the DIN with flags and the product code in Code 128, the compound in Data Matrix
    assert printed.of("code128") == ["=G12341765432170", "=<S1234A00"]
    (compound,) = printed.of("datamatrix")
    assert compound == label.compound
    parsed = parse_label(compound)
    assert parsed.find(Din) == Din("G123417654321", "70")
    assert parsed.find(CoiId) == CoiId("CHG123417654321")
    assert parsed.as_fields()["product_code"] == "S1234A00"
    assert parsed.as_fields()["expiry"].startswith("2027-08-31")


def test_zpl_escapes_reserved_characters() -> None:
    content = dict(CONTENT, identifiers={"patient_id": "P^42~_x"})
    printed = check_format(label_zpl(label_model(content)).decode())
    assert "Patient ID: P^42~_x" in printed.of("text")


def test_zpl_size_and_copies() -> None:
    zpl = label_zpl(label_model(dict(CONTENT, copies=3)), dpi=300).decode()
    assert "^PW1200" in zpl  # 4 inches at 300 dpi
    assert "^LL600" in zpl  # 2 inches
    assert check_format(zpl).copies == 3
    with pytest.raises(LabelPrintError, match="203 or 300 dpi"):
        label_zpl(label_model(CONTENT), dpi=600)
    five = {f"id_{n}": "x" for n in range(5)}
    with pytest.raises(LabelPrintError, match="room for 4 identifier lines, not 5"):
        label_zpl(label_model(dict(CONTENT, identifiers=five)))
    with pytest.raises(LabelPrintError, match="not between 1 and 99"):
        label_model(dict(CONTENT, copies=0))


def test_prints_on_the_zebra_checking_status_before_and_after(zebra: FakeZebra) -> None:
    done = print_product_label(CONTENT, zebra.url)
    assert done == f"printed 1 label(s) on zpl://127.0.0.1:{zebra.port}"
    assert len(zebra.printed) == 1
    assert zebra.rejected == []
    assert zebra.status_requests >= 2  # before sending and after
    assert zebra.printed[0].of("code128")[0] == "=G12341765432170"


@pytest.mark.parametrize(
    ("fault", "words"),
    [
        ("head_open", "the label printer's head is open — close it and press Print again"),
        ("paper_out", "the label printer is out of labels — load a new roll and press Print again"),
        ("paused", "the label printer is paused — press its PAUSE key and press Print again"),
        ("ribbon_out", "the label printer is out of ribbon — load a new ribbon and press Print "
                       "again"),
    ],
)  # fmt: skip
def test_a_fault_before_printing_is_refused_and_nothing_is_sent(
    zebra: FakeZebra, fault: str, words: str
) -> None:
    zebra.set(**{fault: True})
    with pytest.raises(PrinterError) as caught:
        print_product_label(CONTENT, zebra.url)
    assert str(caught.value) == words
    assert zebra.printed == []
    assert b"^XA" not in zebra.received


def test_paper_running_out_while_printing_reaches_the_operator(zebra: FakeZebra) -> None:
    zebra.paper_out_after = 0
    with pytest.raises(PrinterError, match=r"^the label may not have printed: .*out of labels"):
        print_product_label(CONTENT, zebra.url)
    assert zebra.printed == []
    zebra.set(paper_out=False, paper_out_after=None)  # type: ignore[arg-type]
    assert len(zebra.printed) == 1  # the buffered label comes out after reloading


def test_unreachable_printer() -> None:
    with FakeZebra() as gone:
        port = gone.port
    with pytest.raises(
        PrinterError, match=r"cannot reach the label printer at 127\.0\.0\.1"
    ) as caught:
        ZplPrinter("127.0.0.1", port, timeout=1).status()
    assert caught.value.kind == "timeout"


def test_fake_printer_rejects_malformed_zpl(zebra: FakeZebra) -> None:
    ZplPrinter("127.0.0.1", zebra.port, timeout=2).send(b"^XA^FO10,10^A0N,20,20^FDno end^XZ")
    ZplPrinter("127.0.0.1", zebra.port, timeout=2).send(b"^XA^FO10,10^QQ^XZ")
    assert zebra.rejected == ["^FD without ^FS", "unknown command ^QQ"]
    assert zebra.printed == []


def test_printer_urls() -> None:
    assert str(parse_printer_url("zpl://10.0.0.5")) == "zpl://10.0.0.5:9100"
    assert parse_printer_url("zpl://zebra-3:6101").port == 6101
    assert parse_printer_url("cups://Office_2").queue == "Office_2"
    assert parse_printer_url("cups://").queue is None
    for bad in ("http://x", "zpl://", "cups://a b", "zpl://h:port"):
        with pytest.raises(DeviceError) as caught:
            parse_printer_url(bad)
        assert caught.value.kind == "config"


# ---------------------------------------------------------------- CUPS


def test_cups_missing_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no lp here
    with pytest.raises(PrinterError, match=r"^CUPS is not installed on this station \(no `lp`"):
        print_product_label(CONTENT, "cups://Office")


def fake_lp(folder: Path, *, fail: bool = False) -> Path:
    """An `lp` that keeps what it was given, as CUPS would spool it."""
    script = folder / "lp"
    body = (
        "import shutil, sys\n"
        f"log = open({str(folder / 'lp.args')!r}, 'w'); log.write(' '.join(sys.argv[1:]))\n"
        f"shutil.copy(sys.argv[-1], {str(folder / 'spooled.pdf')!r})\n"
        + ("sys.stderr.write('lp: The printer or class does not exist.\\n'); sys.exit(1)\n"
           if fail else "print('request id is Office-17 (1 file(s))')\n")
    )  # fmt: skip
    script.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return script


def test_cups_gets_the_pdf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ["PATH"])
    done = print_product_label(CONTENT, "cups://Office")
    assert done == "sent to cups://Office: request id is Office-17 (1 file(s))"
    args = (tmp_path / "lp.args").read_text().split()
    assert args[:4] == ["-t", "Label", "B-2026-0007", "-d"]
    assert "G1234 17 654321" in pdf_lines(tmp_path / "spooled.pdf")


def test_cups_refusal_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_lp(tmp_path, fail=True)
    monkeypatch.setenv("PATH", str(tmp_path) + os.pathsep + os.environ["PATH"])
    pdf = tmp_path / "x.pdf"
    write_label_pdf(CONTENT, pdf)
    with pytest.raises(PrinterError) as caught:
        print_pdf_cups(pdf, "Nope", title="t")
    assert str(caught.value) == "CUPS refused the label: lp: The printer or class does not exist."


# ---------------------------------------------------------------- the command


@pytest.fixture(scope="module")
def batch_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("batch") / "batch.sqlite"
    result = run_kiosk("oq", "run", "oq/car-t-full-batch.yaml", "--db", str(db))
    assert result.returncode == 0, result.stdout
    return db


def test_label_print_command_to_the_zebra(batch_db: Path, tmp_path: Path) -> None:
    with FakeZebra() as zebra:
        result = run_kiosk(
            "label", "print", "--db", str(batch_db), "--batch", "B-OQ-0001",
            "--printer", zebra.url,
        )  # fmt: skip
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stdout == (
            f"printed 1 label(s) on zpl://127.0.0.1:{zebra.port}: "
            "product label of batch B-OQ-0001\n"
        )
        assert zebra.printed[0].of("code128")[0] == "=G12341765432170"
        zebra.set(head_open=True)
        config = tmp_path / "station.toml"
        config.write_text(f'[printer]\nurl = "{zebra.url}"\ndpi = 300\n', encoding="utf-8")
        refused = run_kiosk(
            "label", "print", "--db", str(batch_db), "--batch", "B-OQ-0001", "--config", str(config)
        )
    assert refused.returncode == 1
    assert refused.stdout == (
        "label print: the label printer's head is open — close it and press Print again\n"
    )
    nowhere = run_kiosk("label", "print", "--db", str(batch_db), "--batch", "B-OQ-0001")
    assert (nowhere.returncode, nowhere.stdout) == (
        1,
        "label print: say where: -o FILE.pdf, --printer URL or --config FILE\n",
    )


# ---------------------------------------------------------------- properties

flags = st.sampled_from("01")


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=200))
def test_host_status_bytes_are_read_or_refused(data: bytes) -> None:
    kind = "read"
    try:
        parse_host_status(data)
    except PrinterError as exc:
        kind = exc.kind
    assert kind in ("read", "garbled")


@settings(max_examples=100, deadline=None)
@given(
    paper=flags, pause=flags, head=flags, ribbon=flags,
    formats=st.integers(0, 999), remaining=st.integers(0, 99_999_999),
)  # fmt: skip
def test_host_status_round_trip(
    paper: str, pause: str, head: str, ribbon: str, formats: int, remaining: int
) -> None:
    one = f"030,{paper},{pause},1234,{formats:03d},0,0,0,000,0,0,0"
    two = f"001,0,{head},{ribbon},0,2,6,0,{remaining:08d},1,000"
    data = b"".join(b"\x02" + s.encode() + b"\x03\r\n" for s in (one, two, "1234,0"))
    status = parse_host_status(data)
    assert (status.paper_out, status.paused, status.head_open, status.ribbon_out) == (
        paper == "1", pause == "1", head == "1", ribbon == "1",
    )  # fmt: skip
    assert (status.formats_in_buffer, status.labels_remaining) == (formats, remaining)
    assert (status.problem() is None) == (status == HostStatus(False, False, False, False, False,
                                                                formats, remaining))  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    identifiers=st.dictionaries(
        st.text("abcdefghij_", min_size=1, max_size=10),
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=30),
        max_size=4,
    )
)
def test_any_identifier_text_prints_as_given(identifiers: dict[str, str]) -> None:
    content = dict(CONTENT, identifiers=identifiers)
    label = label_model(content)
    printed = check_format(label_zpl(label).decode())
    assert printed.of("text")[1 : 1 + len(label.identifier_lines)] == list(label.identifier_lines)


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.sampled_from(list("^XAZFDSOHBCYQ0123456789,_~>:=N \n")), max_size=120))
def test_the_fake_printer_reads_or_rejects_any_format(text: str) -> None:
    zpl = "^XA" + text + "^XZ"
    message = "printed"
    try:
        check_format(zpl)
    except ZplError as exc:
        message = str(exc)
    assert message
