"""Pools, nodes and queues answer in the document's shapes, quirks included."""

from __future__ import annotations

from bot.domain import ROOT_QUEUE_NAME
from tests.simulator.conftest import Sim


async def test_pool_list_carries_both_totals_and_pages(sim: Sim) -> None:
    body = (await sim.api.get("/api/v1/resourcepools", params={"pageSize": 1})).json()
    result = body["result"]
    assert result["total"] == result["totalCount"] == 2
    assert len(result["resourcePools"]) == 1
    pool = result["resourcePools"][0]
    assert set(pool) == {"metadata", "spec", "status"}
    assert pool["metadata"]["id"].startswith("cce-")
    assert pool["status"]["gpuCount"]["total"] > 0
    second = await sim.api.get("/api/v1/resourcepools", params={"pageSize": 1, "pageNo": 2})
    other = second.json()["result"]["resourcePools"][0]["metadata"]["id"]
    assert other != pool["metadata"]["id"]


async def test_pool_list_orders_by_name(sim: Sim) -> None:
    params = {"orderBy": "clusterName", "order": "asc"}
    body = (await sim.api.get("/api/v1/resourcepools", params=params)).json()
    names = [p["metadata"]["name"] for p in body["result"]["resourcePools"]]
    assert names == sorted(names) == ["cv-h800-pool", "llm-a800-pool"]


async def test_pool_detail_and_unknown_pool(sim: Sim) -> None:
    pool_id = (await sim.pools())["llm-a800-pool"]
    detail = (await sim.api.get(f"/api/v1/resourcepools/{pool_id}")).json()
    assert detail["result"]["resourcePool"]["metadata"]["name"] == "llm-a800-pool"
    missing = await sim.api.get("/api/v1/resourcepools/cce-nothere")
    assert missing.status_code == 404
    assert missing.json()["code"] == "cce.warning.ResourcePoolNotFound"


async def test_nodes_keep_the_documented_key_with_a_trailing_space(sim: Sim) -> None:
    pool_id = (await sim.pools())["llm-a800-pool"]
    result = (await sim.api.get(f"/api/v1/resourcepools/{pool_id}/nodes")).json()["result"]
    assert result["total"] == 6
    node = result["nodes"][0]
    assert "instanceName " in node
    assert "instanceID" in node
    phases = {n["statusPhase"] for n in result["nodes"]}
    assert {"running", "ready_scheduling_disabled"} <= phases


async def test_queue_list_includes_the_root_queue_and_spells_request_id_as_documented(
    sim: Sim,
) -> None:
    pool_id = (await sim.pools())["llm-a800-pool"]
    body = (await sim.api.get(f"/api/v1/resourcepools/{pool_id}/queue")).json()
    assert "requestID" in body
    assert "requestId" not in body
    queues = {q["name"]: q for q in body["result"]["queues"]}
    assert set(queues) == {
        ROOT_QUEUE_NAME,
        "default",
        "llm-pretrain",
        "llm-sft",
        "eval",
        "llm-rlhf",
    }
    assert queues[ROOT_QUEUE_NAME]["parentQueue"] == ROOT_QUEUE_NAME
    assert queues["llm-pretrain"]["deserved"]["baidu.com/a800_80g_cgpu"] == "32"


async def test_queue_create_update_get_delete(empty_sim: Sim) -> None:
    pool_id = next(iter((await empty_sim.pools()).values()))
    base = f"/api/v1/resourcepools/{pool_id}/queue"
    body = {
        "name": "demo",
        "parentQueue": "root",
        "queueType": "Regular",
        "deserved": {"cpu": 10, "gpu": 2, "memory": 20},
        "disableOversell": False,
    }
    created = (await empty_sim.api.post(base, json=body)).json()
    assert created["result"] == {"queueName": "demo"}
    assert "requestID" in created
    change = {"description": "This is a test", "guarantee": {"cpu": 3, "memory": 6.5}}
    updated = await empty_sim.api.put(f"{base}/demo", json=change)
    assert updated.json()["result"] == {"queueName": "demo"}
    queue = (await empty_sim.api.get(f"{base}/demo")).json()["result"]["queue"]
    assert queue["description"] == "This is a test"
    assert queue["deserved"] == {"cpu": "10", "gpu": "2", "memory": "20"}
    assert queue["guarantee"] == {"cpu": "3", "memory": "6.5"}
    assert queue["parentQueue"] == ROOT_QUEUE_NAME
    deleted = await empty_sim.api.delete(f"{base}/demo")
    assert deleted.json()["result"] == {"queueName": "demo"}
    gone = await empty_sim.api.get(f"{base}/demo")
    assert gone.status_code == 404
    assert gone.json()["code"] == "cce.warning.QueueNotFound"


async def test_queue_mistakes_are_refused(empty_sim: Sim) -> None:
    pool_id = next(iter((await empty_sim.pools()).values()))
    base = f"/api/v1/resourcepools/{pool_id}/queue"
    duplicate = await empty_sim.api.post(base, json={"name": "default"})
    assert duplicate.status_code == 409
    nameless = await empty_sim.api.post(base, json={"description": "x"})
    assert nameless.status_code == 400
    assert nameless.json()["code"] == "InappropriateJSON"
    broken = await empty_sim.api.post(base, content=b"{not json")
    assert broken.status_code == 400
    assert broken.json()["code"] == "MalformedJSON"
    root = await empty_sim.api.delete(f"{base}/{ROOT_QUEUE_NAME}")
    assert root.status_code == 400


async def test_queue_list_pages_oldest_first_when_asked(sim: Sim) -> None:
    pool_id = (await sim.pools())["llm-a800-pool"]
    params: dict[str, str | int] = {"order": "asc", "pageSize": 2, "pageNo": 1}
    first = (await sim.api.get(f"/api/v1/resourcepools/{pool_id}/queue", params=params)).json()
    names = [q["name"] for q in first["result"]["queues"]]
    assert first["result"]["total"] == 6
    assert names == [ROOT_QUEUE_NAME, "default"]
