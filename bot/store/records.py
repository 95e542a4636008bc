"""Rows as domain records: what the store hands to services, so no ORM row leaves `services/`."""

from __future__ import annotations

import dataclasses
from typing import TYPE_CHECKING, Any, TypeVar

from bot.domain import AuditEntry, RoleGrant, Subscription
from bot.store.tables import AuditEntryRow, RoleBindingRow, SubscriptionRow

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

R = TypeVar("R", bound="DataclassInstance")


def _record(kind: type[R], row: object, **overrides: Any) -> R:
    """Build `kind` from the row's columns of the same names (`overrides` given apart)."""
    names = [field.name for field in dataclasses.fields(kind) if field.name not in overrides]
    return kind(**{name: getattr(row, name) for name in names}, **overrides)


def subscription_of(row: SubscriptionRow) -> Subscription:
    """Return a subscription row as a domain subscription."""
    return _record(Subscription, row, state_filter=tuple(row.state_filter or ()))


def role_grant_of(row: RoleBindingRow) -> RoleGrant:
    """Return a role binding row as a domain role grant."""
    return _record(RoleGrant, row)


def audit_entry_of(row: AuditEntryRow) -> AuditEntry:
    """Return an audit row as a domain audit entry."""
    return _record(AuditEntry, row)
