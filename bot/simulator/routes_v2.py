"""AIHC API v2: every call goes to `/` naming its `action`; pool and queue actions live here.

What Baidu's Python SDK 0.9.79 sends (baidubce/services/aihc/):
- pool and queue actions: `GET /?action=<Name>&...` with header `version: v2`, every parameter
  in the query (modules/resource_pool/resource_pool_client.py:55-77, :98-108, :192-241;
  base/aihc_base_client.py:159-174), signed over `host` alone (`resource_pool_sign`,
  baidubce/auth/bce_v1_signer.py:97-141);
- job actions: `POST /?action=<Name>&resourcePoolId=..&queueID=..` with header
  `X-API-Version: v2` and everything else in a JSON body (modules/job/job_client.py;
  base/aihc_base_client.py:117-132), see `routes_v2_jobs`.
Answers carry no v1 `result` wrapper; `requestId` sits beside the fields (the issue's example).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.domain import ROOT_QUEUE_NAME
from bot.simulator.errors import ApiError, invalid, pool_not_found, queue_not_found
from bot.simulator.model import Pool, Queue
from bot.simulator.params import MAX_PAGE_SIZE, REQUEST_ID, integer, required
from bot.simulator.routes_pools import SIM
from bot.simulator.routes_queues import _allocated, _counts
from bot.simulator.timefmt import rfc3339
from bot.simulator.wire_v2 import (
    QUEUE_ID_SEPARATOR,
    amount_v2,
    overview_v2,
    pool_type,
    pool_v2,
    queue_id,
)

Handler = Callable[[web.Request], Awaitable[web.Response]]
ACTION = web.RequestKey("v2_action", str)
_POOL_TYPES = ("common", "dedicatedV2", "bhcmp")  # Go resourcepool.go:59-65
_POOL_ORDER = {"resourcepoolname": "name", "resourcepoolid": "id", "createdat": "created_at"}
_MAX_DEPTH = 16


def answer(request: web.Request, body: dict[str, object]) -> web.Response:
    """Answer 200 with the fields themselves beside `requestId`, no `result` wrapper."""
    return web.json_response({"requestId": request[REQUEST_ID], **body})


def page_of(
    request: web.Request, *, number: str = "pageNumber", size: str = "pageSize"
) -> tuple[int, int]:
    """Return (pageNumber, pageSize) from the query; size capped at 100, default 10."""
    page_no = integer(request, number, 1, minimum=1) or 1
    page_size = integer(request, size, 10, minimum=1) or 10
    return page_no, min(page_size, MAX_PAGE_SIZE)


def _ascending(raw: str, default: str) -> bool:
    order = (raw or default).lower()
    if order not in ("asc", "desc"):
        raise invalid(f"order must be ASC or DESC, got {raw!r}")
    return order == "asc"


async def describe_resource_pools(request: web.Request) -> web.Response:
    """DescribeResourcePools: `resourcePoolType` is required (resource_pool_client.py:56-59)."""
    sim = request.app[SIM]
    sim.now()
    kind = required(request, "resourcePoolType")
    if kind not in _POOL_TYPES:
        raise invalid(f"resourcePoolType must be one of {', '.join(_POOL_TYPES)}, got {kind!r}")
    keyword_type = request.query.get("keywordType", "") or "resourcePoolName"
    if keyword_type not in ("resourcePoolName", "resourcePoolId"):
        raise invalid("keywordType must be resourcePoolName or resourcePoolId")
    keyword = request.query.get("keyword", "")
    order_by = request.query.get("orderBy", "") or "resourcePoolName"
    # Python documents `createdAt` (resource_pool_client.py:43), Go sends `CreatedAt`
    # (resourcepool.go:79): both are read, case-insensitively.
    attr = _POOL_ORDER.get(order_by.lower())
    if attr is None:
        raise invalid("orderBy must be resourcePoolName, resourcePoolId or createdAt")
    ascending = _ascending(request.query.get("order", ""), "ASC")
    page_no, size = page_of(request)
    field = "id" if keyword_type == "resourcePoolId" else "name"
    pools = [
        p for p in sim.world.pools.values() if pool_type(p) == kind and keyword in getattr(p, field)
    ]
    pools.sort(key=lambda p: (getattr(p, attr), p.id), reverse=not ascending)
    chosen = pools[(page_no - 1) * size : page_no * size]
    return answer(
        request,
        {
            "keywordType": keyword_type,
            "keyword": keyword,
            "orderBy": order_by,
            "order": "ASC" if ascending else "DESC",
            "pageNumber": page_no,
            "pageSize": size,
            "totalCount": len(pools),
            "resourcePools": [pool_v2(p) for p in chosen],
        },
    )


def pool_in_query(request: web.Request) -> Pool:
    """Return the pool the query's `resourcePoolId` names, or answer 400/404."""
    pool_id = required(request, "resourcePoolId")
    pool = request.app[SIM].world.pools.get(pool_id)
    if pool is None:
        raise pool_not_found(pool_id)
    return pool


async def describe_resource_pool(request: web.Request) -> web.Response:
    """DescribeResourcePool: the pool's fields at the top level (Go resourcepool.go:103-105)."""
    request.app[SIM].now()
    return answer(request, pool_v2(pool_in_query(request)))


async def describe_resource_pool_overview(request: web.Request) -> web.Response:
    """DescribeResourcePoolOverview: every pool's nodes and GPUs by pool type; no parameter.

    Go sends the action alone (services/aihc/v2/resourcepool/client.go:84-94), as Python does
    (resource_pool_client.py:110-132).
    """
    sim = request.app[SIM]
    sim.now()
    return answer(request, overview_v2(sim.world.pools.values()))


def _render(request: web.Request, queue: Queue, now: float, depth: int = 0) -> dict[str, object]:
    """Render a queue as Go's QueueSpec (queue.go:48-83), its children nested."""
    world = request.app[SIM].world
    counts = _counts(request, queue, now)
    children = [
        q for q in world.queues[queue.pool_id].values() if q.parent == queue.name and q is not queue
    ]
    body: dict[str, object] = {
        "queueId": queue_id(queue),
        "queueName": queue.name,
        "description": queue.description,
        "queueType": queue.queue_type,
        "resourcePoolId": queue.pool_id,
        "createdAt": rfc3339(queue.created_at),
        "updatedAt": rfc3339(queue.created_at),
        # Go: "父队列，默认为 root 队列" (queue.go:59); v1 names the root by its hash.
        "parentQueue": "root" if queue.parent == ROOT_QUEUE_NAME else queue.parent,
        "opened": queue.state == "Open",
        "reclaimable": queue.reclaimable,
        "disableOversell": queue.disable_oversell,
        "queueingStrategy": queue.queueing_strategy,
        "allocated": amount_v2(_allocated(request, queue, now)),
        "runningJobs": counts["running"],
        "inqueueJobs": counts["inqueue"],
        "pendingJobs": counts["pending"],
        "children": [_render(request, c, now, depth + 1) for c in children]
        if depth < _MAX_DEPTH
        else [],
    }
    for key in ("capability", "deserved", "guarantee"):
        quota = getattr(queue, key)
        if quota:
            body[key] = amount_v2(quota)
    return body


async def describe_queues(request: web.Request) -> web.Response:
    """DescribeQueues: a pool's queues as a tree under `root`, unpaged.

    Go notes that paging does not apply to self-operated pools' queues, which come as a tree
    (queue.go:30); Python sends `pageNumber`/`pageSize` (resource_pool_client.py:201-204), Go
    `PageNumber`/`PageSize` (services/aihc/v2/queue/client.go:69-70); both are accepted and echoed.
    A `keyword` lists the queues whose names hold it, each with its subtree.
    """
    sim = request.app[SIM]
    now = sim.now()
    pool = pool_in_query(request)
    queues = sim.world.queues[pool.id]
    keyword = request.query.get("keyword", "")
    if keyword:
        picked = [q for q in queues.values() if keyword in q.name and q.name != ROOT_QUEUE_NAME]
    else:
        picked = [q for q in queues.values() if q.parent == ROOT_QUEUE_NAME and q.name != q.parent]
    picked.sort(key=lambda q: (q.created_at, q.name))
    go_style = "pageNumber" not in request.query and "PageNumber" in request.query
    number, size_name = ("PageNumber", "PageSize") if go_style else ("pageNumber", "pageSize")
    page_no, size = page_of(request, number=number, size=size_name)
    return answer(
        request,
        {
            "keywordType": request.query.get("keywordType", ""),
            "keyword": keyword,
            "pageNumber": page_no,
            "pageSize": size,
            "totalCount": len(picked),
            "queues": [_render(request, q, now) for q in picked],
        },
    )


async def describe_queue(request: web.Request) -> web.Response:
    """DescribeQueue: one queue by `queueId` (see `wire_v2.queue_id`), fields at the top level."""
    sim = request.app[SIM]
    now = sim.now()
    raw = required(request, "queueId")
    pool_id, sep, name = raw.rpartition(QUEUE_ID_SEPARATOR)
    queue = sim.world.queues.get(pool_id, {}).get(name) if sep else None
    if queue is None:
        raise queue_not_found(raw)
    return answer(request, _render(request, queue, now))


POOL_ACTIONS: dict[str, Handler] = {
    "DescribeResourcePools": describe_resource_pools,
    "DescribeResourcePool": describe_resource_pool,
    "DescribeResourcePoolOverview": describe_resource_pool_overview,
    "DescribeQueues": describe_queues,
    "DescribeQueue": describe_queue,
}


def action_of(request: web.Request) -> str:
    """Return the request's `action`, answering 400 when it is missing."""
    action = request.query.get("action", "")
    if not action:
        raise ApiError(400, "InvalidAction", "the action query parameter is required")
    return action
