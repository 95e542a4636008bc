"""The one clock of a bot process: built by the composition root, passed to whatever tells time."""

from __future__ import annotations

import time
from datetime import UTC, datetime


class Clock:
    """Tell the time: call it for aware UTC wall time, `monotonic()` to measure intervals.

    Tests that move time subclass it and hand their instance to the composition root.
    """

    def __call__(self) -> datetime:
        """Return the current wall time in UTC."""
        return datetime.now(UTC)

    def monotonic(self) -> float:
        """Return seconds on a clock that never goes back, for intervals and pacing."""
        return time.monotonic()
