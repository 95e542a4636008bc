"""Use cases that change AIHC: stop, delete and re-prioritise jobs, create them, open terminals,
and change queues. Each checks permission, acts once, and leaves an audit entry."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TypeVar

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcError, AihcNotFound, AihcUnavailable
from bot.domain import Job, JobRef, JobSpec, Pool, Priority, QueueRef, QueueSpec
from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL, Actor
from bot.services.admin import Auditor
from bot.services.errors import Unavailable, require_offered
from bot.services.permissions import Permission, PermissionService
from bot.services.reads import pod_of
from bot.store import AuditResult

T = TypeVar("T")


@dataclass(frozen=True)
class ActionResult:
    """What an action did: whether it changed anything, the job afterwards, AIHC's request id."""

    changed: bool
    job: Job | None = None
    request_id: str = ""
    by: str = ""
    """When nothing changed because someone just did the same: who."""


def client_token(*parts: str) -> str:
    """Derive a create's request key (its `clientToken` and label) from one Slack request."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()
    return f"slack-{digest[:48]}"


class ActionService:
    """Act on jobs and queues for a Slack user."""

    def __init__(
        self, *, aihc: AihcClient, permissions: PermissionService, auditor: Auditor
    ) -> None:
        self._aihc = aihc
        self._permissions = permissions
        self._auditor = auditor
        self._locks: dict[str, asyncio.Lock] = {}

    @asynccontextmanager
    async def _one_at_a_time(self, key: str) -> AsyncIterator[None]:
        # Two clicks on one card arrive as two requests; in one process they queue up here.
        lock = self._locks.setdefault(key, asyncio.Lock())
        try:
            async with lock:
                yield
        finally:
            if not lock.locked() and self._locks.get(key) is lock:
                del self._locks[key]

    async def allow(
        self,
        actor: Actor,
        permission: Permission,
        target: str,
        *,
        job: Job | None = None,
        pool_id: str | None = None,
        action: str | None = None,
    ) -> None:
        """Raise Refused (and audit the refusal) unless the actor may do this."""
        decision = await self._permissions.check(actor, permission, job=job, pool_id=pool_id)
        if not decision.allowed:
            raise await self._auditor.refuse(
                self._permissions, actor, decision, target, action or permission.value
            )

    async def _audited(
        self,
        actor: Actor,
        action: str,
        target: str,
        call: Callable[[], Awaitable[T]],
        *,
        detail: str | None = None,
    ) -> T:
        try:
            result = await call()
        except AihcUnavailable as error:
            # Nothing was sent: no attempt to audit, only an answer to give.
            raise Unavailable(error.operation, error.version) from None
        except AihcError as error:
            await self._auditor.record(
                actor,
                action,
                target,
                AuditResult.FAILED,
                detail=type(error).__name__,
                request_id=error.request_id,
            )
            raise
        request_id = getattr(result, "request_id", "") or ""
        await self._auditor.record(
            actor, action, target, AuditResult.OK, detail=detail, request_id=request_id
        )
        return result

    async def stop(self, actor: Actor, pool: Pool, job: Job) -> ActionResult:
        """Stop a job once, however many times the button is clicked."""
        target = f"{pool.id}/{job.id}"
        await self.allow(actor, Permission.STOP_JOB, target, job=job)
        async with self._one_at_a_time(f"stop:{target}"):
            current = await self._aihc.get_job(pool.id, job.id, queue=job.queue)
            recent = await self._auditor.done_recently(actor, "job.stop", target)
            if current.status.is_terminal or recent is not None:
                return ActionResult(False, current, by=recent.actor_id if recent else "")
            ref = await self._audited(
                actor,
                "job.stop",
                target,
                lambda: self._aihc.stop_job(pool.id, job.id, queue=job.queue),
            )
            after = await self._aihc.get_job(pool.id, job.id, queue=job.queue)
        return ActionResult(True, after, ref.request_id)

    async def delete(self, actor: Actor, pool: Pool, job: Job) -> ActionResult:
        """Delete a job (admins); a job already gone counts as deleted."""
        target = f"{pool.id}/{job.id}"
        await self.allow(actor, Permission.DELETE_JOB, target, job=job)
        async with self._one_at_a_time(f"delete:{target}"):
            recent = await self._auditor.done_recently(actor, "job.delete", target)
            if recent is not None:
                return ActionResult(False, None, by=recent.actor_id)
            try:
                ref = await self._audited(
                    actor,
                    "job.delete",
                    target,
                    lambda: self._aihc.delete_job(pool.id, job.id, queue=job.queue),
                )
            except AihcNotFound:
                return ActionResult(False, None)
        return ActionResult(True, None, ref.request_id)

    async def set_priority(
        self, actor: Actor, pool: Pool, job: Job, priority: Priority
    ) -> ActionResult:
        """Change a job's priority; asking for the priority it has changes nothing."""
        target = f"{pool.id}/{job.id}"
        await self.allow(actor, Permission.PRIORITISE_JOB, target, job=job)
        async with self._one_at_a_time(f"priority:{target}"):
            current = await self._aihc.get_job(pool.id, job.id, queue=job.queue)
            if current.priority is priority or current.status.is_terminal:
                return ActionResult(False, current)
            ref = await self._audited(
                actor,
                "job.priority",
                target,
                lambda: self._aihc.set_job_priority(pool.id, job.id, priority, queue=job.queue),
                detail=priority.value,
            )
            after = await self._aihc.get_job(pool.id, job.id, queue=job.queue)
        return ActionResult(True, after, ref.request_id)

    async def terminal(self, actor: Actor, pool: Pool, job: Job, pod: str | None) -> str:
        """Return a web terminal URL into a pod (a credential: never audited or logged whole)."""
        target = f"{pool.id}/{job.id}"
        await self.allow(actor, Permission.OPEN_TERMINAL, target, job=job)
        name = pod_of(job, pod).name
        try:
            terminal = await self._aihc.web_terminal(pool.id, job.id, name, queue=job.queue)
        except AihcError as error:
            await self._auditor.record(
                actor,
                "job.terminal",
                target,
                AuditResult.FAILED,
                detail=type(error).__name__,
                request_id=error.request_id,
            )
            raise
        await self._auditor.record(actor, "job.terminal", target, AuditResult.OK, detail=name)
        return terminal.url

    async def create_job(
        self, actor: Actor, pool: Pool, spec: JobSpec, *, request_key: str
    ) -> JobRef:
        """Create a job labelled with its Slack creator; one Slack request creates one job."""
        target = f"{pool.id}/{spec.name}"
        await self.allow(actor, Permission.CREATE_JOB, target, pool_id=pool.id)
        labels = {**spec.labels, SLACK_TEAM_LABEL: actor.team_id, SLACK_USER_LABEL: actor.user_id}
        labelled = spec.model_copy(update={"labels": labels})
        token = client_token(actor.team_id, actor.user_id, request_key)
        async with self._one_at_a_time(f"create:{token}"):
            return await self._audited(
                actor,
                "job.create",
                target,
                lambda: self._aihc.create_job(pool.id, labelled, client_token=token),
            )

    async def create_queue(self, actor: Actor, pool: Pool, spec: QueueSpec) -> QueueRef:
        """Create a queue (admins)."""
        return await self._queue(
            actor, pool, "queue.create", spec.name, self._aihc.create_queue, spec
        )

    async def update_queue(self, actor: Actor, pool: Pool, spec: QueueSpec) -> QueueRef:
        """Change a queue's quotas and settings (admins)."""
        return await self._queue(
            actor, pool, "queue.update", spec.name, self._aihc.update_queue, spec
        )

    async def delete_queue(self, actor: Actor, pool: Pool, name: str) -> QueueRef:
        """Delete a queue (admins)."""
        return await self._queue(actor, pool, "queue.delete", name, self._aihc.delete_queue, name)

    async def _queue(
        self,
        actor: Actor,
        pool: Pool,
        action: str,
        name: str,
        call: Callable[[str, T], Awaitable[QueueRef]],
        arg: T,
    ) -> QueueRef:
        # Asked first: "not in this API" is the answer whoever asks, and nothing is audited.
        require_offered(self._aihc.api_version, action)
        target = f"{pool.id}/{name}"
        await self.allow(actor, Permission.CHANGE_QUEUE, target, pool_id=pool.id, action=action)
        async with self._one_at_a_time(f"{action}:{target}"):
            return await self._audited(actor, action, target, lambda: call(pool.id, arg))
