"""Server-signed receipts: tamper evidence that does not trust the owner of a database file.

Whoever owns a SQLite file (or the PostgreSQL database) can drop the triggers, rewrite an event
and recompute every hash after it; the chain then verifies. A receipt anchors the chain outside
the file: for every acknowledged push the server signs, with its Ed25519 key, the station, the
acknowledged sequence number and head hash, the server's time, and the hash of every event the
push stored. The station keeps its receipts (``kiosk audit verify`` checks its chain against
them); the server keeps them too (``central verify`` checks the stored events against them). A
rewritten event no longer matches the hash its receipt lists, and the receipt's signature cannot
be recomputed without the private key, which lives outside the database (``CENTRAL_SIGNING_KEY``,
a file the server creates with mode 0600; docs/admin.md).
"""

import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Connection, insert, select

from central import schema
from central.errors import CentralError
from local_store import canonical_json

KEY_ENV: Final = "CENTRAL_SIGNING_KEY"
DEFAULT_KEY: Final = "central-signing.key"

_R = schema.receipts
_E = schema.events


def key_path(database: str | None = None) -> Path:
    """``$CENTRAL_SIGNING_KEY``, else ``central-signing.key`` beside a SQLite database (or in
    the current folder for PostgreSQL)."""
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env)
    if database and "://" not in database:
        return Path(database).resolve().parent / DEFAULT_KEY
    return Path(DEFAULT_KEY).resolve()


def load_or_create_key(path: Path) -> Ed25519PrivateKey:
    """The server's private key from ``path``, created there (mode 0600) when missing."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another server process made it meanwhile
            return load_or_create_key(path)
        except OSError as exc:
            raise CentralError(f"cannot create the signing key {path}: {exc.strerror}") from exc
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        return key
    except OSError as exc:
        raise CentralError(f"cannot read the signing key {path}: {exc.strerror}") from exc
    try:
        loaded = serialization.load_pem_private_key(data, password=None)
    except ValueError as exc:
        raise CentralError(f"{path} is not a PEM private key") from exc
    if not isinstance(loaded, Ed25519PrivateKey):
        raise CentralError(f"{path} is not an Ed25519 key")
    return loaded


def public_pem(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )


def signed_text(receipt: Mapping[str, Any]) -> str:
    """What a receipt's signature covers: its canonical JSON without the signature."""
    return canonical_json({k: v for k, v in receipt.items() if k != "signature"})


def issue(
    conn: Connection,
    key: Ed25519PrivateKey,
    station: str,
    seq: int,
    head: str,
    at: str,
    hashes: Sequence[tuple[int, str]],
) -> dict[str, Any]:
    """Sign and keep the receipt of one acknowledged push (in ``conn``'s transaction)."""
    receipt: dict[str, Any] = {
        "station": station,
        "seq": seq,
        "head": head,
        "at": at,
        "events": [[s, h] for s, h in hashes],
    }
    receipt["signature"] = key.sign(signed_text(receipt).encode("utf-8")).hex()
    conn.execute(
        insert(_R).values(station=station, seq=seq, head=head, at=at, body=canonical_json(receipt))
    )
    return receipt


def verify_signature(public: Ed25519PublicKey, receipt: Mapping[str, Any]) -> bool:
    try:
        public.verify(
            bytes.fromhex(str(receipt.get("signature", ""))), signed_text(receipt).encode("utf-8")
        )
    except (InvalidSignature, ValueError):
        return False
    return True


@dataclass(frozen=True)
class ReceiptProblem:
    station: str
    seq: int
    problem: str


def check_against_receipts(conn: Connection, public: Ed25519PublicKey) -> Iterator[ReceiptProblem]:
    """Every stored event a receipt lists must still have the listed hash; every receipt must
    carry the server's signature. Yields the first problem of each station."""
    import json  # noqa: PLC0415

    bad: set[str] = set()
    for body in conn.execute(select(_R.c.body).order_by(_R.c.station, _R.c.seq)).scalars():
        receipt = json.loads(body)
        station = str(receipt.get("station"))
        if station in bad:
            continue
        if not verify_signature(public, receipt):
            bad.add(station)
            yield ReceiptProblem(
                station,
                int(receipt.get("seq", 0)),
                "a receipt's signature does not verify (receipts were altered)",
            )
            continue
        listed = {int(s): str(h) for s, h in receipt.get("events", [])}
        if not listed:
            continue
        stored = {
            int(s): str(h)
            for s, h in conn.execute(
                select(_E.c.seq, _E.c.hash).where(
                    _E.c.station == station, _E.c.seq >= min(listed), _E.c.seq <= max(listed)
                )
            )
        }
        for seq in sorted(listed):
            if stored.get(seq) != listed[seq]:
                bad.add(station)
                yield ReceiptProblem(
                    station,
                    seq,
                    f"event {seq} is not the event the server acknowledged on {receipt['at']} "
                    "(its signed receipt lists another hash): the record was rewritten",
                )
                break
