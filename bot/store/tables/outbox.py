"""The outbox: chat messages committed with the change that caused them, delivered exactly once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, BigIntId, LeaseMixin, StrEnumType, UTCDateTime
from bot.store.enums import OutboxState
from bot.store.tables.admin import SLACK_ID


class OutboxRow(LeaseMixin, Base):
    """One message to post, update or reply with, and where its delivery stands."""

    __tablename__ = "outbox"
    __table_args__ = (
        # The sender's claim: due rows by state and time.
        Index("ix_outbox_state_next_attempt", "state", "next_attempt_at"),
        # Per-channel pacing and coalescing look at what a channel still has queued.
        Index("ix_outbox_channel_state", "channel_id", "state"),
    )

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    # Also sent as Slack message metadata, so an unknown outcome can be checked in the history.
    dedup_key: Mapped[str] = mapped_column(String(255), unique=True)
    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    # Thread parent `ts`, or NULL for a top-level message or when the card's ts is not known yet.
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    status_card_id: Mapped[int | None] = mapped_column(Integer)
    # A card post or edit carries the card version it shows, so an older edit never lands last.
    card_version: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(32))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    state: Mapped[OutboxState] = mapped_column(
        StrEnumType(OutboxState), default=OutboxState.PENDING
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sending_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    slack_ts: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
