"""Subscribe channels to jobs, queues and pools; list, remove, mute and unmute them.

Subscribing to a job needs its owner or an operator; to a queue or a pool, an operator
(`PermissionService`). A new job subscription makes the job due at once, so its card appears
on the next poll, from a silent baseline: nothing that happened before is replayed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.domain import AuditResult, Job, Pool, Subscription, TargetKind
from bot.services.actor import Actor
from bot.services.errors import ServiceError
from bot.services.permissions import Decision, Permission, PermissionService
from bot.store import Store, UnitOfWork
from bot.store.records import subscription_of


class SubscriptionRefused(ServiceError):
    """The actor may not change this subscription; `decision` says why."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.reason)
        self.decision = decision


@dataclass(frozen=True)
class Options:
    """What a subscription notifies, and whom it pings on failure."""

    status: bool = True
    events: bool = True
    logs: bool = False
    progress: bool = True
    hang: bool = True
    idle: bool = True
    pending: bool = True
    on: Sequence[str] = ()
    mention: str | None = None


@dataclass(frozen=True)
class Target:
    """What a subscription follows: a job, a queue or a pool, in a pool."""

    kind: TargetKind
    pool_id: str
    ref: str
    label: str = ""
    job: Job | None = field(default=None, compare=False)


def job_target(pool: Pool, job: Job) -> Target:
    """Target one job."""
    return Target(TargetKind.JOB, pool.id, job.id, job.name or job.id, job)


def queue_target(pool: Pool, queue: str) -> Target:
    """Target every job of a queue."""
    return Target(TargetKind.QUEUE, pool.id, queue, queue)


def pool_target(pool: Pool) -> Target:
    """Target every job of a pool."""
    return Target(TargetKind.POOL, pool.id, pool.id, pool.name or pool.id)


class SubscriptionService:
    """The use cases behind `subscribe`, `unsubscribe`, `subscriptions`, `mute` and `unmute`."""

    def __init__(
        self, *, store: Store, permissions: PermissionService, clock: Callable[[], datetime]
    ) -> None:
        self._store = store
        self._permissions = permissions
        self._clock = clock

    async def _allow(self, actor: Actor, target: Target, action: str) -> None:
        if target.kind is TargetKind.JOB:
            decision = await self._permissions.check(
                actor, Permission.SUBSCRIBE_JOB, job=target.job, pool_id=target.pool_id
            )
        else:
            decision = await self._permissions.check(
                actor, Permission.SUBSCRIBE_TARGET, pool_id=target.pool_id
            )
        if not decision.allowed:
            await self._audit(actor, action, target, AuditResult.REFUSED, decision.reason)
            raise SubscriptionRefused(decision)

    async def _audit(
        self, actor: Actor, action: str, target: Target, result: AuditResult, detail: str = ""
    ) -> None:
        async with self._store.transaction() as uow:
            await self._record(uow, actor, action, target, result, detail)

    async def _record(
        self,
        uow: UnitOfWork,
        actor: Actor,
        action: str,
        target: Target,
        result: AuditResult,
        detail: str = "",
    ) -> None:
        await uow.audit.record(
            at=self._clock(),
            workspace_id=actor.team_id,
            channel_id=actor.channel_id,
            actor_id=actor.user_id,
            action=action,
            target=f"{target.kind.value}:{target.pool_id}/{target.ref}",
            result=result,
            detail=detail or None,
        )

    async def subscribe(self, actor: Actor, target: Target, options: Options) -> Subscription:
        """Subscribe the actor's channel (or change its options); a job is polled at once."""
        await self._allow(actor, target, "subscribe")
        now = self._clock()
        async with self._store.transaction() as uow:
            row = await uow.subscriptions.subscribe(
                workspace_id=actor.team_id,
                channel_id=actor.channel_id,
                target_kind=target.kind,
                pool_id=target.pool_id,
                target_ref=target.ref,
                created_by=actor.user_id,
                now=now,
                notify_status=options.status,
                notify_events=options.events,
                notify_logs=options.logs,
                notify_progress=options.progress,
                notify_hang=options.hang,
                notify_idle=options.idle,
                notify_pending=options.pending,
                state_filter=list(options.on),
                mention=options.mention,
            )
            await uow.subscriptions.pause_channel(
                workspace_id=actor.team_id, channel_id=actor.channel_id, reason=None
            )
            if target.job is not None:
                await _watch_now(uow, target.job, follow_logs=options.logs, now=now)
            await self._record(uow, actor, "subscribe", target, AuditResult.OK)
            return subscription_of(row)

    async def unsubscribe(self, actor: Actor, target: Target) -> bool:
        """Remove the channel's subscription to the target; False if there was none."""
        await self._allow(actor, target, "unsubscribe")
        async with self._store.transaction() as uow:
            found = await _find(uow, actor, target)
            if found is None:
                return False
            await uow.subscriptions.unsubscribe(subscription_id=found)
            await self._record(uow, actor, "unsubscribe", target, AuditResult.OK)
        return True

    async def remove(self, actor: Actor, subscription_id: int, job: Job | None) -> bool:
        """Remove one of the channel's subscriptions by id (the table's button)."""
        found = await self.get(actor, subscription_id)
        if found is None:
            return False
        return await self.unsubscribe(actor, target_of(found, job))

    async def get(self, actor: Actor, subscription_id: int) -> Subscription | None:
        """Return one of the channel's subscriptions by id."""
        for subscription in await self.in_channel(actor):
            if subscription.id == subscription_id:
                return subscription
        return None

    async def in_channel(self, actor: Actor) -> list[Subscription]:
        """Return the channel's subscriptions, oldest first."""
        async with self._store.transaction() as uow:
            rows = await uow.subscriptions.in_channel(
                workspace_id=actor.team_id, channel_id=actor.channel_id
            )
            return [subscription_of(row) for row in rows]

    async def mute(self, actor: Actor, target: Target, until: timedelta | None) -> bool:
        """Mute the channel's subscription for a while (None unmutes); False if none exists."""
        action = "mute" if until is not None else "unmute"
        # Muting silences the channel for everyone, so it takes what subscribing takes.
        await self._allow(actor, target, action)
        end = self._clock() + until if until is not None else None
        async with self._store.transaction() as uow:
            found = await _find(uow, actor, target)
            if found is None:
                return False
            await uow.subscriptions.mute(subscription_id=found, until=end)
            await self._record(uow, actor, action, target, AuditResult.OK)
        return True


async def _find(uow: UnitOfWork, actor: Actor, target: Target) -> int | None:
    """Return the id of the channel's subscription to the target, if it has one."""
    row = await uow.subscriptions.find(
        workspace_id=actor.team_id,
        channel_id=actor.channel_id,
        target_kind=target.kind,
        pool_id=target.pool_id,
        target_ref=target.ref,
    )
    return None if row is None else row.id


def target_of(subscription: Subscription, job: Job | None = None) -> Target:
    """Return the target a subscription follows."""
    return Target(
        subscription.target_kind,
        subscription.pool_id,
        subscription.target_ref,
        subscription.target_ref,
        job,
    )


async def _watch_now(uow: UnitOfWork, job: Job, *, follow_logs: bool, now: datetime) -> None:
    """Watch the job, due now; an already watched (even finished) job is looked at again."""
    await uow.watched_jobs.watch_now(
        pool_id=job.pool_id,
        job_id=job.id,
        now=now,
        job_name=job.name[:255],
        queue_name=job.queue[:128],
        follow_logs=follow_logs,
    )
