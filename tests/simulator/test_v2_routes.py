"""The v2 route refuses what BCE refuses, and `--api` hides the API it does not serve."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from baidubce.auth import bce_v1_signer
from baidubce.auth.bce_credentials import BceCredentials

from bot.cli import build_parser
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, serve
from bot.simulator.routes_v2_actions import ACTIONS
from tests.simulator.conftest import Sim, config, signed
from tests.simulator.test_cli import _interrupt, _start
from tests.simulator.v2_oracle import Oracle, baidu_client, oracle

_POOLS = {"action": "DescribeResourcePools", "resourcePoolType": "common"}


def _error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert set(body) == {"requestId", "code", "message"}
    return response.status_code, body["code"], body["message"]


async def test_a_wrong_secret_is_refused_on_pool_and_job_actions() -> None:
    async with oracle() as o:
        pool = next(iter(o.running.simulator.world.pools))
        wrong = Oracle(o.running, baidu_client(o.running.url, sk="not-the-secret"), o.opened)
        for method, args in (
            (wrong.client.DescribeResourcePools, ("common",)),
            (wrong.client.DescribeJobs, (pool,)),
        ):
            error = await wrong.refused(method, *args)
            assert (error.status_code, error.code) == (400, "SignatureDoesNotMatch")


async def test_an_unsigned_action_is_denied(sim: Sim) -> None:
    response = await sim.ctl.get("/", params=_POOLS, headers={"version": "v2"})
    assert _error(response)[:2] == (403, "AccessDenied")


async def test_an_empty_signed_header_list_covers_bces_default_headers(sim: Sim) -> None:
    # As Baidu's Python SDK signs job actions: no headers_to_sign, so content-type is signed too.
    host = httpx.URL(sim.running.url).netloc.decode()
    epoch = int(datetime.now(UTC).timestamp())
    headers = {b"host": host.encode(), b"content-type": b"application/json"}
    authorization = bce_v1_signer.sign(
        BceCredentials(DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY), b"GET", b"/", headers, _POOLS, epoch
    ).decode()
    assert "/1800//" in authorization
    sent = {"Authorization": authorization, "version": "v2"}
    good = await sim.ctl.get(
        "/", params=_POOLS, headers={**sent, "content-type": "application/json"}
    )
    bad = await sim.ctl.get("/", params=_POOLS, headers={**sent, "content-type": "text/plain"})
    assert good.status_code == 200, good.text
    assert _error(bad)[:2] == (400, "SignatureDoesNotMatch")


async def test_an_unknown_action_is_named_in_a_clear_refusal(sim: Sim) -> None:
    response = await sim.api.get("/", params={"action": "CreateQueue"}, headers={"version": "v2"})
    assert _error(response) == (400, "InvalidAction", "unknown action 'CreateQueue'")
    missing = await sim.api.get("/", headers={"version": "v2"})
    assert _error(missing)[:2] == (400, "InvalidAction")


async def test_the_wrong_method_or_a_missing_version_header_is_refused(sim: Sim) -> None:
    as_post = await sim.api.post("/", params=_POOLS, headers={"version": "v2"})
    assert _error(as_post)[:2] == (405, "MethodNotAllowed")
    unversioned = await sim.api.get("/", params=_POOLS)
    assert _error(unversioned) == (
        400,
        "InvalidHTTPRequest",
        "action DescribeResourcePools needs the header version: v2",
    )
    job_as_get = await sim.api.get("/", params={"action": "DescribeJobs"})
    assert _error(job_as_get)[:2] == (405, "MethodNotAllowed")


async def test_v2_calls_are_counted_by_action(sim: Sim) -> None:
    await sim.api.get("/", params=_POOLS, headers={"version": "v2"})
    await sim.api.get("/", params={"action": "Nope"}, headers={"version": "v2"})
    stats = (await sim.ctl.get("/_sim/stats")).json()
    assert stats["by_operation"]["v2:DescribeResourcePools"] == {"200": 1}
    assert stats["by_operation"]["v2:unknown"] == {"400": 1}


async def test_api_v1_hides_v2_and_api_v2_hides_v1() -> None:
    async with oracle(api="v1") as o, signed(o.running.url) as api:
        error = await o.refused(o.client.DescribeResourcePools, "common")
        assert (error.status_code, error.code) == (404, "InvalidURI")
        assert (await api.get("/api/v1/resourcepools")).status_code == 200
    async with oracle(api="v2") as o, signed(o.running.url) as api:
        assert _error(await api.get("/api/v1/resourcepools"))[:2] == (404, "InvalidURI")
        answer = await o.call(o.client.DescribeResourcePools, "common")
        assert answer.totalCount == len(o.running.simulator.world.pools)


async def test_both_apis_are_served_by_default_and_see_one_world() -> None:
    async with oracle() as o, signed(o.running.url) as api:
        pool = next(iter(o.running.simulator.world.pools))
        v1 = (
            await api.get("/api/v1/aijobs", params={"resourcePoolId": pool, "pageSize": 100})
        ).json()
        v2 = await o.call(o.client.DescribeJobs, pool, pageSize=100)
        assert [j["jobId"] for j in v1["result"]["jobs"]] == [j.jobId for j in v2.jobs]
    assert build_parser().parse_args(["simulator"]).api == "both"
    assert config().api == "both"


def test_every_action_of_baidus_job_and_pool_clients_named_in_the_issue_is_served() -> None:
    wanted = {
        "DescribeResourcePools", "DescribeResourcePool", "DescribeQueues", "DescribeQueue",
        "DescribeJobs", "DescribeJob", "CreateJob", "StopJob", "DeleteJob", "ModifyJob",
        "DescribeJobEvents", "DescribePodEvents", "DescribeJobLogs", "DescribeJobMetrics",
        "DescribeJobNodes", "DescribeJobWebterminal",
    }  # fmt: skip
    assert wanted <= ACTIONS


async def test_the_command_with_api_v2_serves_v2_only() -> None:
    process, url, _ = await _start("--api", "v2")
    try:
        async with signed(url) as api:
            v2 = await api.get("/", params=_POOLS, headers={"version": "v2"})
            v1 = await api.get("/api/v1/resourcepools")
        assert v2.status_code == 200
        assert sorted(p["name"] for p in v2.json()["resourcePools"]) == [
            "cv-h800-pool",
            "llm-a800-pool",
        ]
        assert _error(v1)[:2] == (404, "InvalidURI")
    finally:
        assert await _interrupt(process) == 0


async def test_configured_keys_apply_to_v2_too() -> None:
    async with serve(config(access_key="AKV2", secret_key="SKV2")) as running:
        async with signed(running.url, "AKV2", "SKV2") as api:
            ok = await api.get("/", params=_POOLS, headers={"version": "v2"})
        async with signed(running.url) as api:
            refused = await api.get("/", params=_POOLS, headers={"version": "v2"})
    assert ok.status_code == 200
    assert _error(refused)[:2] == (403, "InvalidAccessKeyId")
