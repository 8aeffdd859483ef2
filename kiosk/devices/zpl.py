"""Zebra label printers: the product label in ZPL, raw TCP port 9100, `~HS` host status.

`label_zpl(label)` writes a `kiosk.labels.ProductLabel` (the same model the
PDF is drawn from) at cryobag label size: 4 × 2 inches (101.6 × 50.8 mm) at
203 or 300 dpi. It carries the DIN with flags in Code 128, the eye-readable
DIN with the boxed keyboard check character, the product code in Code 128,
the expiry, the compound message (structure 023, with the CoI) in a Data
Matrix, the patient identifiers and the batch.

`ZplPrinter.print_label()` asks `~HS` before sending (paper out, head open,
paused, ribbon out: refused in operator words, nothing sent), sends the ZPL
over one TCP connection, and asks `~HS` again until the printer's buffer is
empty, so an error during printing reaches the operator too.

`~HS` answers three lines, each framed by STX … ETX CR LF:
``aaa,b,c,dddd,eee,f,g,h,iii,j,k,l`` (b paper out, c paused, eee formats in
the receive buffer, f buffer full, j corrupt RAM, k/l under/over temperature),
``mmm,n,o,p,q,r,s,t,uuuuuuuu,v,www`` (o head up/open, p ribbon out, t label
waiting, uuuuuuuu labels remaining in the batch), ``xxxx,y``.
"""

from __future__ import annotations

import logging
import re
import socket
import time
from dataclasses import dataclass

from kiosk.devices.errors import DeviceError
from kiosk.labels import LabelPrintError, ProductLabel
from kiosk.text import Text

log = logging.getLogger(__name__)

LABEL_INCHES = (4.0, 2.0)  # a cryobag label
STX, ETX = b"\x02", b"\x03"
DEFAULT_PORT = 9100


class PrinterError(DeviceError):
    """The label printer cannot print now; str() says what the operator should do."""


# ---------------------------------------------------------------- the label in ZPL


def _field(text: str) -> str:
    """`^FD…^FS`, with ^FH hex escapes for the characters ZPL reserves."""
    if any(c in text for c in "^~_"):
        escaped = "".join(f"_{ord(c):02X}" if c in "^~_" else c for c in text)
        return f"^FH_^FD{escaped}^FS"
    return f"^FD{text}^FS"


def _code128(text: str) -> str:
    """^BC data in subset B (`>:`), a literal `>` written `>0`."""
    return _field(">:" + text.replace(">", ">0"))


def label_zpl(label: ProductLabel, *, dpi: int = 203) -> bytes:
    """The label as one ZPL format (UTF-8, ^CI28), `label.copies` copies."""
    if dpi not in (203, 300):
        raise LabelPrintError(f"{dpi} dpi: Zebra printers print at 203 or 300 dpi")
    if "~" in label.compound:
        raise LabelPrintError("the compound message holds '~', which a Data Matrix cannot carry")
    dots = dpi / 25.4

    def d(mm: float) -> int:
        return round(mm * dots)

    bar = 2 if dpi == 203 else 3  # narrow bar, dots (0.25 mm)
    module = 3 if dpi == 203 else 4  # Data Matrix module, dots (~0.35 mm)

    def text(x: float, y: float, height: float, value: str) -> str:
        return f"^FO{d(x)},{d(y)}^A0N,{d(height)},{d(height)}{_field(value)}"

    out = [
        "^XA",
        "^CI28",
        f"^PW{d(LABEL_INCHES[0] * 25.4)}",
        f"^LL{d(LABEL_INCHES[1] * 25.4)}",
        "^LH0,0",
        text(3, 2, 3.0, label.header),
    ]
    lines = label.identifier_lines
    if len(lines) > 4:
        raise LabelPrintError(
            f"the cryobag label has room for 4 identifier lines, not {len(lines)}: "
            "print it on a larger label (PDF)"
        )
    size, step = (2.4, 2.8) if len(lines) <= 3 else (1.9, 2.1)
    y = 6.0
    for line in lines:
        out.append(text(3, y, size, line))
        y += step
    # DIN with flags in Code 128, the eye-readable DIN, its flags and the boxed K
    out.append(f"^FO{d(3)},{d(15)}^BY{bar}^BCN,{d(9)},N,N,N{_code128(label.din_barcode)}")
    out.append(text(3, 25.5, 3.5, label.din_text))
    out.append(text(38, 25.5, 2.4, label.flags))
    out.append(f"^FO{d(45)},{d(25)}^GB{d(4.5)},{d(4.5)},2^FS")
    out.append(text(45.8, 25.5, 3.5, label.check_character))
    if label.product_barcode:
        out.append(f"^FO{d(3)},{d(31)}^BY{bar}^BCN,{d(6)},N,N,N{_code128(label.product_barcode)}")
    if label.expiry_text:
        out.append(text(3, 38.5, 2.6, label.expiry_text))
    out.append(text(3, 46, 2.4, label.batch_text))
    # the compound message in a Data Matrix (ECC 200), top right; the structures under it
    out.append(f"^FO{d(70)},{d(6)}^BXN,{module},200,0,0,6,~{_field(label.compound)}")
    y = 31.0
    for line in label.structure_lines:
        out.append(text(66, y, 2.2, line))
        y += 2.8
    out += [f"^PQ{label.copies},0,1,Y", "^XZ"]
    return ("\n".join(out) + "\n").encode("utf-8")


# ---------------------------------------------------------------- host status


@dataclass(frozen=True)
class HostStatus:
    """The printer's answer to `~HS`, the flags that matter for printing."""

    paper_out: bool
    paused: bool
    head_open: bool
    ribbon_out: bool
    buffer_full: bool
    formats_in_buffer: int
    labels_remaining: int
    corrupt_ram: bool = False
    under_temperature: bool = False
    over_temperature: bool = False

    def problem(self) -> str | None:
        """The first thing the operator must fix before a label can print, or None."""
        if self.head_open:
            return "the label printer's head is open — close it and press Print again"
        if self.paper_out:
            return "the label printer is out of labels — load a new roll and press Print again"
        if self.ribbon_out:
            return "the label printer is out of ribbon — load a new ribbon and press Print again"
        if self.paused:
            return "the label printer is paused — press its PAUSE key and press Print again"
        if self.over_temperature:
            return "the label printer's head is too hot — wait a few minutes, then print again"
        if self.under_temperature:
            return "the label printer's head is too cold — wait for it to warm up"
        if self.corrupt_ram:
            return "the label printer lost its settings — call a technician"
        if self.buffer_full:
            return "the label printer's buffer is full — wait for it to finish"
        return None

    @property
    def idle(self) -> bool:
        return self.formats_in_buffer == 0 and self.labels_remaining == 0


_FRAME = re.compile(rb"\x02([^\x02\x03]*)\x03")


def parse_host_status(data: bytes) -> HostStatus:
    """Read the three `~HS` strings; DeviceError(kind="garbled") if they are not that."""
    frames = [m.group(1).decode("ascii", "replace") for m in _FRAME.finditer(data)]
    if len(frames) < 2:
        raise PrinterError(Text("unreadable printer status {data!r}", data=data[:60]), "garbled")
    one, two = frames[0].split(","), frames[1].split(",")
    if len(one) < 12 or len(two) < 9:
        raise PrinterError(Text("unreadable printer status {data!r}", data=data[:60]), "garbled")
    try:
        return HostStatus(
            paper_out=one[1].strip() == "1",
            paused=one[2].strip() == "1",
            head_open=two[2].strip() == "1",
            ribbon_out=two[3].strip() == "1",
            buffer_full=one[5].strip() == "1",
            formats_in_buffer=int(one[4]),
            labels_remaining=int(two[8]),
            corrupt_ram=one[9].strip() == "1",
            under_temperature=one[10].strip() == "1",
            over_temperature=one[11].strip() == "1",
        )
    except ValueError:
        raise PrinterError(
            Text("unreadable printer status {data!r}", data=data[:60]), "garbled"
        ) from None


# ---------------------------------------------------------------- the printer


class ZplPrinter:
    """A Zebra printer on the network (raw TCP, port 9100)."""

    def __init__(self, host: str, port: int = DEFAULT_PORT, *, timeout: float = 5.0) -> None:
        self.host, self.port, self.timeout = host, port, timeout

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"

    def _connect(self) -> socket.socket:
        try:
            return socket.create_connection((self.host, self.port), timeout=self.timeout)
        except TimeoutError:
            raise PrinterError(
                Text(
                    "the label printer at {where} does not answer — check that it is on",
                    where=self.where,
                ),
                "timeout",
            ) from None
        except OSError as exc:
            raise PrinterError(
                Text(
                    "cannot reach the label printer at {where} ({value}) — check "
                    "that it is on and connected",
                    where=self.where,
                    value=exc.strerror or exc,
                ),
                "timeout",
            ) from None

    def status(self) -> HostStatus:
        """Ask `~HS` and read the three answer strings."""
        with self._connect() as sock:
            try:
                sock.sendall(b"~HS\r\n")
                data = b""
                deadline = time.monotonic() + self.timeout
                while data.count(ETX) < 3:
                    sock.settimeout(max(0.01, deadline - time.monotonic()))
                    chunk = sock.recv(1024)
                    if not chunk:
                        break
                    data += chunk
            except TimeoutError:
                raise PrinterError(
                    Text(
                        "the label printer at {where} gives no status — check that "
                        "it is a ZPL printer",
                        where=self.where,
                    ),
                    "timeout",
                ) from None
            except OSError as exc:
                raise PrinterError(
                    Text("label printer {where}: {exc}", where=self.where, exc=exc), "unplugged"
                ) from None
        return parse_host_status(data)

    def send(self, zpl: bytes) -> None:
        with self._connect() as sock:
            try:
                sock.sendall(zpl)
                sock.shutdown(socket.SHUT_WR)
                # the printer closes its side once it has taken the format in
                sock.settimeout(min(self.timeout, 2.0))
                while sock.recv(1024):
                    pass
            except TimeoutError:
                log.debug("label printer %s kept the connection open", self.where)
            except OSError as exc:
                raise PrinterError(
                    Text(
                        "the label printer at {where} dropped the connection: {exc}",
                        where=self.where,
                        exc=exc,
                    ),
                    "unplugged",
                ) from None

    def print_label(self, zpl: bytes, *, wait: float = 10.0, poll: float = 0.2) -> HostStatus:
        """Check, send, and wait until the printer has printed it (or reports why not)."""
        before = self.status()
        problem = before.problem()
        if problem:
            raise PrinterError(problem, "refused")
        self.send(zpl)
        deadline = time.monotonic() + wait
        while True:
            after = self.status()
            problem = after.problem()
            if problem:
                raise PrinterError(
                    Text("the label may not have printed: {problem}", problem=problem), "refused"
                )
            if after.idle:
                log.info("label printed on %s", self.where)
                return after
            if time.monotonic() >= deadline:
                raise PrinterError(
                    Text(
                        "the label printer at {where} has not finished printing — "
                        "check it before printing again",
                        where=self.where,
                    ),
                    "timeout",
                )
            time.sleep(poll)
