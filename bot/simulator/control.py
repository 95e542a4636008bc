"""The unsigned control API of DESIGN §3.4, under `/_sim/`, answering loopback peers only.

Its writes also need this run's token (`X-Sim-Token`) and a JSON body. Loopback alone is not
enough: any web page open in a browser on this machine may POST here. A page can send a form or
`text/plain` body without asking, but a JSON body or a custom header makes the browser ask first
(a CORS preflight), which is never granted; and the page cannot know the token.
"""

from __future__ import annotations

import asyncio
import hmac

from aiohttp import web

from bot.domain import JobStatus
from bot.simulator.behaviour import apply, is_hung, is_idle, parse_change
from bot.simulator.behaviour import end as end_spells
from bot.simulator.errors import ApiError, job_not_found, pod_not_found
from bot.simulator.faults import parse_faults
from bot.simulator.lifecycle import fail, force, history, restart, status_at
from bot.simulator.logs import DEFAULT_LINE_CAP
from bot.simulator.model import Job
from bot.simulator.params import json_body
from bot.simulator.populate import PopulateSpec, parse_mix, populate
from bot.simulator.routes_pools import SIM
from bot.simulator.scenarios import SCENARIOS
from bot.simulator.timefmt import rfc3339

EXTRA_LINES = DEFAULT_LINE_CAP
"""Appended lines a pod keeps: no call returns more, so older ones are only memory."""
EXTRA_BYTES = 64 << 20
"""Characters of appended lines a pod keeps, so a benchmark printing megabyte lines runs flat."""


CONTROL_TOKEN_HEADER = "X-Sim-Token"  # noqa: S105 - a header name, not a secret
_READS = frozenset({"GET", "HEAD"})


def check_write(request: web.Request) -> None:
    """Refuse a write that lacks this run's token or whose body is not declared JSON."""
    if request.method in _READS:
        return
    sent = request.headers.get(CONTROL_TOKEN_HEADER, "").encode("utf-8", "surrogateescape")
    if not hmac.compare_digest(sent, request.app[SIM].control_token.encode()):
        raise ApiError(403, "AccessDenied", f"{CONTROL_TOKEN_HEADER} is missing or wrong")
    if request.content_type != "application/json":
        message = "send the body as JSON (Content-Type: application/json)"
        raise ApiError(415, "UnsupportedMediaType", message)


def _bad(message: str) -> ApiError:
    return ApiError(400, "InvalidRequest", message)


def _number(body: dict[str, object], key: str, default: float, low: float, high: float) -> float:
    value = body.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise _bad(f"{key} must be a number from {low:g} to {high:g}")
    return float(value)


def _summary(request: web.Request) -> dict[str, object]:
    sim = request.app[SIM]
    now = sim.now()
    world = sim.world
    return {
        "seed": sim.seed,
        "scenario": sim.scenario,
        "now": rfc3339(now),
        "pools": sorted(world.pools),
        "jobs": len(world.jobs),
    }


async def reset(request: web.Request) -> web.Response:
    """POST /_sim/reset {"seed", "scenario"}: wipe and reseed the world."""
    sim = request.app[SIM]
    body = await json_body(request)
    seed = int(_number(body, "seed", sim.seed, 0, 2**63))
    scenario = body.get("scenario", "demo")
    if scenario not in SCENARIOS:
        raise _bad(f"scenario must be one of {', '.join(SCENARIOS)}")
    sim.reset(seed, str(scenario))
    return web.json_response(_summary(request))


async def populate_world(request: web.Request) -> web.Response:
    """POST /_sim/populate: replace the world with a bulk one (built off the event loop)."""
    sim = request.app[SIM]
    body = await json_body(request)
    try:
        mix = parse_mix(body.get("status_mix"))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    spec = PopulateSpec(
        pools=int(_number(body, "pools", 20, 1, 1000)),
        queues_per_pool=int(_number(body, "queues_per_pool", 5, 1, 100)),
        jobs=int(_number(body, "jobs", 50_000, 0, 500_000)),
        status_mix=mix,
    )
    sim.world = await asyncio.to_thread(populate, sim.seed, sim.clock.now(), spec)
    sim.scenario = "populate"
    return web.json_response(_summary(request))


def _job(request: web.Request) -> Job:
    job = request.app[SIM].world.jobs.get(request.match_info["jobId"])
    if job is None:
        raise job_not_found(request.match_info["jobId"])
    return job


async def set_status(request: web.Request) -> web.Response:
    """POST /_sim/jobs/{jobId}/status {"status", "reason", "exitCode"}: force a transition."""
    now = request.app[SIM].now()
    job = _job(request)
    body = await json_body(request)
    raw = str(body.get("status", ""))
    status = JobStatus.parse(raw)
    if status is JobStatus.UNKNOWN and raw.lower() != "unknown":
        raise _bad(f"unknown status {raw!r}")
    if status is JobStatus.FAILED:
        code = int(_number(body, "exitCode", 1, -255, 255))
        fail(job, now, reason=str(body.get("reason") or "job failed"), exit_code=code)
    else:
        force(job, status, now)
    return web.json_response({"jobId": job.id, "status": status.value, "at": rfc3339(now)})


async def append_logs(request: web.Request) -> web.Response:
    """POST /_sim/jobs/{jobId}/logs {"pod", "lines"}: append lines to a pod's log now."""
    now = request.app[SIM].now()
    job = _job(request)
    body = await json_body(request)
    pod = str(body.get("pod") or job.pod_names[0])
    if pod not in job.pod_names:
        raise pod_not_found(pod)
    lines = body.get("lines")
    if not isinstance(lines, list) or not all(isinstance(line, str) for line in lines):
        raise _bad("lines must be a list of strings")
    log = job.extra_logs.setdefault(pod, [])
    log += [(now + i * 1e-6, line) for i, line in enumerate(lines)]
    _forget_oldest(log)
    return web.json_response({"jobId": job.id, "pod": pod, "appended": len(lines)})


def _forget_oldest(log: list[tuple[float, str]]) -> None:
    """Keep a pod's appended lines within `EXTRA_LINES` and `EXTRA_BYTES`, the newest kept."""
    size = 0
    for index in range(len(log) - 1, -1, -1):
        size += len(log[index][1])
        if size > EXTRA_BYTES or len(log) - index > EXTRA_LINES:
            del log[: index + 1]
            return


async def set_behaviour(request: web.Request) -> web.Response:
    """POST /_sim/jobs/{jobId}/behaviour {"hang", "idle", "restart"}: change what a job does."""
    now = request.app[SIM].now()
    job = _job(request)
    try:
        change = parse_change(await json_body(request))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    status = status_at(job, now)
    if (change.hang or change.idle or change.restart) and status is not JobStatus.RUNNING:
        message = f"job {job.name} is {status.value}: only a Running job can hang, idle or restart"
        raise ApiError(409, "JobNotRunning", message)
    if change.hang:
        force(job, JobStatus.RUNNING, now)  # a hung job stays Running until someone stops it
    apply(job, change, now)
    if change.restart:
        job.hangs = end_spells(job.hangs, now)  # a restart relaunches the stuck processes
        restart(job, now, change.restart)
    return web.json_response(
        {
            "jobId": job.id,
            "status": status_at(job, now).value,
            "hang": is_hung(job, now),
            "idle": is_idle(job, now),
            "restartCount": sum(1 for r in job.restarts if r <= now),
            "at": rfc3339(now),
        }
    )


async def advance_clock(request: web.Request) -> web.Response:
    """POST /_sim/clock/advance {"seconds"}: move simulated time forward."""
    sim = request.app[SIM]
    body = await json_body(request)
    sim.clock.advance(_number(body, "seconds", 0, 0, 10 * 365 * 86_400))
    now = sim.now()
    return web.json_response({"now": rfc3339(now), "epoch": now})


async def put_faults(request: web.Request) -> web.Response:
    """PUT /_sim/faults: replace the faults injected into the v1 routes."""
    try:
        faults = parse_faults(await json_body(request))
    except ValueError as exc:
        raise _bad(str(exc)) from None
    request.app[SIM].faults = faults
    return web.json_response(faults.as_dict())


async def get_stats(request: web.Request) -> web.Response:
    """GET /_sim/stats: v1 calls per operation and per status code."""
    return web.json_response(request.app[SIM].stats.snapshot())


async def reset_stats(request: web.Request) -> web.Response:
    """POST /_sim/stats/reset: start counting again."""
    sim = request.app[SIM]
    sim.stats = type(sim.stats)()
    return web.json_response(sim.stats.snapshot())


async def job_history(request: web.Request) -> web.Response:
    """GET /_sim/jobs/{jobId}/history: every status so far, with simulated timestamps."""
    now = request.app[SIM].now()
    job = _job(request)
    steps = [{"status": s.value, "time": rfc3339(t), "epoch": t} for t, s in history(job, now)]
    return web.json_response({"jobId": job.id, "name": job.name, "history": steps})


def register(app: web.Application) -> None:
    """Add the control routes."""
    app.router.add_post("/_sim/reset", reset)
    app.router.add_post("/_sim/populate", populate_world)
    app.router.add_post("/_sim/jobs/{jobId}/status", set_status)
    app.router.add_post("/_sim/jobs/{jobId}/logs", append_logs)
    app.router.add_post("/_sim/jobs/{jobId}/behaviour", set_behaviour)
    app.router.add_post("/_sim/clock/advance", advance_clock)
    app.router.add_put("/_sim/faults", put_faults)
    app.router.add_get("/_sim/stats", get_stats)
    app.router.add_post("/_sim/stats/reset", reset_stats)
    app.router.add_get("/_sim/jobs/{jobId}/history", job_history)
