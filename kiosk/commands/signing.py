"""Signing administrative changes made from the command line (users, equipment, lots).

The person making the change re-enters their password; the signature is bound
to the change itself (action and arguments, hashed), and travels in the
change's event, so the audit trail shows who approved exactly what (11.50, 11.70).
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Mapping
from typing import Any, TextIO

from kiosk.auth import Auth, AuthError, change_hash


def read_secret(prompt: str) -> str:
    """A password from the terminal, or the next line of standard input in scripts."""
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def sign_change(
    auth: Auth,
    user: str | None,
    permission: str,
    change: Mapping[str, Any],
    out: TextIO,
) -> tuple[str, dict[str, Any]] | None:
    """(actor, signature payload) once `user` has signed `change`; None (and a line) if not."""
    if not user:
        print("say who makes this change (--admin or --as USER): it is signed", file=out)
        return None
    try:
        signature = auth.sign(
            session=None,
            user_id=user,
            password=read_secret(f"password for {user}: "),
            meaning="approved",
            signed=change_hash(permission, change),
            action=permission,
        )
    except AuthError as exc:
        print(f"refused: {exc}", file=out)
        return None
    return f"u:{user}", signature.to_payload()
