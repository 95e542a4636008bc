"""The AIHC client: all 20 operations, typed, returning domain objects (v1 here, v2 in `v2`)."""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator
from types import TracebackType
from typing import Self, Unpack

from pydantic import SecretStr

from bot.aihc.errors import AihcNotFound
from bot.aihc.jobs import JobOperations
from bot.aihc.paging import merge_newest
from bot.aihc.pods import PodOperations
from bot.aihc.pools import PoolOperations
from bot.aihc.retry import RetryPolicy
from bot.aihc.transport import AihcTransport, TransportOptions
from bot.domain import MANAGED_POOLS, Job, Page

MANAGED_QUEUES = 100
"""The most queues of a pool walked for its jobs, or asked for one job: each costs a call."""


class AihcClient(PoolOperations, JobOperations, PodOperations):
    """An async client of one AIHC endpoint; use `async with` or call `aclose()`."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: SecretStr,
        **options: Unpack[TransportOptions],
    ) -> None:
        self._transport = AihcTransport(endpoint, access_key, secret_key, **options)

    @property
    def retry(self) -> RetryPolicy:
        """Return how this client retries and how long one call may take."""
        return self._transport.retry

    def with_retry(self, retry: RetryPolicy) -> AihcClient:
        """Return a client on these connections and per-host limits that retries by `retry`.

        Both clients press AIHC through one in-flight cap and one rate limit per host; closing
        the new one leaves the connections open for this one, which closes them.
        """
        twin = copy.copy(self)
        twin._transport = self._transport.with_retry(retry)
        return twin

    async def find_job(self, pool_id: str, job_id: str, *, queue: str = "") -> Job:
        """Fetch a job by id; where a job call needs its queue and none is given, ask each.

        v2 (every job action takes `queueID`, job_client.py:105) and v1's managed pools answer
        only through the job's queue. That a wrong queue answers "not found" is assumed (the
        simulator's answer); raise `AihcNotFound` when no queue has the job.
        """
        if queue or not self.needs_queue(pool_id):
            return await self.get_job(pool_id, job_id, queue=queue)
        queues = await self.all_queues(pool_id, limit=MANAGED_QUEUES)
        names = [q.name for top in queues for q in top.family() if not q.is_root]
        for name in dict.fromkeys(names):
            try:
                return await self.get_job(pool_id, job_id, queue=name)
            except AihcNotFound as error:
                missing = error
        if not names:
            raise AihcNotFound(
                status=404, code="NoSuchQueue", message=f"pool {pool_id} has no queue"
            )
        raise missing

    def job_pages(
        self, pool_id: str, *, max_pages: int, queue: str | None = None, page_size: int = 100
    ) -> AsyncIterator[Page[Job]]:
        """Walk a pool's job list newest first; a managed pool's queue by queue, merged."""
        if queue or pool_id not in MANAGED_POOLS:
            return super().job_pages(pool_id, max_pages=max_pages, queue=queue, page_size=page_size)
        return self._managed_pages(pool_id, max_pages=max_pages, page_size=page_size)

    async def _managed_pages(
        self, pool_id: str, *, max_pages: int, page_size: int
    ) -> AsyncIterator[Page[Job]]:
        # Go lists a managed pool's jobs only with a queue (`services/aihc/resource/client.go`
        # :466-468): each of the account's queues is walked and the walks merged by age.
        queues = await self.all_queues(pool_id, limit=MANAGED_QUEUES)
        walks = [
            super(AihcClient, self).job_pages(
                pool_id, max_pages=max_pages, queue=queue.name, page_size=page_size
            )
            for queue in (q for top in queues for q in top.family())
            if not queue.is_root
        ]
        pages = merge_newest(
            walks, newness=_newness, identity=_job_id, max_pages=max_pages, page_size=page_size
        )
        async for page in pages:
            yield page

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._transport.aclose()


def _newness(job: Job) -> float:
    return job.created_at.timestamp() if job.created_at is not None else 0.0


def _job_id(job: Job) -> str:
    return job.id
