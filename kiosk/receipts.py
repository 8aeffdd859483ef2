"""The server's signed receipts at the station: kept, and checked against the station's chain.

Every acknowledged push comes back with a receipt the central server signed with its Ed25519
key (``central/receipts.py``): the station, the acknowledged sequence number and head hash, the
server's time and the hash of every event the push stored. The station pins the server's public
key the first time it receives one (``GET /api/v1/keys/receipts``; docs/admin.md says how to
compare its fingerprint at set-up), refuses a receipt whose signature does not verify, and keeps
the receipts in its ``<db>.sync`` file. ``kiosk audit verify`` then checks the chain against
every receipt: whoever rewrites the station file and recomputes every hash after the change
still cannot make the events match what the server signed for, nor sign a new receipt.
"""

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from contextlib import closing
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from local_store import EventStore, canonical_json

SCHEMA: Final = (
    "CREATE TABLE IF NOT EXISTS receipts ("
    " station TEXT NOT NULL, seq INTEGER NOT NULL, body TEXT NOT NULL,"
    " PRIMARY KEY (station, seq))",
    "CREATE TABLE IF NOT EXISTS server_key ("
    " id INTEGER PRIMARY KEY CHECK (id = 1), pem TEXT NOT NULL)",
)


class ReceiptError(Exception):
    """A receipt that does not verify, or a chain that does not match its receipts."""


def fingerprint(pem: str) -> str:
    """SHA-256 of the public key's PEM, as an admin compares it with `central keys`."""
    digest = hashlib.sha256(pem.encode("ascii")).hexdigest()
    return ":".join(digest[i : i + 4] for i in range(0, 32, 4))


def _public(pem: str) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ReceiptError("the server's receipt key is not an Ed25519 key")
    return key


def check_key(pem: str) -> None:
    """Raise ReceiptError or ValueError unless ``pem`` is an Ed25519 public key in PEM."""
    _public(pem)


def verifies(pem: str, receipt: Mapping[str, Any]) -> bool:
    """True when ``receipt`` carries the signature of the key ``pem`` over the rest of it."""
    body = canonical_json({k: v for k, v in receipt.items() if k != "signature"})
    try:
        _public(pem).verify(bytes.fromhex(str(receipt.get("signature", ""))), body.encode("utf-8"))
    except (InvalidSignature, ValueError):
        return False
    return True


def mismatch(store: EventStore, receipt: Mapping[str, Any]) -> str | None:
    """The first event of this station that is not the one the receipt lists, in words."""
    listed = sorted((int(s), str(h)) for s, h in receipt.get("events", []))
    for seq, digest in listed:
        found = next(iter(store.events(station=store.station, after_seq=seq - 1)), None)
        have = found.hash if found is not None and found.seq == seq else None
        if have != digest:
            return (
                f"event {seq} is not the event the server acknowledged on {receipt.get('at')} "
                "(its signed receipt lists another hash): the record was rewritten"
            )
    return None


def keep(sync_file: Path, receipt: Mapping[str, Any]) -> None:
    with closing(sqlite3.connect(sync_file, timeout=10.0)) as conn, conn:
        for statement in SCHEMA:
            conn.execute(statement)
        conn.execute(
            "INSERT OR IGNORE INTO receipts (station, seq, body) VALUES (?, ?, ?)",
            (str(receipt["station"]), int(receipt["seq"]), canonical_json(dict(receipt))),
        )


def pinned_key(sync_file: Path) -> str | None:
    if not sync_file.exists():
        return None
    with closing(sqlite3.connect(f"file:{sync_file}?mode=ro", uri=True, timeout=10.0)) as conn:
        try:
            row = conn.execute("SELECT pem FROM server_key WHERE id = 1").fetchone()
        except sqlite3.OperationalError:
            return None
    return str(row[0]) if row else None


def pin_key(sync_file: Path, pem: str) -> None:
    _public(pem)
    with closing(sqlite3.connect(sync_file, timeout=10.0)) as conn, conn:
        for statement in SCHEMA:
            conn.execute(statement)
        conn.execute("INSERT OR IGNORE INTO server_key (id, pem) VALUES (1, ?)", (pem,))


def kept(sync_file: Path, station: str) -> list[dict[str, Any]]:
    """The receipts kept for ``station``, oldest first (read only)."""
    if not sync_file.exists():
        return []
    with closing(sqlite3.connect(f"file:{sync_file}?mode=ro", uri=True, timeout=10.0)) as conn:
        try:
            rows = conn.execute(
                "SELECT body FROM receipts WHERE station = ? ORDER BY seq", (station,)
            ).fetchall()
        except sqlite3.OperationalError:
            return []
    return [json.loads(r[0]) for r in rows]


def check(store: EventStore, sync_file: Path) -> tuple[int, str | None]:
    """(receipts checked, the first problem or None) for the station's chain."""
    receipts = kept(sync_file, store.station)
    pem = pinned_key(sync_file)
    for receipt in receipts:
        if pem is None or not verifies(pem, receipt):
            return len(receipts), (
                f"the receipt for event {receipt.get('seq')} does not carry the server's "
                "signature: the receipts were altered"
            )
        problem = mismatch(store, receipt)
        if problem is not None:
            return len(receipts), problem
    return len(receipts), None
