"""The digest schedules: one per channel, claimed by a replica under a lease when due."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.domain.digest import DigestPeriod
from bot.store.base import Base, LeaseMixin, StrEnumType, UTCDateTime
from bot.store.tables.admin import SLACK_ID

ZONE = 64
"""IANA zone names are short (`America/Argentina/ComodRivadavia` is among the longest)."""


class DigestScheduleRow(LeaseMixin, Base):
    """When a channel's digest goes out (a local time in a zone) and when it is next due."""

    __tablename__ = "digest_schedules"
    __table_args__ = (
        UniqueConstraint("workspace_id", "channel_id", name="uq_digest_schedules_channel"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID))
    period: Mapped[DigestPeriod] = mapped_column(StrEnumType(DigestPeriod))
    # `HH:MM` on the channel's wall clock, read in `zone`; UTC moments follow from both.
    local_time: Mapped[str] = mapped_column(String(5))
    zone: Mapped[str] = mapped_column(String(ZONE))
    next_due_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    # The end of the last period whose digest was queued: a digest is never queued twice.
    last_end_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by: Mapped[str] = mapped_column(String(SLACK_ID))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
