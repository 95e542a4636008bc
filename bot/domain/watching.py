"""What channels follow: subscriptions to jobs, queues and pools."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

MENTION_OWNER = "owner"
"""The `mention` value that pings the job's owner rather than a named user."""


class TargetKind(StrEnum):
    """What a subscription follows."""

    JOB = "job"
    QUEUE = "queue"
    POOL = "pool"


NOTICE_KINDS = ("status", "events", "logs", "progress", "hang", "idle", "pending")
"""Every kind of notice a subscription can switch on or off, in the order they are shown."""

_DEFAULT_NOTICES = {
    TargetKind.JOB: frozenset({"status", "events", "progress", "hang", "idle", "pending"}),
    # A queue or a pool covers many jobs: only the signals worth acting on are on by default.
    TargetKind.QUEUE: frozenset({"status", "events", "hang", "idle"}),
    TargetKind.POOL: frozenset({"status", "events", "hang", "idle"}),
}


def default_notices(kind: TargetKind) -> frozenset[str]:
    """Return the notice kinds a subscription to `kind` gets when none are named."""
    return _DEFAULT_NOTICES[kind]


@dataclass(frozen=True)
class Subscription:
    """A channel's subscription to a job, a queue or a pool, with what it notifies and whom."""

    id: int
    workspace_id: str
    channel_id: str
    target_kind: TargetKind
    pool_id: str
    target_ref: str
    created_by: str
    created_at: datetime
    notify_status: bool = True
    notify_events: bool = True
    notify_logs: bool = False
    notify_progress: bool = True
    notify_hang: bool = True
    notify_idle: bool = True
    notify_pending: bool = True
    state_filter: tuple[str, ...] = ()
    """Statuses that notify; empty: every status."""
    mention: str | None = None
    """`MENTION_OWNER`, a Slack user id, or None."""
    muted_until: datetime | None = None
    paused_reason: str | None = None
    """Slack's error code when posting to the channel stopped working (archived, bot removed)."""

    def is_muted(self, now: datetime) -> bool:
        """Say whether the subscription is muted at `now`."""
        return self.muted_until is not None and self.muted_until > now

    def notices(self) -> tuple[str, ...]:
        """Return the notice kinds this subscription has on, in `NOTICE_KINDS` order."""
        on = {
            "status": self.notify_status,
            "events": self.notify_events,
            "logs": self.notify_logs,
            "progress": self.notify_progress,
            "hang": self.notify_hang,
            "idle": self.notify_idle,
            "pending": self.notify_pending,
        }
        return tuple(kind for kind in NOTICE_KINDS if on[kind])
