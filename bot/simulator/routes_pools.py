"""Pool routes: detail, list, nodes."""

from __future__ import annotations

from aiohttp import web

from bot.simulator.errors import pool_not_found
from bot.simulator.model import Pool
from bot.simulator.params import choice, descending, ok, paging
from bot.simulator.state import Simulator
from bot.simulator.wire import node_body, pool_body

SIM = web.AppKey("simulator", Simulator)
_POOL_ORDER = ("createdAt", "clusterName", "clusterID")


def pool_of(request: web.Request, pool_id: str) -> Pool:
    """Return the pool named in the request, or answer 404."""
    pool = request.app[SIM].world.pools.get(pool_id)
    if pool is None:
        raise pool_not_found(pool_id)
    return pool


async def get_pool(request: web.Request) -> web.Response:
    """GET /api/v1/resourcepools/{poolId}."""
    sim = request.app[SIM]
    sim.now()
    pool = pool_of(request, request.match_info["poolId"])
    return ok(request, {"resourcePool": pool_body(pool, live=sim.config.live)})


async def list_pools(request: web.Request) -> web.Response:
    """GET /api/v1/resourcepools: paged; `total` as the SDKs read it, `totalCount` as documented."""
    sim = request.app[SIM]
    sim.now()
    page_no, size = paging(request)
    order_by = choice(request, "orderBy", _POOL_ORDER)
    desc = descending(request)
    keys = {
        "createdAt": lambda p: (p.created_at, p.id),
        "clusterName": lambda p: (p.name, p.id),
        "clusterID": lambda p: (p.id, p.id),
    }
    pools = sorted(sim.world.pools.values(), key=keys[order_by], reverse=desc)
    page = pools[(page_no - 1) * size : page_no * size]
    result = {
        "resourcePools": [pool_body(p, live=sim.config.live) for p in page],
        "total": len(pools),
        "totalCount": len(pools),
        "orderBy": order_by,
        "order": "desc" if desc else "asc",
        "pageNo": page_no,
        "pageSize": size,
    }
    return ok(request, result)


async def list_nodes(request: web.Request) -> web.Response:
    """GET /api/v1/resourcepools/{poolId}/nodes."""
    sim = request.app[SIM]
    sim.now()
    pool = pool_of(request, request.match_info["poolId"])
    page_no, size = paging(request)
    desc = descending(request)
    nodes = list(reversed(pool.nodes)) if desc else list(pool.nodes)
    page = nodes[(page_no - 1) * size : page_no * size]
    result = {
        "total": len(nodes),
        "nodes": [node_body(n, pool.gpu_resource, live=sim.config.live) for n in page],
        "pageNo": page_no,
        "pageSize": size,
        "orderBy": "createdAt",
        "order": "desc" if desc else "asc",
    }
    return ok(request, result)


def register(app: web.Application) -> None:
    """Add the pool routes."""
    base = "/api/v1/resourcepools"
    app.router.add_get(base, list_pools, name="list_pools")
    app.router.add_get(base + "/{poolId}", get_pool, name="get_pool")
    app.router.add_get(base + "/{poolId}/nodes", list_nodes, name="list_nodes")
