"""Count the listener runs Bolt keeps going after their ack, so shutdown can let them finish."""

from __future__ import annotations

import asyncio

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.async_listener_completion_handler import AsyncListenerCompletionHandler
from slack_bolt.listener.async_listener_start_handler import AsyncListenerStartHandler
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse


class InFlight:
    """How many listener runs are between their start and their completion."""

    def __init__(self) -> None:
        self.running = 0
        self._idle = asyncio.Event()
        self._idle.set()

    def started(self) -> None:
        """Count one more run."""
        self.running += 1
        self._idle.clear()

    def finished(self) -> None:
        """Count one run fewer."""
        self.running = max(0, self.running - 1)
        if self.running == 0:
            self._idle.set()

    async def drained(self, grace_seconds: float) -> bool:
        """Wait until no run is left, at most `grace_seconds`; return whether none is."""
        try:
            async with asyncio.timeout(grace_seconds):
                await self._idle.wait()
        except TimeoutError:
            return False
        return True


class _Start(AsyncListenerStartHandler):
    def __init__(self, inner: AsyncListenerStartHandler, inflight: InFlight) -> None:
        self._inner, self._inflight = inner, inflight

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        self._inflight.started()
        await self._inner.handle(request=request, response=response)


class _Completion(AsyncListenerCompletionHandler):
    def __init__(self, inner: AsyncListenerCompletionHandler, inflight: InFlight) -> None:
        self._inner, self._inflight = inner, inflight

    async def handle(self, request: AsyncBoltRequest, response: BoltResponse | None) -> None:
        try:
            await self._inner.handle(request=request, response=response)
        finally:
            self._inflight.finished()


def track_listeners(app: AsyncApp) -> InFlight:
    """Wrap the app's listener start and completion hooks with a counter and return it."""
    inflight = InFlight()
    runner = app.listener_runner
    runner.listener_start_handler = _Start(runner.listener_start_handler, inflight)
    runner.listener_completion_handler = _Completion(runner.listener_completion_handler, inflight)
    return inflight
