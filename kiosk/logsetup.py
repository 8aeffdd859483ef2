"""Structured logging for the station: one JSON object per line, secrets never written.

The batch record is the event log, not these logs; logs help technicians and
admins. Messages never carry passwords or tokens: `RedactFilter` masks any
`password=…`, `token=…` or `Authorization: …` text that slips into a message or
its arguments (the whole header value), every station token (`kst_…`) and argon2 hash, and
no code logs a password in the first place.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

_SECRET: Final = re.compile(
    r"(?i)(password_hash|password|passwd|token|secret)(\s*[=:]\s*|\"\s*:\s*\")([^\s\",]+)"
)
_HEADER: Final = re.compile(
    r"(?i)(authorization|cookie)(\s*[=:]\s*|\"\s*:\s*\"|'\s*:\s*')([^\"'\r\n]*)"
)
"""The whole value of an Authorization header (scheme and credentials), to the line's end."""
_STATION_TOKEN: Final = re.compile(r"kst_[A-Za-z0-9_\-.~+/=]+")
"""A station token wherever it appears (tokens of ``central stations add`` start kst_)."""
_ARGON2: Final = re.compile(r"\$argon2(?:id|i|d)\$[^\s\"']+")
"""An argon2 hash, ``$argon2id$v=19$m=65536,t=3,p=4$salt$hash`` (commas included)."""


def redact(text: str) -> str:
    """Mask secrets: the value after password=, password_hash, token=, secret=; the whole
    value of an Authorization header; every station token (kst_...) and argon2 hash."""
    text = _ARGON2.sub("$argon2***", text)
    text = _HEADER.sub(lambda m: f"{m[1]}{m[2]}***", text)
    text = _SECRET.sub(lambda m: f"{m[1]}{m[2]}***", text)
    return _STATION_TOKEN.sub("kst_***", text)


class RedactFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if record.exc_info:
            entry["exc"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(verbose: bool = False, log_file: Path | None = None) -> None:
    """stderr for people (plain), and optionally a rotated JSON file for machines."""
    root = logging.getLogger()
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    console = logging.StreamHandler()
    console.setLevel(logging.INFO if verbose else logging.ERROR)
    console.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    console.addFilter(RedactFilter())
    root.addHandler(console)
    if log_file is not None:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        rotating = logging.handlers.RotatingFileHandler(
            log_file, maxBytes=10_000_000, backupCount=10, encoding="utf-8"
        )
        rotating.setFormatter(JsonFormatter())
        rotating.addFilter(RedactFilter())
        root.addHandler(rotating)
