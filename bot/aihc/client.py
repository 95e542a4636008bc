"""The AIHC v1 client: all 20 operations, typed, returning domain objects."""

from __future__ import annotations

import copy
from types import TracebackType
from typing import Self, Unpack

from pydantic import SecretStr

from bot.aihc.jobs import JobOperations
from bot.aihc.pods import PodOperations
from bot.aihc.pools import PoolOperations
from bot.aihc.retry import RetryPolicy
from bot.aihc.transport import AihcTransport, TransportOptions


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
