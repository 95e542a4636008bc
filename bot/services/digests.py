"""Compute a channel's digest: what finished and why, GPU-hours, waits, progress, idle GPUs."""

from __future__ import annotations

from datetime import datetime

from bot.aihc.client import AihcClient
from bot.domain.digest import Digest, DigestPeriod
from bot.store import Store


class DigestService:
    """Compute the digest of the pools or queues a channel follows."""

    def __init__(self, *, store: Store, aihc: AihcClient) -> None:
        self._store = store
        self._aihc = aihc

    async def digest(
        self, *, workspace_id: str, channel_id: str, period: DigestPeriod, end: datetime
    ) -> Digest:
        """Return the digest of the channel's pools or queues over the period that ends at `end`."""
        return Digest(period=period, start=end - period.span, end=end)
