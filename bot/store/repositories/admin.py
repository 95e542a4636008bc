"""Repositories of channel settings, role bindings, user links and the audit trail."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.enums import AuditResult, Role
from bot.store.tables import AuditEntryRow, ChannelSettingsRow, RoleBindingRow, UserLinkRow
from bot.store.upsert import insert_or_ignore, upsert


class ChannelSettingsRepository:
    """Read and change a channel's default pool and the pools it may use."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def get(self, *, workspace_id: str, channel_id: str) -> ChannelSettingsRow | None:
        """Return the channel's settings, or None if nobody configured it."""
        return await self.session.get(ChannelSettingsRow, (workspace_id, channel_id))

    async def set_default_pool(
        self, *, workspace_id: str, channel_id: str, pool_id: str | None, by: str, now: datetime
    ) -> None:
        """Make `pool_id` the channel's default pool (None clears it)."""
        values = {"default_pool_id": pool_id, "updated_by": by, "updated_at": now}
        await self._put(workspace_id, channel_id, values)

    async def set_allowed_pools(
        self, *, workspace_id: str, channel_id: str, pool_ids: Sequence[str], by: str, now: datetime
    ) -> None:
        """Limit the channel to `pool_ids` (an empty list allows every pool)."""
        values = {"allowed_pool_ids": list(pool_ids), "updated_by": by, "updated_at": now}
        await self._put(workspace_id, channel_id, values)

    async def _put(self, workspace_id: str, channel_id: str, values: Mapping[str, object]) -> None:
        """Insert the channel's row or update the given columns of it."""
        row = {"workspace_id": workspace_id, "channel_id": channel_id, **values}
        conflict = ["workspace_id", "channel_id"]
        await upsert(self.session, ChannelSettingsRow, row, conflict=conflict, update=list(values))


class RoleBindingRepository:
    """Grant, revoke and look up the roles of Slack users."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def grant(
        self, *, workspace_id: str, user_id: str, role: Role, by: str, now: datetime
    ) -> bool:
        """Give `user_id` the role; return False if they already had it."""
        row = {
            "workspace_id": workspace_id,
            "user_id": user_id,
            "role": role,
            "granted_by": by,
            "granted_at": now,
        }
        conflict = ["workspace_id", "user_id", "role"]
        return await insert_or_ignore(self.session, RoleBindingRow, row, conflict=conflict) == 1

    async def revoke(self, *, workspace_id: str, user_id: str, role: Role) -> bool:
        """Take the role away; return False if the user did not have it."""
        stmt = delete(RoleBindingRow).where(
            RoleBindingRow.workspace_id == workspace_id,
            RoleBindingRow.user_id == user_id,
            RoleBindingRow.role == role,
        )
        result = await self.session.execute(stmt)
        return bool(getattr(result, "rowcount", 0))

    async def roles_of(self, *, workspace_id: str, user_id: str) -> frozenset[Role]:
        """Return the roles bound to a user."""
        stmt = select(RoleBindingRow.role).where(
            RoleBindingRow.workspace_id == workspace_id, RoleBindingRow.user_id == user_id
        )
        return frozenset((await self.session.scalars(stmt)).all())

    async def bindings(self, *, workspace_id: str) -> list[RoleBindingRow]:
        """Return every binding of the workspace, by role then user."""
        stmt = (
            select(RoleBindingRow)
            .where(RoleBindingRow.workspace_id == workspace_id)
            .order_by(RoleBindingRow.role, RoleBindingRow.user_id)
        )
        return list((await self.session.scalars(stmt)).all())


class UserLinkRepository:
    """Link Slack users to the AIHC user names they create jobs as."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def link(
        self, *, workspace_id: str, slack_user_id: str, aihc_user_name: str, by: str, now: datetime
    ) -> None:
        """Link the Slack user to `aihc_user_name`, replacing any earlier link."""
        row = {
            "workspace_id": workspace_id,
            "slack_user_id": slack_user_id,
            "aihc_user_name": aihc_user_name,
            "linked_by": by,
            "linked_at": now,
        }
        await upsert(
            self.session,
            UserLinkRow,
            row,
            conflict=["workspace_id", "slack_user_id"],
            update=["aihc_user_name", "linked_by", "linked_at"],
        )

    async def get(self, *, workspace_id: str, slack_user_id: str) -> UserLinkRow | None:
        """Return the Slack user's link, if any."""
        return await self.session.get(UserLinkRow, (workspace_id, slack_user_id))

    async def slack_users_of(self, *, workspace_id: str, aihc_user_name: str) -> list[str]:
        """Return the Slack users linked to an AIHC user name (to mention a job's owner)."""
        stmt = (
            select(UserLinkRow.slack_user_id)
            .where(
                UserLinkRow.workspace_id == workspace_id,
                UserLinkRow.aihc_user_name == aihc_user_name,
            )
            .order_by(UserLinkRow.slack_user_id)
        )
        return list((await self.session.scalars(stmt)).all())


class AuditRepository:
    """Append to and read the audit trail."""

    def __init__(self, session: AsyncSession) -> None:
        """Work inside `session`; the caller commits."""
        self.session = session

    async def record(
        self,
        *,
        at: datetime,
        workspace_id: str,
        channel_id: str | None,
        actor_id: str,
        action: str,
        target: str,
        result: AuditResult,
        detail: str | None = None,
        aihc_request_id: str | None = None,
    ) -> AuditEntryRow:
        """Write one audit entry."""
        entry = AuditEntryRow(
            at=at,
            workspace_id=workspace_id,
            channel_id=channel_id,
            actor_id=actor_id,
            action=action,
            target=target,
            result=result,
            detail=detail,
            aihc_request_id=aihc_request_id,
        )
        self.session.add(entry)
        await self.session.flush()
        return entry

    async def recent(self, *, workspace_id: str, limit: int = 20) -> list[AuditEntryRow]:
        """Return the workspace's newest entries first."""
        stmt = (
            select(AuditEntryRow)
            .where(AuditEntryRow.workspace_id == workspace_id)
            .order_by(AuditEntryRow.at.desc(), AuditEntryRow.id.desc())
            .limit(limit)
        )
        return list((await self.session.scalars(stmt)).all())
