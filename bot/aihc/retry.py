"""Which failures are retried, and how long to wait between attempts (AIHC-NOTES §6)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from enum import Enum

import httpx

from bot.aihc.errors import AihcApiError, AihcServerError, AihcThrottled

_RETRIED_SERVER_STATUSES = frozenset({500, 502, 503, 504})
# Raised before a single byte of the request left: the server cannot have acted on it.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class Safety(Enum):
    """What repeating a request could do."""

    READ = "read"
    """A read: repeat freely."""
    IDEMPOTENT = "idempotent"
    """A write with the same effect when repeated (stop, delete, priority)."""
    UNSAFE = "unsafe"
    """A write that could act twice: repeat only when it surely did not arrive."""


@dataclass(frozen=True)
class RetryPolicy:
    """Backoff with full jitter, honouring Retry-After up to a cap; optionally a total deadline."""

    attempts: int = 4
    base_delay: float = 0.25
    max_delay: float = 8.0
    max_retry_after: float = 30.0
    deadline_seconds: float | None = None
    """Most seconds one call may take in all: queueing, every attempt and the waits between."""

    def __post_init__(self) -> None:
        if self.attempts < 1:
            raise ValueError("attempts must be at least 1")
        if self.deadline_seconds is not None and not self.deadline_seconds > 0:
            raise ValueError("deadline_seconds must be positive")

    def deadline_from(self, now: float) -> float | None:
        """Return the moment a call started at `now` must be over by, if it has a deadline."""
        return None if self.deadline_seconds is None else now + self.deadline_seconds

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Seconds to wait before attempt `attempt + 1` (attempts count from 1)."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        ceiling = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        return rng.uniform(ceiling / 2, ceiling)


INTERACTIVE_RETRY = RetryPolicy(deadline_seconds=10.0)
"""For what a person waits on (a command, a button): the usual error within about 10 s."""
BACKGROUND_RETRY = RetryPolicy(deadline_seconds=120.0)
"""For the watcher: nobody waits, so transient trouble is ridden out longer."""


def should_retry_error(error: AihcApiError, safety: Safety) -> bool:
    """Say whether an error answer may be retried for a request of this safety."""
    if isinstance(error, AihcThrottled) or error.code == "RequestExpired":
        return True  # refused before it was acted on
    if isinstance(error, AihcServerError):
        return safety is not Safety.UNSAFE and error.status in _RETRIED_SERVER_STATUSES
    return False


def should_retry_exception(exc: httpx.TransportError, safety: Safety) -> bool:
    """Say whether a transport failure may be retried for a request of this safety."""
    return isinstance(exc, _NOT_SENT) or safety is not Safety.UNSAFE
