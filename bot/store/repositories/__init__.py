"""Repositories: each works inside a session it is given and never commits."""

from bot.store.repositories.admin import (
    AuditRepository,
    ChannelSettingsRepository,
    RoleBindingRepository,
    UserLinkRepository,
)
from bot.store.repositories.cards import EventSeriesRepository, StatusCardRepository
from bot.store.repositories.digests import DigestScheduleRepository
from bot.store.repositories.outbox import OutboxRepository
from bot.store.repositories.replicas import ReplicaHeartbeatRepository
from bot.store.repositories.subscriptions import SubscriptionRepository
from bot.store.repositories.watch import PoolSweepRepository, WatchedJobRepository

__all__ = [
    "AuditRepository",
    "ChannelSettingsRepository",
    "DigestScheduleRepository",
    "EventSeriesRepository",
    "OutboxRepository",
    "PoolSweepRepository",
    "ReplicaHeartbeatRepository",
    "RoleBindingRepository",
    "StatusCardRepository",
    "SubscriptionRepository",
    "UserLinkRepository",
    "WatchedJobRepository",
]
