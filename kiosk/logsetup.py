"""Structured logging for the station: one JSON object per line, secrets never written.

The batch record is the event log, not these logs; logs help technicians and
admins. Messages never carry passwords or tokens: `RedactFilter` masks any
`password=…`, `token=…` or `Authorization: …` text that slips into a message or
its arguments, and no code logs a password in the first place.
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
    r"(?i)(password|passwd|token|secret|authorization)(\s*[=:]\s*|\"\s*:\s*\")([^\s\",]+)"
)


def redact(text: str) -> str:
    """Mask the value after password=, token=, secret=, Authorization: ..."""
    return _SECRET.sub(lambda m: f"{m[1]}{m[2]}***", text)


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
