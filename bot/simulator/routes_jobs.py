"""Job routes: create, list, detail, delete, priority, stop."""

from __future__ import annotations

from aiohttp import web

from bot.domain import MANAGED_POOLS, JobStatus, Priority
from bot.simulator.create import job_from_request
from bot.simulator.errors import (
    ApiError,
    inappropriate,
    invalid,
    job_not_found,
    queue_not_found,
)
from bot.simulator.lifecycle import finished_at, force, reprioritise, status_at
from bot.simulator.model import Job
from bot.simulator.params import choice, descending, json_body, ok, paging, required
from bot.simulator.routes_pools import SIM, pool_of
from bot.simulator.state import Simulator
from bot.simulator.wire import job_body, job_detail_body


def job_of(request: web.Request) -> tuple[Simulator, float, Job]:
    """Return (simulator, now, job) for a job route, or answer 400/404."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request, required(request, "resourcePoolId"))
    job_id = request.match_info["jobId"]
    job = sim.world.jobs.get(job_id)
    if job is None or job.pool_id != pool.id:
        raise job_not_found(job_id)
    return sim, now, job


def job_in_queue(request: web.Request) -> tuple[Simulator, float, Job]:
    """Return what `job_of` does; in a managed pool, also demand the job's `queueID`.

    Baidu's Go SDK refuses job get, delete, update, stop and web terminal in a managed pool
    without `queueID`, with this message (`services/aihc/resource/client.go:175-176`, :201-202,
    :264-265, :291-292, :443-444); the service is assumed to refuse the same way.
    """
    sim, now, job = job_of(request)
    if job.pool_id in MANAGED_POOLS:
        queue = request.query.get("queueID", "")
        if not queue:
            raise invalid("bhcmp cluster or serverless cluster must be set queueID")
        if queue != job.queue:
            raise job_not_found(job.id)
    return sim, now, job


async def create_job(request: web.Request) -> web.Response:
    """POST /api/v1/aijobs; a repeated `clientToken` is replayed only if configured to be."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request, required(request, "resourcePoolId"))
    body = await json_body(request)
    token = request.query.get("clientToken", "") if sim.config.replay_client_tokens else ""
    if token and (pool.id, token) in sim.world.tokens:
        first = sim.world.tokens[(pool.id, token)]
        return ok(request, {"jobId": first[0], "jobName": first[1]})
    queue = str(body.get("queue") or "default")
    if queue not in sim.world.queues[pool.id]:
        raise queue_not_found(queue)
    name = body.get("name")
    if isinstance(name, str) and sim.world.job_named(pool.id, name) is not None:
        raise ApiError(409, "cce.warning.JobAlreadyExists", f"job {name} already exists")
    job = job_from_request(sim.world, pool, body, now)
    sim.world.add_job(job)
    if token:
        sim.world.tokens[(pool.id, token)] = (job.id, job.name)
    return ok(request, {"jobId": job.id, "jobName": job.name})


async def list_jobs(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs: one pool's jobs, optionally one queue's, newest first by default."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request, required(request, "resourcePoolId"))
    page_no, size = paging(request)
    order_by = choice(request, "orderBy", ("createdAt", "finishedAt"))
    desc = descending(request)
    queue: str | None = request.query.get("queue", "")
    if pool.id in MANAGED_POOLS and not (queue or request.query.get("queueID")):
        # Go refuses this list before sending it (`services/aihc/resource/client.go:466-468`);
        # the service is assumed to refuse it the same way.
        raise invalid("bhcmp cluster or serverless cluster must be set queueID")
    if queue in ("", "all"):
        queue = None
    total, jobs = sim.world.jobs_page(
        pool.id,
        queue,
        by_finished=order_by == "finishedAt",
        descending=desc,
        offset=(page_no - 1) * size,
        limit=size,
        now=now,
    )
    result = {
        "total": total,
        "jobs": [job_body(job, now, live=sim.config.live) for job in jobs],
        "orderBy": order_by,
        "order": "desc" if desc else "asc",
        "pageNo": page_no,
        "pageSize": size,
    }
    return ok(request, result)


async def get_job(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}."""
    sim, now, job = job_in_queue(request)
    return ok(request, job_detail_body(job, now, live=sim.config.live))


async def delete_job(request: web.Request) -> web.Response:
    """DELETE /api/v1/aijobs/{jobId}: the job is gone at once; later reads answer 404."""
    sim, _, job = job_in_queue(request)
    sim.world.remove_job(job)
    return ok(request, {"jobId": job.id, "jobName": job.name})


async def set_job_priority(request: web.Request) -> web.Response:
    """PUT /api/v1/aijobs/{jobId}: only the priority can change."""
    _, now, job = job_in_queue(request)
    body = await json_body(request)
    priority = Priority.parse(str(body.get("priority") or ""))
    if priority is None:
        raise inappropriate("priority must be high, normal or low")
    reprioritise(job, priority.value, now)
    return ok(request, {"jobId": job.id})


async def stop_job(request: web.Request) -> web.Response:
    """POST /api/v1/aijobs/{jobId}/stop: an active job ends as ManualTermination."""
    _, now, job = job_in_queue(request)
    status = status_at(job, now)
    if finished_at(job, now) is not None:
        message = f"job {job.id} is already {status.value} and cannot be stopped"
        raise ApiError(400, "cce.warning.StopAIJobFailed", message)
    force(job, JobStatus.MANUAL_TERMINATION, now)
    return ok(request, {"jobId": job.id})


def register(app: web.Application) -> None:
    """Add the job routes."""
    app.router.add_post("/api/v1/aijobs", create_job, name="create_job")
    app.router.add_get("/api/v1/aijobs", list_jobs, name="list_jobs")
    app.router.add_get("/api/v1/aijobs/{jobId}", get_job, name="get_job")
    app.router.add_delete("/api/v1/aijobs/{jobId}", delete_job, name="delete_job")
    app.router.add_put("/api/v1/aijobs/{jobId}", set_job_priority, name="set_job_priority")
    app.router.add_post("/api/v1/aijobs/{jobId}/stop", stop_job, name="stop_job")
