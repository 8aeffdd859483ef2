"""Station configuration: one TOML file (plus KIOSK_* environment overrides), validated.

Example (docs/admin.md has the full reference)::

    [station]
    id = "CR2-K1"
    db = "/var/lib/kiosk/station.sqlite"
    rooms = ["isolator"]    # stages this station runs; leave out for every room

    [panel]                 # physical size decides how big a 20 mm key is in pixels
    diagonal_in = 10.1
    width_px = 1280
    height_px = 800

    [devices.balance]
    kind = "balance"
    driver = "mt-sics"
    by_id = "/dev/serial/by-id/usb-Mettler_Toledo_XSR-if00"
    baudrate = 9600

    [devices.bag_scanner]
    kind = "scanner"
    usb = { vid = "0x05e0", pid = "0x1200" }

    [wedge]                 # keyboard-wedge scanners (docs/technician.md)
    terminator = "enter"
    max_gap_ms = 40
"""

from __future__ import annotations

import math
import os
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

ROOM = r"^[a-z][a-z0-9_-]{0,31}$"
"""A room name; the same pattern as `kiosk.recipe.ROOM` (config imports nothing of ours)."""


class ConfigError(Exception):
    """The station configuration is missing or wrong; str() names file and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Station(_Model):
    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")] = "STATION-1"
    db: Path = Path("station.sqlite")
    recipes: Path = Path("recipes")
    demo: bool = False
    # The rooms this station stands in; it acts only on stages in them. None: every room.
    rooms: list[Annotated[str, Field(pattern=ROOM)]] | None = Field(default=None, min_length=1)

    @property
    def room_set(self) -> frozenset[str] | None:
        """The rooms as the engine takes them (None: every room)."""
        return None if self.rooms is None else frozenset(self.rooms)


class Panel(_Model):
    """The touchscreen: its physical size sets how many pixels one millimetre is."""

    width_px: int = Field(default=1280, ge=640, le=7680)
    height_px: int = Field(default=800, ge=480, le=4320)
    width_mm: float | None = Field(default=None, gt=50, lt=2000)
    height_mm: float | None = Field(default=None, gt=30, lt=2000)
    diagonal_in: float | None = Field(default=10.1, gt=3, lt=80)

    @model_validator(mode="after")
    def _size_given(self) -> Panel:
        if self.width_mm is None and self.diagonal_in is None:
            raise ValueError("give the panel's width_mm or diagonal_in")
        return self

    @property
    def px_per_mm(self) -> float:
        if self.width_mm is not None:
            return self.width_px / self.width_mm
        assert self.diagonal_in is not None
        diagonal_px = math.hypot(self.width_px, self.height_px)
        return diagonal_px / (self.diagonal_in * 25.4)

    def mm(self, millimetres: float) -> int:
        """Pixels for a length in millimetres on this panel (20 mm key -> ~118 px at 10.1")."""
        return round(millimetres * self.px_per_mm)


class Security(_Model):
    inactivity_minutes: float = Field(default=5, gt=0, le=240)
    max_failed_logins: int = Field(default=5, ge=1, le=20)
    password_days: int = Field(default=90, ge=1, le=3650)


class Server(_Model):
    url: str | None = None
    token_file: Path | None = None
    ca_bundle: Path | None = None  # PEM of a private CA that signed the server's certificate
    # how often the running station pulls master data (orders, lots, recipes, users): an order
    # cancelled or revised at the server reaches its batch here within this time
    pull_seconds: float = Field(default=60, ge=1, le=3600)


class UsbMatch(_Model):
    vid: str | None = None  # "0x0eb8"
    pid: str | None = None
    serial: str | None = None


class Device(_Model):
    """How one device role is found: USB identity, a /dev/serial/by-id path, or a URL."""

    kind: Literal["balance", "scanner", "camera"]
    driver: Literal["mt-sics", "sbi", "and", "serial-scanner", "wedge", "opencv", "simulator"] = (
        "simulator"
    )
    usb: UsbMatch | None = None
    by_id: str | None = None
    url: str | None = None  # pyserial URL (socket://, loop://) or a camera index / video file
    baudrate: int = 9600
    bytesize: Literal[7, 8] = 8
    parity: Literal["N", "E", "O"] = "N"
    stopbits: Literal[1, 2] = 1
    line_end: Literal["CR", "LF", "CRLF"] = "CRLF"
    serial_number: str | None = None  # for SBI models that do not answer ESC x2_

    @model_validator(mode="after")
    def _found_somehow(self) -> Device:
        ways = [self.usb is not None, self.by_id is not None, self.url is not None]
        if self.driver not in ("simulator", "wedge") and sum(ways) != 1:
            raise ValueError("say how to find the device: exactly one of usb, by_id or url")
        return self


class CellCounter(_Model):
    """The station's cell counter: its export format and the folder (or USB path) it writes to.

    `columns` maps our names (sample_id, viability, viable, total, measured_at,
    operator, instrument, serial, tz_offset) to the headings of this counter's
    export, where they differ from the defaults (kiosk/devices/cellcount.py).
    """

    format: Literal["nucleocounter", "vicell-blu"]
    folder: Path
    columns: dict[str, str] = Field(default_factory=dict)


class OpcuaRole(_Model):
    """Process equipment over OPC UA: where it is, how to talk to it, which nodes it has.

    `security` has no default: "none" must be written down to be used.
    `nodes` names the nodes recipes and monitors read (name -> node id).
    """

    kind: Literal["incubator", "freezer"]
    endpoint: Annotated[str, Field(pattern=r"^opc\.tcp://")]
    security: Literal["none", "sign", "sign-encrypt"]
    certificate: Path | None = None  # this station's client certificate
    private_key: Path | None = None
    server_certificate: Path | None = None  # the equipment's certificate, trusted here
    serial_node: str | None = None  # identity; else the server's ApplicationUri
    nodes: dict[str, str] = Field(default_factory=dict)
    interval_s: float = Field(default=60.0, gt=0, le=3600)  # monitoring interval
    timeout: float = Field(default=4.0, gt=0, le=60)

    @model_validator(mode="after")
    def _certificates_given(self) -> OpcuaRole:
        if self.security != "none" and None in (
            self.certificate,
            self.private_key,
            self.server_certificate,
        ):
            raise ValueError(
                f"security {self.security} needs certificate, private_key and server_certificate"
            )
        return self


class Printer(_Model):
    """The label printer: `zpl://host:9100` (Zebra, ZPL) or `cups://queue` (office, PDF)."""

    url: Annotated[str, Field(pattern=r"^(zpl|cups)://")]
    dpi: Literal[203, 300] = 203
    timeout: float = Field(default=5.0, gt=0, le=60)


TERMINATORS = {"enter": "\r", "tab": "\t", "lf": "\n", "none": ""}


class Wedge(_Model):
    """Keyboard-wedge scanners at this station: how a scan is told from typing.

    A burst of keys is a scan when it has the scanner's pattern: the `prefix` (if
    set) before the code, and the `suffix` (if set) and the `terminator` key after
    it, each key within `max_gap_ms` of the one before. Real scanners type a key
    every 2–20 ms; people rarely stay under ~40 ms for six keys. Without prefix,
    suffix and terminator, timing alone decides (a burst of `min_length` keys).
    """

    prefix: Annotated[str, Field(max_length=8)] = ""
    suffix: Annotated[str, Field(max_length=8)] = ""
    terminator: Literal["enter", "tab", "lf", "none"] = "enter"
    max_gap_ms: float = Field(default=40, ge=5, le=200)
    min_length: int = Field(default=6, ge=1, le=64)

    @property
    def end(self) -> str:
        """What the scanner types after the code: the suffix, then the terminator key."""
        return self.suffix + TERMINATORS[self.terminator]


class StationConfig(_Model):
    station: Station = Station()
    panel: Panel = Panel()
    security: Security = Security()
    server: Server = Server()
    wedge: Wedge = Wedge()
    devices: dict[str, Device] = Field(default_factory=dict)
    cell_counter: CellCounter | None = None
    printer: Printer | None = None
    opcua: dict[str, OpcuaRole] = Field(default_factory=dict)


ENV_OVERRIDES = {
    "KIOSK_STATION": ("station", "id"),
    "KIOSK_DB": ("station", "db"),
    "KIOSK_RECIPES": ("station", "recipes"),
    "KIOSK_SERVER": ("server", "url"),
}


def load_config(path: str | os.PathLike[str] | None = None) -> StationConfig:
    """Read the TOML file (if any) and apply KIOSK_* environment overrides."""
    data: dict[str, dict[str, object]] = {}
    where = "defaults"
    if path is not None:
        where = str(path)
        try:
            with open(path, "rb") as handle:
                data = tomllib.load(handle)
        except FileNotFoundError:
            raise ConfigError(f"no station configuration at {path}") from None
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot read the configuration: {exc}") from exc
    for env, (section, key) in ENV_OVERRIDES.items():
        if os.environ.get(env):
            data.setdefault(section, {})[key] = os.environ[env]
    try:
        return StationConfig.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        field = ".".join(str(p) for p in first["loc"])
        message = str(first["msg"]).removeprefix("Value error, ")
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ConfigError(f"{where}: {field}: {message}{more}") from exc
