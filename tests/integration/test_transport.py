"""The station talks to the central server over HTTPS, trusting a private CA when configured.

A real TLS server on 127.0.0.1 presents a certificate signed by a throw-away private CA made
with the openssl command; the client must refuse it without the CA bundle and accept it with.
Plain http:// is refused except to this machine. Files holding records or hashes are 0600.
"""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from kiosk.sync import ServerUnavailable, SyncClient, SyncError, SyncState, url_problem
from local_store import EventStore

HEAD = {"station": "CR-TLS", "acknowledged": 0, "acknowledged_hash": "0" * 64}


@pytest.mark.parametrize(
    "url",
    ["http://central.example.org", "http://10.0.0.5:8000", "ftp://x", "central:8000", "https://"],
)
def test_plain_http_to_another_machine_is_refused(url: str) -> None:
    with pytest.raises(SyncError, match="https://"):
        SyncClient(url, "kst_x")


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8000", "http://localhost:8000", "http://[::1]:8000", "https://h"]
)
def test_https_and_loopback_are_allowed(url: str) -> None:
    assert url_problem(url) is None


def openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def private_ca(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is not installed")
    where = tmp_path_factory.mktemp("pki")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
            "/CN=Cleanroom test CA", "-keyout", "ca.key", "-out", "ca.pem",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign", cwd=where)  # fmt: skip
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1",
            "-keyout", "server.key", "-out", "server.csr", cwd=where)  # fmt: skip
    (where / "ext.cnf").write_text(
        "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n",
        encoding="utf-8",
    )
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-days", "2", "-extfile", "ext.cnf", "-out", "server.pem",
            cwd=where)  # fmt: skip
    return where


class _Head(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps(HEAD).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def tls_server(private_ca: Path) -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Head)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(private_ca / "server.pem", private_ca / "server.key")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_private_ca_bundle_is_trusted_and_nothing_else(tls_server: str, private_ca: Path) -> None:
    with (
        SyncClient(tls_server, "kst_x", timeout=5) as client,
        pytest.raises(ServerUnavailable, match="cannot reach"),
    ):
        client.head()  # the system's trust store does not know the private CA
    with SyncClient(tls_server, "kst_x", timeout=5, ca_bundle=private_ca / "ca.pem") as client:
        assert client.head().station == "CR-TLS"


def test_missing_ca_bundle_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(SyncError, match="cannot read the CA bundle"):
        SyncClient("https://127.0.0.1:1", "kst_x", ca_bundle=tmp_path / "none.pem")


def test_station_files_are_private(tmp_path: Path) -> None:
    db = tmp_path / "station.sqlite"
    with EventStore(db, "CR-1") as store:
        store.append("note", {}, actor="system")
    SyncState(SyncState.path_for(db))
    for path in (db, SyncState.path_for(db)):
        assert path.stat().st_mode & 0o777 == 0o600, path
    from central.store import CentralStore

    central = tmp_path / "central.sqlite"
    CentralStore(str(central)).close()
    assert central.stat().st_mode & 0o777 == 0o600


# ---------------------------------------------------------------- the server side


@pytest.fixture
def sqlite_central(tmp_path: Path) -> Iterator[Any]:
    from central.store import CentralStore
    from tests.integration.conftest import Central, ServerThread

    store = CentralStore(str(tmp_path / "central.sqlite"))
    server = ServerThread(store).start()
    yield Central(store, server)
    server.stop()
    store.close()


def _post_head_only(url: str, authorization: str | None, length: int = 30 * 1024 * 1024) -> bytes:
    """Announce a 30 MB (``length``) JSON body, send 1 KB of it, and read what the server answers.

    A server that reads the body before checking the token waits for the other 29.99 MB and
    the read times out; one that checks the token first answers at once.
    """
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    lines = [
        "POST /api/v1/events HTTP/1.1",
        f"Host: {host}:{port}",
        "Content-Type: application/json",
        f"Content-Length: {length}",
        "Connection: close",
    ]
    if authorization is not None:
        lines.append(f"Authorization: {authorization}")
    with socket.create_connection((host, port), timeout=20) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + b'{"events": [' + b" " * 1024)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
        return answer


@pytest.mark.parametrize("authorization", [None, "Bearer kst_not-a-token", "Basic eDp5"])
def test_token_is_checked_before_the_body_is_read(sqlite_central: Any, authorization: Any) -> None:
    answer = _post_head_only(sqlite_central.url, authorization)
    assert answer.startswith(b"HTTP/1.1 401"), answer[:200]


def test_a_valid_token_passes_to_the_route(sqlite_central: Any) -> None:
    import httpx

    token = sqlite_central.add_station("CR-BODY")
    response = httpx.post(
        f"{sqlite_central.url}/api/v1/events",
        json={"events": []},
        headers={"Authorization": f"Bearer {token}"},
        timeout=20,
    )
    assert response.status_code != 401, response.text
    assert response.json()["station"] == "CR-BODY"


def test_a_body_over_the_limit_is_refused_before_it_is_read(sqlite_central: Any) -> None:
    """With a valid token, a body announced above 32 MiB gets 413 at once (FastAPI's
    ``max_body_size``): the server neither waits for nor reads it."""
    from central.api import MAX_BODY

    token = sqlite_central.add_station("CR-BIG")
    answer = _post_head_only(sqlite_central.url, f"Bearer {token}", MAX_BODY + 1)
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
