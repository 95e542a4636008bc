"""The shared plumbing of the operation groups: paths, pages, GET and job writes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar, TypeVar

from bot.aihc import convert_jobs, wire
from bot.aihc.errors import AihcError, AihcResponseError
from bot.aihc.retry import Safety
from bot.aihc.transport import AihcTransport, Answer, build_path, result_of
from bot.domain import (
    MANAGED_POOLS,
    ApiVersion,
    Event,
    JobFramework,
    JobRef,
    Page,
)

T = TypeVar("T")
API = ("api", "v1")


def _unix(moment: datetime | None) -> int | None:
    return int(moment.timestamp()) if moment is not None else None


def _require(value: str, what: str) -> str:
    if not value:
        raise AihcResponseError(f"AIHC answered without {what}")
    return value


def queue_param(pool_id: str, queue: str | None) -> list[tuple[str, str | int | None]]:
    """Return the `queueID` parameter a job call in this pool needs: none outside managed pools."""
    if pool_id not in MANAGED_POOLS:
        return []
    if not queue:
        raise AihcError(f"a job in pool {pool_id} is reached through its queue, which is not known")
    return [("queueID", queue)]


MAX_PAGE_SIZE = 100
"""AIHC serves at most 100 entries a page, whatever is asked."""


def clamp_page_size(size: int) -> int:
    """Ask for no more than a page can hold, so a full page is never mistaken for the last."""
    return max(1, min(size, MAX_PAGE_SIZE))


def _page(items: tuple[T, ...], total: int | None, page_no: int, size: int, got: int) -> Page[T]:
    return Page(
        items=items, total=total, page_no=page_no, page_size=clamp_page_size(size), received=got
    )


class OperationsBase:
    """What every operation group needs: the transport and a few request shapes."""

    _transport: AihcTransport
    api_version: ClassVar[ApiVersion] = ApiVersion.V1
    filters_job_status: ClassVar[bool] = False
    """Whether `list_jobs` can ask AIHC for jobs of one status (v1 lists every status)."""

    def needs_queue(self, pool_id: str) -> bool:
        """Say whether a call about one job of this pool must name the job's queue."""
        return pool_id in MANAGED_POOLS

    async def _get(
        self,
        operation: str,
        segments: tuple[str, ...],
        params: Sequence[tuple[str, str | int | None]] = (),
        *,
        max_bytes: int | None = None,
    ) -> Answer:
        return await self._transport.send(
            operation, "GET", build_path(*API, *segments), params=params, max_bytes=max_bytes
        )

    async def _job_write(
        self,
        operation: str,
        method: str,
        pool_id: str,
        job_id: str,
        *,
        suffix: tuple[str, ...] = (),
        body: Any = None,
        queue: str = "",
    ) -> Answer:
        return await self._transport.send(
            operation,
            method,
            build_path(*API, "aijobs", job_id, *suffix),
            params=[("resourcePoolId", pool_id), *queue_param(pool_id, queue)],
            body=body,
            safety=Safety.IDEMPOTENT,
        )

    @staticmethod
    def _event_params(
        pool_id: str,
        job_id: str,
        framework: JobFramework | None,
        start: datetime | None,
        end: datetime | None,
    ) -> list[tuple[str, str | int | None]]:
        # v1 requires jobFramework for events. The caller passes what the job's detail said;
        # else the id may name it (`mpijob-…`); else PyTorchJob is sent, the only framework v1
        # creates (its default, document §create job), so the job most likely is one.
        known = framework or JobFramework.for_job_id(job_id) or JobFramework.PYTORCH
        return [
            ("resourcePoolId", pool_id),
            ("jobFramework", known.value),
            ("startTime", _unix(start)),
            ("endTime", _unix(end)),
        ]

    @staticmethod
    def _events(reply: Answer) -> list[Event]:
        # Documented bare; tolerate a `result` wrapper too, should the service add one.
        result = reply.body.get("result")
        source = result if isinstance(result, dict) and "events" in result else reply.body
        payload = wire.EventListPayload.model_validate(source)
        return [convert_jobs.event_from_wire(e) for e in payload.events]

    @staticmethod
    def _fields(reply: Answer) -> Any:
        """Return an answer's fields: v1 wraps them in `result` (v2 overrides this)."""
        return result_of(reply)

    def _job_ref(self, reply: Answer, *, fallback_id: str = "", fallback_name: str = "") -> JobRef:
        payload = wire.JobRefPayload.model_validate(self._fields(reply))
        job_id = _require(payload.job_id or fallback_id, "a job id")
        return JobRef(
            job_id=job_id, job_name=payload.job_name or fallback_name, request_id=reply.request_id
        )
