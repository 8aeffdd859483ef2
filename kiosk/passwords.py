"""What a new password must be, at the station and at the server alike.

- at least ``MIN_PASSWORD`` characters;
- not one of the common passwords in ``kiosk/data/common-passwords.txt`` (compared without
  case): the 11,611 passwords of 8 characters or more in zxcvbn's list of the 30,000 most
  common leaked passwords (MIT licence, ``common-passwords.LICENSE.txt``);
- not one of the user's last 5 (checked by the callers, who hold the hashes).
"""

from functools import cache
from importlib import resources
from typing import Final

MIN_PASSWORD: Final = 8
LIST: Final = "common-passwords.txt"


@cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased."""
    text = resources.files("kiosk").joinpath("data", LIST).read_text(encoding="utf-8")
    return frozenset(line.strip().lower() for line in text.splitlines() if line.strip())


def problem(password: str) -> str | None:
    """Why ``password`` may not be chosen, in one line; None when it may."""
    if len(password) < MIN_PASSWORD:
        return f"a password needs at least {MIN_PASSWORD} characters"
    if password.strip().lower() in common_passwords():
        return "this password is on the list of commonly used passwords: choose another"
    return None
