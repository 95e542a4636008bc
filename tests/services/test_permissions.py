"""Who may do what (DESIGN §3.3), decided from a real database: roles, owners, channel pools."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.domain import CREATOR_LABEL, Job
from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL, Actor
from bot.services.permissions import NEEDED_ROLE, Permission, PermissionService, owns
from bot.store import Role, Store

NOW = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
ALICE = Actor(team_id="T1", channel_id="C1", user_id="U1")
BOB = Actor(team_id="T1", channel_id="C1", user_id="U2")
ROOT = Actor(team_id="T1", channel_id="C1", user_id="UROOT")
OWNER_OR_OPERATOR = [
    Permission.STOP_JOB,
    Permission.PRIORITISE_JOB,
    Permission.SUBSCRIBE_JOB,
    Permission.OPEN_TERMINAL,
]
ADMIN_ONLY = [p for p, role in NEEDED_ROLE.items() if role is Role.ADMIN]


def job(pool: str = "cce-a", **labels: str) -> Job:
    """A job in `pool` with labels."""
    return Job(id="pytorchjob-1", name="train", pool_id=pool, labels=labels)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated database, SQLite or PostgreSQL."""
    store = Store.from_url(database_url)
    yield store
    await store.dispose()


@pytest.fixture
def service(store: Store) -> PermissionService:
    """Decisions with UROOT in BOT_ADMINS."""
    return PermissionService(store=store, admins=["UROOT"])


async def grant(store: Store, actor: Actor, role: Role) -> None:
    """Bind a role in the database."""
    async with store.transaction() as uow:
        await uow.roles.grant(
            workspace_id=actor.team_id, user_id=actor.user_id, role=role, by="UROOT", now=NOW
        )


async def test_every_permission_has_a_role() -> None:
    assert set(NEEDED_ROLE) == set(Permission)
    assert set(ADMIN_ONLY) == {
        Permission.DELETE_JOB,
        Permission.CHANGE_QUEUE,
        Permission.CONFIGURE_CHANNEL,
        Permission.GRANT_ROLE,
        Permission.LINK_USER,
        Permission.READ_AUDIT,
    }


@pytest.mark.parametrize("permission", list(Permission))
async def test_nobody_without_a_role_may_act(
    service: PermissionService, permission: Permission
) -> None:
    decision = await service.check(ALICE, permission, job=job())
    assert not decision.allowed
    assert decision.needed is NEEDED_ROLE[permission]
    expected = "refused.owner_or_role" if permission in OWNER_OR_OPERATOR else "refused.role"
    assert decision.reason == expected


@pytest.mark.parametrize("permission", list(Permission))
async def test_bot_admins_may_do_everything(
    service: PermissionService, permission: Permission
) -> None:
    assert (await service.check(ROOT, permission, job=job())).allowed
    assert await service.roles_of(ROOT) == {Role.ADMIN, Role.OPERATOR}


async def test_operators_act_on_jobs_but_not_as_admins(
    store: Store, service: PermissionService
) -> None:
    await grant(store, ALICE, Role.OPERATOR)
    for permission in (*OWNER_OR_OPERATOR, Permission.CREATE_JOB, Permission.SUBSCRIBE_TARGET):
        assert (await service.check(ALICE, permission, job=job())).allowed, permission
    for permission in ADMIN_ONLY:
        decision = await service.check(ALICE, permission, job=job())
        assert not decision.allowed
        assert decision.needed is Role.ADMIN


async def test_a_granted_admin_is_an_operator_too(store: Store, service: PermissionService) -> None:
    await grant(store, BOB, Role.ADMIN)
    assert await service.roles_of(BOB) == {Role.ADMIN, Role.OPERATOR}
    assert (await service.check(BOB, Permission.STOP_JOB, job=job())).allowed
    assert await service.admins(ALICE) == ["U2", "UROOT"]


async def test_roles_do_not_cross_workspaces(store: Store, service: PermissionService) -> None:
    await grant(store, ALICE, Role.ADMIN)
    elsewhere = Actor(team_id="T2", channel_id="C1", user_id="U1")
    assert not (await service.check(elsewhere, Permission.DELETE_JOB, job=job())).allowed
    assert await service.admins(elsewhere) == ["UROOT"]


async def test_the_creator_from_slack_owns_the_job(service: PermissionService) -> None:
    mine = job(**{SLACK_USER_LABEL: "U1", SLACK_TEAM_LABEL: "T1"})
    for permission in OWNER_OR_OPERATOR:
        assert (await service.check(ALICE, permission, job=mine)).allowed
        assert not (await service.check(BOB, permission, job=mine)).allowed
    assert not (await service.check(ALICE, Permission.DELETE_JOB, job=mine)).allowed


async def test_a_slack_label_from_another_workspace_or_alone_proves_nothing() -> None:
    assert not owns(ALICE, job(**{SLACK_USER_LABEL: "U1", SLACK_TEAM_LABEL: "T2"}), None)
    assert not owns(ALICE, job(**{SLACK_USER_LABEL: "U1"}), None)
    assert not owns(Actor("T1", "C1", ""), job(**{SLACK_USER_LABEL: ""}), None)


async def test_a_linked_aihc_user_owns_the_jobs_created_as_them(
    store: Store, service: PermissionService
) -> None:
    theirs = job(**{CREATOR_LABEL: "zhang.wei"})
    assert not (await service.check(ALICE, Permission.STOP_JOB, job=theirs)).allowed
    async with store.transaction() as uow:
        await uow.user_links.link(
            workspace_id="T1", slack_user_id="U1", aihc_user_name="zhang.wei", by="UROOT", now=NOW
        )
    assert (await service.check(ALICE, Permission.STOP_JOB, job=theirs)).allowed
    assert not (await service.check(BOB, Permission.STOP_JOB, job=theirs)).allowed
    # A label from elsewhere does not hide a link that holds.
    both = job(**{CREATOR_LABEL: "zhang.wei", SLACK_USER_LABEL: "U1", SLACK_TEAM_LABEL: "T9"})
    assert (await service.check(ALICE, Permission.STOP_JOB, job=both)).allowed
    assert not owns(ALICE, job(), "zhang.wei")


async def test_a_channel_limited_to_some_pools_refuses_even_admins_elsewhere(
    store: Store, service: PermissionService
) -> None:
    async with store.transaction() as uow:
        await uow.channels.set_allowed_pools(
            workspace_id="T1", channel_id="C1", pool_ids=["cce-a"], by="UROOT", now=NOW
        )
    refused = await service.check(ROOT, Permission.STOP_JOB, job=job("cce-b"))
    assert not refused.allowed
    assert refused.reason == "refused.channel_pool"
    assert refused.pool_id == "cce-b"
    assert (await service.check(ROOT, Permission.STOP_JOB, job=job("cce-a"))).allowed
    assert not (await service.check(ROOT, Permission.CHANGE_QUEUE, pool_id="cce-b")).allowed
    other_channel = Actor(team_id="T1", channel_id="C2", user_id="UROOT")
    assert (await service.check(other_channel, Permission.STOP_JOB, job=job("cce-b"))).allowed
    # Channel configuration itself is not bound to a pool, so an admin can lift the limit.
    assert (await service.check(ROOT, Permission.CONFIGURE_CHANNEL)).allowed
