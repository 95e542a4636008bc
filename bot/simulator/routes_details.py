"""Job detail routes: events, pod logs, pod events, metrics, nodes, web terminal."""

from __future__ import annotations

from aiohttp import web

from bot.domain import JobFramework, JobStatus
from bot.simulator.errors import ApiError, invalid, pod_not_found
from bot.simulator.events import fold, job_occurrences, pod_occurrences
from bot.simulator.ids import unit_noise
from bot.simulator.lifecycle import status_at
from bot.simulator.logpages import marker_of, page
from bot.simulator.logs import chunked, pod_log_entries
from bot.simulator.metrics import queried_series
from bot.simulator.model import Job
from bot.simulator.params import integer, ok, required
from bot.simulator.routes_jobs import job_in_queue, job_of

_WEBSHELL = "wss://cce-webshell-bj.bce.baidu.com/api/v1/containerwebshell/establish/"


def _pod_index(request: web.Request, job: Job) -> int:
    pod = request.match_info["podName"]
    if pod not in job.pod_names:
        raise pod_not_found(pod)
    return job.pod_names.index(pod)


def _framework_matches(request: web.Request, job: Job) -> bool:
    # Events are looked up by the workload kind named in the query: another kind finds nothing.
    return JobFramework.parse(required(request, "jobFramework")) is job.framework


def _window(request: web.Request) -> tuple[float | None, float | None]:
    start = integer(request, "startTime", None)
    end = integer(request, "endTime", None)
    return (None if start is None else float(start), None if end is None else float(end))


async def job_events(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}/events: answered bare, `{events, total}`, no wrapper."""
    _, now, job = job_of(request)
    start, end = _window(request)
    events = fold(job_occurrences(job, now), start, end) if _framework_matches(request, job) else []
    return web.json_response({"events": events, "total": len(events)})


async def pod_events(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}/pods/{podName}/events: bare `{events, total}` too."""
    sim, now, job = job_of(request)
    index = _pod_index(request, job)
    start, end = _window(request)
    nodes = len(sim.world.pools[job.pool_id].nodes)
    matches = _framework_matches(request, job)
    events = fold(pod_occurrences(job, index, now, nodes), start, end) if matches else []
    return web.json_response({"events": events, "total": len(events)})


async def pod_logs(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}/pods/{podName}/logs: honours startTime, maxLines, chunk.

    Live shapes page the answer by `nextMarker` and `marker` (`logpages`).
    """
    sim, now, job = job_of(request)
    index = _pod_index(request, job)
    start = integer(request, "startTime", None)
    max_lines = integer(request, "maxLines", None)
    # The document spells it `chunk`; Go sends `chunck` (bce-sdk-go
    # services/aihc/resource/client.go:399): both are read, the document's first.
    chunk = integer(request, "chunk", None)
    chunk = integer(request, "chunck", 0) if chunk is None else chunk
    entries = pod_log_entries(
        job, index, now, start=None if start is None else float(start), max_lines=max_lines
    )
    result: dict[str, object] = {"jobId": job.id, "podName": job.pod_names[index]}
    if sim.config.live:
        lines, result["nextMarker"] = page(entries, marker_of(request), sim.config.log_page_lines)
    else:
        lines = [e[2] for e in entries]
    result["logs"] = chunked(lines, chunk or 0)
    return ok(request, result)


async def job_metrics(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}/metrics: one metricType per call, a series per pod."""
    _, now, job = job_of(request)
    start, end = _window(request)
    raw_type, raw_step = required(request, "metricType"), request.query.get("timeStep")
    pods = queried_series(job, now, raw_type, raw_step, start, end)
    result = {"jobId": job.id, "podMetrics": pods}
    return ok(request, result)


async def job_nodes(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}/nodes: answers `jobID` and a `nodeName` array."""
    _, now, job = job_of(request)
    placed = status_at(job, now) not in (JobStatus.CREATED, JobStatus.PENDING)
    names = list(dict.fromkeys(job.pod_nodes)) if placed else []
    return ok(request, {"jobID": job.id, "nodeName": names})


async def web_terminal(request: web.Request) -> web.Response:
    """GET /api/v1/aijobs/{jobId}/pods/{podName}/webterminal: answers `WebTerminalUrl`."""
    _, now, job = job_in_queue(request)
    index = _pod_index(request, job)
    handshake = integer(request, "handshakeTimeoutSecond", 30, minimum=1)
    ping = integer(request, "pingTimeoutSecond", 900, minimum=1) or 900
    if ping > 3600:
        raise invalid("pingTimeoutSecond must be at most 3600")
    if status_at(job, now) is not JobStatus.RUNNING:
        raise ApiError(
            400, "cce.warning.PodNotRunning", f"pod {job.pod_names[index]} is not running"
        )
    token = "".join(f"{int(unit_noise(job.id, index, now, i) * 36**8):08x}"[-8:] for i in range(16))
    url = f"{_WEBSHELL}{token}?handshakeTimeoutSecond={handshake}&pingTimeoutSecond={ping}"
    return ok(request, {"WebTerminalUrl": url})


def register(app: web.Application) -> None:
    """Add the job detail routes."""
    base = "/api/v1/aijobs/{jobId}"
    app.router.add_get(base + "/events", job_events, name="job_events")
    app.router.add_get(base + "/pods/{podName}/logs", pod_logs, name="pod_logs")
    app.router.add_get(base + "/pods/{podName}/events", pod_events, name="pod_events")
    app.router.add_get(base + "/metrics", job_metrics, name="job_metrics")
    app.router.add_get(base + "/nodes", job_nodes, name="job_nodes")
    app.router.add_get(base + "/pods/{podName}/webterminal", web_terminal, name="web_terminal")
