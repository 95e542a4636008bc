"""Run the work behind each acknowledged request as a task of its own, counted, so that the ack
goes back to Slack at once and shutdown can let the work finish."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

logger = logging.getLogger(__name__)


class InFlight:
    """The work started after an ack and not yet finished."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()
        self._idle = asyncio.Event()
        self._idle.set()

    @property
    def running(self) -> int:
        """Return how many pieces of work are unfinished."""
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """Start `work` after whatever the loop already has ready; count it until it ends."""
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)  # held here: the loop keeps only a weak reference to a task
        self._idle.clear()
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not self._tasks:
            self._idle.set()
        if not task.cancelled() and task.exception() is not None:
            # The entry answers every failure itself; this is the entry breaking.
            logger.error("work after an ack failed", exc_info=task.exception())

    async def drained(self, grace_seconds: float) -> bool:
        """Wait until no work is left, at most `grace_seconds`; return whether none is."""
        try:
            async with asyncio.timeout(grace_seconds):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True
