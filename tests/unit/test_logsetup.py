"""Logs never carry passwords or tokens."""

from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk.logsetup import redact, setup_logging


def test_redact_masks_secrets() -> None:
    assert redact("login password=hunter22 ok") == "login password=*** ok"
    assert redact('{"token": "abc.def"}') == '{"token": "***"}'
    assert redact("Authorization: Bearer-xyz") == "Authorization: ***"
    assert redact("viability 91.4 %") == "viability 91.4 %"


def test_json_log_file_is_redacted(tmp_path: Path) -> None:
    log_file = tmp_path / "logs" / "kiosk.log"
    setup_logging(False, log_file)
    try:
        logging.getLogger("kiosk.test").warning("sync failed token=%s", "s3cr3t-token")
        for handler in logging.getLogger().handlers:
            handler.flush()
        lines = log_file.read_text(encoding="utf-8").splitlines()
        entry = json.loads(lines[-1])
        assert entry["level"] == "WARNING"
        assert "s3cr3t-token" not in lines[-1]
        assert entry["msg"] == "sync failed token=***"
    finally:
        setup_logging(False, None)
