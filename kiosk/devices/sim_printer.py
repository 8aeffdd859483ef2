"""A fake Zebra printer: a TCP server that checks the ZPL it receives and answers `~HS`.

Every connection is read to its end; `~HS` is answered at once with the three
host-status strings built from the printer's state. Each ``^XA … ^XZ``
format is checked (`check_format`): field data opened by ^FD closed by ^FS,
a barcode command followed by its data, known commands only, ^PQ a sane
count. A good format is printed (its fields kept in `printed`) unless the
printer is out of paper, its head is open or it is paused: then it waits in
the buffer, and is printed when the fault is cleared. A bad one is kept in
`rejected` with the reason. `paper_out_after=n` runs out of labels after n
labels, as a roll does.
"""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import threading
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

_COMMAND = re.compile(r"\^([A-Z@][A-Z0-9@])")
_KNOWN = frozenset(
    {"XA", "XZ", "CI", "PW", "LL", "LH", "FO", "A0", "FD", "FS", "FH", "BY", "BC", "BX", "GB"}
    | {"PQ", "FX", "PR", "MD", "LS", "PO"}
)


class ZplError(ValueError):
    """A format the printer would not print as meant; str() says why."""


@dataclass(frozen=True)
class Field:
    """One field of a printed label: `kind` text, code128 or datamatrix; the data as printed."""

    kind: str
    data: str
    x: int
    y: int


@dataclass
class PrintedLabel:
    fields: list[Field]
    copies: int

    def of(self, kind: str) -> list[str]:
        return [f.data for f in self.fields if f.kind == kind]


def _unescape(data: str, hex_char: str | None) -> str:
    if hex_char is None:
        return data
    out, i = [], 0
    while i < len(data):
        if data[i] == hex_char:
            code = data[i + 1 : i + 3]
            if len(code) != 2 or any(c not in "0123456789abcdefABCDEF" for c in code):
                raise ZplError(f"bad ^FH escape {data[i : i + 3]!r}")
            out.append(chr(int(code, 16)))
            i += 3
        else:
            out.append(data[i])
            i += 1
    return "".join(out)


def _code128_text(data: str) -> str:
    """What a ^BC subset-B field encodes: `>:` start, `>0` a literal `>`."""
    if not data.startswith(">:"):
        raise ZplError(f"Code 128 field {data!r} does not start subset B (>:)")
    body, out, i = data[2:], [], 0
    while i < len(body):
        if body[i] == ">":
            if body[i + 1 : i + 2] != "0":
                raise ZplError(f"Code 128 field {data!r} has an invocation code")
            out.append(">")
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


def check_format(zpl: str) -> PrintedLabel:
    """Parse one ^XA…^XZ format into its fields; ZplError when it is malformed."""
    if not zpl.startswith("^XA") or not zpl.rstrip().endswith("^XZ"):
        raise ZplError("a format must start with ^XA and end with ^XZ")
    body = zpl.strip()[3:-3]
    fields: list[Field] = []
    x = y = 0
    pending: str | None = None  # the barcode or font command waiting for its ^FD
    hex_char: str | None = None
    copies = 1
    position = 0
    while position < len(body):
        if body[position] in "\r\n":
            position += 1
            continue
        match = _COMMAND.match(body, position)
        if match is None:
            raise ZplError(f"unexpected {body[position : position + 10]!r}")
        command = match.group(1)
        if command not in _KNOWN:
            raise ZplError(f"unknown command ^{command}")
        position = match.end()
        if command == "FD":
            end = body.find("^FS", position)
            if end < 0:
                raise ZplError("^FD without ^FS")
            data = _unescape(body[position:end], hex_char)
            position = end + 3
            if pending is None:
                raise ZplError(f"field data {data!r} without a font or barcode command")
            kind = pending
            if kind == "code128":
                data = _code128_text(data)
            fields.append(Field(kind, data, x, y))
            pending, hex_char = None, None
            continue
        end = body.find("^", position)
        end = len(body) if end < 0 else end
        params = body[position:end].strip()
        position = end
        if command == "FO":
            try:
                x, y = (int(v) for v in params.split(",")[:2])
            except ValueError:
                raise ZplError(f"^FO{params}: not a position") from None
        elif command == "A0":
            pending = "text"
        elif command == "BC":
            pending = "code128"
        elif command == "BX":
            if params.split(",")[2:3] != ["200"]:
                raise ZplError(f"^BX{params}: not ECC 200")
            pending = "datamatrix"
        elif command == "FH":
            hex_char = params[:1] or "_"
        elif command == "PQ":
            try:
                copies = int(params.split(",")[0])
            except ValueError:
                raise ZplError(f"^PQ{params}: not a count") from None
            if not 1 <= copies <= 99:
                raise ZplError(f"^PQ{params}: {copies} copies")
        elif command == "FS":
            pending, hex_char = None, None
    if pending is not None:
        raise ZplError("a font or barcode command without field data")
    return PrintedLabel(fields, copies)


@dataclass
class FakeZebra:
    """The printer's state; a context manager serving on 127.0.0.1 (a free port)."""

    paper_out: bool = False
    head_open: bool = False
    paused: bool = False
    ribbon_out: bool = False
    paper_out_after: int | None = None
    printed: list[PrintedLabel] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    received: bytearray = field(default_factory=bytearray)
    status_requests: int = 0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._buffer: list[PrintedLabel] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._server.getsockname()[1]
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()

    @property
    def url(self) -> str:
        return f"zpl://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeZebra:
        self._thread = threading.Thread(target=self._serve, name="fake-zebra", daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        # shutdown wakes the thread blocked in accept(); close() alone leaves the port listening
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        if self._thread is not None:
            self._thread.join(5)

    # ---------------------------------------------------------------- state

    def set(self, **state: bool) -> None:
        """Change faults (paper_out, head_open, paused, ribbon_out); print what waits if clear."""
        with self._lock:
            for name, value in state.items():
                setattr(self, name, value)
            self._run()

    def host_status(self) -> bytes:
        with self._lock:
            formats = len(self._buffer)
            remaining = sum(label.copies for label in self._buffer)
            one = f"030,{int(self.paper_out)},{int(self.paused)},0406,{formats:03d},0,0,0,000,0,0,0"
            two = (
                f"001,0,{int(self.head_open)},{int(self.ribbon_out)},0,2,6,0,{remaining:08d},1,000"
            )
        three = "1234,0"
        return b"".join(b"\x02" + part.encode() + b"\x03\r\n" for part in (one, two, three))

    def _faulted(self) -> bool:
        return self.paper_out or self.head_open or self.paused or self.ribbon_out

    def _run(self) -> None:
        """Print what waits in the buffer while nothing is wrong (lock held)."""
        while self._buffer and not self._faulted():
            label = self._buffer[0]
            if self.paper_out_after is not None:
                done = sum(p.copies for p in self.printed)
                if done + label.copies > self.paper_out_after:
                    self.paper_out = True
                    return
            self.printed.append(self._buffer.pop(0))

    # ---------------------------------------------------------------- the wire

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._client, args=(conn,), daemon=True).start()

    def _client(self, conn: socket.socket) -> None:
        pending = b""
        with conn:
            conn.settimeout(5)
            while True:
                try:
                    chunk = conn.recv(4096)
                except OSError:
                    break
                if not chunk:
                    break
                with self._lock:
                    self.received += chunk
                pending += chunk
                while b"~HS" in pending:
                    before, _, pending = pending.partition(b"~HS")
                    self._formats(before)
                    with self._lock:
                        self.status_requests += 1
                    conn.sendall(self.host_status())
            self._formats(pending)  # before closing: the sender waits for the close

    def _formats(self, data: bytes) -> None:
        text = data.decode("utf-8", "replace").strip()
        while text:
            start = text.find("^XA")
            if start < 0:
                if text.strip():
                    with self._lock:
                        self.rejected.append(f"bytes outside a format: {text[:30]!r}")
                return
            if text[:start].strip():
                with self._lock:
                    self.rejected.append(f"bytes outside a format: {text[:start][:30]!r}")
            end = text.find("^XZ", start)
            if end < 0:
                with self._lock:
                    self.rejected.append("a format without ^XZ")
                return
            try:
                label = check_format(text[start : end + 3])
            except ZplError as exc:
                with self._lock:
                    self.rejected.append(str(exc))
            else:
                with self._lock:
                    self._buffer.append(label)
                    self._run()
            text = text[end + 3 :].strip()
