"""Time as an argument. The core never reads the wall clock itself."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """The real clock, for interfaces to pass in; tests pass a fixed one."""
    return datetime.now(UTC)


def fixed_clock(at: datetime) -> Clock:
    def now() -> datetime:
        return at

    return now
