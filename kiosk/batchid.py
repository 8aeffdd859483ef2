"""The batch ID rule: what a batch may be called, checked wherever a person or script names one.

A batch ID is 1 to 40 characters: ASCII letters, digits, ``.``, ``_`` and ``-``, starting
with a letter or a digit (``B-2026-0113``, ``B-OQ-0001``; the engine's own IDs are
``B-YYYYMMDD-XXXXXX``). It appears in file names (labels, exports), URLs of the central server,
PDF headers and barcodes, so nothing that needs quoting in any of them is allowed.
"""

from __future__ import annotations

import re
from typing import Final

BATCH_ID_PATTERN: Final = r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}"
_BATCH_ID: Final = re.compile(BATCH_ID_PATTERN)


def batch_id_problem(batch_id: object) -> str | None:
    """Why ``batch_id`` is not a valid batch ID, or None when it is."""
    if not isinstance(batch_id, str) or _BATCH_ID.fullmatch(batch_id) is None:
        return (
            f"batch ID {batch_id!r} is not allowed: 1-40 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit"
        )
    return None
