"""RFC 3161 time-stamps of the server's heads against a real TSA on loopback: `openssl ts -reply`
with a throwaway CA (made with ``cryptography``), behind a small HTTP server. Granted, refused,
unreachable, a certificate the configured CA did not issue, a TSA certificate that was expired (or
not yet valid) when it stamped, a tampered token and a rewritten chain."""

from __future__ import annotations

import base64
import io
import sqlite3
import subprocess
import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from sqlalchemy import func, select

from central import schema
from central.cli import main as central_main
from central.store import CentralStore
from kiosk.sync import SyncClient, SyncState, push_pending
from tests.integration.conftest import ServerThread, make_station
from tests.integration.pg import free_port
from tests.integration.test_central_cli import rewrite_server

TSA_CONFIG = """\
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
serial = {serial}
crypto_device = builtin
signer_digest = sha256
default_policy = 1.2.3.4.1
digests = sha256
ess_cert_id_alg = sha256
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
other_policies = 1.2.3.4.2
"""
REJECTION = bytes.fromhex("30053003020102")  # TimeStampResp, status 2: rejection


def _openssl(*argv: str, cwd: Path) -> None:
    subprocess.run(["openssl", *argv], cwd=cwd, check=True, capture_output=True)


def _write(path: Path, key: ec.EllipticCurvePrivateKey, cert: x509.Certificate) -> None:
    path.with_suffix(".key").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    path.with_suffix(".pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))


def make_tsa_pki(folder: Path, *, tsa_valid: tuple[int, int] = (-1, 30)) -> None:
    """A root CA and a TSA certificate it issued (extendedKeyUsage timeStamping, critical),
    valid from ``tsa_valid[0]`` to ``tsa_valid[1]`` days from now."""
    folder.mkdir()
    now = datetime.now(UTC)
    root_key, tsa_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    root = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA Root")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(root)
        .issuer_name(root)
        .public_key(root_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=60))
        .not_valid_after(now + timedelta(days=60))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), False)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    tsa = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")]))
        .issuer_name(root)
        .public_key(tsa_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now + timedelta(days=tsa_valid[0]))
        .not_valid_after(now + timedelta(days=tsa_valid[1]))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), False
        )
        .add_extension(
            x509.KeyUsage(True, False, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(root_key, hashes.SHA256())
    )
    _write(folder / "ca", root_key, ca)
    _write(folder / "tsa", tsa_key, tsa)
    (folder / "serial").write_text("01\n")
    (folder / "ts.cnf").write_text(TSA_CONFIG.format(serial=folder / "serial"))


class Tsa:
    """`openssl ts -reply` behind HTTP on 127.0.0.1; ``answer`` switches what it replies."""

    def __init__(self, pki: Path) -> None:
        self.pki = pki
        self.answer = "grant"
        self.requests = 0
        self._lock = threading.Lock()
        tsa = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # http.server's name
                query = self.rfile.read(int(self.headers["Content-Length"]))
                tsa.requests += 1
                body = tsa.reply(query)
                self.send_response(200)
                self.send_header("Content-Type", "application/timestamp-reply")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/tsr"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def reply(self, query: bytes) -> bytes:
        if self.answer == "refuse":
            return REJECTION
        with self._lock:
            (self.pki / "q.tsq").write_bytes(query)
            _openssl(
                "ts", "-reply", "-config", "ts.cnf", "-queryfile", "q.tsq",
                "-signer", "tsa.pem", "-inkey", "tsa.key", "-out", "r.tsr",
                cwd=self.pki,
            )  # fmt: skip
            return (self.pki / "r.tsr").read_bytes()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def tsa(tmp_path: Path) -> Iterator[Tsa]:
    make_tsa_pki(tmp_path / "pki")
    server = Tsa(tmp_path / "pki")
    yield server
    server.stop()


def central(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = central_main(list(argv), out=out)
    return code, out.getvalue()


def _server_with_events(database: str, tmp_path: Path) -> str:
    with CentralStore(database) as store:
        server = ServerThread(store).start()
        try:
            token = central("stations", "add", "ST-1", "--db", database)[1].split()[-1]
            path = tmp_path / "ST-1.sqlite"
            with make_station(path, "ST-1", 120) as st, SyncClient(server.url, token) as c:
                push_pending(st, c, SyncState(SyncState.path_for(path)), batch_size=50)
        finally:
            server.stop()
    return database


@pytest.fixture
def server_db(tmp_path: Path) -> str:
    """A SQLite server database holding ST-1's 120 pushed events."""
    return _server_with_events(str(tmp_path / "central.sqlite"), tmp_path)


@pytest.fixture
def any_server_db(database_url: str, tmp_path: Path) -> str:
    """The same on SQLite and on a real PostgreSQL."""
    return _server_with_events(database_url, tmp_path)


def _stored(database: str) -> int:
    with CentralStore(database) as store, store.read() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.timestamps)).scalar_one())


def _configure(monkeypatch: pytest.MonkeyPatch, tsa: Tsa, ca: Path | None = None) -> None:
    monkeypatch.setenv("CENTRAL_TSA_URL", tsa.url)
    monkeypatch.setenv("CENTRAL_TSA_CA", str(ca or tsa.pki / "ca.pem"))
    monkeypatch.setenv("CENTRAL_TSA_CERT", str(tsa.pki / "tsa.pem"))


def _stamp(monkeypatch: pytest.MonkeyPatch, tsa: Tsa, database: str) -> str:
    """Configure ``tsa`` and have it time-stamp ``database`` once (granted, stored); what
    `central timestamp` printed."""
    _configure(monkeypatch, tsa)
    code, out = central("timestamp", "--db", database)
    assert code == 0, out
    return out


@pytest.fixture
def stamped(tsa: Tsa, server_db: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """``server_db`` with one stored time-stamp of its heads."""
    _stamp(monkeypatch, tsa, server_db)
    return server_db


@contextmanager
def _tampered(database: str) -> Iterator[sqlite3.Connection]:
    """The SQLite file opened by its owner, the timestamps' append-only trigger dropped."""
    with closing(sqlite3.connect(database)) as conn, conn:
        conn.execute("DROP TRIGGER timestamps_no_update")
        yield conn


def _verify_names_timestamp_1(database: str) -> str:
    """`central verify` fails on the stored time-stamp; what it printed."""
    code, out = central("verify", "--db", database)
    assert code == 1, out
    assert "TIMESTAMP 1 (TSA time 20" in out
    return out


def _refused(database: str) -> str:
    """`central timestamp` fails in one line and stores nothing; that line."""
    code, out = central("timestamp", "--db", database)
    assert code == 1
    assert len(out.strip().splitlines()) == 1, out
    assert _stored(database) == 0
    return out


NOT_VERIFIED = "central timestamp: the time-stamp authority's token does not verify, nothing stored"


def test_a_granted_time_stamp_is_stored_and_verified(
    tsa: Tsa, any_server_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out = central(
        "users", "add", "ada", "--name", "Ada", "--roles", "admin", "--db", any_server_db
    )
    assert code == 0, out  # the server's own chain (@central) holds an event now
    out = _stamp(monkeypatch, tsa, any_server_db)
    assert out.startswith(f"timestamp 1: 2 heads time-stamped by {tsa.url} at 20")
    assert "(@central seq 1, ST-1 seq 120)" in out
    assert tsa.requests == 1
    assert _stored(any_server_db) == 1
    code, out = central("verify", "--db", any_server_db)
    assert code == 0, out
    assert "timestamp 1: TSA time 20" in out
    assert "its 2 heads are still in the chain" in out


def test_a_rewritten_chain_no_longer_matches_its_time_stamp(
    tsa: Tsa, any_server_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _stamp(monkeypatch, tsa, any_server_db)
    rewrite_server(any_server_db, "ST-1", 77)  # every hash after 77 recomputed, the head too
    out = _verify_names_timestamp_1(any_server_db)
    assert "ST-1 seq 120 is not the event that was time-stamped (its hash differs)" in out


def test_a_tampered_token_is_named(stamped: str) -> None:
    with _tampered(stamped) as conn:
        (token,) = conn.execute("SELECT token FROM timestamps").fetchone()
        der = bytearray(base64.b64decode(token))
        der[-20] ^= 0x01  # one bit of the signature
        conn.execute("UPDATE timestamps SET token = ?", (base64.b64encode(der).decode(),))
    out = _verify_names_timestamp_1(stamped)
    assert "the token's signature does not verify: " in out
    assert "signature failure" in out


def test_the_stored_heads_cannot_be_edited_to_match_a_rewrite(stamped: str) -> None:
    """Whoever rewrites the chain and then the covered heads breaks the token's imprint."""
    rewrite_server(stamped, "ST-1", 77)
    with _tampered(stamped) as conn:
        (head,) = conn.execute("SELECT head_hash FROM stations WHERE name = 'ST-1'").fetchone()
        (covered,) = conn.execute("SELECT covered FROM timestamps").fetchone()
        old = covered.split('"hash":"')[1].split('"')[0]
        conn.execute("UPDATE timestamps SET covered = ?", (covered.replace(old, head),))
    out = _verify_names_timestamp_1(stamped)
    assert "the token does not cover the stored heads" in out


def test_a_token_from_a_tsa_the_configured_ca_did_not_issue_is_refused(
    tsa: Tsa, server_db: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    make_tsa_pki(tmp_path / "other")
    _configure(monkeypatch, tsa, ca=tmp_path / "other" / "ca.pem")
    monkeypatch.delenv("CENTRAL_TSA_CERT")
    out = _refused(server_db)
    assert out.startswith(NOT_VERIFIED)
    assert "the TSA's certificate was not issued by the configured CA" in out
    assert "unable to get local issuer certificate" in out
    # pinned to another TSA's certificate: refused too
    _configure(monkeypatch, tsa)
    monkeypatch.setenv("CENTRAL_TSA_CERT", str(tmp_path / "other" / "tsa.pem"))
    assert _refused(server_db).startswith(NOT_VERIFIED)


@pytest.mark.parametrize(
    ("valid", "state"), [((-40, -1), "had expired"), ((1, 40), "was not yet valid")]
)
def test_a_tsa_certificate_not_valid_when_it_stamped_is_refused_in_one_line(
    valid: tuple[int, int],
    state: str,
    server_db: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """The TSA signs with a certificate that had expired (or was not yet valid) at its own
    time: the token proves nothing, and the admin reads why in one line."""
    make_tsa_pki(tmp_path / "stale", tsa_valid=valid)
    server = Tsa(tmp_path / "stale")
    try:
        _configure(monkeypatch, server)
        out = _refused(server_db)
    finally:
        server.stop()
    assert out.startswith(
        f"{NOT_VERIFIED}: the TSA's certificate (CN=Test TSA) {state} when it stamped at 20"
    ), out
    assert server.requests == 1


def test_verify_names_a_stored_token_the_configured_ca_does_not_trust(
    stamped: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A CA bundle swapped after stamping (or a token from elsewhere): verify says so."""
    make_tsa_pki(tmp_path / "other")
    monkeypatch.setenv("CENTRAL_TSA_CA", str(tmp_path / "other" / "ca.pem"))
    monkeypatch.delenv("CENTRAL_TSA_CERT")
    out = _verify_names_timestamp_1(stamped)
    assert (
        "the token's signature does not verify: the TSA's certificate was not issued by the "
        f"configured CA {tmp_path / 'other' / 'ca.pem'}"
    ) in out


def test_a_refusing_or_unreachable_tsa_is_one_line_and_writes_nothing(
    tsa: Tsa, server_db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(monkeypatch, tsa)
    tsa.answer = "refuse"
    assert (
        _refused(server_db)
        == f"central timestamp: the time-stamp authority {tsa.url} refused: status 2 (rejection)\n"
    )
    monkeypatch.setenv("CENTRAL_TSA_URL", f"http://127.0.0.1:{free_port()}/tsr")
    assert _refused(server_db).startswith(
        "central timestamp: cannot reach the time-stamp authority http://127"
    )
    monkeypatch.delenv("CENTRAL_TSA_URL")
    assert _refused(server_db) == (
        "central timestamp: no time-stamp authority configured: set CENTRAL_TSA_URL and "
        "CENTRAL_TSA_CA (docs/admin.md)\n"
    )
    code, out = central("verify", "--db", server_db)
    assert code == 0, out
    assert "timestamp" not in out
