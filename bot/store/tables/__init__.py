"""Every table of the store, importable from one place so the metadata is complete."""

from bot.store.tables.admin import AuditEntryRow, ChannelSettingsRow, RoleBindingRow, UserLinkRow
from bot.store.tables.digests import DigestScheduleRow
from bot.store.tables.outbox import OutboxRow
from bot.store.tables.watch import (
    EventSeriesRow,
    PoolSweepRow,
    ReplicaHeartbeatRow,
    StatusCardRow,
    SubscriptionRow,
    WatchedJobRow,
)

__all__ = [
    "AuditEntryRow",
    "ChannelSettingsRow",
    "DigestScheduleRow",
    "EventSeriesRow",
    "OutboxRow",
    "PoolSweepRow",
    "ReplicaHeartbeatRow",
    "RoleBindingRow",
    "StatusCardRow",
    "SubscriptionRow",
    "UserLinkRow",
    "WatchedJobRow",
]
