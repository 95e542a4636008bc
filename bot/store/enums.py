"""Closed sets of values the store keeps in its string columns."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    """A role a Slack user holds in a workspace; admins may do everything operators may."""

    OPERATOR = "operator"
    ADMIN = "admin"


class TargetKind(StrEnum):
    """What a subscription follows."""

    JOB = "job"
    QUEUE = "queue"
    POOL = "pool"


class OutboxState(StrEnum):
    """Where an outgoing chat message is in its delivery (`bot/watch/outcomes.py` moves it on).

    `SENDING` is written before the chat call, so a row found in it after a crash has an unknown
    outcome and must be checked against the channel history before it is posted again.
    """

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    DROPPED = "dropped"
    """Never needed: a newer edit of the same card made it redundant."""
    DEAD = "dead"

    @classmethod
    def undelivered(cls) -> tuple[OutboxState, ...]:
        """Return the states a message is still on its way in."""
        return (cls.PENDING, cls.SENDING)


class AuditResult(StrEnum):
    """How an audited action ended."""

    OK = "ok"
    REFUSED = "refused"
    FAILED = "failed"
