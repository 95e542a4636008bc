"""The kinds of notice the watcher sends, and how each travels: the contract shared by the planner,
the delivery and the renderer. A new kind is one member here, one policy row, one payload model
and one renderer; the type checker and `tests/watch/test_kinds.py` find what is missing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.watch.payloads import (
    CardPayload,
    DigestPayload,
    EventsPayload,
    FailurePayload,
    GonePayload,
    HangPayload,
    IdlePayload,
    LogsPayload,
    NoticePayload,
    PendingPayload,
    RestartPayload,
    ResumedPayload,
    SummaryPayload,
    TransitionPayload,
)


class NoticeKind(StrEnum):
    """What one outbox row is."""

    CARD = "card"
    """A job's status card, posted once per channel."""
    CARD_UPDATE = "card_update"
    """The card's new content after a change, edited in place."""
    TRANSITION = "transition"
    """`old → new` in the card's thread."""
    FAILURE = "failure"
    """A failure with its likely cause, log tail and warnings; also shown in the channel."""
    EVENTS = "events"
    """New warning events, in the thread."""
    LOGS = "logs"
    """New log lines of a followed job, in the thread."""
    GONE = "gone"
    """The job was deleted, in the thread."""
    SUMMARY = "summary"
    """Many transitions at once in one channel, folded into one message."""
    HANG = "hang"
    """A running job looks hung, in the thread, the owner mentioned."""
    RESUMED = "resumed"
    """A job told hung moved again, in the thread."""
    IDLE = "idle"
    """A running job's GPUs stay idle, in the thread, the owner mentioned."""
    PENDING = "pending"
    """A job queued for a while and why it waits, in the thread."""
    RESTART = "restart"
    """Fault tolerance restarted the job, with the likely cause, in the thread."""
    DIGEST = "digest"
    """A channel's scheduled (or asked for) digest, its chart in its thread."""


@dataclass(frozen=True)
class KindPolicy:
    """How a kind of notice travels to chat, and the model of what it says."""

    payload: type[NoticePayload]
    edit: bool = False
    """It replaces the card's content (`chat.update`) and never posts."""
    threaded: bool = False
    """It is a reply in the card's thread, so it waits for the card's first post."""
    broadcast: bool = False
    """A threaded reply that the channel sees too."""
    ordered: bool = True
    """It keeps its place among the channel's posts: it waits while an older one is undelivered."""
    coalesced: bool = False
    """A newer one of the same card makes a queued older one redundant."""
    folds: bool = False
    """Too many in one channel from one poll fold into one summary."""


POLICY: dict[NoticeKind, KindPolicy] = {
    NoticeKind.CARD: KindPolicy(CardPayload),
    NoticeKind.CARD_UPDATE: KindPolicy(CardPayload, edit=True, ordered=False, coalesced=True),
    NoticeKind.TRANSITION: KindPolicy(TransitionPayload, threaded=True, folds=True),
    NoticeKind.FAILURE: KindPolicy(FailurePayload, threaded=True, broadcast=True, folds=True),
    NoticeKind.EVENTS: KindPolicy(EventsPayload, threaded=True),
    NoticeKind.LOGS: KindPolicy(LogsPayload, threaded=True),
    NoticeKind.GONE: KindPolicy(GonePayload, threaded=True),
    NoticeKind.SUMMARY: KindPolicy(SummaryPayload),
    NoticeKind.HANG: KindPolicy(HangPayload, threaded=True),
    NoticeKind.RESUMED: KindPolicy(ResumedPayload, threaded=True),
    NoticeKind.IDLE: KindPolicy(IdlePayload, threaded=True),
    NoticeKind.PENDING: KindPolicy(PendingPayload, threaded=True),
    NoticeKind.RESTART: KindPolicy(RestartPayload, threaded=True),
    NoticeKind.DIGEST: KindPolicy(DigestPayload),
}

ORDERED = frozenset(kind.value for kind, policy in POLICY.items() if policy.ordered)


def parse(kind: NoticeKind, raw: Mapping[str, Any]) -> NoticePayload:
    """Read a payload the outbox holds back into its kind's model (pydantic checks it)."""
    return POLICY[kind].payload.model_validate(raw)
