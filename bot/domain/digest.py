"""What a channel's digest says: the period it covers and what happened in its pools or queues.

The digest's contents are computed by `bot.services.digests` from what AIHC and the watcher
know; the model round-trips through JSON (it rides in an outbox row to the sender).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class DigestPeriod(StrEnum):
    """How often a channel's digest goes out, and so how far back it looks."""

    DAILY = "daily"
    WEEKLY = "weekly"

    @property
    def span(self) -> timedelta:
        """Return how far back a digest of this period looks."""
        return timedelta(days=1 if self is DigestPeriod.DAILY else 7)


class Digest(BaseModel):
    """One digest of a channel's pools or queues over `[start, end)`."""

    model_config = ConfigDict(frozen=True)

    period: DigestPeriod
    start: datetime
    end: datetime
    pools: list[str] = []
    """The names of the pools the digest covers."""
    queues: list[str] = []
    """The queues it covers, when the channel follows queues rather than whole pools."""
