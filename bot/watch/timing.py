"""When to look again: adaptive intervals with jitter, and backoff after errors."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.domain import JobStatus

_rng = random.Random()  # noqa: S311 - jitter, not security
QUEUED = frozenset({JobStatus.CREATED, JobStatus.PENDING, JobStatus.SCHEDULED})


def jittered(now: datetime, seconds: float, spread: float = 0.1) -> datetime:
    """Return `now + seconds`, moved by up to ±`spread` of it so replicas and pools drift apart."""
    return now + timedelta(seconds=seconds * (1 + _rng.uniform(-spread, spread)))


def sweep_interval(base: float, statuses: Iterable[JobStatus], *, changed: bool) -> float:
    """Fast just after a change, normal while something runs, slow while all wait in a queue."""
    seen = list(statuses)
    if changed:
        return base / 3
    if not seen:
        return base * 2
    if all(status in QUEUED for status in seen):
        return base * 2
    return base


def backoff(base: float, errors: int, *, cap: float = 600.0) -> float:
    """Return the wait after `errors` failures in a row: doubling, capped."""
    return float(min(base * 2 ** min(errors, 10), cap))
