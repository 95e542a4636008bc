"""Job create, list, detail, delete, priority and stop, as the document shows them."""

from __future__ import annotations

from typing import Any

from bot.simulator.create import OUTCOME_LABEL
from tests.simulator.conftest import Sim, job_request


async def _pool(sim: Sim) -> str:
    return next(iter((await sim.pools()).values()))


async def _create(sim: Sim, pool: str, body: dict[str, Any], **params: str) -> dict[str, Any]:
    response = await sim.api.post(
        "/api/v1/aijobs", params={"resourcePoolId": pool, **params}, json=body
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


async def test_a_created_job_is_listed_and_detailed_with_its_pods(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    created = await _create(empty_sim, pool, job_request("llama-pretrain"))
    assert created["jobId"].startswith("pytorchjob-")
    assert created["jobName"] == "llama-pretrain"
    listed = await empty_sim.jobs(pool)
    assert [j["name"] for j in listed] == ["llama-pretrain"]
    assert listed[0]["status"] == "Created"
    assert listed[0]["finishedAt"] == ""
    detail = (
        await empty_sim.api.get(
            f"/api/v1/aijobs/{created['jobId']}", params={"resourcePoolId": pool}
        )
    ).json()["result"]
    pods = [p["objectMeta"]["name"] for p in detail["podList"]["pods"]]
    assert pods == ["llama-pretrain-master-0", "llama-pretrain-worker-0"]
    assert detail["podList"]["listMeta"]["totalItems"] == 2


async def test_an_mpi_job_has_a_launcher(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    created = await _create(empty_sim, pool, job_request("nccl-test", jobFramework="MPIJob"))
    assert created["jobId"].startswith("mpijob-")
    detail = (
        await empty_sim.api.get(
            f"/api/v1/aijobs/{created['jobId']}", params={"resourcePoolId": pool}
        )
    ).json()["result"]
    names = [p["objectMeta"]["name"] for p in detail["podList"]["pods"]]
    assert names == ["nccl-test-launcher-0", "nccl-test-worker-0", "nccl-test-worker-1"]


async def test_a_job_name_in_use_is_refused(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    await _create(empty_sim, pool, job_request("once"))
    clash = await empty_sim.api.post(
        "/api/v1/aijobs", params={"resourcePoolId": pool}, json=job_request("once")
    )
    assert clash.status_code == 409


async def test_bad_create_requests_are_refused(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    cases = [
        ({"resourcePoolId": pool}, {"name": "no-spec"}, 400),
        ({"resourcePoolId": pool}, job_request("Bad_Name"), 400),
        ({"resourcePoolId": pool}, job_request("x", priority="urgent"), 400),
        ({"resourcePoolId": pool}, job_request("x", queue="nope"), 404),
        ({}, job_request("x"), 400),
        ({"resourcePoolId": "cce-missing"}, job_request("x"), 404),
        (
            {"resourcePoolId": pool},
            job_request(
                "x", jobSpec={"image": "i", "resources": [{"name": "gpu", "quantity": "8x"}]}
            ),
            400,
        ),
        ({"resourcePoolId": pool}, job_request("x", jobSpec={"image": "i", "replicas": 0}), 400),
        ({"resourcePoolId": pool}, job_request("x", labels="oops"), 400),
    ]
    for params, body, status in cases:
        response = await empty_sim.api.post("/api/v1/aijobs", params=params, json=body)
        assert response.status_code == status, (params, body, response.text)


async def test_list_pages_sorts_and_filters_by_queue(sim: Sim) -> None:
    pool = (await sim.pools())["llm-a800-pool"]
    jobs = await sim.jobs(pool)
    created = [j["createdAt"] for j in jobs]
    assert created == sorted(created, reverse=True)
    oldest = await sim.jobs(pool, order="asc", pageSize=3)
    assert [j["jobId"] for j in oldest] == [j["jobId"] for j in reversed(jobs)][:3]
    second = await sim.jobs(pool, pageSize=3, pageNo=2)
    assert [j["jobId"] for j in second] == [j["jobId"] for j in jobs][3:6]
    sft = await sim.jobs(pool, queue="llm-sft")
    assert sft
    assert {j["queue"] for j in sft} == {"llm-sft"}
    assert len(await sim.jobs(pool, queue="all")) == len(jobs)


async def test_page_size_is_capped_at_100(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    for i in range(105):
        await _create(empty_sim, pool, job_request(f"job-{i}"))
    body = (
        await empty_sim.api.get("/api/v1/aijobs", params={"resourcePoolId": pool, "pageSize": 500})
    ).json()["result"]
    assert body["pageSize"] == 100
    assert len(body["jobs"]) == 100
    assert body["total"] == 105


async def test_order_by_finished_at_puts_the_latest_finish_first(sim: Sim) -> None:
    pool = (await sim.pools())["llm-a800-pool"]
    jobs = await sim.jobs(pool, orderBy="finishedAt")
    finished = [j["finishedAt"] for j in jobs if j["finishedAt"]]
    assert len(finished) >= 3
    assert [j["finishedAt"] for j in jobs[: len(finished)]] == sorted(finished, reverse=True)


async def test_unknown_and_deleted_jobs_answer_not_found(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    missing = await empty_sim.api.get(
        "/api/v1/aijobs/pytorchjob-nope", params={"resourcePoolId": pool}
    )
    assert missing.status_code == 404
    assert missing.json()["code"] == "cce.warning.GetAIJobByJobIdFailed"
    assert missing.json()["message"] == "not found job"
    job = await _create(empty_sim, pool, job_request("short-lived"))
    path, params = f"/api/v1/aijobs/{job['jobId']}", {"resourcePoolId": pool}
    deleted = await empty_sim.api.delete(path, params=params)
    assert deleted.json()["result"] == job
    assert (await empty_sim.api.get(path, params=params)).status_code == 404
    assert (await empty_sim.api.delete(path, params=params)).status_code == 404
    assert await empty_sim.jobs(pool) == []


async def test_priority_changes_and_bad_priorities(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    job = await _create(empty_sim, pool, job_request("urgent"))
    path, params = f"/api/v1/aijobs/{job['jobId']}", {"resourcePoolId": pool}
    changed = await empty_sim.api.put(path, params=params, json={"priority": "high"})
    assert changed.json()["result"] == {"jobId": job["jobId"]}
    assert (await empty_sim.jobs(pool))[0]["priority"] == "high"
    refused = await empty_sim.api.put(path, params=params, json={"priority": "asap"})
    assert refused.status_code == 400


async def test_stop_ends_in_manual_termination_and_cannot_repeat(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    body = job_request("stop-me", labels=[{"key": OUTCOME_LABEL, "value": "running"}])
    job = await _create(empty_sim, pool, body)
    await empty_sim.advance(600)
    path, params = f"/api/v1/aijobs/{job['jobId']}/stop", {"resourcePoolId": pool}
    stopped = await empty_sim.api.post(path, params=params)
    assert stopped.json()["result"] == {"jobId": job["jobId"]}
    listed = (await empty_sim.jobs(pool))[0]
    assert listed["status"] == "ManualTermination"
    assert listed["finishedAt"] != ""
    again = await empty_sim.api.post(path, params=params)
    assert again.status_code == 400
    assert again.json()["code"] == "cce.warning.StopAIJobFailed"


async def test_a_job_is_only_found_in_its_own_pool(sim: Sim) -> None:
    pools = await sim.pools()
    job = (await sim.jobs(pools["llm-a800-pool"]))[0]
    wrong = await sim.api.get(
        f"/api/v1/aijobs/{job['jobId']}", params={"resourcePoolId": pools["cv-h800-pool"]}
    )
    assert wrong.status_code == 404


async def test_malformed_parameters_get_400_never_500(sim: Sim) -> None:
    job = await sim.job_named("llama2-13b-pretrain-7")
    pool = job["resourcePoolId"]
    base = f"/api/v1/aijobs/{job['jobId']}"
    cases = [
        ("/api/v1/aijobs", {"resourcePoolId": pool, "pageNo": "abc"}),
        ("/api/v1/aijobs", {"resourcePoolId": pool, "pageSize": "0"}),
        ("/api/v1/aijobs", {"resourcePoolId": pool, "order": "sideways"}),
        ("/api/v1/aijobs", {"resourcePoolId": pool, "orderBy": "name"}),
        ("/api/v1/resourcepools", {"orderBy": "size"}),
        (
            f"{base}/pods/llama2-13b-pretrain-7-master-0/logs",
            {"resourcePoolId": pool, "maxLines": "-1"},
        ),
        (
            f"{base}/pods/llama2-13b-pretrain-7-master-0/logs",
            {"resourcePoolId": pool, "chunk": "x"},
        ),
        (
            f"{base}/events",
            {"resourcePoolId": pool, "jobFramework": "PyTorchJob", "startTime": "now"},
        ),
        (
            f"{base}/metrics",
            {"resourcePoolId": pool, "metricType": "GpuUsage", "startTime": "9", "endTime": "1"},
        ),
        (
            f"{base}/metrics",
            {"resourcePoolId": pool, "metricType": "GpuUsage", "timeStep": "1", "startTime": "0"},
        ),
        (base, {}),
    ]
    for path, params in cases:
        response = await sim.api.get(path, params=params)
        assert response.status_code == 400, (path, params, response.text)
        assert set(response.json()) == {"requestId", "code", "message"}


async def test_a_created_job_lists_the_resources_it_asked_for(empty_sim: Sim) -> None:
    pool = await _pool(empty_sim)
    spec = job_request("sized")["jobSpec"]
    spec["resources"] = [
        {"name": "cpu", "quantity": 1.5},
        {"name": "baidu.com/a800_80g_cgpu", "quantity": 4},
    ]
    await _create(empty_sim, pool, job_request("sized", jobSpec=spec))
    listed = (await empty_sim.jobs(pool))[0]
    assert listed["resources"] == spec["resources"]
