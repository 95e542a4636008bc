"""Queue routes: create, list, delete, update, detail; every answer says `requestID`."""

from __future__ import annotations

from aiohttp import web

from bot.domain import ROOT_QUEUE_NAME, JobStatus
from bot.simulator.errors import ApiError, inappropriate, queue_not_found
from bot.simulator.lifecycle import finished_at, status_at
from bot.simulator.model import Queue
from bot.simulator.params import descending, json_body, ok, paging
from bot.simulator.routes_pools import SIM, pool_of
from bot.simulator.wire import QueueLive, queue_body

_TYPES = {"regular": "Regular", "elastic": "Elastic", "physical": "Physical"}
_STRATEGIES = ("", "StrictFIFO", "BestEffortFIFO")
_QUOTAS = ("deserved", "guarantee", "capability")
# Volcano's podgroup phases as queue.go:60-62 counts them: admitted and holding resources,
# admitted and waiting to start, not yet admitted.
_COUNTED = {
    JobStatus.RUNNING: "running",
    JobStatus.RESTARTING: "running",
    JobStatus.SCHEDULED: "inqueue",
    JobStatus.STARTING: "inqueue",
    JobStatus.CREATED: "pending",
    JobStatus.PENDING: "pending",
}
_MAX_DEPTH = 16


def _queue_ok(request: web.Request, name: str) -> web.Response:
    return ok(request, {"queueName": name}, id_key="requestID")


def _quota(key: str, value: object) -> dict[str, str]:
    if not isinstance(value, dict):
        raise inappropriate(f"{key} must be an object of resource: quantity")
    out: dict[str, str] = {}
    for name, amount in value.items():
        if isinstance(amount, bool) or not isinstance(amount, int | float | str):
            raise inappropriate(f"{key}.{name} must be a number")
        try:
            number = float(amount)
        except ValueError:
            raise inappropriate(f"{key}.{name} must be a number") from None
        # Requests send numbers, responses answer strings: "5", not "5.0".
        out[str(name)] = str(int(number)) if number.is_integer() else str(number)
    return out


def _apply(queue: Queue, body: dict[str, object]) -> None:
    for key in _QUOTAS:
        if key in body:
            setattr(queue, key, _quota(key, body[key]))
    if "description" in body:
        queue.description = str(body["description"] or "")
    if "queueType" in body:
        kind = _TYPES.get(str(body["queueType"]).lower())
        if kind is None:
            raise inappropriate("queueType must be Regular, Elastic or Physical")
        queue.queue_type = kind
    for key, attr in (("disableOversell", "disable_oversell"), ("reclaimable", "reclaimable")):
        if key in body:
            if not isinstance(body[key], bool):
                raise inappropriate(f"{key} must be true or false")
            setattr(queue, attr, body[key])
    if "queueingStrategy" in body:
        if body["queueingStrategy"] not in _STRATEGIES:
            raise inappropriate("queueingStrategy must be StrictFIFO or BestEffortFIFO")
        queue.queueing_strategy = str(body["queueingStrategy"])
    if "nodes" in body:
        if not isinstance(body["nodes"], dict):
            raise inappropriate("nodes must be an object")
        queue.nodes = dict(body["nodes"])


async def create_queue(request: web.Request) -> web.Response:
    """POST /api/v1/resourcepools/{poolId}/queue."""
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request, request.match_info["poolId"])
    body = await json_body(request)
    name = body.get("name")
    if not isinstance(name, str) or not name.strip() or "/" in name:
        raise inappropriate("name is required and may not contain '/'")
    queues = sim.world.queues[pool.id]
    if name in queues:
        raise ApiError(409, "cce.warning.QueueAlreadyExists", f"queue {name} already exists")
    parent = str(body.get("parentQueue") or "root")
    parent = ROOT_QUEUE_NAME if parent == "root" else parent
    if parent not in queues:
        raise inappropriate(f"parent queue {parent} does not exist")
    queue = Queue(name, pool.id, now, parent)
    _apply(queue, body)
    queues[name] = queue
    return _queue_ok(request, name)


def _queue_of(request: web.Request) -> Queue:
    pool = pool_of(request, request.match_info["poolId"])
    name = request.match_info["queueName"]
    queue = request.app[SIM].world.queues[pool.id].get(name)
    if queue is None:
        raise queue_not_found(name)
    return queue


def _allocated(request: web.Request, queue: Queue, now: float) -> dict[str, str]:
    jobs = request.app[SIM].world.running_in_queue(queue.pool_id, queue.name, now)
    pool = request.app[SIM].world.pools[queue.pool_id]
    replicas = sum(j.replicas for j in jobs)
    return {
        "cpu": str(replicas * 16),
        "memory": str(replicas * 128),  # GiB, as queue quotas count memory
        pool.gpu_resource: str(sum(j.replicas * j.gpus_per_replica for j in jobs)),
    }


def _counts(request: web.Request, queue: Queue, now: float) -> dict[str, int]:
    counts = dict.fromkeys(("running", "inqueue", "pending"), 0)
    for job in request.app[SIM].world.queue_jobs(queue.pool_id, queue.name):
        key = _COUNTED.get(status_at(job, now))
        if key is not None:
            counts[key] += 1
    return counts


def _render(request: web.Request, queue: Queue, now: float, depth: int = 0) -> dict[str, object]:
    """Render a queue; in live shapes with its job counts and its children, nested."""
    allocated = _allocated(request, queue, now)
    sim = request.app[SIM]
    if not sim.config.live:
        return queue_body(queue, allocated)
    queues = sim.world.queues[queue.pool_id].values()
    children = [q for q in queues if q.parent == queue.name and q is not queue]
    nested = [_render(request, q, now, depth + 1) for q in children] if depth < _MAX_DEPTH else []
    return queue_body(queue, allocated, QueueLive(_counts(request, queue, now), nested))


async def get_queue(request: web.Request) -> web.Response:
    """GET /api/v1/resourcepools/{poolId}/queue/{queueName}."""
    now = request.app[SIM].now()
    queue = _queue_of(request)
    return ok(request, {"queue": _render(request, queue, now)}, id_key="requestID")


async def list_queues(request: web.Request) -> web.Response:
    """GET /api/v1/resourcepools/{poolId}/queue: the root queue included, as AIHC lists it.

    In live shapes every queue is still listed at the top level and also nests its children,
    the shape the Go SDK's `children` allows (queue.go:40); how the live service pages a tree
    is not documented anywhere.
    """
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_of(request, request.match_info["poolId"])
    page_no, size = paging(request)
    desc = descending(request)
    queues = sorted(sim.world.queues[pool.id].values(), key=lambda q: (q.created_at, q.name))
    if desc:
        queues.reverse()
    page = queues[(page_no - 1) * size : page_no * size]
    result = {
        "total": len(queues),
        "queues": [_render(request, q, now) for q in page],
        "pageNo": page_no,
        "pageSize": size,
    }
    return ok(request, result, id_key="requestID")


async def update_queue(request: web.Request) -> web.Response:
    """PUT /api/v1/resourcepools/{poolId}/queue/{queueName}: only the keys sent change."""
    request.app[SIM].now()
    queue = _queue_of(request)
    body = await json_body(request)
    if "name" in body and body["name"] != queue.name:
        raise inappropriate("a queue cannot be renamed")
    _apply(queue, body)
    return _queue_ok(request, queue.name)


async def delete_queue(request: web.Request) -> web.Response:
    """DELETE /api/v1/resourcepools/{poolId}/queue/{queueName}."""
    sim = request.app[SIM]
    now = sim.now()
    queue = _queue_of(request)
    if queue.name in (ROOT_QUEUE_NAME, "default"):
        raise ApiError(
            400, "cce.warning.QueueDeleteForbidden", f"queue {queue.name} cannot be deleted"
        )
    jobs = sim.world.queue_jobs(queue.pool_id, queue.name)
    active = [j for j in jobs if finished_at(j, now) is None]
    if active:
        message = f"queue {queue.name} still has {len(active)} unfinished job(s)"
        raise ApiError(400, "cce.warning.QueueHasUnfinishedJobs", message)
    del sim.world.queues[queue.pool_id][queue.name]
    return _queue_ok(request, queue.name)


def register(app: web.Application) -> None:
    """Add the queue routes."""
    base = "/api/v1/resourcepools/{poolId}/queue"
    app.router.add_post(base, create_queue, name="create_queue")
    app.router.add_get(base, list_queues, name="list_queues")
    app.router.add_get(base + "/{queueName}", get_queue, name="get_queue")
    app.router.add_put(base + "/{queueName}", update_queue, name="update_queue")
    app.router.add_delete(base + "/{queueName}", delete_queue, name="delete_queue")
