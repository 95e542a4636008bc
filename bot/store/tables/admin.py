"""Tables of channel configuration, permissions, identities and the audit trail."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.store.base import Base, BigIntId, StrEnumType, UTCDateTime
from bot.store.enums import AuditResult, Role

# Slack ids are short (`T…`, `C…`, `U…`), but Enterprise Grid ids run longer; 32 leaves headroom.
SLACK_ID = 32


class ChannelSettingsRow(Base):
    """A channel's default pool and the pools it may use (an empty list allows every pool)."""

    __tablename__ = "channel_settings"

    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    default_pool_id: Mapped[str | None] = mapped_column(String(64))
    allowed_pool_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_by: Mapped[str] = mapped_column(String(SLACK_ID))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())


class RoleBindingRow(Base):
    """A role granted to a Slack user in a workspace."""

    __tablename__ = "role_bindings"

    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    user_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    role: Mapped[Role] = mapped_column(StrEnumType(Role), primary_key=True)
    granted_by: Mapped[str] = mapped_column(String(SLACK_ID))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class UserLinkRow(Base):
    """The AIHC user name a Slack user acts as, so jobs they created count as theirs."""

    __tablename__ = "user_links"
    __table_args__ = (Index("ix_user_links_aihc_user", "workspace_id", "aihc_user_name"),)

    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(SLACK_ID), primary_key=True)
    aihc_user_name: Mapped[str] = mapped_column(String(128))
    linked_by: Mapped[str] = mapped_column(String(SLACK_ID))
    linked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class AuditEntryRow(Base):
    """One mutation or refusal: who did what, where, when, how it ended, and AIHC's request id."""

    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_workspace_at", "workspace_id", "at"),)

    id: Mapped[int] = mapped_column(BigIntId, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime())
    workspace_id: Mapped[str] = mapped_column(String(SLACK_ID))
    channel_id: Mapped[str | None] = mapped_column(String(SLACK_ID))
    actor_id: Mapped[str] = mapped_column(String(SLACK_ID))
    action: Mapped[str] = mapped_column(String(64))
    target: Mapped[str] = mapped_column(String(255))
    result: Mapped[AuditResult] = mapped_column(StrEnumType(AuditResult))
    detail: Mapped[str | None] = mapped_column(Text)
    aihc_request_id: Mapped[str | None] = mapped_column(String(64))
