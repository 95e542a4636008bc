"""Training jobs over AIHC API v2's actions: create, list, get, delete, priority, stop.

Requests as Baidu's Python SDK 0.9.79 sends them (baidubce/services/aihc/modules/job/
job_client.py, cited per action); answers read as `bot.aihc.v2.answers` says. What does not
depend on the wire (creating at most once, a delete or stop whose retry met the job gone or
ended, paging, merging a managed pool's queues) is the v1 client's (`bot.aihc.jobs`).
"""

from __future__ import annotations

from typing import ClassVar

from bot.aihc import convert_jobs, wire
from bot.aihc.jobs import job_page
from bot.aihc.operations import _require, clamp_page_size
from bot.aihc.retry import Safety
from bot.aihc.transport import Answer
from bot.aihc.v2.answers import create_body, fields, job_list_fields
from bot.aihc.v2.one_job import OneJobActions
from bot.domain import MANAGED_POOLS, Job, JobRef, JobSpec, JobStatus, Page, Priority


class JobActions(OneJobActions):
    """CreateJob, DescribeJobs, DescribeJob, DeleteJob, ModifyJob, StopJob."""

    filters_job_status: ClassVar[bool] = True

    async def list_jobs(
        self,
        pool_id: str,
        *,
        queue: str | None = None,
        order_by: str | None = None,
        order: str | None = None,
        page_no: int = 1,
        page_size: int = 100,
        status: JobStatus | None = None,
    ) -> Page[Job]:
        """Fetch one page of a pool's jobs, optionally of one queue and of one status."""
        if pool_id in MANAGED_POOLS:
            # Python: a managed pool's list names its queue (job_client.py:44).
            self._queue_of(pool_id, queue or "")
        # Filters, order and paging in the body, the pool alone in the query (:60-89).
        body = {
            "queue": queue,
            "status": status.value if status is not None else None,
            "orderBy": order_by,
            "order": order,
            "pageNumber": page_no,
            "pageSize": clamp_page_size(page_size),
        }
        reply = await self._job_action("job.list", "DescribeJobs", pool_id, None, body)
        return await job_page(job_list_fields(reply), pool_id, page_no, page_size)

    async def get_job(self, pool_id: str, job_id: str, *, queue: str = "") -> Job:
        """Fetch a job with its pods (DescribeJob, job_client.py:116-127)."""
        # Python's `needDetail` is left out, as Python leaves it by default (:125-126).
        reply = await self._on_job("job.get", "DescribeJob", pool_id, job_id, queue)
        payload = wire.JobPayload.model_validate(fields(reply))
        _require(payload.job_id, "a job id")
        return convert_jobs.job_from_wire(payload, pool_id=pool_id)

    async def set_job_priority(
        self, pool_id: str, job_id: str, priority: Priority, *, queue: str = ""
    ) -> JobRef:
        """Change a job's scheduling priority (ModifyJob, job_client.py:177-187)."""
        extra = {"priority": priority.value}
        reply = await self._on_job(
            "job.priority", "ModifyJob", pool_id, job_id, queue, extra, safety=Safety.IDEMPOTENT
        )
        return self._job_ref(reply, fallback_id=job_id)

    async def _create(self, pool_id: str, spec: JobSpec, client_token: str) -> Answer:
        """Send one CreateJob (job_client.py:515-549); the request key rides in a label alone.

        Python sends no `clientToken` on v2 either; at most once rests on the label
        (`bot.aihc.once`), so none is sent.
        """
        queue = self._queue_of(pool_id, spec.queue or "")
        body = create_body(spec)
        return await self._job_action(
            "job.create", "CreateJob", pool_id, queue, body, safety=Safety.UNSAFE
        )

    async def _delete(self, pool_id: str, job_id: str, queue: str) -> Answer:
        """Send one DeleteJob (job_client.py:147-156)."""
        return await self._on_job(
            "job.delete", "DeleteJob", pool_id, job_id, queue, safety=Safety.IDEMPOTENT
        )

    async def _stop(self, pool_id: str, job_id: str, queue: str) -> Answer:
        """Send one StopJob (job_client.py:368-382)."""
        return await self._on_job(
            "job.stop", "StopJob", pool_id, job_id, queue, safety=Safety.IDEMPOTENT
        )
