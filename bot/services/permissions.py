"""Who may do what (DESIGN §3.3): everyone reads; owners and operators act on jobs; admins
delete jobs, change queues, configure channels and grant roles; a channel limited to some pools
cannot touch the others."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum

from bot.domain import Job
from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL, Actor
from bot.store import Role, Store, UnitOfWork


class Permission(StrEnum):
    """An action that needs more than reading; the value names it in the audit trail."""

    STOP_JOB = "job.stop"
    PRIORITISE_JOB = "job.priority"
    SUBSCRIBE_JOB = "subscribe.job"
    OPEN_TERMINAL = "job.terminal"
    CREATE_JOB = "job.create"
    SUBSCRIBE_TARGET = "subscribe.target"
    """A queue or pool subscription."""
    DELETE_JOB = "job.delete"
    CHANGE_QUEUE = "queue.change"
    CONFIGURE_CHANNEL = "config"
    GRANT_ROLE = "role"
    LINK_USER = "link"
    READ_AUDIT = "audit"


_OWNER_OR_OPERATOR = frozenset(
    {
        Permission.STOP_JOB,
        Permission.PRIORITISE_JOB,
        Permission.SUBSCRIBE_JOB,
        Permission.OPEN_TERMINAL,
    }
)
_OPERATOR = frozenset({Permission.SUBSCRIBE_TARGET, Permission.CREATE_JOB})
NEEDED_ROLE: dict[Permission, Role] = {
    **dict.fromkeys(_OWNER_OR_OPERATOR | _OPERATOR, Role.OPERATOR),
    **dict.fromkeys(
        {
            Permission.DELETE_JOB,
            Permission.CHANGE_QUEUE,
            Permission.CONFIGURE_CHANNEL,
            Permission.GRANT_ROLE,
            Permission.LINK_USER,
            Permission.READ_AUDIT,
        },
        Role.ADMIN,
    ),
}


@dataclass(frozen=True)
class Decision:
    """Whether an action is allowed; when not, why (a catalogue key) and which role would do."""

    allowed: bool
    reason: str = ""
    needed: Role | None = None
    pool_id: str | None = None

    @classmethod
    def allow(cls) -> Decision:
        """Return a permission."""
        return cls(allowed=True)


class PermissionService:
    """Decide on actions from the roles in the store, `BOT_ADMINS`, job ownership and channels."""

    def __init__(self, *, store: Store, admins: Collection[str] = ()) -> None:
        self._store = store
        self._admins = frozenset(admins)

    async def roles_of(self, actor: Actor) -> frozenset[Role]:
        """Return the actor's roles; `BOT_ADMINS` are admins, and admins are operators too."""
        async with self._store.transaction() as uow:
            roles = set(await uow.roles.roles_of(workspace_id=actor.team_id, user_id=actor.user_id))
        if actor.user_id in self._admins:
            roles.add(Role.ADMIN)
        if Role.ADMIN in roles:
            roles.add(Role.OPERATOR)
        return frozenset(roles)

    async def admins(self, actor: Actor) -> list[str]:
        """Return who can grant roles in the actor's workspace (to name them in a refusal)."""
        async with self._store.transaction() as uow:
            bindings = await uow.roles.bindings(workspace_id=actor.team_id)
        granted = {b.user_id for b in bindings if b.role is Role.ADMIN}
        return sorted(granted | self._admins)

    async def check(
        self,
        actor: Actor,
        permission: Permission,
        *,
        job: Job | None = None,
        pool_id: str | None = None,
    ) -> Decision:
        """Decide whether the actor may do this, here, to this job or pool."""
        async with self._store.transaction() as uow:
            pool = pool_id or (job.pool_id if job else None)
            if pool and not await _channel_allows(uow, actor, pool):
                return Decision(False, "refused.channel_pool", pool_id=pool)
            aihc_user = await _aihc_user(uow, actor) if job is not None else None
        roles = await self.roles_of(actor)
        needed = NEEDED_ROLE[permission]
        if needed in roles:
            return Decision.allow()
        if permission in _OWNER_OR_OPERATOR and job is not None and owns(actor, job, aihc_user):
            return Decision.allow()
        reason = "refused.owner_or_role" if permission in _OWNER_OR_OPERATOR else "refused.role"
        return Decision(False, reason, needed=needed)


async def _channel_allows(uow: UnitOfWork, actor: Actor, pool_id: str) -> bool:
    settings = await uow.channels.get(workspace_id=actor.team_id, channel_id=actor.channel_id)
    allowed = list(settings.allowed_pool_ids or []) if settings else []
    return not allowed or pool_id in allowed


async def _aihc_user(uow: UnitOfWork, actor: Actor) -> str | None:
    link = await uow.user_links.get(workspace_id=actor.team_id, slack_user_id=actor.user_id)
    return link.aihc_user_name if link else None


def owns(actor: Actor, job: Job, aihc_user: str | None) -> bool:
    """Say whether the actor owns the job: created it from Slack, or is its linked AIHC user."""
    created_here = (
        bool(actor.user_id)
        and job.labels.get(SLACK_USER_LABEL) == actor.user_id
        and job.labels.get(SLACK_TEAM_LABEL) == actor.team_id
    )
    # A Slack label from another workspace proves nothing, but a linked AIHC user still may.
    return created_here or (
        aihc_user is not None and bool(job.creator) and job.creator == aihc_user
    )
