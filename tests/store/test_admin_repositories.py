"""Channel settings, roles, user links and the audit trail, as the admin commands use them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.store import AuditResult, Role, Store

NOW = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)


async def test_channel_settings_keep_default_and_allowed_pools_apart(store: Store) -> None:
    async with store.transaction() as uow:
        assert await uow.channels.get(workspace_id="T1", channel_id="C1") is None
        await uow.channels.set_default_pool(
            workspace_id="T1", channel_id="C1", pool_id="pool-a", by="U1", now=NOW
        )
        await uow.channels.set_allowed_pools(
            workspace_id="T1", channel_id="C1", pool_ids=["pool-a", "pool-b"], by="U2", now=NOW
        )

    async with store.transaction() as uow:
        settings = await uow.channels.get(workspace_id="T1", channel_id="C1")

    assert settings is not None
    assert settings.default_pool_id == "pool-a"
    assert settings.allowed_pool_ids == ["pool-a", "pool-b"]
    assert settings.updated_by == "U2"


async def test_granting_twice_is_harmless_and_revoking_removes(store: Store) -> None:
    async with store.transaction() as uow:
        assert await uow.roles.grant(
            workspace_id="T1", user_id="U1", role=Role.OPERATOR, by="U0", now=NOW
        )
        assert not await uow.roles.grant(
            workspace_id="T1", user_id="U1", role=Role.OPERATOR, by="U0", now=NOW
        )
        await uow.roles.grant(workspace_id="T1", user_id="U1", role=Role.ADMIN, by="U0", now=NOW)
        await uow.roles.grant(workspace_id="T2", user_id="U1", role=Role.ADMIN, by="U0", now=NOW)

    async with store.transaction() as uow:
        assert await uow.roles.roles_of(workspace_id="T1", user_id="U1") == {
            Role.OPERATOR,
            Role.ADMIN,
        }
        assert await uow.roles.revoke(workspace_id="T1", user_id="U1", role=Role.ADMIN)
        assert not await uow.roles.revoke(workspace_id="T1", user_id="U1", role=Role.ADMIN)

    async with store.transaction() as uow:
        bindings = await uow.roles.bindings(workspace_id="T1")
        assert [(b.user_id, b.role) for b in bindings] == [("U1", Role.OPERATOR)]
        assert isinstance(bindings[0].role, Role)


async def test_a_link_is_replaced_and_found_from_either_side(store: Store) -> None:
    async with store.transaction() as uow:
        await uow.user_links.link(
            workspace_id="T1", slack_user_id="U1", aihc_user_name="alice", by="U0", now=NOW
        )
        await uow.user_links.link(
            workspace_id="T1", slack_user_id="U1", aihc_user_name="alice2", by="U0", now=NOW
        )
        await uow.user_links.link(
            workspace_id="T1", slack_user_id="U2", aihc_user_name="alice2", by="U0", now=NOW
        )

    async with store.transaction() as uow:
        link = await uow.user_links.get(workspace_id="T1", slack_user_id="U1")
        owners = await uow.user_links.slack_users_of(workspace_id="T1", aihc_user_name="alice2")
        nobody = await uow.user_links.slack_users_of(workspace_id="T1", aihc_user_name="alice")

    assert link is not None
    assert link.aihc_user_name == "alice2"
    assert owners == ["U1", "U2"]
    assert nobody == []


async def test_the_audit_trail_keeps_who_what_where_when_and_the_request_id(store: Store) -> None:
    async with store.transaction() as uow:
        for minute, result in enumerate([AuditResult.OK, AuditResult.REFUSED, AuditResult.FAILED]):
            await uow.audit.record(
                at=NOW + timedelta(minutes=minute),
                workspace_id="T1",
                channel_id="C1",
                actor_id="U1",
                action="job.stop",
                target="pool-a/job-1",
                result=result,
                aihc_request_id=f"req-{minute}",
            )

    async with store.transaction() as uow:
        latest_two = await uow.audit.recent(workspace_id="T1", limit=2)
        elsewhere = await uow.audit.recent(workspace_id="T2")

    assert [(e.result, e.aihc_request_id) for e in latest_two] == [
        (AuditResult.FAILED, "req-2"),
        (AuditResult.REFUSED, "req-1"),
    ]
    assert latest_two[0].at == NOW + timedelta(minutes=2)
    assert elsewhere == []
