"""`kiosk devices read-opcua`, `simulate opcua` and `opcua-cert`: process equipment over OPC UA.

asyncua loads only when one of these runs, so `kiosk --help` does not import it.
Every failure is one line and exit code 1, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from types import FrameType
from typing import TextIO

EXIT_OK, EXIT_FAIL = 0, 1


def add_read_parser(devices: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    read = devices.add_parser(
        "read-opcua",
        help="read one node of OPC UA equipment: value, unit, source timestamp, status",
        description="Connect to ENDPOINT and read NODE: value, unit (the node's EngineeringUnits), "
        "source timestamp and status, and the server's identity. Exit 1 with one line when the "
        "server is unreachable, the node is missing, its status is bad or a certificate is not "
        "trusted. Security none only when asked for; sign and sign-encrypt are Basic256Sha256 "
        "and need --cert, --key and --server-cert.",
    )
    read.add_argument("--endpoint", help="opc.tcp://host:port/path (or --config and --role)")
    read.add_argument(
        "--node", required=True, help="node id (ns=2;s=Incubator.Temperature) or configured name"
    )
    read.add_argument("--config", help="station configuration (TOML) with [opcua.ROLE]")
    read.add_argument("--role", help="the [opcua.ROLE] to read")
    read.add_argument(
        "--security", choices=("none", "sign", "sign-encrypt"), help="default: sign-encrypt"
    )
    read.add_argument("--cert", type=Path, help="this station's client certificate (DER or PEM)")
    read.add_argument("--key", type=Path, help="its private key (PEM)")
    read.add_argument("--server-cert", type=Path, help="the server certificate trusted here")
    read.add_argument("--serial-node", help="node holding the serial number (else ApplicationUri)")
    read.add_argument("--timeout", type=float, default=4.0, help="seconds (default 4)")
    read.add_argument("--json", action="store_true", help="print one JSON object")
    read.set_defaults(func=cmd_read_opcua)

    cert = devices.add_parser(
        "opcua-cert",
        help="make this station's OPC UA client certificate and key",
        description="Write a self-signed Basic256Sha256 client certificate (DER) and key (PEM). "
        "The equipment's administrator must then trust the certificate. Refuses to overwrite.",
    )
    cert.add_argument("--cert", type=Path, required=True)
    cert.add_argument("--key", type=Path, required=True)
    cert.add_argument("--uri", default="urn:cleanroom-kiosk:station", help="ApplicationUri")
    cert.add_argument("--name", default="cleanroom-kiosk", help="common name")
    cert.set_defaults(func=cmd_opcua_cert)


def add_simulate_parser(simulate: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sim = simulate.add_parser(
        "opcua",
        help="run the OPC UA incubator and freezer simulator until SIGINT or SIGTERM",
        description="Print the endpoint URL (one line, first), then serve until Ctrl-C. "
        "With --cert-dir, Basic256Sha256 Sign and SignAndEncrypt with the server certificate "
        "server.der / server.pem in that folder (made if missing), trusting the --trust client "
        "certificates; security None then only with --allow-none.",
    )
    sim.add_argument("--port", type=int, help="TCP port on 127.0.0.1 (default: a free one)")
    sim.add_argument("--cert-dir", type=Path)
    sim.add_argument("--trust", type=Path, action="append", default=[])
    sim.add_argument("--allow-none", action="store_true")
    sim.set_defaults(func=cmd_simulate_opcua)


def _fail(out: TextIO, text: str) -> int:
    print(f"read-opcua: {text}", file=out)
    return EXIT_FAIL


def cmd_read_opcua(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.config import ConfigError, load_config
    from kiosk.devices.errors import DeviceError
    from kiosk.devices.opcua import (
        OpcuaEndpoint,
        OpcuaSecurity,
        endpoint_from_config,
        read_nodes,
    )

    node = args.node
    if args.config or args.role:
        if not (args.config and args.role) or args.endpoint:
            return _fail(out, "give --config and --role together, without --endpoint")
        try:
            roles = load_config(args.config).opcua
        except ConfigError as exc:
            return _fail(out, str(exc))
        if args.role not in roles:
            return _fail(out, f"no [opcua.{args.role}] in {args.config}")
        role = roles[args.role]
        endpoint = endpoint_from_config(role)
        node = role.nodes.get(node, node)
        paths = (role.certificate, role.private_key, role.server_certificate)
    else:
        if not args.endpoint:
            return _fail(out, "say which equipment: --endpoint URL, or --config and --role")
        endpoint = OpcuaEndpoint(
            args.endpoint,
            OpcuaSecurity(args.security or "sign-encrypt", args.cert, args.key, args.server_cert),
            serial_node=args.serial_node,
            timeout=args.timeout,
        )
        paths = (args.cert, args.key, args.server_cert)
    for given in paths:
        if given is not None and not given.is_file():
            return _fail(out, f"no file {given}")
    try:
        (reading,) = read_nodes(endpoint, {"value": node})
    except DeviceError as exc:
        return _fail(out, str(exc))
    if not reading.good:
        return _fail(out, f"{node} has status {reading.status}: the value cannot be used")
    if args.json:
        print(json.dumps(reading.as_dict(), ensure_ascii=False), file=out)
    else:
        stamp = reading.source_timestamp.isoformat() if reading.source_timestamp else "none"
        unit = f" {reading.unit}" if reading.unit else " (no unit)"
        print(
            f"{reading.value}{unit} at {stamp} {reading.status} — {reading.source}",
            file=out,
        )
    return EXIT_OK


def cmd_opcua_cert(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.devices.opcua import generate_certificate

    for path in (args.cert, args.key):
        if path.exists():
            print(f"opcua-cert: {path} exists; not overwritten", file=out)
            return EXIT_FAIL
    try:
        generate_certificate(
            args.cert, args.key, application_uri=args.uri, name=args.name, server=False
        )
    except OSError as exc:
        print(f"opcua-cert: {exc}", file=out)
        return EXIT_FAIL
    print(f"wrote {args.cert} and {args.key} ({args.uri})", file=out)
    return EXIT_OK


def cmd_simulate_opcua(args: argparse.Namespace, out: TextIO) -> int:
    from kiosk.devices.opcua import generate_certificate
    from kiosk.devices.sim_opcua import APPLICATION_URI, OpcuaSimulator, ServerSecurity

    security = None
    if args.cert_dir is not None:
        cert, key = args.cert_dir / "server.der", args.cert_dir / "server.pem"
        try:
            args.cert_dir.mkdir(parents=True, exist_ok=True)
            if not cert.exists():
                generate_certificate(
                    cert, key, application_uri=APPLICATION_URI, name="kiosk-sim", server=True
                )
        except OSError as exc:
            print(f"simulate: {exc}", file=out)
            return EXIT_FAIL
        for path in args.trust:
            if not path.is_file():
                print(f"simulate: no file {path}", file=out)
                return EXIT_FAIL
        security = ServerSecurity(cert, key, tuple(args.trust), allow_none=args.allow_none)
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        try:
            simulator = OpcuaSimulator(port=args.port, security=security)
            simulator.start()
        except OSError as exc:
            print(f"simulate: cannot listen: {exc}", file=out)
            return EXIT_FAIL
        try:
            print(simulator.endpoint, file=out, flush=True)
            print(
                f"OPC UA simulator (incubator, freezer) on {simulator.endpoint}; Ctrl-C to stop",
                file=sys.stderr,
                flush=True,
            )
            while not stop.wait(0.2):
                pass
        finally:
            simulator.stop()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return EXIT_OK
