"""The simulated clock: it runs with real time at a chosen speed and jumps forward on request."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

Monotonic = Callable[[], float]


class SimClock:
    """Simulated UTC time in float epoch seconds; speed 0 freezes it between explicit advances."""

    def __init__(self, start: float, *, speed: float = 1.0, monotonic: Monotonic = time.monotonic):
        if speed < 0:
            raise ValueError("clock speed must be >= 0")
        self._monotonic = monotonic
        self._base_sim = float(start)
        self._base_real = monotonic()
        self._speed = speed

    @property
    def speed(self) -> float:
        """How many simulated seconds pass per real second."""
        return self._speed

    def now(self) -> float:
        """Return the current simulated time as epoch seconds."""
        return self._base_sim + (self._monotonic() - self._base_real) * self._speed

    def advance(self, seconds: float) -> float:
        """Move simulated time forward by `seconds` and return the new time."""
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        self._base_sim = self.now() + seconds
        self._base_real = self._monotonic()
        return self._base_sim


def wall_clock_start() -> float:
    """Return the current real time, whole seconds, as a starting point for a live clock."""
    return float(int(datetime.now(UTC).timestamp()))
