"""The server's errors: one base type with an operator-readable message, and the refusals.

``CentralError`` covers the environment (database unreachable, a file that cannot be read) and
refused administrative commands; ``str()`` is a sentence for the person at the console. The
refusals of a push carry what the station and the server log need: the code, the sequence
number and what is wrong.
"""

from dataclasses import dataclass


class CentralError(Exception):
    """A failure of the environment or a refused command; ``str()`` is operator-readable."""


class DatabaseUnavailable(CentralError):
    """The database cannot be reached or refused to work (a retry later may succeed)."""


class BadEvent(CentralError):
    """An event that cannot be stored as sent (not JSON-representable, NUL characters...)."""

    def __init__(self, seq: int, problem: str) -> None:
        super().__init__(f"event {seq}: {problem}")
        self.seq = seq
        self.problem = problem


CONFLICT = "conflict"
"""A different event under a sequence number the server already holds (tampering)."""
CHAIN_BROKEN = "chain_broken"
"""An event whose prev link or hash does not continue the station's chain (tampering)."""
GAP = "gap"
"""Events that do not start right after the last acknowledged one (resend from there)."""
FORBIDDEN = "forbidden"
"""An event the authority map does not let this station write: a user or master-data event, or
an event of a batch the station does not hold."""
INVALID = "invalid"
"""An event of an unknown type, or whose payload does not match its type's schema."""
CLOCK = "clock"
"""An event dated before the station's previous one, or too far ahead of the server's clock."""


@dataclass(frozen=True)
class Refusal:
    """Why a push was refused from ``seq`` on; events before it may have been stored."""

    code: str
    station: str
    seq: int
    problem: str
    acknowledged: int
    acknowledged_hash: str

    @property
    def message(self) -> str:
        if self.code == GAP:
            return (
                f"station {self.station}: events from {self.seq} do not follow the last "
                f"acknowledged event {self.acknowledged}; send from {self.acknowledged + 1}"
            )
        return (
            f"the server refused the events of station {self.station} at event {self.seq}: "
            f"{self.problem}; nothing from event {self.seq} on was stored (acknowledged up to "
            f"{self.acknowledged})"
        )
