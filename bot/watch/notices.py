"""Notices: the messages one poll owes each channel, with their dedup keys and typed payloads.

Dedup keys (unique in the outbox; `{changed}` is the poll's time in microseconds, so each committed
change has its own key, and a change planned again after a crash before its commit is new):
- `card:{card}`                       the card's first post
- `cardv:{card}:{status}:{changed}`   an edit of the card after a change
- `st:{card}:{status}:{changed}`      a transition reply (a `failure` broadcast when it failed)
- `ev:{card}:{series digest}`         new warning events, one reply per poll
- `log:{card}:{digest}`               new log lines of a followed job
- `gone:{card}`                       the job was deleted
- `burst:{channel}:{digest}`          many transitions in one channel, folded into one message
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from bot.domain import JobStatus
from bot.store.enums import TargetKind
from bot.store.tables import SubscriptionRow
from bot.watch.kinds import POLICY, NoticeKind
from bot.watch.payloads import NoticePayload, SummaryLine, SummaryPayload, TransitionPayload

_SPECIFIC = {TargetKind.JOB: 0, TargetKind.QUEUE: 1, TargetKind.POOL: 2}


@dataclass
class Notice:
    """One outbox row to be: where it goes, what it says, and the key that makes it unique."""

    dedup_key: str
    workspace_id: str
    channel_id: str
    kind: NoticeKind
    payload: NoticePayload
    card_id: int | None = None
    card_version: int | None = None
    """An edit's card version, taken when the plan is written (`StatusCardRepository`)."""

    @property
    def folds(self) -> bool:
        """Say whether this notice is a transition that a burst folds into a summary."""
        return POLICY[self.kind].folds


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


def failed(status: str) -> bool:
    """Say whether a status is a failure people must hear about loudly."""
    return JobStatus.parse(status) is JobStatus.FAILED


def fold_bursts(notices: list[Notice], threshold: int) -> list[Notice]:
    """Fold a channel's transitions from one batch into one summary when there are too many.

    Existing cards are still edited; new cards, replies and broadcasts of the folded jobs go.
    """
    by_channel: dict[tuple[str, str], list[Notice]] = defaultdict(list)
    for notice in notices:
        if notice.folds:
            by_channel[(notice.workspace_id, notice.channel_id)].append(notice)
    folded: set[int] = set()
    summaries: list[Notice] = []
    for (workspace, channel), items in by_channel.items():
        if len(items) <= threshold:
            continue
        folded |= {item.card_id for item in items if item.card_id is not None}
        lines = [_summary_line(item.payload) for item in items]
        key = f"burst:{channel}:" + digest(*sorted(item.dedup_key for item in items))
        summary = SummaryPayload(jobs=[line for line in lines if line is not None])
        summaries.append(Notice(key, workspace, channel, NoticeKind.SUMMARY, summary))
    kept = [
        notice
        for notice in notices
        if notice.card_id not in folded or notice.kind is NoticeKind.CARD_UPDATE
    ]
    return kept + summaries


def _summary_line(payload: NoticePayload) -> SummaryLine | None:
    if not isinstance(payload, TransitionPayload):
        return None
    return SummaryLine(**payload.job.model_dump(), old=payload.old, new=payload.new)
