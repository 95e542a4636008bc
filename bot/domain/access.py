"""Who may do what, and what was done: roles, role grants and audit entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Role(StrEnum):
    """A role a Slack user holds in a workspace; admins may do everything operators may."""

    OPERATOR = "operator"
    ADMIN = "admin"


class AuditResult(StrEnum):
    """How an audited action ended."""

    OK = "ok"
    REFUSED = "refused"
    FAILED = "failed"


@dataclass(frozen=True)
class RoleGrant:
    """A role granted to a Slack user in a workspace, and by whom."""

    workspace_id: str
    user_id: str
    role: Role
    granted_by: str
    granted_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    """One mutation or refusal: who did what, where, when, how it ended, and AIHC's request id."""

    id: int
    at: datetime
    workspace_id: str
    channel_id: str | None
    actor_id: str
    action: str
    target: str
    result: AuditResult
    detail: str | None = None
    aihc_request_id: str | None = None
