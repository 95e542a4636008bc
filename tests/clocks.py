"""Clocks tests hand to the composition root in place of the wall clock; one per way time moves."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from bot.domain.clock import Clock
from bot.simulator.clock import SimClock


class FixedClock(Clock):
    """A clock stopped at one moment (its monotonic reading stands still too)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        """Return the fixed moment."""
        return self.at

    def monotonic(self) -> float:
        """Return the fixed moment as seconds."""
        return self.at.timestamp()


class OffsetClock(Clock):
    """The wall clock moved ahead by `offset`, which a test raises to let time pass at once."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        """Return the wall time plus the offset."""
        return datetime.now(UTC) + self.offset

    def monotonic(self) -> float:
        """Return monotonic seconds plus the offset."""
        return time.monotonic() + self.offset.total_seconds()


class SimulatorClock(Clock):
    """The AIHC simulator's time, running on at wall speed from where the simulator stands.

    The simulator's own clock is frozen between the test's advances; the bot's must still run,
    or nothing would come due. When the test advances the simulator, the bot's time jumps with
    it: commands, mutes, leases and due times all see the same hour pass.
    """

    def __init__(self, simulated: SimClock) -> None:
        self._simulated = simulated
        self._started = time.monotonic()

    def __call__(self) -> datetime:
        """Return the simulator's time plus the real time passed since the stack started."""
        return datetime.fromtimestamp(self._simulated.now() + self._elapsed(), UTC)

    def monotonic(self) -> float:
        """Return monotonic seconds that move with the simulator's advances."""
        return self._simulated.now() + self._elapsed()

    def _elapsed(self) -> float:
        return time.monotonic() - self._started
