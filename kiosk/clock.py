"""Clocks: the station's real UTC clock, and a simulated one for validation scripts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


def system_clock() -> datetime:
    """Now, in UTC (timestamps are always recorded in UTC; screens show local time)."""
    return datetime.now(UTC)


class SimClock:
    """A clock that moves only when told to (OQ scripts, tests, the headless demo)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            start = start.replace(tzinfo=UTC)
        self.now = start.astimezone(UTC)

    def __call__(self) -> datetime:
        # Each reading moves on by a millisecond so events keep a strict order in time.
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, delta: timedelta) -> None:
        if delta < timedelta(0):
            raise ValueError("a clock never goes back")
        self.now += delta
