"""Notices: the messages one poll owes each channel, with their dedup keys and payloads.

Dedup keys (unique in the outbox; the same change always yields the same key):
- `card:{card}`                       the card's first post
- `cardv:{card}:{status}:{changed}`   an edit of the card after a change
- `st:{card}:{status}:{changed}`      a transition reply (a `failure` broadcast when it failed)
- `ev:{card}:{series}:{count}`        new warning events, one reply per poll
- `log:{card}:{digest}`               new log lines of a followed job
- `gone:{card}`                       the job was deleted
- `burst:{channel}:{digest}`          many transitions in one channel, folded into one message
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.domain import Event, Job, JobStatus
from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow

CARD_KINDS = frozenset({"card", "card_update"})
REPLY_KINDS = frozenset({"transition", "failure", "events", "logs", "gone", "action"})
_SPECIFIC = {TargetKind.JOB: 0, TargetKind.QUEUE: 1, TargetKind.POOL: 2}


@dataclass
class Notice:
    """One outbox row to be: where it goes, what it says, and the key that makes it unique."""

    dedup_key: str
    workspace_id: str
    channel_id: str
    kind: str
    payload: dict[str, Any]
    card_id: int | None = None
    transition: bool = False
    card_version: int | None = None
    job_ref: dict[str, str] = field(default_factory=dict)


def digest(*parts: object) -> str:
    """Return a short stable digest of some values, for dedup keys."""
    return hashlib.sha256("\x00".join(map(str, parts)).encode()).hexdigest()[:16]


def per_channel(subs: list[SubscriptionRow]) -> list[SubscriptionRow]:
    """Keep one subscription per channel: the most specific (job, then queue, then pool)."""
    best: dict[tuple[str, str], SubscriptionRow] = {}
    for sub in sorted(subs, key=lambda s: (_SPECIFIC[s.target_kind], s.id)):
        best.setdefault((sub.workspace_id, sub.channel_id), sub)
    return list(best.values())


def is_muted(sub: SubscriptionRow, now: datetime) -> bool:
    """Say whether the subscription is muted right now."""
    return sub.muted_until is not None and sub.muted_until > now


def passes_filter(sub: SubscriptionRow, status: str) -> bool:
    """Say whether a transition to `status` is one the subscription asked for."""
    wanted = {s.lower() for s in sub.state_filter or []}
    return not wanted or status.lower() in wanted


def is_new_for(sub: SubscriptionRow, job: Job) -> bool:
    """Say whether the job appeared after a queue or pool subscription began."""
    return job.created_at is not None and job.created_at >= sub.created_at


def job_payload(job: Job) -> dict[str, Any]:
    """Return what a card needs of a job: no command, no environment."""
    return job.model_dump(mode="json", exclude={"command", "envs", "datasources"})


def job_ref(job: Job) -> dict[str, str]:
    """Return the few fields replies name a job by."""
    return {"id": job.id, "name": job.name, "pool": job.pool_id, "queue": job.queue}


def event_payload(events: list[tuple[Event, int]]) -> list[dict[str, Any]]:
    """Return warning events with their series counts, for a reply."""
    return [{"reason": e.reason, "message": e.message[:500], "count": count} for e, count in events]


def failed(status: str) -> bool:
    """Say whether a status is a failure people must hear about loudly."""
    return JobStatus.parse(status) is JobStatus.FAILED
