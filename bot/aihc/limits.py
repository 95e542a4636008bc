"""Per-host pacing: a cap on requests in flight and a token-bucket rate limit."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Sleep = Callable[[float], Awaitable[None]]
Monotonic = Callable[[], float]


@dataclass(frozen=True)
class Limits:
    """How hard the client may press one AIHC host."""

    max_in_flight: int = 16
    rate_per_second: float = 100.0
    burst: int = 100
    timeout_seconds: float = 15.0

    def __post_init__(self) -> None:
        if self.max_in_flight < 1:
            raise ValueError("max_in_flight must be at least 1")
        if self.rate_per_second <= 0 or self.burst < 1:
            raise ValueError("rate_per_second must be positive and burst at least 1")


class TokenBucket:
    """Hand out at most `rate` tokens a second, `burst` at once; waiters are served in turn."""

    def __init__(
        self,
        rate: float,
        burst: int,
        *,
        clock: Monotonic = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._sleep = sleep
        self._updated = clock()
        self._lock = asyncio.Lock()

    async def acquire(self) -> None:
        """Wait until a token is free and take it."""
        async with self._lock:
            while True:
                now = self._clock()
                self._tokens = min(self._burst, self._tokens + (now - self._updated) * self._rate)
                self._updated = now
                # A hair under one token counts as one: float drift must not strand a waiter.
                if self._tokens >= 1 - 1e-9:
                    self._tokens = max(0.0, self._tokens - 1)
                    return
                await self._sleep((1 - self._tokens) / self._rate)


class HostLimiter:
    """One in-flight cap and one token bucket per host."""

    def __init__(
        self, limits: Limits, *, clock: Monotonic = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self._limits = limits
        self._clock = clock
        self._sleep = sleep
        self._hosts: dict[str, tuple[asyncio.Semaphore, TokenBucket]] = {}

    def for_host(self, host: str) -> tuple[asyncio.Semaphore, TokenBucket]:
        """Return the host's semaphore and bucket, creating them on first use."""
        if host not in self._hosts:
            self._hosts[host] = (
                asyncio.Semaphore(self._limits.max_in_flight),
                TokenBucket(
                    self._limits.rate_per_second,
                    self._limits.burst,
                    clock=self._clock,
                    sleep=self._sleep,
                ),
            )
        return self._hosts[host]
