"""Training job operations: create, list, get, delete, priority, stop (API 9-14)."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator, Awaitable
from concurrent.futures import ThreadPoolExecutor

from bot.aihc import convert_jobs, once, wire
from bot.aihc.errors import AihcError, AihcNotFound, AihcUnavailable
from bot.aihc.operations import (
    API,
    OperationsBase,
    _page,
    _require,
    clamp_page_size,
    queue_param,
)
from bot.aihc.paging import MAX_ITEMS, FetchPage, collect, iter_pages
from bot.aihc.retry import Safety
from bot.aihc.transport import Answer, build_path, result_of
from bot.domain import (
    Job,
    JobRef,
    JobSpec,
    JobStatus,
    Page,
    Priority,
)

_PAGE_PARSER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="aihc-job-pages")
"""One thread for every page: the interpreter lock lets one thread run at a time anyway, and
with several parsing (pools are swept together) the event loop, one more thread waiting for the
lock, lost it to them for 100 ms and more at a time; alone, it gets it back every 5 ms."""


class JobOperations(OperationsBase):
    """Jobs, their pods, events, logs, metrics, nodes and terminals."""

    async def create_job(self, pool_id: str, spec: JobSpec, *, client_token: str) -> JobRef:
        """Create a job at most once per `client_token`, found by its label if an answer is lost.

        A create that may have made the job unheard (no answer, a 5xx) is followed by a look for
        the job labelled with the token and tried again only if none is there; a refusal is not
        tried again; a name taken by our own labelled job names that job (see `bot.aihc.once`).
        """
        once.check_token(client_token)
        labelled = once.labelled(spec, client_token)

        async def send() -> JobRef:
            reply = await self._create(pool_id, labelled, client_token)
            return self._job_ref(reply, fallback_name=spec.name)

        async def find(error: AihcError) -> JobRef | None:
            return await self._find_created(pool_id, spec.queue, client_token, error)

        return await once.create(send, find, self._transport.pause)

    async def _create(self, pool_id: str, spec: JobSpec, client_token: str) -> Answer:
        """Send one create request of `spec` (already labelled with `client_token`)."""
        # `clientToken` still goes along: harmless, and honoured should the service honour it.
        params = [
            ("resourcePoolId", pool_id),
            ("clientToken", client_token),
            *queue_param(pool_id, spec.queue),
        ]
        body = convert_jobs.job_body(spec)
        path = build_path(*API, "aijobs")
        return await self._transport.send(
            "job.create", "POST", path, params=params, body=body, safety=Safety.UNSAFE
        )

    async def _find_created(
        self, pool_id: str, queue: str | None, token: str, error: AihcError
    ) -> JobRef | None:
        """Look for the job a create labelled `token` made; raise `error` if the look fails."""
        pages = self.job_pages(pool_id, max_pages=once.LOOKUP_PAGES, queue=queue)
        try:
            job = await once.find_labelled(pages, token)
        except AihcError as failed:
            # Not knowing whether the job exists, trying again could make a second one.
            raise error from failed
        return None if job is None else once.recovered_ref(job, error)

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
        """Fetch one page of a pool's jobs, optionally of one queue (and one status, where the
        API can filter by it: `filters_job_status`)."""
        if status is not None:
            raise AihcUnavailable("a job list of one status", self.api_version)
        params = [
            ("resourcePoolId", pool_id),
            ("queue", queue),
            # Go sends the queue as `queueID` too (`resource/client.go:477-478`) and refuses a
            # managed pool's list without it (:466-468).
            *queue_param(pool_id, queue),
            ("orderBy", order_by),
            ("order", order),
            ("pageNo", page_no),
            ("pageSize", clamp_page_size(page_size)),
        ]
        reply = await self._get("job.list", ("aijobs",), params)
        return await job_page(result_of(reply), pool_id, page_no, page_size)

    async def get_job(self, pool_id: str, job_id: str, *, queue: str = "") -> Job:
        """Fetch a job with its pods (in a managed pool, `queue` must be the job's)."""
        params = [("resourcePoolId", pool_id), *queue_param(pool_id, queue)]
        reply = await self._get("job.get", ("aijobs", job_id), params)
        payload = wire.JobPayload.model_validate(result_of(reply))
        _require(payload.job_id, "a job id")
        return convert_jobs.job_from_wire(payload, pool_id=pool_id)

    async def delete_job(self, pool_id: str, job_id: str, *, queue: str = "") -> JobRef:
        """Delete a job; a job already gone after a retried attempt counts as deleted."""
        try:
            reply = await self._delete(pool_id, job_id, queue)
        except AihcNotFound as error:
            if error.attempts > 1:
                return JobRef(job_id=job_id, request_id=error.request_id)
            raise
        return self._job_ref(reply, fallback_id=job_id)

    async def _delete(self, pool_id: str, job_id: str, queue: str) -> Answer:
        """Send one delete request (retried by the transport: deleting is idempotent)."""
        return await self._job_write("job.delete", "DELETE", pool_id, job_id, queue=queue)

    async def set_job_priority(
        self, pool_id: str, job_id: str, priority: Priority, *, queue: str = ""
    ) -> JobRef:
        """Change a job's scheduling priority."""
        body = {"priority": priority.value}
        reply = await self._job_write(
            "job.priority", "PUT", pool_id, job_id, body=body, queue=queue
        )
        return self._job_ref(reply, fallback_id=job_id)

    async def stop_job(self, pool_id: str, job_id: str, *, queue: str = "") -> JobRef:
        """Stop a job; a refusal after a retried attempt is success if the job has ended."""
        try:
            reply = await self._stop(pool_id, job_id, queue)
        except AihcError as error:
            if (
                error.attempts > 1
                and (await self.get_job(pool_id, job_id, queue=queue)).status.is_terminal
            ):
                return JobRef(job_id=job_id, request_id=error.request_id)
            raise
        return self._job_ref(reply, fallback_id=job_id)

    async def _stop(self, pool_id: str, job_id: str, queue: str) -> Answer:
        """Send one stop request (retried by the transport: stopping is idempotent)."""
        return await self._job_write(
            "job.stop", "POST", pool_id, job_id, suffix=("stop",), queue=queue
        )

    async def all_jobs(
        self, pool_id: str, *, queue: str | None = None, limit: int = MAX_ITEMS
    ) -> list[Job]:
        """Fetch every job of a pool (or of one queue), newest first; raise past `limit`."""
        return await collect(self._newest_first(pool_id, queue), limit=limit)

    def job_pages(
        self, pool_id: str, *, max_pages: int, queue: str | None = None, page_size: int = 100
    ) -> AsyncIterator[Page[Job]]:
        """Walk a pool's job list newest first, page by page, at most `max_pages` of them."""
        return iter_pages(
            self._newest_first(pool_id, queue), page_size=page_size, max_pages=max_pages
        )

    def _newest_first(self, pool_id: str, queue: str | None) -> FetchPage[Job]:
        def fetch(no: int, size: int) -> Awaitable[Page[Job]]:
            return self.list_jobs(
                pool_id, queue=queue, order_by="createdAt", order="desc", page_no=no, page_size=size
            )

        return fetch


async def job_page(result: object, pool_id: str, page_no: int, page_size: int) -> Page[Job]:
    """Validate and convert one page of a job list's fields, in the page-parsing thread."""
    # A full page costs about 30 ms of CPU to validate and convert (0.28 ms a job), and a
    # sweep reads hundreds of pages. In a thread the event loop takes the interpreter back
    # every switch interval (5 ms), so database round trips and Slack posts in flight are
    # not held behind whole pages; on the loop, each waited a page per round trip, which
    # slowed PostgreSQL's delivery (several round trips a statement) far more than SQLite's.
    page = functools.partial(_job_page, result, pool_id, page_no, page_size)
    return await asyncio.get_running_loop().run_in_executor(_PAGE_PARSER, page)


def _job_page(result: object, pool_id: str, page_no: int, page_size: int) -> Page[Job]:
    """Validate and convert one page of a job list (run in a thread: it is CPU-heavy)."""
    payload = wire.JobListPayload.model_validate(result)
    items = tuple(convert_jobs.job_from_wire(j, pool_id=pool_id) for j in payload.jobs if j.job_id)
    return _page(items, payload.total, page_no, page_size, len(payload.jobs))
