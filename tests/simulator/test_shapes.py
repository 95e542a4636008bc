"""`SimConfig.shapes`: live answers as Baidu's Go SDK reads them, document ones as its examples."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.limits import Limits
from bot.domain import ROOT_QUEUE_NAME, QueueSpec
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve
from tests.simulator.conftest import SEED, START, Sim, config, job_request, signed

POD = "llama2-13b-pretrain-7-master-0"


async def _no_wait(seconds: float) -> None:
    del seconds


@asynccontextmanager
async def _sim(**overrides: Any) -> AsyncIterator[tuple[Sim, AihcClient]]:
    async with (
        serve(config(**overrides)) as running,
        signed(running.url) as api,
        running.control_client(timeout=60) as ctl,
        AihcClient(
            running.url,
            DEFAULT_ACCESS_KEY,
            SecretStr(DEFAULT_SECRET_KEY),
            sleep=_no_wait,
            limits=Limits(rate_per_second=10_000, burst=10_000),
        ) as client,
    ):
        yield Sim(running, api, ctl), client


async def _log(sim: Sim, job: dict[str, Any], **params: Any) -> dict[str, Any]:
    query = {"resourcePoolId": job["resourcePoolId"], **params}
    response = await sim.api.get(f"/api/v1/aijobs/{job['jobId']}/pods/{POD}/logs", params=query)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


async def test_live_queues_nest_with_their_job_counts() -> None:
    async with _sim(scenario="empty", shapes="live") as (sim, client):
        pool_id = next(iter((await sim.pools()).values()))
        await client.create_queue(pool_id, QueueSpec(name="team-a"))
        await client.create_queue(pool_id, QueueSpec(name="team-a-dev", parent_queue="team-a"))
        for name in ("one", "two"):
            body = job_request(name, queue="team-a-dev", labels={"aihc-sim/outcome": "running"})
            body["jobSpec"]["resources"] = [{"name": "baidu.com/a800_80g_cgpu", "quantity": 1}]
            made = await sim.api.post(
                "/api/v1/aijobs", params={"resourcePoolId": pool_id}, json=body
            )
            assert made.status_code == 200, made.text
        await sim.advance(3600)
        queues = {q.name: q for q in await client.all_queues(pool_id)}
        root = queues[ROOT_QUEUE_NAME]
        team = next(q for q in root.children if q.name == "team-a")
        (dev,) = team.children
        assert dev.name == "team-a-dev"
        assert (dev.running, dev.inqueue, dev.pending) == (2, 0, 0)
        assert queues["team-a-dev"].running == 2
        assert (await client.get_queue(pool_id, "team-a")).children[0].name == "team-a-dev"


async def test_document_queues_are_flat_and_carry_no_counts() -> None:
    async with _sim(scenario="empty", shapes="document") as (sim, client):
        pool_id = next(iter((await sim.pools()).values()))
        await client.create_queue(pool_id, QueueSpec(name="team-a"))
        await client.create_queue(pool_id, QueueSpec(name="team-a-dev", parent_queue="team-a"))
        raw = await sim.api.get(f"/api/v1/resourcepools/{pool_id}/queue")
        for queue in raw.json()["result"]["queues"]:
            assert not {"children", "running", "inqueue", "pending"} & set(queue)
        queues = {q.name: q for q in await client.all_queues(pool_id)}
        assert queues["team-a-dev"].parent == "team-a"
        assert queues["team-a"].children == ()


async def test_a_three_page_log_is_followed_to_its_end() -> None:
    async with (
        _sim(shapes="document") as (whole, whole_client),
        _sim(shapes="live", log_page_lines=10) as (paged, client),
    ):
        job = await paged.job_named("llama2-13b-pretrain-7")
        first = await _log(paged, job, maxLines=25)
        assert first["nextMarker"]
        second = await _log(paged, job, maxLines=25, marker=first["nextMarker"])
        third = await _log(paged, job, maxLines=25, marker=second["nextMarker"])
        assert second["nextMarker"]
        assert second["nextMarker"] != first["nextMarker"]
        assert third["nextMarker"] == ""
        logs = await client.pod_logs(job["resourcePoolId"], job["jobId"], POD, max_lines=25)
        expected = await whole_client.pod_logs(
            job["resourcePoolId"], job["jobId"], POD, max_lines=25
        )
        assert "nextMarker" not in await _log(whole, job, maxLines=25)
    assert len(expected.lines) == 25
    assert logs.lines == expected.lines
    assert logs.next_marker == ""


async def test_gos_chunck_spelling_groups_lines_too() -> None:
    async with _sim(shapes="live") as (sim, _):
        job = await sim.job_named("llama2-13b-pretrain-7")
        for key in ("chunk", "chunck"):
            records = (await _log(sim, job, maxLines=6, **{key: 2}))["logs"]
            assert [record.count("\n") for record in records] == [2, 2, 2]


async def test_a_cli_style_memory_quantity_is_accepted_on_create() -> None:
    async with _sim(scenario="empty", shapes="live") as (sim, client):
        pool_id = next(iter((await sim.pools()).values()))
        body = job_request("cli-made")
        # The aihc CLI 1.1.1 writes job memory as "<n>GB" (aihc_cli_py/job.py:55-59).
        body["jobSpec"]["resources"] += [
            {"name": "cpu", "quantity": "16"},
            {"name": "memory", "quantity": "16.0GB"},
        ]
        made = await sim.api.post("/api/v1/aijobs", params={"resourcePoolId": pool_id}, json=body)
        assert made.status_code == 200, made.text
        (job,) = await client.all_jobs(pool_id)
        assert job.name == "cli-made"
        body["name"] = "nonsense"
        body["jobSpec"]["resources"][-1] = {"name": "memory", "quantity": "lots"}
        refused = await sim.api.post(
            "/api/v1/aijobs", params={"resourcePoolId": pool_id}, json=body
        )
        assert refused.status_code == 400


async def test_document_shapes_carry_no_live_only_fields() -> None:
    async with _sim(shapes="document") as (sim, _):
        job = await sim.job_named("llama2-13b-pretrain-7")
        assert not {"scheduledAt", "runningAt"} & set(job)
        detail = await sim.api.get(
            f"/api/v1/aijobs/{job['jobId']}", params={"resourcePoolId": job["resourcePoolId"]}
        )
        result = detail.json()["result"]
        assert result["jobFramework"] == "PyTorchJob"
        for pod in result["podList"]["pods"]:
            assert not {"reason", "finishedAt"} & set(pod)
        pool = await sim.api.get(f"/api/v1/resourcepools/{job['resourcePoolId']}")
        assert "gpuDetail" not in pool.json()["result"]["resourcePool"]["status"]
        nodes = await sim.api.get(f"/api/v1/resourcepools/{job['resourcePoolId']}/nodes")
        for node in nodes.json()["result"]["nodes"]:
            assert not {"gpuDescriptor", "cpuTotal", "memoryTotal"} & set(node)


async def test_live_shapes_are_the_default() -> None:
    assert SimConfig().shapes == "live"
    async with (
        serve(SimConfig(seed=SEED, clock_speed=0.0, start=START)) as running,
        signed(running.url) as api,
    ):
        pools = (await api.get("/api/v1/resourcepools")).json()["result"]["resourcePools"]
        assert all(pool["status"]["gpuDetail"] for pool in pools)
