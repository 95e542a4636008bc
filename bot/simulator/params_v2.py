"""Reading AIHC API v2 job actions: fields of the JSON body, and the job an action names."""

from __future__ import annotations

from aiohttp import web

from bot.simulator.errors import inappropriate, invalid, job_not_found
from bot.simulator.model import Job, Pool
from bot.simulator.params import json_body, required
from bot.simulator.routes_pools import SIM
from bot.simulator.routes_v2 import pool_in_query
from bot.simulator.wire_v2 import QUEUE_ID_SEPARATOR

Body = dict[str, object]


def text(body: Body, key: str, *, needed: bool = False) -> str:
    """Return a string field of the body, "" when absent; 400 when needed or not a string."""
    value = body.get(key)
    if value is None or value == "":
        if needed:
            raise invalid(f"{key} is required")
        return ""
    if not isinstance(value, str):
        raise inappropriate(f"{key} must be a string")
    return value


def integer(body: Body, key: str, default: int | None, *, minimum: int = 0) -> int | None:
    """Return an integer field of the body (a number or digits), `default` when absent."""
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


def queue_in_query(request: web.Request, pool: Pool) -> str:
    """Return the queue name the query's `queueID` names."""
    # Python: queueID is the queue's name in a self-operated pool (job_client.py:105); a v2
    # `queueId` from DescribeQueues (`<pool>/<name>`) is read as the name it ends with.
    raw = required(request, "queueID")
    prefix, sep, name = raw.rpartition(QUEUE_ID_SEPARATOR)
    return name if sep and prefix == pool.id else raw


async def job_in_action(request: web.Request) -> tuple[float, Job, Body]:
    """Return (now, job, body) for an action on one job, or answer 400/404."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_in_query(request)
    queue = queue_in_query(request, pool)
    body = await json_body(request)
    job_id = text(body, "jobId", needed=True)
    job = sim.world.jobs.get(job_id)
    if job is None or job.pool_id != pool.id or job.queue != queue:
        raise job_not_found(job_id)
    return now, job, body
