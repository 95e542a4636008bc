"""Admin use cases (roles, user links, channel pools, the audit trail) and the audit writer."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain import AuditEntry, AuditResult, Pool, Role, RoleGrant
from bot.services.actor import Actor
from bot.services.errors import ServiceError
from bot.services.permissions import Decision, Permission, PermissionService
from bot.store import Store
from bot.store.records import audit_entry_of, role_grant_of

MAX_AUDIT = 50
DEDUP_WINDOW = timedelta(seconds=30)
_TARGET_MAX = 255
_DETAIL_MAX = 500


class Refused(ServiceError):
    """The actor may not do this; carries the decision and who could grant the missing role."""

    def __init__(self, decision: Decision, admins: Sequence[str]) -> None:
        super().__init__(decision.reason)
        self.decision = decision
        self.admins = list(admins)


class Auditor:
    """Write audit entries: one for every mutation, failure and refusal."""

    def __init__(self, *, store: Store, clock: Callable[[], datetime]) -> None:
        self._store = store
        self._clock = clock

    async def record(
        self,
        actor: Actor,
        action: str,
        target: str,
        result: AuditResult,
        *,
        detail: str | None = None,
        request_id: str | None = None,
    ) -> None:
        """Write one entry (the target and detail cut to what the table holds)."""
        async with self._store.transaction() as uow:
            await uow.audit.record(
                at=self._clock(),
                workspace_id=actor.team_id,
                channel_id=actor.channel_id or None,
                actor_id=actor.user_id,
                action=action[:64],
                target=target[:_TARGET_MAX],
                result=result,
                detail=detail[:_DETAIL_MAX] if detail else None,
                aihc_request_id=(request_id or None) and request_id[:64],
            )

    async def done_recently(self, actor: Actor, action: str, target: str) -> AuditEntry | None:
        """Return a successful entry for the same action and target within the dedup window.

        The audit trail doubles as the shared memory that makes a double click act once, even
        when the two clicks reach two bot processes.
        """
        since = self._clock() - DEDUP_WINDOW
        async with self._store.transaction() as uow:
            recent = [
                audit_entry_of(row)
                for row in await uow.audit.recent(workspace_id=actor.team_id, limit=MAX_AUDIT)
            ]
        for entry in recent:
            if entry.at < since:
                break
            same = entry.action == action and entry.target == target[:_TARGET_MAX]
            if same and entry.result is AuditResult.OK:
                return entry
        return None

    async def refuse(
        self,
        permissions: PermissionService,
        actor: Actor,
        decision: Decision,
        target: str,
        action: str,
    ) -> Refused:
        """Audit a refusal and return the error that explains it."""
        await self.record(actor, action, target, AuditResult.REFUSED, detail=decision.reason)
        return Refused(decision, await permissions.admins(actor))


@dataclass(frozen=True)
class RolesView:
    """The role bindings of a workspace and the bot-wide admins."""

    bindings: list[RoleGrant]
    bot_admins: list[str]


class AdminService:
    """Roles, user links, channel configuration and the audit trail; admins only."""

    def __init__(
        self,
        *,
        store: Store,
        permissions: PermissionService,
        auditor: Auditor,
        admins: Sequence[str],
    ) -> None:
        self._store = store
        self._permissions = permissions
        self._auditor = auditor
        self._admins = sorted(admins)

    async def require(self, actor: Actor, permission: Permission, target: str) -> None:
        """Raise Refused (and audit it) unless the actor may do this."""
        decision = await self._permissions.check(actor, permission)
        if not decision.allowed:
            raise await self._auditor.refuse(
                self._permissions, actor, decision, target, permission.value
            )

    async def grant(self, actor: Actor, user_id: str, role: Role, *, now: datetime) -> bool:
        """Give a user a role; return False if they had it already."""
        target = f"{user_id}:{role.value}"
        await self.require(actor, Permission.GRANT_ROLE, target)
        async with self._store.transaction() as uow:
            changed = await uow.roles.grant(
                workspace_id=actor.team_id, user_id=user_id, role=role, by=actor.user_id, now=now
            )
        await self._auditor.record(actor, "role.grant", target, AuditResult.OK)
        return changed

    async def revoke(self, actor: Actor, user_id: str, role: Role) -> bool:
        """Take a role away; return False if the user did not have it."""
        target = f"{user_id}:{role.value}"
        await self.require(actor, Permission.GRANT_ROLE, target)
        async with self._store.transaction() as uow:
            changed = await uow.roles.revoke(workspace_id=actor.team_id, user_id=user_id, role=role)
        await self._auditor.record(actor, "role.revoke", target, AuditResult.OK)
        return changed

    async def roles(self, actor: Actor) -> RolesView:
        """Return who holds which role (everyone may read this)."""
        async with self._store.transaction() as uow:
            bindings = [
                role_grant_of(row) for row in await uow.roles.bindings(workspace_id=actor.team_id)
            ]
        return RolesView(bindings=bindings, bot_admins=self._admins)

    async def link(self, actor: Actor, user_id: str, aihc_user: str, *, now: datetime) -> None:
        """Link a Slack user to the AIHC user name their jobs carry."""
        target = f"{user_id}:{aihc_user}"
        await self.require(actor, Permission.LINK_USER, target)
        async with self._store.transaction() as uow:
            await uow.user_links.link(
                workspace_id=actor.team_id,
                slack_user_id=user_id,
                aihc_user_name=aihc_user,
                by=actor.user_id,
                now=now,
            )
        await self._auditor.record(actor, "link", target, AuditResult.OK)

    async def set_default_pool(self, actor: Actor, pool: Pool, *, now: datetime) -> None:
        """Make a pool the channel's default."""
        target = f"{actor.channel_id}:pool={pool.id}"
        await self.require(actor, Permission.CONFIGURE_CHANNEL, target)
        async with self._store.transaction() as uow:
            await uow.channels.set_default_pool(
                workspace_id=actor.team_id,
                channel_id=actor.channel_id,
                pool_id=pool.id,
                by=actor.user_id,
                now=now,
            )
        await self._auditor.record(actor, "config.pool", target, AuditResult.OK)

    async def set_allowed_pools(
        self, actor: Actor, pools: Sequence[Pool], *, now: datetime
    ) -> None:
        """Limit the channel to these pools (none: every pool)."""
        ids = [pool.id for pool in pools]
        target = f"{actor.channel_id}:pools={','.join(ids) or '*'}"
        await self.require(actor, Permission.CONFIGURE_CHANNEL, target)
        async with self._store.transaction() as uow:
            await uow.channels.set_allowed_pools(
                workspace_id=actor.team_id,
                channel_id=actor.channel_id,
                pool_ids=ids,
                by=actor.user_id,
                now=now,
            )
        await self._auditor.record(actor, "config.pools", target, AuditResult.OK)

    async def audit(self, actor: Actor, limit: int) -> list[AuditEntry]:
        """Return the newest audit entries of the workspace."""
        await self.require(actor, Permission.READ_AUDIT, f"audit:{limit}")
        async with self._store.transaction() as uow:
            rows = await uow.audit.recent(workspace_id=actor.team_id, limit=min(limit, MAX_AUDIT))
            return [audit_entry_of(row) for row in rows]
