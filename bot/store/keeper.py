"""Keep the leases a replica works under alive, so nobody else takes its rows mid-work.

A claim's lease starts when the rows are claimed, but the work on them can outlast it: paced
posts, history lookups that page, slow AIHC calls. While a `LeaseKeeper` is open it renews every
held lease each quarter of its time to live (fenced: only rows still held under the version they
were claimed with), and `remaining()` says how long a lease surely holds, so a caller declines to
start a call that might outlive it. A row whose lease was lost (a long pause, another replica took
it over) is never renewed again, and every fenced write on it fails as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from types import TracebackType
from typing import Any, Self

from sqlalchemy import tuple_, update

from bot.store.base import LeaseMixin
from bot.store.leases import Lease, lease_of, primary_key_of
from bot.store.session import Store

logger = logging.getLogger(__name__)


class LeaseKeeper:
    """Renew the leases of claimed rows of one table while the caller works on them."""

    def __init__(
        self,
        store: Store,
        model: type[LeaseMixin],
        rows: Sequence[LeaseMixin],
        *,
        ttl: timedelta,
        clock: Callable[[], datetime],
    ) -> None:
        """Hold `rows`, just claimed with leases of `ttl`; nothing renews until entered."""
        self._store = store
        self._model = model
        self._key = primary_key_of(model)
        self._ttl = ttl
        self._clock = clock
        name = self._key.key
        self._held: dict[Any, Lease] = {getattr(row, name): lease_of(row) for row in rows}
        self._until: dict[Any, datetime] = {k: lease.expires_at for k, lease in self._held.items()}
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> Self:
        """Start renewing in the background."""
        self._task = asyncio.create_task(self._run(), name="lease-keeper")
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        """Stop renewing; the rows' last leases run out on their own or were released."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def remaining(self, key: object) -> float:
        """Return the seconds the lease on `key` surely holds (0 once lost or done)."""
        until = self._until.get(key)
        if until is None:
            return 0.0
        return max((until - self._clock()).total_seconds(), 0.0)

    def done(self, key: object) -> None:
        """Stop renewing `key` (its work ended and its lease was released or given up)."""
        self._held.pop(key, None)
        self._until.pop(key, None)

    async def renew(self) -> None:
        """Extend every held lease to now + ttl; forget those another replica took over."""
        if not self._held:
            return
        now = self._clock()
        pairs = [(key, lease.version) for key, lease in self._held.items()]
        owner = next(iter(self._held.values())).owner
        stmt = (
            update(self._model)
            .where(
                tuple_(self._key, self._model.lease_version).in_(pairs),
                self._model.lease_owner == owner,
            )
            .values(lease_expires_at=now + self._ttl)
            .returning(self._key)
            .execution_options(synchronize_session=False)
        )
        async with self._store.transaction() as uow:
            kept = set((await uow.session.execute(stmt)).scalars().all())
        for key in list(self._held):
            if key in kept:
                self._until[key] = now + self._ttl
            else:
                # Taken over, or released by the work that just ended: either way, not ours.
                logger.debug("lease not renewed", extra={"table": self._table, "key": str(key)})
                self.done(key)

    @property
    def _table(self) -> str:
        return str(getattr(self._model, "__tablename__", self._model.__name__))

    async def _run(self) -> None:
        period = self._ttl.total_seconds() / 4
        while True:
            await asyncio.sleep(period)
            try:
                await self.renew()
            except Exception:  # the database may be down a moment; the fencing still holds
                logger.warning("lease renewal failed", extra={"table": self._table}, exc_info=True)
