"""What a new password must be, at the station and at the server alike.

- at least the policy's minimum length: the server's setting (``central users policy``, default
  ``DEFAULT_MIN``, 12), recorded as a ``user.policy_set`` event in its user stream, which stations
  pull and apply; with every page of users the server also says the minimum in force
  (``min_password``, its default when no admin set one), which a station applies until it holds
  a policy event. ``FLOOR`` (8) is the least any policy may ask and what a station applies
  before its server has said anything (and a standalone station). A password is checked when it
  is set: a shorter one set under an older policy keeps working until it is changed;
- not one of the common passwords in ``kiosk/data/common-passwords.txt`` (compared without
  case): the 11,611 passwords of 8 characters or more in zxcvbn's list of the 30,000 most
  common leaked passwords (MIT licence, ``common-passwords.LICENSE.txt``);
- not one of the user's last 5 (checked by the callers, who hold the hashes).
"""

from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Final

from local_store import Event

FLOOR: Final = 8
"""The least any policy may ask, and a station's minimum until it has received the server's."""
MIN_PASSWORD: Final = FLOOR
DEFAULT_MIN: Final = 12
"""The server's minimum until an admin sets another."""
MAX_MIN: Final = 64
POLICY_EVENT: Final = "user.policy_set"
"""The server's password policy: ``{"min_password": N}``, in its user stream."""
LIST: Final = "common-passwords.txt"


def policy_minimum(events: Iterable[Event]) -> int | None:
    """The minimum length the last ``user.policy_set`` of ``events`` (in order) sets; None
    when there is none."""
    found: int | None = None
    for event in events:
        if event.type == POLICY_EVENT:
            value = event.payload.get("min_password")
            if isinstance(value, int) and not isinstance(value, bool):
                found = max(FLOOR, value)
    return found


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = resources.files("kiosk").joinpath("data", LIST).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def problem(password: str, minimum: int = FLOOR) -> str | None:
    """Why ``password`` may not be chosen under a policy of ``minimum`` characters (never less
    than ``FLOOR``), in one line; None when it may."""
    minimum = max(FLOOR, minimum)
    if len(password) < minimum:
        return f"a password needs at least {minimum} characters"
    if password.strip().lower() in common_passwords():
        return "this password is on the list of commonly used passwords: choose another"
    return None
