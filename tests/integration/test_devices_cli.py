"""`kiosk devices` as a technician uses it, in real subprocesses against simulators on ptys."""

from __future__ import annotations

import io
import json
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.cli import build_parser
from kiosk.devices.sim_balance import SIMULATORS, BalanceSimulator
from tests.helpers import run_kiosk as kiosk

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs Linux ptys")

ROOT = Path(__file__).resolve().parents[2]
SERIAL = "B207696838"


@pytest.fixture
def sim(request: pytest.FixtureRequest) -> Iterator[BalanceSimulator]:
    protocol, scenario = request.param
    with SIMULATORS[protocol](scenario=scenario, weight=123.45, serial=SERIAL) as simulator:
        yield simulator


def _read(protocol: str, path: str, *extra: str) -> subprocess.CompletedProcess[str]:
    return kiosk("devices", "read-weight", "--driver", protocol, "--port", path, *extra)


def test_sbi_serial_from_the_balance_or_the_rating_plate() -> None:
    with SIMULATORS["sbi"](weight=123.45, serial=SERIAL) as entris:
        result = _read("sbi", entris.path, "--json")
        assert result.returncode == 0, result.stdout + result.stderr
        assert json.loads(result.stdout)["device"] == SERIAL  # answered ESC x2_
    older = SIMULATORS["sbi"](weight=123.45, serial=SERIAL, model=None)  # type: ignore[call-arg]
    with older:
        refused = _read("sbi", older.path, "--timeout", "1")
        assert refused.returncode == 1
        assert refused.stdout == (
            f"{older.path}: this balance does not report its serial number (ESC x2_): "
            "set it in the configuration (the number on the balance's rating plate)\n"
        )
        plate = _read("sbi", older.path, "--serial", "PLATE-77", "--timeout", "1")
        assert plate.returncode == 0, plate.stdout
        assert plate.stdout == "123.45 g stable — balance PLATE-77\n"


@pytest.mark.parametrize(
    "sim", [("mt-sics", "stable"), ("sbi", "stable"), ("and", "stable")], indirect=True
)
def test_read_weight(sim: BalanceSimulator) -> None:
    protocol = {"MT-SICS": "mt-sics", "SBI": "sbi", "A&D": "and"}[sim.protocol]
    result = _read(protocol, sim.path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == f"123.45 g stable — balance {SERIAL}\n"
    as_json = _read(protocol, sim.path, "--json", "--unit", "mg")
    assert as_json.returncode == 0
    record = json.loads(as_json.stdout)
    assert (record["value"], record["unit"], record["stable"], record["device"]) == (
        123450.0,
        "mg",
        True,
        SERIAL,
    )


@pytest.mark.parametrize("sim", [("mt-sics", "settling")], indirect=True)
def test_read_weight_now(sim: BalanceSimulator) -> None:
    result = _read("mt-sics", sim.path, "--now")
    assert result.returncode == 0
    assert "g NOT stable — balance" in result.stdout


@pytest.mark.parametrize(
    "sim", [("mt-sics", "silent"), ("sbi", "silent"), ("and", "silent")], indirect=True
)
def test_no_answer_is_one_line_and_exit_1_in_bounded_time(sim: BalanceSimulator) -> None:
    protocol = {"MT-SICS": "mt-sics", "SBI": "sbi", "A&D": "and"}[sim.protocol]
    start = time.monotonic()
    result = _read(protocol, sim.path, "--timeout", "1")
    elapsed = time.monotonic() - start
    assert result.returncode == 1
    assert result.stdout == (
        f"no answer from {sim.path} — check the balance's interface settings\n"
    )
    assert "Traceback" not in result.stderr
    assert elapsed < 10  # one exchange times out (1 s) after the interpreter starts


@pytest.mark.parametrize(
    ("sim", "words"),
    [
        (("mt-sics", "overload"), "overloaded"),
        (("and", "overload"), "overloaded"),
        (("sbi", "overload"), "overloaded"),
        (("mt-sics", "garbage"), "reply from the balance"),
        (("and", "garbage"), "reply from the balance"),
        (("mt-sics", "noisy"), "did not settle"),
    ],
    indirect=["sim"],
)
def test_failures_are_one_line_and_exit_1(sim: BalanceSimulator, words: str) -> None:
    protocol = {"MT-SICS": "mt-sics", "SBI": "sbi", "A&D": "and"}[sim.protocol]
    out = io.StringIO()
    args = build_parser().parse_args(
        ["devices", "read-weight", "--driver", protocol, "--port", sim.path, "--timeout", "1"]
        + (["--serial", SERIAL] if protocol == "sbi" else [])
    )
    assert args.func(args, out) == 1  # in-process: any exception other than exit 1 fails here
    assert words in out.getvalue()
    assert out.getvalue().count("\n") == 1
    assert out.getvalue().startswith(sim.path)


def test_a_port_that_does_not_exist() -> None:
    result = _read("mt-sics", "/dev/does-not-exist")
    assert result.returncode == 1
    assert result.stdout.startswith("cannot open /dev/does-not-exist")
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "option", [["--timeout", "0"], ["--parity", "X"], ["--driver", "ohaus"]], ids=str
)
def test_bad_options_are_usage_errors(option: list[str]) -> None:
    args = ["devices", "read-weight", "--driver", "mt-sics", "--port", "/dev/null", *option]
    result = kiosk(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- simulate


def _first_line(process: subprocess.Popen[str], timeout: float) -> str:
    assert process.stdout is not None
    ready, _, _ = select.select([process.stdout], [], [], timeout)
    assert ready, "the simulator printed no path"
    return process.stdout.readline().strip()


@pytest.mark.parametrize("protocol", ["mt-sics", "sbi", "and"])
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_simulate_prints_its_path_and_stops_on_a_signal(protocol: str, stop: int) -> None:
    command = [sys.executable, "-m", "kiosk", "devices", "simulate", "balance"]
    options = ["--protocol", protocol, "--weight", "42.5", "--serial", "SIM-9"]
    with subprocess.Popen(
        [*command, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    ) as process:
        try:
            path = _first_line(process, 30)
            assert path.startswith("/dev/pts/")
            result = kiosk(
                "devices", "read-weight", "--driver", protocol, "--port", path, "--serial", "SIM-9"
            )
            assert result.stdout == "42.5 g stable — balance SIM-9\n", result.stderr
            process.send_signal(stop)
            assert process.wait(timeout=10) == 0
            assert process.stderr is not None
            assert "Traceback" not in process.stderr.read()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def test_simulate_replugs_on_a_new_path() -> None:
    command = [sys.executable, "-m", "kiosk", "devices", "simulate", "balance"]
    options = ["--protocol", "and", "--scenario", "unplugged", "--unplug-after", "1"]
    with subprocess.Popen(
        [*command, *options, "--replug-after", "0.2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        cwd=ROOT,
    ) as process:
        try:
            first = _first_line(process, 30)
            once = kiosk("devices", "read-weight", "--driver", "and", "--port", first)
            assert once.returncode == 1
            assert "went away" in once.stdout
            second = _first_line(process, 10)
            assert second.startswith("/dev/pts/")
            again = kiosk("devices", "read-weight", "--driver", "and", "--port", second, "--now")
            assert again.returncode == 1  # identify counts as the one request it answers
            assert "went away" in again.stdout
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)


def test_simulate_refuses_a_unit_it_cannot_print() -> None:
    out = io.StringIO()
    args = build_parser().parse_args(
        ["devices", "simulate", "balance", "--protocol", "and", "--unit", "lb:oz"]
    )
    assert args.func(args, out) == 1
    assert "not lb:oz" in out.getvalue()


# ---------------------------------------------------------------- list


@pytest.mark.parametrize(
    ("sim", "answer"),
    [
        (("mt-sics", "stable"), f"MT-SICS balance, serial {SERIAL}"),
        (("and", "stable"), f"A&D balance, serial {SERIAL}"),
        (("sbi", "stable"), f"SBI balance (Sartorius ENTRIS224I-1S), serial {SERIAL}"),
        (("mt-sics", "silent"), "no answer to MT-SICS, A&D or SBI with these settings"),
    ],
    indirect=["sim"],
)
def test_list_probe(sim: BalanceSimulator, answer: str) -> None:
    out = io.StringIO()
    args = build_parser().parse_args(
        ["devices", "list", "--probe", "--port", sim.path, "--timeout", "0.3"]
    )
    assert args.func(args, out) == 0
    assert f"{sim.path}  — {answer}\n" in out.getvalue()


def test_list_without_probe() -> None:
    result = kiosk("devices", "list")
    assert result.returncode == 0
    assert result.stdout  # ports, or "no serial ports found"
    assert "Traceback" not in result.stderr


def test_help_does_not_load_pyserial() -> None:
    code = (
        "import sys; from kiosk.cli import build_parser; build_parser(); "
        "print('serial' in sys.modules, 'kiosk.devices.balance' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.stdout.split() == ["False", "False"]
