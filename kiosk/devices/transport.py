"""Byte transports for device drivers: pyserial ports and URLs, injectable in tests."""

from __future__ import annotations

import logging
import termios
import time
from typing import Protocol

import serial

from kiosk.devices.errors import DeviceError
from kiosk.text import Text

log = logging.getLogger(__name__)

MAX_LINE = 64 * 1024  # no reply line of a balance or scanner comes near this


class Transport(Protocol):
    """What a driver needs from a connection: write bytes, read a line, close."""

    def write(self, data: bytes) -> None: ...

    def read_line(self, timeout: float, eol: bytes = b"\r\n") -> bytes:
        """Bytes up to and including `eol`; DeviceError(kind="timeout") when none arrive."""
        ...

    def reset_input(self) -> None: ...

    def close(self) -> None: ...


class SerialTransport:
    """A pyserial port: a device path, or a pyserial URL (loop://, socket://, spy://)."""

    def __init__(
        self,
        port: str,
        *,
        baudrate: int = 9600,
        bytesize: int = 8,
        parity: str = "N",
        stopbits: float = 1,
        xonxoff: bool = False,
        rtscts: bool = False,
    ) -> None:
        self.port = port
        try:
            self._serial = serial.serial_for_url(
                port,
                baudrate=baudrate,
                bytesize=bytesize,
                parity=parity,
                stopbits=stopbits,
                xonxoff=xonxoff,
                rtscts=rtscts,
                timeout=0.05,
                write_timeout=2.0,
                exclusive=True if not port.startswith(("loop://", "socket://", "spy://")) else None,
            )
        except (serial.SerialException, ValueError, OSError) as exc:
            raise DeviceError(
                Text("cannot open {port}: {exc}", port=port, exc=exc), "unplugged"
            ) from exc
        self._buffer = bytearray()

    def write(self, data: bytes) -> None:
        try:
            self._serial.write(data)
            self._serial.flush()
        except (serial.SerialException, OSError, termios.error) as exc:
            raise DeviceError(
                Text("{port} went away while sending", port=self.port), "unplugged"
            ) from exc

    def read_line(self, timeout: float, eol: bytes = b"\r\n") -> bytes:
        deadline = time.monotonic() + timeout
        while True:
            index = self._buffer.find(eol)
            if index >= 0:
                line = bytes(self._buffer[: index + len(eol)])
                del self._buffer[: index + len(eol)]
                return line
            if time.monotonic() >= deadline:
                raise DeviceError(Text("no answer from {port}", port=self.port), "timeout")
            try:
                chunk = self._serial.read(self._serial.in_waiting or 1)
            except (serial.SerialException, OSError, termios.error) as exc:
                raise DeviceError(
                    Text("{port} went away while reading", port=self.port), "unplugged"
                ) from exc
            if chunk:
                self._buffer += chunk
                if len(self._buffer) > MAX_LINE:  # bytes with no line end: not our device
                    self._buffer.clear()
                    raise DeviceError(
                        Text("{port} sends data without line ends", port=self.port), "garbled"
                    )

    def reset_input(self) -> None:
        self._buffer.clear()
        try:
            self._serial.reset_input_buffer()
        except (serial.SerialException, OSError, termios.error) as exc:
            raise DeviceError(Text("{port} went away", port=self.port), "unplugged") from exc

    def close(self) -> None:
        try:
            self._serial.close()
        except (serial.SerialException, OSError, termios.error):  # the port is gone already
            log.debug("closing %s failed", self.port)
