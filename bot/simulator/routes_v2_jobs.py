"""AIHC API v2 job actions: `POST /?action=<Name>&resourcePoolId=..&queueID=..`, JSON bodies.

The request shapes are Baidu's Python SDK 0.9.79 (baidubce/services/aihc/modules/job/
job_client.py, cited per action); bce-sdk-go has no v2 job client. The answers reuse the v1 job
shapes without the `result` wrapper: no SDK types them (the Python SDK reads `Expando` objects),
so their field names beyond `jobId`, `jobs` and `totalCount` are unverified.

World mapping: v1 and v2 see one set of jobs. Jobs created through v1 (or by a scenario) keep
their `pytorchjob-<uuid>` ids and are found by them on v2 too; jobs created through v2 are named
`job-<12 letters and digits>` (`ids.v2_job_id`) and are found by those ids on v1 too.
"""

from __future__ import annotations

from aiohttp import web

from bot.domain import MANAGED_POOLS, JobStatus, Priority
from bot.simulator.create import job_from_request
from bot.simulator.errors import (
    ApiError,
    inappropriate,
    invalid,
    queue_not_found,
)
from bot.simulator.lifecycle import finished_at, force, reprioritise, status_at
from bot.simulator.model import Job
from bot.simulator.params import MAX_PAGE_SIZE, json_body
from bot.simulator.params_v2 import Body, integer, job_in_action, queue_in_query, text
from bot.simulator.routes_pools import SIM
from bot.simulator.routes_v2 import Handler, answer
from bot.simulator.routes_v2 import pool_in_query as pool_of
from bot.simulator.routes_v2_details import DETAIL_ACTIONS
from bot.simulator.wire import job_body, job_detail_body

_MAX_LIST = 1 << 30


async def describe_jobs(request: web.Request) -> web.Response:
    """DescribeJobs: filters, order and paging in the body (job_client.py:60-89)."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request)
    body = await json_body(request)
    queue = text(body, "queue")
    if pool.id in MANAGED_POOLS and not queue:
        raise invalid("bhcmp cluster or serverless cluster must be set queue")
    order_by = text(body, "orderBy") or "createdAt"
    if order_by not in ("createdAt", "finishedAt"):
        raise invalid("orderBy must be createdAt or finishedAt")
    order = (text(body, "order") or "desc").lower()
    if order not in ("asc", "desc"):
        raise invalid("order must be asc or desc")
    page_no = integer(body, "pageNumber", 1, minimum=1) or 1
    size = min(integer(body, "pageSize", 10, minimum=1) or 10, MAX_PAGE_SIZE)
    filtered = bool(text(body, "status") or text(body, "keyword"))
    # Without filters one page is cut from the index; with them every job is read, then cut.
    offset, limit = (0, _MAX_LIST) if filtered else ((page_no - 1) * size, size)
    total, chosen = sim.world.jobs_page(
        pool.id,
        queue or None,
        by_finished=order_by == "finishedAt",
        descending=order == "desc",
        offset=offset,
        limit=limit,
        now=now,
    )
    if filtered:
        kept = _filtered(chosen, body, now)
        total, chosen = len(kept), kept[(page_no - 1) * size : page_no * size]
    return answer(
        request,
        {
            "totalCount": total,
            "pageNumber": page_no,
            "pageSize": size,
            "orderBy": order_by,
            "order": order,
            "jobs": [job_body(j, now, live=sim.config.live) for j in chosen],
        },
    )


def _filtered(jobs: list[Job], body: Body, now: float) -> list[Job]:
    status = text(body, "status").lower()
    keyword = text(body, "keyword")
    keyword_type = text(body, "keywordType") or "name"
    if keyword_type not in ("name", "queueName"):
        raise invalid("keywordType must be name or queueName")
    if status:
        jobs = [j for j in jobs if status_at(j, now).value.lower() == status]
    if keyword:
        jobs = [j for j in jobs if keyword in (j.name if keyword_type == "name" else j.queue)]
    return jobs


async def describe_job(request: web.Request) -> web.Response:
    """DescribeJob: `jobId` (and `needDetail`) in the body (job_client.py:116-127)."""
    now, job, _ = await job_in_action(request)
    return answer(request, job_detail_body(job, now, live=request.app[SIM].config.live))


async def create_job(request: web.Request) -> web.Response:
    """CreateJob: `command` at the top level, `jobType` the framework (job_client.py:515-549)."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request)
    queue = queue_in_query(request, pool)
    body = await json_body(request)
    if queue not in sim.world.queues[pool.id]:
        raise queue_not_found(queue)
    spec = body.get("jobSpec")
    if not isinstance(spec, dict):
        raise inappropriate("jobSpec is required")
    name = body.get("name")
    if isinstance(name, str) and sim.world.job_named(pool.id, name) is not None:
        raise ApiError(409, "cce.warning.JobAlreadyExists", f"job {name} already exists")
    v1_body: Body = {
        **body,
        "queue": queue,
        "jobFramework": body.get("jobType") or "PyTorchJob",
        "jobSpec": {**spec, "command": text(body, "command")},
    }
    job = job_from_request(sim.world, pool, v1_body, now, v2_id=True)
    sim.world.add_job(job)
    return answer(request, {"jobId": job.id, "jobName": job.name})


async def delete_job(request: web.Request) -> web.Response:
    """DeleteJob: the job is gone at once (job_client.py:147-156)."""
    _, job, _ = await job_in_action(request)
    request.app[SIM].world.remove_job(job)
    return answer(request, {"jobId": job.id, "jobName": job.name})


async def modify_job(request: web.Request) -> web.Response:
    """ModifyJob: only `priority` changes (job_client.py:177-187)."""
    now, job, body = await job_in_action(request)
    priority = Priority.parse(text(body, "priority"))
    if priority is None:
        raise inappropriate("priority must be high, normal or low")
    reprioritise(job, priority.value, now)
    return answer(request, {"jobId": job.id})


async def stop_job(request: web.Request) -> web.Response:
    """StopJob: an active job ends as ManualTermination (job_client.py:368-382)."""
    now, job, _ = await job_in_action(request)
    if finished_at(job, now) is not None:
        status = status_at(job, now).value
        message = f"job {job.id} is already {status} and cannot be stopped"
        raise ApiError(400, "cce.warning.StopAIJobFailed", message)
    force(job, JobStatus.MANUAL_TERMINATION, now)
    return answer(request, {"jobId": job.id})


JOB_ACTIONS: dict[str, Handler] = {
    "DescribeJobs": describe_jobs,
    "DescribeJob": describe_job,
    "CreateJob": create_job,
    "DeleteJob": delete_job,
    "ModifyJob": modify_job,
    "StopJob": stop_job,
    **DETAIL_ACTIONS,
}
