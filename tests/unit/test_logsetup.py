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


def test_redact_masks_the_whole_authorization_value_and_every_station_token() -> None:
    token = "kst_Zm9vYmFyLWJhei0xMjM0NTY3ODkw"
    line = redact(f"POST /api/v1/events Authorization: Bearer {token} 200")
    assert token not in line
    assert "Bearer" not in line
    assert line == "POST /api/v1/events Authorization: ***"
    assert redact(f"{{'authorization': 'Bearer {token}'}}") == "{'authorization': '***'}"
    assert redact(f"retrying with {token} now") == "retrying with kst_*** now"
    assert token not in redact(f"headers={{'Authorization': 'Bearer {token}', 'x': 1}}")


def test_redact_masks_password_hashes() -> None:
    argon = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"
    assert redact(f'{{"password_hash": "{argon}"}}') == '{"password_hash": "***"}'
    assert argon not in redact(f"user ada created ({argon})")
    assert redact(f"password_hash={argon}") == "password_hash=***"
