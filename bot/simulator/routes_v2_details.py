"""AIHC API v2 job detail actions: events, pod events, logs, metrics, nodes, web terminal.

Requests as Baidu's Python SDK 0.9.79 sends them (baidubce/services/aihc/modules/job/
job_client.py, cited per action); answers in v1's shapes without the `result` wrapper.
"""

from __future__ import annotations

from aiohttp import web

from bot.domain import JobStatus
from bot.simulator.errors import ApiError, invalid, pod_not_found
from bot.simulator.events import fold, job_occurrences, pod_occurrences
from bot.simulator.ids import unit_noise
from bot.simulator.lifecycle import status_at
from bot.simulator.logpages import page, parse_marker
from bot.simulator.logs import chunked, pod_log_entries
from bot.simulator.metrics import queried_series
from bot.simulator.model import Job
from bot.simulator.params_v2 import Body, integer, job_in_action, text
from bot.simulator.routes_pools import SIM
from bot.simulator.routes_v2 import Handler, answer

_WEBSHELL = "wss://cce-webshell-bj.bce.baidu.com/api/v1/containerwebshell/establish/"


def window(body: Body) -> tuple[float | None, float | None]:
    """Return the body's (startTime, endTime), Unix seconds, None when absent."""
    start = integer(body, "startTime", None)
    end = integer(body, "endTime", None)
    return (None if start is None else float(start), None if end is None else float(end))


def pod_index(job: Job, body: Body) -> int:
    """Return the index of the pod the body's `podName` names, or answer 400/404."""
    pod = text(body, "podName", needed=True)
    if pod not in job.pod_names:
        raise pod_not_found(pod)
    return job.pod_names.index(pod)


async def describe_job_events(request: web.Request) -> web.Response:
    """DescribeJobEvents: no `jobFramework`, unlike v1 (job_client.py:216-229)."""
    now, job, body = await job_in_action(request)
    events = fold(job_occurrences(job, now), *window(body))
    return answer(request, {"events": events, "total": len(events)})


async def describe_pod_events(request: web.Request) -> web.Response:
    """DescribePodEvents, the client's `DescribeJobPodEvents` (job_client.py:328-348)."""
    now, job, body = await job_in_action(request)
    index = pod_index(job, body)
    nodes = len(request.app[SIM].world.pools[job.pool_id].nodes)
    events = fold(pod_occurrences(job, index, now, nodes), *window(body))
    return answer(request, {"events": events, "total": len(events)})


async def describe_job_logs(request: web.Request) -> web.Response:
    """DescribeJobLogs: `marker` paging, `chunkSize`, `keywords` (job_client.py:268-297).

    `chunkSize` defaults to one line per record, as Python documents it (job_client.py:258);
    v1's `chunk` defaults to every line in one record.
    """
    now, job, body = await job_in_action(request)
    index = pod_index(job, body)
    start, _ = window(body)
    entries = pod_log_entries(
        job, index, now, start=start, max_lines=integer(body, "maxLines", None)
    )
    keywords = text(body, "keywords")
    if keywords:
        entries = [e for e in entries if keywords in e[2]]
    after = parse_marker(text(body, "marker"))
    lines, next_marker = page(entries, after, request.app[SIM].config.log_page_lines)
    result = {"jobId": job.id, "podName": job.pod_names[index], "nextMarker": next_marker}
    return answer(request, {**result, "logs": chunked(lines, integer(body, "chunkSize", 1) or 1)})


async def describe_job_metrics(request: web.Request) -> web.Response:
    """DescribeJobMetrics: one `metricType` per call, a series per pod (job_client.py:584-607)."""
    now, job, body = await job_in_action(request)
    raw_type, raw_step = text(body, "metricType", needed=True), body.get("timeStep")
    start, end = window(body)
    step = None if raw_step is None else str(raw_step)
    pods = queried_series(job, now, raw_type, step, start, end)
    return answer(request, {"jobId": job.id, "podMetrics": pods})


async def describe_job_nodes(request: web.Request) -> web.Response:
    """DescribeJobNodes (job_client.py:402-416); answered with v1's `jobID`, `nodeName` keys."""
    now, job, _ = await job_in_action(request)
    placed = status_at(job, now) not in (JobStatus.CREATED, JobStatus.PENDING)
    names = list(dict.fromkeys(job.pod_nodes)) if placed else []
    return answer(request, {"jobID": job.id, "nodeName": names})


async def describe_job_webterminal(request: web.Request) -> web.Response:
    """DescribeJobWebterminal (job_client.py:447-466); answered with v1's `WebTerminalUrl`."""
    now, job, body = await job_in_action(request)
    index = pod_index(job, body)
    handshake = integer(body, "handshakeTimeoutSecond", 30, minimum=1) or 30
    ping = integer(body, "pingTimeoutSecond", 900, minimum=1) or 900
    if ping > 3600:
        raise invalid("pingTimeoutSecond must be at most 3600")
    if status_at(job, now) is not JobStatus.RUNNING:
        message = f"pod {job.pod_names[index]} is not running"
        raise ApiError(400, "cce.warning.PodNotRunning", message)
    token = "".join(f"{int(unit_noise(job.id, index, now, i) * 36**8):08x}"[-8:] for i in range(16))
    url = f"{_WEBSHELL}{token}?handshakeTimeoutSecond={handshake}&pingTimeoutSecond={ping}"
    return answer(request, {"WebTerminalUrl": url})


DETAIL_ACTIONS: dict[str, Handler] = {
    "DescribeJobEvents": describe_job_events,
    "DescribePodEvents": describe_pod_events,
    "DescribeJobLogs": describe_job_logs,
    "DescribeJobMetrics": describe_job_metrics,
    "DescribeJobNodes": describe_job_nodes,
    "DescribeJobWebterminal": describe_job_webterminal,
}
