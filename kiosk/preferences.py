"""Each user's screen language, kept beside the record database (``<db>.languages``).

A preference, not a record: a JSON object ``{"user ID": "de"}``, written whole to a temporary
file and renamed over the old one (mode 0600), so a kill leaves the old or the new file. A file
that cannot be read or is not such an object is ignored with a warning (the station's language
is used) and replaced at the next choice; it never stops the kiosk.
"""

import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import Final

log = logging.getLogger(__name__)

CODE: Final = re.compile(r"[a-z]{2}")
SUFFIX: Final = ".languages"


class LanguageChoices:
    """User ID -> language code, remembered across restarts when ``path`` is set."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.chosen: dict[str, str] = self._load() if path is not None else {}

    @staticmethod
    def path_for(db: Path) -> Path:
        return db.with_name(db.name + SUFFIX)

    def get(self, user: str, default: str) -> str:
        return self.chosen.get(user, default)

    def set(self, user: str, code: str) -> None:
        if self.chosen.get(user) == code:
            return
        self.chosen[user] = code
        if self.path is not None:
            self._save(self.path)

    def _load(self) -> dict[str, str]:
        assert self.path is not None
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring the language choices in %s: %s", self.path, exc)
            return {}
        if not isinstance(data, dict):
            log.warning("ignoring the language choices in %s: not an object", self.path)
            return {}
        return {
            str(user): code
            for user, code in data.items()
            if isinstance(code, str) and CODE.fullmatch(code)
        }

    def _save(self, path: Path) -> None:
        try:
            fd, tmp = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                json.dump(self.chosen, f, ensure_ascii=False, sort_keys=True)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except OSError as exc:  # a full disk or a read-only folder: the choice lasts this run
            log.warning("could not keep the language choices in %s: %s", path, exc)
