"""Scripted faults: answers a test queues per method, consumed one per call, in order."""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass
from enum import StrEnum


class FaultKind(StrEnum):
    """What happens to a call that meets a fault."""

    RATE_LIMIT = "ratelimited"
    FAIL = "fail"
    DROP_BEFORE = "dropped_before_acting"
    DROP_AFTER = "dropped_after_acting"
    SERVER_ERROR = "server_error"
    SLOW = "slow"


@dataclass(slots=True)
class Fault:
    """One queued fault and how many more calls it applies to."""

    kind: FaultKind
    remaining: int
    error: str = ""
    retry_after: int = 1
    status: int = 500
    delay: float = 0.0


@dataclass(slots=True)
class Chaos:
    """Seeded random faults on some methods, until a budget of faults is spent."""

    methods: frozenset[str]
    rng: random.Random
    odds: tuple[tuple[FaultKind, float], ...]
    budget: int
    retry_after: int = 1

    def draw(self, method: str) -> Fault | None:
        """Roll for one call: a fault or None; never more faults than the budget."""
        if method not in self.methods or self.budget <= 0:
            return None
        roll = self.rng.random()
        for kind, chance in self.odds:
            if roll < chance:
                self.budget -= 1
                error = "internal_error" if kind is FaultKind.SERVER_ERROR else ""
                return Fault(kind, 1, error=error, retry_after=self.retry_after)
            roll -= chance
        return None


class FaultPlan:
    """Per-method fault queues plus optional per-channel pacing of `chat.postMessage`."""

    def __init__(self, *, pace_seconds: float | None = None) -> None:
        self._queues: dict[str, deque[Fault]] = {}
        self.pace_seconds = pace_seconds
        self._last_post: dict[str, float] = {}
        self.chaos: Chaos | None = None

    def add(self, method: str, fault: Fault) -> None:
        """Queue a fault for the next calls of `method` (after those already queued)."""
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        if fault.retry_after < 0:
            raise ValueError("retry_after must not be negative")
        self._queues.setdefault(method, deque()).append(fault)

    def take(self, method: str) -> Fault | None:
        """Consume one use of the first fault queued for `method`, else roll the chaos dice."""
        queue = self._queues.get(method)
        if not queue:
            return self.chaos.draw(method) if self.chaos else None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.popleft()
        return fault

    def pending(self, method: str | None = None) -> int:
        """Count the fault uses still queued (for one method or all)."""
        queues = [self._queues.get(method, deque())] if method else list(self._queues.values())
        return sum(f.remaining for q in queues for f in q)

    def clear(self) -> None:
        """Forget every queued fault and pacing history."""
        self._queues.clear()
        self._last_post.clear()
        self.chaos = None

    def pace_wait(self, channel: str, now: float) -> int | None:
        """Return the Retry-After seconds when `channel` had a post too recently, else None."""
        if self.pace_seconds is None or channel not in self._last_post:
            return None
        waited = now - self._last_post[channel]
        if waited >= self.pace_seconds:
            return None
        return max(1, math.ceil(self.pace_seconds - waited))

    def posted(self, channel: str, now: float) -> None:
        """Remember an accepted post for pacing."""
        self._last_post[channel] = now
