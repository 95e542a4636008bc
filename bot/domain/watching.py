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
