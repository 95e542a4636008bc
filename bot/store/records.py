"""Rows as domain records: what the store hands to services, so no ORM row leaves `services/`."""

from __future__ import annotations

from bot.domain import AuditEntry, RoleGrant, Subscription
from bot.store.tables import AuditEntryRow, RoleBindingRow, SubscriptionRow


def subscription_of(row: SubscriptionRow) -> Subscription:
    """Return a subscription row as a domain subscription."""
    return Subscription(
        id=row.id,
        workspace_id=row.workspace_id,
        channel_id=row.channel_id,
        target_kind=row.target_kind,
        pool_id=row.pool_id,
        target_ref=row.target_ref,
        created_by=row.created_by,
        created_at=row.created_at,
        notify_status=row.notify_status,
        notify_events=row.notify_events,
        notify_logs=row.notify_logs,
        state_filter=tuple(row.state_filter or ()),
        mention=row.mention,
        muted_until=row.muted_until,
        paused_reason=row.paused_reason,
    )


def role_grant_of(row: RoleBindingRow) -> RoleGrant:
    """Return a role binding row as a domain role grant."""
    return RoleGrant(
        workspace_id=row.workspace_id,
        user_id=row.user_id,
        role=row.role,
        granted_by=row.granted_by,
        granted_at=row.granted_at,
    )


def audit_entry_of(row: AuditEntryRow) -> AuditEntry:
    """Return an audit row as a domain audit entry."""
    return AuditEntry(
        id=row.id,
        at=row.at,
        workspace_id=row.workspace_id,
        channel_id=row.channel_id,
        actor_id=row.actor_id,
        action=row.action,
        target=row.target,
        result=row.result,
        detail=row.detail,
        aihc_request_id=row.aihc_request_id,
    )
