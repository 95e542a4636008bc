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

from bot.domain import MANAGED_POOLS, JobStatus, MetricType, Priority
from bot.simulator.create import job_from_request
from bot.simulator.errors import (
    ApiError,
    inappropriate,
    invalid,
    job_not_found,
    pod_not_found,
    queue_not_found,
)
from bot.simulator.events import fold, job_occurrences, pod_occurrences
from bot.simulator.ids import unit_noise
from bot.simulator.lifecycle import finished_at, force, reprioritise, status_at
from bot.simulator.logpages import page, parse_marker
from bot.simulator.logs import chunked, pod_log_entries
from bot.simulator.metrics import MAX_POINTS, parse_step, point_count, series
from bot.simulator.model import Job, Pool
from bot.simulator.params import MAX_PAGE_SIZE, json_body, required
from bot.simulator.routes_pools import SIM
from bot.simulator.routes_v2 import Handler, answer
from bot.simulator.routes_v2 import pool_in_query as pool_of
from bot.simulator.wire import job_body, job_detail_body
from bot.simulator.wire_v2 import QUEUE_ID_SEPARATOR

Body = dict[str, object]
_WEBSHELL = "wss://cce-webshell-bj.bce.baidu.com/api/v1/containerwebshell/establish/"
_MAX_LIST = 1 << 30


def _text(body: Body, key: str, *, needed: bool = False) -> str:
    value = body.get(key)
    if value is None or value == "":
        if needed:
            raise invalid(f"{key} is required")
        return ""
    if not isinstance(value, str):
        raise inappropriate(f"{key} must be a string")
    return value


def _int(body: Body, key: str, default: int | None, *, minimum: int = 0) -> int | None:
    value = body.get(key)
    if value is None or value == "":
        return default
    try:
        number = (
            int(value) if isinstance(value, int | str) and not isinstance(value, bool) else None
        )
    except ValueError:
        number = None
    if number is None or number < minimum:
        raise inappropriate(f"{key} must be an integer >= {minimum}")
    return number


def _queue_name(request: web.Request, pool: Pool) -> str:
    # Python: queueID is the queue's name in a self-operated pool (job_client.py:105); a v2
    # `queueId` from DescribeQueues (`<pool>/<name>`) is read as the name it ends with.
    raw = required(request, "queueID")
    prefix, sep, name = raw.rpartition(QUEUE_ID_SEPARATOR)
    return name if sep and prefix == pool.id else raw


async def _job(request: web.Request) -> tuple[float, Job, Body]:
    """Return (now, job, body) for an action on one job, or answer 400/404."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request)
    queue = _queue_name(request, pool)
    body = await json_body(request)
    job_id = _text(body, "jobId", needed=True)
    job = sim.world.jobs.get(job_id)
    if job is None or job.pool_id != pool.id or job.queue != queue:
        raise job_not_found(job_id)
    return now, job, body


async def describe_jobs(request: web.Request) -> web.Response:
    """DescribeJobs: filters, order and paging in the body (job_client.py:60-89)."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request)
    body = await json_body(request)
    queue = _text(body, "queue")
    if pool.id in MANAGED_POOLS and not queue:
        raise invalid("bhcmp cluster or serverless cluster must be set queue")
    order_by = _text(body, "orderBy") or "createdAt"
    if order_by not in ("createdAt", "finishedAt"):
        raise invalid("orderBy must be createdAt or finishedAt")
    order = (_text(body, "order") or "desc").lower()
    if order not in ("asc", "desc"):
        raise invalid("order must be asc or desc")
    page_no = _int(body, "pageNumber", 1, minimum=1) or 1
    size = min(_int(body, "pageSize", 10, minimum=1) or 10, MAX_PAGE_SIZE)
    filtered = bool(_text(body, "status") or _text(body, "keyword"))
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
    status = _text(body, "status").lower()
    keyword = _text(body, "keyword")
    keyword_type = _text(body, "keywordType") or "name"
    if keyword_type not in ("name", "queueName"):
        raise invalid("keywordType must be name or queueName")
    if status:
        jobs = [j for j in jobs if status_at(j, now).value.lower() == status]
    if keyword:
        jobs = [j for j in jobs if keyword in (j.name if keyword_type == "name" else j.queue)]
    return jobs


async def describe_job(request: web.Request) -> web.Response:
    """DescribeJob: `jobId` (and `needDetail`) in the body (job_client.py:116-127)."""
    now, job, _ = await _job(request)
    return answer(request, job_detail_body(job, now, live=request.app[SIM].config.live))


async def create_job(request: web.Request) -> web.Response:
    """CreateJob: `command` at the top level, `jobType` the framework (job_client.py:515-549)."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request)
    queue = _queue_name(request, pool)
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
        "jobSpec": {**spec, "command": _text(body, "command")},
    }
    job = job_from_request(sim.world, pool, v1_body, now, v2_id=True)
    sim.world.add_job(job)
    return answer(request, {"jobId": job.id, "jobName": job.name})


async def delete_job(request: web.Request) -> web.Response:
    """DeleteJob: the job is gone at once (job_client.py:147-156)."""
    _, job, _ = await _job(request)
    request.app[SIM].world.remove_job(job)
    return answer(request, {"jobId": job.id, "jobName": job.name})


async def modify_job(request: web.Request) -> web.Response:
    """ModifyJob: only `priority` changes (job_client.py:177-187)."""
    now, job, body = await _job(request)
    priority = Priority.parse(_text(body, "priority"))
    if priority is None:
        raise inappropriate("priority must be high, normal or low")
    reprioritise(job, priority.value, now)
    return answer(request, {"jobId": job.id})


async def stop_job(request: web.Request) -> web.Response:
    """StopJob: an active job ends as ManualTermination (job_client.py:368-382)."""
    now, job, _ = await _job(request)
    if finished_at(job, now) is not None:
        status = status_at(job, now).value
        message = f"job {job.id} is already {status} and cannot be stopped"
        raise ApiError(400, "cce.warning.StopAIJobFailed", message)
    force(job, JobStatus.MANUAL_TERMINATION, now)
    return answer(request, {"jobId": job.id})


def _window(body: Body) -> tuple[float | None, float | None]:
    start = _int(body, "startTime", None)
    end = _int(body, "endTime", None)
    return (None if start is None else float(start), None if end is None else float(end))


def _pod(job: Job, body: Body) -> int:
    pod = _text(body, "podName", needed=True)
    if pod not in job.pod_names:
        raise pod_not_found(pod)
    return job.pod_names.index(pod)


async def describe_job_events(request: web.Request) -> web.Response:
    """DescribeJobEvents: no `jobFramework`, unlike v1 (job_client.py:216-229)."""
    now, job, body = await _job(request)
    events = fold(job_occurrences(job, now), *_window(body))
    return answer(request, {"events": events, "total": len(events)})


async def describe_pod_events(request: web.Request) -> web.Response:
    """DescribePodEvents, the client's `DescribeJobPodEvents` (job_client.py:328-348)."""
    now, job, body = await _job(request)
    index = _pod(job, body)
    nodes = len(request.app[SIM].world.pools[job.pool_id].nodes)
    events = fold(pod_occurrences(job, index, now, nodes), *_window(body))
    return answer(request, {"events": events, "total": len(events)})


async def describe_job_logs(request: web.Request) -> web.Response:
    """DescribeJobLogs: `marker` paging, `chunkSize`, `keywords` (job_client.py:268-297)."""
    now, job, body = await _job(request)
    index = _pod(job, body)
    start, _ = _window(body)
    entries = pod_log_entries(job, index, now, start=start, max_lines=_int(body, "maxLines", None))
    keywords = _text(body, "keywords")
    if keywords:
        entries = [e for e in entries if keywords in e[2]]
    after = parse_marker(_text(body, "marker"))
    lines, next_marker = page(entries, after, request.app[SIM].config.log_page_lines)
    result = {"jobId": job.id, "podName": job.pod_names[index], "nextMarker": next_marker}
    return answer(request, {**result, "logs": chunked(lines, _int(body, "chunkSize", 0) or 0)})


async def describe_job_metrics(request: web.Request) -> web.Response:
    """DescribeJobMetrics: one `metricType` per call, a series per pod (job_client.py:584-607)."""
    now, job, body = await _job(request)
    raw_type = _text(body, "metricType", needed=True)
    metric = MetricType.parse(raw_type)
    if metric is None:
        raise invalid(f"unknown metricType {raw_type!r}")
    raw_step = body.get("timeStep")
    step = parse_step(None if raw_step is None else str(raw_step))
    if step is None:
        raise invalid("timeStep must be seconds, or a duration such as 30s, 5m, 1h")
    start, end = _window(body)
    start = job.created_at if start is None else start
    end = now if end is None else min(end, now)
    if end < start:
        raise invalid("endTime must not be before startTime")
    if point_count(start, end, step) > MAX_POINTS:
        raise invalid(f"exceeded maximum resolution of {MAX_POINTS} points per series")
    return answer(request, {"jobId": job.id, "podMetrics": series(job, metric, start, end, step)})


async def describe_job_nodes(request: web.Request) -> web.Response:
    """DescribeJobNodes (job_client.py:402-416); answered with v1's `jobID`, `nodeName` keys."""
    now, job, _ = await _job(request)
    placed = status_at(job, now) not in (JobStatus.CREATED, JobStatus.PENDING)
    names = list(dict.fromkeys(job.pod_nodes)) if placed else []
    return answer(request, {"jobID": job.id, "nodeName": names})


async def describe_job_webterminal(request: web.Request) -> web.Response:
    """DescribeJobWebterminal (job_client.py:447-466); answered with v1's `WebTerminalUrl`."""
    now, job, body = await _job(request)
    index = _pod(job, body)
    handshake = _int(body, "handshakeTimeoutSecond", 30, minimum=1) or 30
    ping = _int(body, "pingTimeoutSecond", 900, minimum=1) or 900
    if ping > 3600:
        raise invalid("pingTimeoutSecond must be at most 3600")
    if status_at(job, now) is not JobStatus.RUNNING:
        message = f"pod {job.pod_names[index]} is not running"
        raise ApiError(400, "cce.warning.PodNotRunning", message)
    token = "".join(f"{int(unit_noise(job.id, index, now, i) * 36**8):08x}"[-8:] for i in range(16))
    url = f"{_WEBSHELL}{token}?handshakeTimeoutSecond={handshake}&pingTimeoutSecond={ping}"
    return answer(request, {"WebTerminalUrl": url})


JOB_ACTIONS: dict[str, Handler] = {
    "DescribeJobs": describe_jobs,
    "DescribeJob": describe_job,
    "CreateJob": create_job,
    "DeleteJob": delete_job,
    "ModifyJob": modify_job,
    "StopJob": stop_job,
    "DescribeJobEvents": describe_job_events,
    "DescribePodEvents": describe_pod_events,
    "DescribeJobLogs": describe_job_logs,
    "DescribeJobMetrics": describe_job_metrics,
    "DescribeJobNodes": describe_job_nodes,
    "DescribeJobWebterminal": describe_job_webterminal,
}
