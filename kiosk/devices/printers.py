"""Where a product label goes: a Zebra printer (`zpl://host:port`) or a CUPS queue (`cups://queue`).

`print_product_label(content, url)` is the one call the station and the
`kiosk label print` command make. Zebra printers get ZPL over raw TCP with
host-status checks (`kiosk.devices.zpl`); office printers get the PDF through
CUPS's `lp` command (IPP underneath), with a clear error when CUPS is not
installed or the queue refuses the job.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from kiosk.devices.zpl import DEFAULT_PORT, PrinterError, ZplPrinter, label_zpl
from kiosk.labels import label_model, write_label_pdf
from kiosk.text import Text


@dataclass(frozen=True)
class PrinterTarget:
    kind: Literal["zpl", "cups"]
    host: str = ""  # zpl
    port: int = DEFAULT_PORT  # zpl
    queue: str | None = None  # cups; None: the CUPS default destination

    def __str__(self) -> str:
        if self.kind == "zpl":
            return f"zpl://{self.host}:{self.port}"
        return f"cups://{self.queue or ''}"


def parse_printer_url(url: str) -> PrinterTarget:
    """`zpl://host[:port]` or `cups://[queue]`; PrinterError(kind="config") otherwise."""
    parts = urlsplit(url.strip())
    if parts.scheme == "zpl":
        if not parts.hostname:
            raise PrinterError(
                Text("{url!r}: say the printer's address, zpl://host:9100", url=url), "config"
            )
        try:
            port = parts.port or DEFAULT_PORT
        except ValueError:
            raise PrinterError(
                Text("{url!r}: the port is not a number", url=url), "config"
            ) from None
        return PrinterTarget("zpl", host=parts.hostname, port=port)
    if parts.scheme == "cups":
        queue = (parts.netloc + parts.path).strip("/") or None
        if queue is not None and not all(c.isalnum() or c in "-_." for c in queue):
            raise PrinterError(
                Text("{url!r}: {queue!r} is not a CUPS queue name", url=url, queue=queue), "config"
            )
        return PrinterTarget("cups", queue=queue)
    raise PrinterError(
        Text(
            "{url!r}: a printer is zpl://host:port (Zebra) or cups://queue (office printer)",
            url=url,
        ),
        "config",
    )


def print_pdf_cups(pdf: Path, queue: str | None, *, title: str, timeout: float = 30.0) -> str:
    """Send a PDF to a CUPS queue with `lp`; returns CUPS's request id line."""
    lp = shutil.which("lp")
    if lp is None:
        raise PrinterError(
            Text(
                "CUPS is not installed on this station (no `lp` command) — "
                "install the CUPS client (Debian: cups-client) or configure "
                "a Zebra printer (zpl://host:9100)"
            ),
            "config",
        )
    command = [lp, "-t", title]
    if queue:
        command += ["-d", queue]
    command.append(str(pdf))
    try:
        done = subprocess.run(  # noqa: S603 — fixed program, arguments are not shell-parsed
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired:
        raise PrinterError(
            Text("CUPS did not take the job in time — check the print server"), "timeout"
        ) from None
    except OSError as exc:
        raise PrinterError(Text("cannot run lp: {exc}", exc=exc), "config") from None
    if done.returncode != 0:
        first = (done.stderr or done.stdout).strip().splitlines()
        why = first[0] if first else f"lp exited with {done.returncode}"
        raise PrinterError(Text("CUPS refused the label: {why}", why=why), "refused")
    return done.stdout.strip()


def print_product_label(
    content: Mapping[str, Any],
    url: str,
    *,
    dpi: int = 203,
    timeout: float = 5.0,
) -> str:
    """Print a recorded label on the printer at `url`; returns what happened, for the log.

    LabelPrintError when the content cannot make a label; PrinterError when the
    printer cannot print it (in operator words).
    """
    target = parse_printer_url(url)
    label = label_model(content)
    if target.kind == "zpl":
        data = label_zpl(label, dpi=dpi)
        ZplPrinter(target.host, target.port, timeout=timeout).print_label(data)
        return f"printed {label.copies} label(s) on {target}"
    fd, name = tempfile.mkstemp(prefix="label-", suffix=".pdf")
    os.close(fd)
    try:
        write_label_pdf(content, name)
        reply = print_pdf_cups(Path(name), target.queue, title=f"Label {label.batch}")
    finally:
        os.unlink(name)
    return f"sent to {target}: {reply}"
