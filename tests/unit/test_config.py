"""Station configuration: what an admin writes and the errors they get."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.config import ConfigError, load_config

GOOD = """
[station]
id = "CR2-K1"
db = "/var/lib/kiosk/station.sqlite"

[panel]
diagonal_in = 10.1
width_px = 1280
height_px = 800

[security]
inactivity_minutes = 3

[devices.balance]
kind = "balance"
driver = "mt-sics"
by_id = "/dev/serial/by-id/usb-Mettler_Toledo-if00"

[devices.bag_scanner]
kind = "scanner"
driver = "serial-scanner"
usb = { vid = "0x05e0", pid = "0x1200" }
line_end = "CR"
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "station.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_good_configuration(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.station.id == "CR2-K1"
    assert config.security.inactivity_minutes == 3
    assert config.devices["balance"].driver == "mt-sics"
    assert config.devices["bag_scanner"].usb is not None


def test_twenty_millimetres_is_about_118_px_on_a_10_inch_panel(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.panel.mm(20) in range(116, 121)
    big = load_config(
        write(tmp_path, "[panel]\nwidth_mm = 476\nwidth_px = 1920\nheight_px = 1080\n")
    )
    assert big.panel.mm(20) == round(20 * 1920 / 476)


def test_defaults_and_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_STATION", "ENV-1")
    config = load_config(None)
    assert config.station.id == "ENV-1"
    assert config.security.max_failed_logins == 5


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[station\nid=1", "cannot read"),
        ("[devices.balance]\nkind = 'balance'\ndriver = 'mt-sics'\n", "exactly one of usb"),
        ("[devices.x]\nkind = 'toaster'\n", "devices.x.kind"),
        ("[panel]\ndiagonal_in = 1\n", "panel.diagonal_in"),
        ("[security]\nlockout = 3\n", "security.lockout"),
    ],
)
def test_bad_configuration_names_the_field(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_config(write(tmp_path, text))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no station configuration"):
        load_config(tmp_path / "nope.toml")


def test_wedge_settings_per_station(tmp_path: Path) -> None:
    path = tmp_path / "station.toml"
    path.write_text('[wedge]\nprefix = "#"\nterminator = "tab"\nmax_gap_ms = 25\nmin_length = 8\n')
    wedge = load_config(path).wedge
    assert (wedge.prefix, wedge.end, wedge.max_gap_ms, wedge.min_length) == ("#", "\t", 25, 8)
    assert load_config(None).wedge.end == "\r"  # scanners ship sending Enter
    assert load_config(None).wedge.max_gap_ms == 40


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "[wedge]\nmax_gap_ms = 1\n",
            "wedge.max_gap_ms: Input should be greater than or equal to 5",
        ),
        ('[wedge]\nterminator = "space"\n', "wedge.terminator: Input should be 'enter', 'tab'"),
    ],
)
def test_bad_wedge_settings_name_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "station.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert message in str(info.value)
    assert "\n" not in str(info.value)
