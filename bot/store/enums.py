"""Closed sets of values the store keeps in its string columns.

`Role`, `TargetKind` and `AuditResult` are domain types (`bot.domain`); the store keeps their values
as they are, so the columns need no migration. `OutboxState` is the store's own.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain.access import AuditResult, Role
from bot.domain.watching import TargetKind

__all__ = ["AuditResult", "OutboxState", "Role", "TargetKind"]


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
