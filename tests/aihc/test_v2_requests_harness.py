"""The request recorder itself: it tells two different requests apart and two equal ones not."""

from __future__ import annotations

from tests.aihc.v2_requests import twins


async def test_a_pool_list_sent_by_baidus_client_is_recorded_as_the_service_reads_it() -> None:
    async with twins() as t:
        sent = await t.baidu_sends(t.baidu.client.DescribeResourcePools, "common", pageSize=100)
        assert sent.method == "GET"
        assert sent.path == "/"
        assert ("action", "DescribeResourcePools") in sent.query
        assert ("resourcePoolType", "common") in sent.query
        assert ("version", "v2") in sent.headers
        assert sent.body is None
        other = await t.baidu_sends(t.baidu.client.DescribeResourcePools, "dedicatedV2")
        assert other != sent
        again = await t.baidu_sends(t.baidu.client.DescribeResourcePools, "common", pageSize=100)
        assert again == sent


async def test_a_job_action_sent_by_baidus_client_carries_its_json_body() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        sent = await t.baidu_sends(t.baidu.client.DescribeJob, job.pool_id, job.queue, job.id)
        assert sent.method == "POST"
        assert ("x-api-version", "v2") in sent.headers
        assert ("queueID", job.queue) in sent.query
        assert sent.body == {"jobId": job.id}
