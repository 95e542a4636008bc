"""The AIHC v1 client: all 20 operations, typed, returning domain objects."""

from __future__ import annotations

from types import TracebackType
from typing import Self, Unpack

from pydantic import SecretStr

from bot.aihc.jobs import JobOperations
from bot.aihc.pools import PoolOperations
from bot.aihc.transport import AihcTransport, TransportOptions


class AihcClient(PoolOperations, JobOperations):
    """An async client of one AIHC endpoint; use `async with` or call `aclose()`."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: SecretStr,
        **options: Unpack[TransportOptions],
    ) -> None:
        self._transport = AihcTransport(endpoint, access_key, secret_key, **options)

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
