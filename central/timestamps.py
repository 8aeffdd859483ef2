"""RFC 3161 trusted time-stamps of the server's heads: proof from outside the site of *when*.

A receipt (``central/receipts.py``) proves what the server acknowledged; its time is the
server's own clock, which the server's owner can set. A time-stamp authority (TSA) signs, with
its own key and clock, the SHA-256 of a document listing every chain's head the server holds:

    {"at": <server time>, "heads": [{"station": "@central", "seq": 812, "hash": "…"},
                                    {"station": "ST-1", "seq": 77, "hash": "…"}, …]}

Every event chains to the one before it, so a head vouches for the whole chain up to it: an
auditor can show that each of these events existed, unchanged, no later than the TSA's time.
The server's own chain (``@central``: ownership, users, approvals) is anchored with the
stations' acknowledged heads. ``central timestamp`` (a daily systemd timer) asks the TSA,
checks its answer (granted, our imprint, our nonce, a signature that chains to the configured
CA and, if named, is the configured TSA certificate) and only then stores the token, with the
document it covers, in the append-only ``timestamps`` table. ``central verify`` re-checks every
stored token and that every head it covers is still the event in the chain.

Configuration (environment, e.g. ``/etc/kiosk/central.env``, or ``central timestamp`` options):
``CENTRAL_TSA_URL``, ``CENTRAL_TSA_CA`` (PEM: the TSA's root, and any intermediates) and
optionally ``CENTRAL_TSA_CERT`` (PEM: the TSA's signing certificate, pinned).
"""

import base64
import hashlib
import json
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import httpx
from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    TimeStampResponse,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)
from sqlalchemy import Connection, insert, select

from central import schema
from central.errors import CentralError
from central.store import CentralStore, now_iso
from local_store import canonical_json

URL_ENV: Final = "CENTRAL_TSA_URL"
CA_ENV: Final = "CENTRAL_TSA_CA"
CERT_ENV: Final = "CENTRAL_TSA_CERT"
TIMEOUT_S: Final = 30.0

_T = schema.timestamps
_S = schema.stations
_E = schema.events


@dataclass(frozen=True)
class TsaConfig:
    url: str | None
    ca: Path | None
    cert: Path | None

    @classmethod
    def from_env(
        cls, url: str | None = None, ca: str | None = None, cert: str | None = None
    ) -> "TsaConfig":
        """Options given on the command line win over the environment."""
        url = url or os.environ.get(URL_ENV) or None
        ca = ca or os.environ.get(CA_ENV) or None
        cert = cert or os.environ.get(CERT_ENV) or None
        return cls(url, Path(ca) if ca else None, Path(cert) if cert else None)


@dataclass(frozen=True)
class Head:
    station: str
    seq: int
    hash: str


def _load_pems(path: Path, what: str) -> list[x509.Certificate]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CentralError(f"cannot read the {what} {path}: {exc.strerror}") from exc
    try:
        certs = x509.load_pem_x509_certificates(data)
    except ValueError as exc:
        raise CentralError(f"{path} holds no PEM certificate ({what})") from exc
    return certs


def _verifier(config: TsaConfig, nonce: int | None = None) -> VerifierBuilder:
    """Trust: the self-signed certificates of the CA bundle are roots, the others intermediates;
    a configured TSA certificate must be the one that signed."""
    if config.ca is None:
        raise CentralError(f"no TSA CA bundle configured (set {CA_ENV} or --tsa-ca)")
    builder = VerifierBuilder()
    roots = 0
    for cert in _load_pems(config.ca, "TSA CA bundle"):
        if cert.subject == cert.issuer:
            builder = builder.add_root_certificate(cert)
            roots += 1
        else:
            builder = builder.add_intermediate_certificate(cert)
    if not roots:
        raise CentralError(f"{config.ca} holds no root (self-signed) certificate")
    if config.cert is not None:
        builder = builder.tsa_certificate(_load_pems(config.cert, "TSA certificate")[0])
    if nonce is not None:
        builder = builder.nonce(nonce)
    return builder


def heads(conn: Connection) -> list[Head]:
    """Every chain's acknowledged head the server holds, the server's own (``@central``)
    included, in name order; chains without events are left out."""
    rows = conn.execute(
        select(_S.c.name, _S.c.head_seq, _S.c.head_hash)
        .where(_S.c.head_seq > 0)
        .order_by(_S.c.name)
    )
    return [Head(str(n), int(s), str(h)) for n, s, h in rows]


def document(at: str, covered: list[Head]) -> str:
    """The canonical JSON the TSA's imprint is the SHA-256 of."""
    return canonical_json(
        {"at": at, "heads": [{"station": h.station, "seq": h.seq, "hash": h.hash} for h in covered]}
    )


def _why(exc: Exception) -> str:
    """The verifier's reason, without OpenSSL's error stack dump."""
    text = str(exc)
    if "ErrorStack" not in text:
        return text
    head = text.split(": ErrorStack", maxsplit=1)[0]
    data = [d for d in re.findall(r'data: "([^"]+)"', text) if not d.endswith(":")]
    details = re.findall(r'reason: "([^"]+)"', text) + data
    return f"{head} ({'; '.join(dict.fromkeys(details))})" if details else head


def _signer(response: TimeStampResponse, config: TsaConfig) -> x509.Certificate | None:
    """The certificate that signed the token: the one the token carries that its signer info
    names, else the configured (pinned) one."""
    names = [(s.issuer, s.serial_number) for s in response.signed_data.signer_infos]
    for der in response.signed_data.certificates:
        cert = x509.load_der_x509_certificate(der)
        if (cert.issuer, cert.serial_number) in names:
            return cert
    if config.cert is not None:
        return _load_pems(config.cert, "TSA certificate")[0]
    return None


def _untrusted(exc: Exception, response: TimeStampResponse, config: TsaConfig) -> str:
    """Why a token does not verify, in one line: a TSA certificate that was not valid when it
    stamped (expired, or not yet valid), or one the configured CA did not issue, said plainly;
    any other reason as the verifier gives it."""
    when = response.tst_info.gen_time
    cert = _signer(response, config)
    if cert is not None:
        start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
        if not start <= when <= end:
            state = "had expired" if when > end else "was not yet valid"
            return (
                f"the TSA's certificate ({cert.subject.rfc4514_string()}) {state} when it "
                f"stamped at {when:%Y-%m-%dT%H:%M:%SZ} (valid {start:%Y-%m-%d} to "
                f"{end:%Y-%m-%d})"
            )
    why = _why(exc)
    if "unable to get local issuer certificate" in why:
        return f"the TSA's certificate was not issued by the configured CA {config.ca} ({why})"
    return why


def _refusal(response: TimeStampResponse) -> str:
    status = response.status
    try:
        name = PKIStatus(status).name.lower()
    except ValueError:
        name = "unknown"
    texts = "; ".join(response.status_string)
    return f"status {status} ({name}{': ' + texts if texts else ''})"


def _ask(url: str, request: bytes) -> bytes:
    try:
        reply = httpx.post(
            url,
            content=request,
            headers={"Content-Type": "application/timestamp-query"},
            timeout=TIMEOUT_S,
        )
    except httpx.HTTPError as exc:
        raise CentralError(f"cannot reach the time-stamp authority {url}: {exc}") from exc
    if reply.status_code != 200:
        raise CentralError(f"the time-stamp authority {url} answered HTTP {reply.status_code}")
    return reply.content


@dataclass(frozen=True)
class Stamped:
    id: int
    tsa_time: str
    covered: list[Head]


def stamp(store: CentralStore, config: TsaConfig) -> Stamped:
    """Time-stamp the current heads at the TSA and keep the checked token. Writes nothing
    unless the TSA granted a token that verifies."""
    if not config.url:
        raise CentralError(
            f"no time-stamp authority configured: set {URL_ENV} and {CA_ENV} (docs/admin.md)"
        )
    with store.read() as conn:
        covered = heads(conn)
    if not covered:
        raise CentralError("nothing to time-stamp: no chain holds an event yet")
    at = now_iso()
    text = document(at, covered)
    request = (
        TimestampRequestBuilder()
        .data(text.encode("utf-8"))
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    nonce = request.nonce
    assert nonce is not None  # asked for above
    verifier = _verifier(config, nonce).build()
    answer = _ask(config.url, request.as_bytes())
    try:
        response = decode_timestamp_response(answer)
    except ValueError as exc:
        raise CentralError(
            f"the time-stamp authority {config.url} answered something that is not a "
            f"(strict DER) time-stamp response: {exc}"
        ) from exc
    if response.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise CentralError(f"the time-stamp authority {config.url} refused: {_refusal(response)}")
    try:
        verifier.verify_message(response, text.encode("utf-8"))
    except (VerificationError, ValueError) as exc:
        raise CentralError(
            "the time-stamp authority's token does not verify, nothing stored: "
            + _untrusted(exc, response, config)
        ) from exc
    tsa_time = _iso(response)
    with store.write() as conn:
        row = conn.execute(
            insert(_T)
            .values(
                at=at,
                tsa_url=config.url,
                tsa_time=tsa_time,
                covered=text,
                imprint=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                nonce=str(nonce),
                token=base64.b64encode(response.as_bytes()).decode("ascii"),
            )
            .returning(_T.c.id)
        ).scalar_one()
    return Stamped(int(row), tsa_time, covered)


def _iso(response: TimeStampResponse) -> str:
    return response.tst_info.gen_time.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class TokenCheck:
    id: int
    tsa_time: str | None
    heads: int
    problems: list[str]
    signature_checked: bool


def _covered(text: str) -> list[Head]:
    data: Mapping[str, Any] = json.loads(text)
    return [Head(str(h["station"]), int(h["seq"]), str(h["hash"])) for h in data["heads"]]


def check(conn: Connection, config: TsaConfig) -> Iterator[TokenCheck]:
    """Each stored token, oldest first: its signature (when a CA bundle is configured), that it
    covers the stored document, and that every head it covers is still that event."""
    has_ca = config.ca is not None
    for row in conn.execute(select(_T).order_by(_T.c.id)).mappings():
        problems: list[str] = []
        tsa_time: str | None = None
        try:
            covered = _covered(str(row["covered"]))
            text = document(json.loads(str(row["covered"]))["at"], covered)
        except (ValueError, KeyError, TypeError):
            yield TokenCheck(int(row["id"]), None, 0, ["the covered heads are damaged"], has_ca)
            continue
        try:
            response = decode_timestamp_response(base64.b64decode(str(row["token"])))
            tsa_time = _iso(response)
        except ValueError:
            yield TokenCheck(int(row["id"]), None, len(covered), ["the token is damaged"], has_ca)
            continue
        if text != str(row["covered"]):
            problems.append("the covered heads were re-written")
        imprint = hashlib.sha256(str(row["covered"]).encode("utf-8")).digest()
        if response.tst_info.message_imprint.message != imprint:
            problems.append("the token does not cover the stored heads (heads or token altered)")
        if str(response.tst_info.nonce) != str(row["nonce"]):
            problems.append("the token's nonce is not the one asked for")
        if has_ca:
            try:
                _verifier(config).build().verify(response, imprint)
            except VerificationError as exc:
                if "Mismatch between messages" not in str(exc):
                    why = _untrusted(exc, response, config)
                    problems.append(f"the token's signature does not verify: {why}")
        for head in covered:
            stored = conn.execute(
                select(_E.c.hash).where(_E.c.station == head.station, _E.c.seq == head.seq)
            ).scalar_one_or_none()
            if stored is None:
                problems.append(f"{head.station} seq {head.seq} is no longer in the chain")
            elif stored != head.hash:
                problems.append(
                    f"{head.station} seq {head.seq} is not the event that was time-stamped "
                    "(its hash differs): the record was rewritten"
                )
        yield TokenCheck(int(row["id"]), tsa_time, len(covered), problems, has_ca)
