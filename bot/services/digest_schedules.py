"""Schedule a channel's digest, stop it, post one now, and queue a digest for delivery.

Changing a channel's digest takes an operator, like subscribing it to a queue or a pool; every
change and every refusal is audited. A digest travels as an outbox row (kind `digest`, the
payload `bot.watch.payloads.DigestPayload` reads) whose dedup key names the channel and the end
of the period, so one period's digest is queued once however many replicas try.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time

from bot.domain import AuditResult
from bot.domain.digest import Digest, DigestPeriod
from bot.services.actor import Actor
from bot.services.digest_times import Schedule, parse_time
from bot.services.digests import DigestService
from bot.services.permissions import Permission, PermissionService
from bot.services.subscriptions import SubscriptionRefused
from bot.store import Store, UnitOfWork
from bot.store.tables import DigestScheduleRow

DIGEST_KIND = "digest"
"""The outbox kind of a digest (`bot.watch.kinds.NoticeKind.DIGEST`)."""
DEFAULT_TIME = time(9, 0)


@dataclass(frozen=True)
class ChannelDigest:
    """A channel's digest schedule as people read it: period, local time, zone, next run."""

    schedule: Schedule
    next_due: datetime


def schedule_of(row: DigestScheduleRow) -> Schedule:
    """Return the schedule a stored row describes."""
    return Schedule(row.period, parse_time(row.local_time), row.zone)


def dedup_key(channel_id: str, end: datetime) -> str:
    """Return the key that makes one channel's digest of one period go out once."""
    return f"digest:{channel_id}:{end.isoformat()}"


async def queue_digest(
    uow: UnitOfWork, *, workspace_id: str, channel_id: str, digest: Digest, zone: str, now: datetime
) -> bool:
    """Queue a digest for the channel; False if this period's digest was queued already."""
    return await uow.outbox.enqueue(
        dedup_key=dedup_key(channel_id, digest.end),
        workspace_id=workspace_id,
        channel_id=channel_id,
        kind=DIGEST_KIND,
        payload={"digest": digest.model_dump(mode="json"), "zone": zone},
        now=now,
    )


class DigestScheduleService:
    """The use cases behind `digest daily|weekly`, `digest off` and `digest now`."""

    def __init__(
        self,
        *,
        store: Store,
        permissions: PermissionService,
        digests: DigestService,
        clock: Callable[[], datetime],
    ) -> None:
        self._store = store
        self._permissions = permissions
        self._digests = digests
        self._clock = clock

    async def _allow(self, actor: Actor, action: str) -> None:
        # A digest speaks to the whole channel, as a queue or pool subscription does.
        decision = await self._permissions.check(actor, Permission.SUBSCRIBE_TARGET)
        if not decision.allowed:
            await self._audit(actor, action, AuditResult.REFUSED, decision.reason)
            raise SubscriptionRefused(decision)

    async def _audit(
        self, actor: Actor, action: str, result: AuditResult, detail: str = ""
    ) -> None:
        async with self._store.transaction() as uow:
            await _record(uow, actor, action, result, self._clock(), detail)

    async def schedule(self, actor: Actor, schedule: Schedule) -> ChannelDigest:
        """Schedule the channel's digest (replacing its schedule); return when it is due."""
        action = f"digest.{schedule.period.value}"
        await self._allow(actor, action)
        now = self._clock()
        due = schedule.next_due(now)
        async with self._store.transaction() as uow:
            await uow.digest_schedules.put(
                workspace_id=actor.team_id,
                channel_id=actor.channel_id,
                period=schedule.period,
                local_time=schedule.at.strftime("%H:%M"),
                zone=schedule.zone,
                next_due_at=due,
                created_by=actor.user_id,
                now=now,
            )
            detail = f"{schedule.at:%H:%M} {schedule.zone}"
            await _record(uow, actor, action, AuditResult.OK, now, detail)
        return ChannelDigest(schedule, due)

    async def stop(self, actor: Actor) -> bool:
        """Stop the channel's digest; False if it had none."""
        await self._allow(actor, "digest.off")
        async with self._store.transaction() as uow:
            removed = await uow.digest_schedules.remove(
                workspace_id=actor.team_id, channel_id=actor.channel_id
            )
            if removed:
                await _record(uow, actor, "digest.off", AuditResult.OK, self._clock())
        return removed

    async def of_channel(self, actor: Actor) -> ChannelDigest | None:
        """Return the channel's digest schedule, if it has one."""
        async with self._store.transaction() as uow:
            row = await uow.digest_schedules.get(
                workspace_id=actor.team_id, channel_id=actor.channel_id
            )
        return None if row is None else ChannelDigest(schedule_of(row), row.next_due_at)

    async def post_now(self, actor: Actor, *, period: DigestPeriod | None, zone: str) -> Digest:
        """Queue the channel's digest up to now (its schedule's period and zone, if it has one)."""
        await self._allow(actor, "digest.now")
        scheduled = await self.of_channel(actor)
        if scheduled is not None:
            period = period or scheduled.schedule.period
            zone = scheduled.schedule.zone
        # To the minute: a second `digest now` within it is the same digest, posted once.
        end = self._clock().replace(second=0, microsecond=0)
        digest = await self._digests.digest(
            workspace_id=actor.team_id,
            channel_id=actor.channel_id,
            period=period or DigestPeriod.DAILY,
            end=end,
        )
        now = self._clock()
        async with self._store.transaction() as uow:
            await queue_digest(
                uow,
                workspace_id=actor.team_id,
                channel_id=actor.channel_id,
                digest=digest,
                zone=zone,
                now=now,
            )
            await _record(uow, actor, "digest.now", AuditResult.OK, now, digest.period.value)
        return digest


async def _record(
    uow: UnitOfWork, actor: Actor, action: str, result: AuditResult, at: datetime, detail: str = ""
) -> None:
    await uow.audit.record(
        at=at,
        workspace_id=actor.team_id,
        channel_id=actor.channel_id,
        actor_id=actor.user_id,
        action=action,
        target=f"channel:{actor.channel_id}",
        result=result,
        detail=detail or None,
    )
