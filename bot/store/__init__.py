"""The bot's durable state: tables, migrations, repositories, the unit of work and leases.

Callers open a transaction at the edge and use the repositories on it; repositories never commit:

    async with store.transaction() as uow:
        if await uow.outbox.enqueue(dedup_key=key, ...):
            ...
"""

from bot.store.engine import create_engine
from bot.store.enums import AuditResult, OutboxState, Role, TargetKind
from bot.store.errors import (
    LeaseLostError,
    StoreError,
    UnsupportedDatabaseError,
    database_unreachable,
)
from bot.store.leases import Lease, lease_of
from bot.store.session import Store, UnitOfWork

__all__ = [
    "AuditResult",
    "Lease",
    "LeaseLostError",
    "OutboxState",
    "Role",
    "Store",
    "StoreError",
    "TargetKind",
    "UnitOfWork",
    "UnsupportedDatabaseError",
    "create_engine",
    "database_unreachable",
    "lease_of",
]
