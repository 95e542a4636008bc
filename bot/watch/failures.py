"""How a failing tick is logged: a bug with its traceback; a database outage in one line a minute.

During an outage every tick fails, every second: a traceback each time buried the logs (the
image smoke saw one per tick while compose stopped PostgreSQL under the replicas).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from bot.store import database_unreachable

logger = logging.getLogger(__name__)
QUIET_SECONDS = 60.0
"""How long one tick's outage line stands for the failures that follow it."""


class TickFailures:
    """Log the ticks' failures, an outage at most once a minute per tick."""

    def __init__(self, *, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._quiet_until: dict[str, float] = {}

    def failed(self, tick: str, error: BaseException) -> None:
        """Log that `tick` failed with `error`; it runs again at its next time either way."""
        if not database_unreachable(error):
            logger.error("watch tick failed", exc_info=error, extra={"tick": tick})
            return
        now = self._clock()
        if now < self._quiet_until.get(tick, float("-inf")):
            return
        self._quiet_until[tick] = now + QUIET_SECONDS
        orig = getattr(error, "orig", None) or error
        reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0][:200]
        logger.warning(
            "watch tick failed: the database is unreachable: %s", reason, extra={"tick": tick}
        )
