"""The unit of work: a transaction opened and committed at the edge, with the repositories on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cached_property
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.store.engine import create_engine
from bot.store.repositories import (
    AuditRepository,
    ChannelSettingsRepository,
    DigestScheduleRepository,
    EventSeriesRepository,
    OutboxRepository,
    PoolSweepRepository,
    ReplicaHeartbeatRepository,
    RoleBindingRepository,
    StatusCardRepository,
    SubscriptionRepository,
    UserLinkRepository,
    WatchedJobRepository,
)


class UnitOfWork:
    """One transaction's view of the store: its session and a repository per table family."""

    def __init__(self, session: AsyncSession) -> None:
        """Wrap a session whose transaction the `Store` opened."""
        self.session = session

    @cached_property
    def channels(self) -> ChannelSettingsRepository:
        """Return the channel settings repository."""
        return ChannelSettingsRepository(self.session)

    @cached_property
    def roles(self) -> RoleBindingRepository:
        """Return the role bindings repository."""
        return RoleBindingRepository(self.session)

    @cached_property
    def user_links(self) -> UserLinkRepository:
        """Return the user links repository."""
        return UserLinkRepository(self.session)

    @cached_property
    def audit(self) -> AuditRepository:
        """Return the audit repository."""
        return AuditRepository(self.session)

    @cached_property
    def subscriptions(self) -> SubscriptionRepository:
        """Return the subscriptions repository."""
        return SubscriptionRepository(self.session)

    @cached_property
    def watched_jobs(self) -> WatchedJobRepository:
        """Return the watched jobs repository."""
        return WatchedJobRepository(self.session)

    @cached_property
    def pool_sweeps(self) -> PoolSweepRepository:
        """Return the pool sweeps repository."""
        return PoolSweepRepository(self.session)

    @cached_property
    def status_cards(self) -> StatusCardRepository:
        """Return the status cards repository."""
        return StatusCardRepository(self.session)

    @cached_property
    def event_series(self) -> EventSeriesRepository:
        """Return the event series repository."""
        return EventSeriesRepository(self.session)

    @cached_property
    def outbox(self) -> OutboxRepository:
        """Return the outbox repository."""
        return OutboxRepository(self.session)

    @cached_property
    def replicas(self) -> ReplicaHeartbeatRepository:
        """Return the replica heartbeats repository."""
        return ReplicaHeartbeatRepository(self.session)

    @cached_property
    def digest_schedules(self) -> DigestScheduleRepository:
        """Return the digest schedules repository."""
        return DigestScheduleRepository(self.session)


class Store:
    """Open units of work on one engine; the composition root builds one and passes it down."""

    def __init__(self, engine: AsyncEngine) -> None:
        """Use `engine`; rows stay readable after commit because sessions do not expire them."""
        self.engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False)

    @classmethod
    def from_url(cls, url: str, **engine_options: Any) -> Store:
        """Build a store on a new engine for a SQLite or PostgreSQL URL."""
        return cls(create_engine(url, **engine_options))

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[UnitOfWork]:
        """Yield a unit of work whose transaction commits when the block ends, or rolls back."""
        async with self._sessions() as session, session.begin():
            yield UnitOfWork(session)

    async def dispose(self) -> None:
        """Close every pooled connection."""
        await self.engine.dispose()
