"""`kiosk devices check` and `accept`: a role's device as the kiosk sees it, on real ptys."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher

from kiosk.auth import Auth
from kiosk.clock import system_clock
from kiosk.commands.devices_check import add_accept_parser, add_check_parser, cmd_devices_check
from kiosk.devices.manager import ACCEPTED
from kiosk.devices.sim_balance import SIMULATORS, BalanceSimulator
from kiosk.masterdata import MasterData
from local_store import EventStore
from tests.helpers import no_leaks as no_leaks_of_test

STATION = "TEST-1"


@pytest.fixture(autouse=True)
def no_thread_leaks() -> Iterator[None]:
    with no_leaks_of_test(fds=False):
        yield


class Bench:
    """A technician's bench: a station database, a configuration file, simulators."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.db = tmp / "station.sqlite"
        self.store = EventStore(self.db, STATION)
        self.master = MasterData(self.store, system_clock)
        self.sims: list[BalanceSimulator] = []

    def balance(self, protocol: str = "mt-sics", **options: Any) -> str:
        sim = SIMULATORS[protocol](**options)
        self.sims.append(sim)
        link = self.tmp / f"balance-{len(self.sims)}"
        link.symlink_to(sim.start())
        return str(link)

    def registered(
        self, serial: str, *, asset: str = "BAL-1", due: int = 60, checked: bool = True
    ) -> None:
        today = date.today()
        self.master.register_equipment(
            asset, "balance", serial, "XS205", today + timedelta(days=due), by="u:tess"
        )
        if checked:
            self.master.daily_check(asset, 100.0, 100.01, "g", 0.05, by="u:tess")

    def accepted(self, serial: str, asset: str = "BAL-1", role: str = "balance") -> None:
        self.store.append(
            ACCEPTED, {"role": role, "serial": serial, "asset": asset}, actor="u:tess"
        )

    def config(self, **device: Any) -> str:
        lines = ["[station]", f'id = "{STATION}"', f'db = "{self.db}"', "", "[devices.balance]"]
        lines += [f"{key} = {value!r}".replace("'", '"') for key, value in device.items()]
        path = self.tmp / "station.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    def close(self) -> None:
        for sim in self.sims:
            sim.stop()
        self.store.close()


@pytest.fixture
def bench(tmp_path: Path) -> Iterator[Bench]:
    bench = Bench(tmp_path)
    yield bench
    bench.close()


def kiosk(*argv: str) -> tuple[int, str]:
    """`kiosk devices …` through a parser built as `kiosk devices` will build it."""
    parser = argparse.ArgumentParser(prog="kiosk")
    devices = parser.add_subparsers(dest="command").add_parser("devices")
    verbs = devices.add_subparsers(dest="devices_cmd", required=True)
    add_check_parser(verbs)
    add_accept_parser(verbs)
    args = parser.parse_args(["devices", *argv, "--timeout", "0.5"])
    out = io.StringIO()
    code = args.func(args, out)
    return code, out.getvalue()


def check(config: str, role: str = "balance") -> tuple[int, str]:
    return kiosk("check", role, "--config", config)


def test_a_usable_balance(bench: Bench) -> None:
    port = bench.balance(serial="SN-1", weight=12.5)
    bench.registered("SN-1")
    bench.accepted("SN-1")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=port))
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0] == "balance: balance, driver mt-sics"
    assert f"  port         {port} → /dev/pts/" in out
    assert "  serial       SN-1 (from the balance)" in lines
    assert "  weight now   12.5 g (stable)" in lines
    assert "  asset        BAL-1 (balance, XS205)" in lines
    assert "  calibration  due " in out
    assert "OVERDUE" not in out
    assert "  daily check  passed at " in out
    assert "  accepted     yes, as balance since " in out
    assert lines[-1] == "usable: the kiosk takes readings from it as balance"


def test_an_sbi_balance_is_identified_by_what_it_reports(bench: Bench) -> None:
    port = bench.balance("sbi", serial="SBI-42")
    bench.registered("SBI-42")
    bench.accepted("SBI-42")
    code, out = check(bench.config(kind="balance", driver="sbi", url=port, serial_number="OTHER"))
    assert code == 0, out
    assert "  serial       SBI-42 (from the balance)" in out  # ESC x2_ wins over the plate


def test_an_older_sbi_balance_is_identified_by_its_configured_serial(bench: Bench) -> None:
    port = bench.balance("sbi", model=None)
    bench.registered("SBI-42")
    bench.accepted("SBI-42")
    code, out = check(bench.config(kind="balance", driver="sbi", url=port, serial_number="SBI-42"))
    assert code == 0, out
    assert (
        "  serial       SBI-42 (from the configuration (the balance does not answer ESC x2_))"
        in out
    )


def test_an_unregistered_balance_is_not_usable(bench: Bench) -> None:
    port = bench.balance(serial="STRANGER")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=port))
    assert code == 1
    assert "  asset        not registered" in out
    assert "  accepted     no device has been accepted as balance yet" in out
    assert out.splitlines()[-1] == (
        "NOT usable: balance STRANGER is not registered: a technician must register it"
    )


def test_a_different_balance_from_the_accepted_one_is_not_usable(bench: Bench) -> None:
    port = bench.balance(serial="SN-2")
    bench.registered("SN-1")
    bench.registered("SN-2", asset="BAL-2")
    bench.accepted("SN-1")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=port))
    assert code == 1
    assert (
        "  accepted     no: balance is serial SN-1 (BAL-1); a technician must accept this one"
        in out
    )
    assert out.splitlines()[-1] == (
        "NOT usable: a different balance (serial SN-2) is connected as balance: "
        "a technician must accept it"
    )


def test_overdue_calibration_and_missing_daily_check_are_not_usable(bench: Bench) -> None:
    port = bench.balance(serial="SN-1")
    bench.registered("SN-1", due=-1, checked=False)
    bench.accepted("SN-1")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=port))
    assert code == 1
    assert " — OVERDUE" in out
    assert "  daily check  not done today" in out
    assert "calibration was due" in out.splitlines()[-1]


def test_a_balance_that_is_not_there_or_does_not_answer(bench: Bench, tmp_path: Path) -> None:
    missing = str(tmp_path / "no-such-balance")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=missing))
    assert code == 1
    assert f"  port         not found — connect the balance ({missing} is not there)" in out
    assert out.splitlines()[-1] == "NOT usable: the balance was not found"

    silent = bench.balance(scenario="silent")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=silent))
    assert code == 1
    assert "  serial       no answer with 9600 8N1 — check the balance's interface settings" in out
    assert out.splitlines()[-1] == "NOT usable: the balance did not identify itself"


def test_an_overloaded_balance_is_identified_but_not_usable(bench: Bench) -> None:
    port = bench.balance(scenario="overload", serial="SN-1")
    bench.registered("SN-1")
    bench.accepted("SN-1")
    code, out = check(bench.config(kind="balance", driver="mt-sics", url=port))
    assert code == 1
    assert "  serial       SN-1 (from the balance)" in out
    assert out.splitlines()[-1] == (
        "NOT usable: the balance is overloaded — take some of the load off the pan"
    )


def test_configuration_mistakes_are_one_line(bench: Bench, tmp_path: Path) -> None:
    code, out = check(str(tmp_path / "missing.toml"))
    assert (code, out.strip()) == (1, f"check: no station configuration at {tmp_path}/missing.toml")

    config = bench.config(kind="balance", driver="mt-sics", url="/dev/null")
    code, out = check(config, "scale")
    assert (code, out.strip()) == (1, f"no device role scale in {config} (roles: balance)")

    config = bench.config(kind="camera", driver="opencv", url="0")
    code, out = check(config)
    assert code == 1
    assert "`kiosk devices check` covers balances and serial scanners" in out


def test_without_the_station_database_nothing_is_usable(bench: Bench, tmp_path: Path) -> None:
    port = bench.balance(serial="SN-1")
    config = bench.config(kind="balance", driver="mt-sics", url=port)
    args = argparse.Namespace(
        role="balance", config=config, db=str(tmp_path / "elsewhere.sqlite"), timeout=0.5
    )
    out = io.StringIO()
    assert cmd_devices_check(args, out) == 1
    text = out.getvalue()
    assert "cannot tell whether the device is registered" in text
    assert "  serial       SN-1 (from the balance)" in text
    assert text.splitlines()[-1] == (
        "NOT usable: without the station database nothing can be checked"
    )


# ---------------------------------------------------------------- accept


def test_a_technician_accepts_a_balance_from_the_terminal(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = Auth(bench.store, system_clock, hasher=PasswordHasher(time_cost=1, memory_cost=8192))
    auth.add_user("tess", "Tess Varga", ["technician"], "tech-tess-2026", by="system")
    port = bench.balance(serial="SN-1")
    bench.registered("SN-1", checked=False)
    config = bench.config(kind="balance", driver="mt-sics", url=port)

    monkeypatch.setattr("sys.stdin", io.StringIO("wrong-pass\n"))
    code, out = kiosk("accept", "balance", "--config", config, "--as", "tess")
    assert (code, out.splitlines()[-1]) == (1, "refused: user ID or password wrong")

    monkeypatch.setattr("sys.stdin", io.StringIO("tech-tess-2026\n"))
    code, out = kiosk("accept", "balance", "--config", config, "--as", "tess")
    assert code == 0, out
    assert "  master       BAL-1 (balance, XS205) is registered; calibration due " in out
    assert out.splitlines()[-2:] == [
        "balance BAL-1 (serial SN-1) accepted as balance by Tess Varga",
        "before it is used in a batch: BAL-1 has not had today's daily check",
    ]
    accepted = list(bench.store.events(types={ACCEPTED}))
    assert [(e.actor, e.payload["serial"]) for e in accepted] == [("u:tess", "SN-1")]

    bench.master.daily_check("BAL-1", 100.0, 100.0, "g", 0.05, by="u:tess")
    assert check(config)[0] == 0


def test_accept_refuses_an_unregistered_balance(
    bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth = Auth(bench.store, system_clock, hasher=PasswordHasher(time_cost=1, memory_cost=8192))
    auth.add_user("tess", "Tess Varga", ["technician"], "tech-tess-2026", by="system")
    port = bench.balance("and", serial="STRANGER")
    monkeypatch.setattr("sys.stdin", io.StringIO("tech-tess-2026\n"))
    code, out = kiosk(
        "accept",
        "balance",
        "--config",
        bench.config(kind="balance", url=port, driver="and"),
        "--as",
        "tess",
    )
    assert code == 1
    assert out.splitlines()[-1].startswith("refused: serial STRANGER is not registered")
