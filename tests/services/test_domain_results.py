"""Services hand their callers domain records, never ORM rows (DESIGN §2: rows stay below)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import FrozenInstanceError
from datetime import UTC, datetime

import pytest

from bot.domain import AuditEntry, Job, Pool, Role, RoleGrant, Subscription, TargetKind
from bot.services.actor import Actor
from bot.services.admin import AdminService, Auditor
from bot.services.permissions import PermissionService
from bot.services.subscriptions import Options, SubscriptionService, job_target
from bot.store import Store

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
ADMIN = Actor(team_id="T1", channel_id="C1", user_id="UADMIN")


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated database, SQLite or PostgreSQL."""
    store = Store.from_url(database_url)
    yield store
    await store.dispose()


def services(store: Store) -> tuple[SubscriptionService, AdminService]:
    permissions = PermissionService(store=store, admins=["UADMIN"])
    auditor = Auditor(store=store, clock=lambda: NOW)
    admin = AdminService(store=store, permissions=permissions, auditor=auditor, admins=["UADMIN"])
    return SubscriptionService(store=store, permissions=permissions, clock=lambda: NOW), admin


async def test_subscriptions_come_back_as_frozen_domain_records(store: Store) -> None:
    subs, _ = services(store)
    job = Job(id="job-1", name="train", pool_id="pool-1", queue="default")
    target = job_target(Pool(id="pool-1"), job)

    made = await subs.subscribe(ADMIN, target, Options(logs=True, on=("Failed",)))
    listed = await subs.in_channel(ADMIN)

    assert type(made) is Subscription
    assert listed == [made]
    assert made.target_kind is TargetKind.JOB
    assert made.target_ref == "job-1"
    assert made.state_filter == ("Failed",)
    assert await subs.get(ADMIN, made.id) == made
    with pytest.raises(FrozenInstanceError):
        made.notify_logs = False  # type: ignore[misc]


async def test_roles_and_the_audit_trail_come_back_as_domain_records(store: Store) -> None:
    _, admin = services(store)
    await admin.grant(ADMIN, "UOPS", Role.OPERATOR, now=NOW)

    view = await admin.roles(ADMIN)
    trail = await admin.audit(ADMIN, 10)

    assert view.bindings == [RoleGrant("T1", "UOPS", Role.OPERATOR, "UADMIN", NOW)]
    assert [type(entry) for entry in trail] == [AuditEntry]
    assert (trail[0].action, trail[0].target, trail[0].actor_id) == (
        "role.grant",
        "UOPS:operator",
        "UADMIN",
    )
