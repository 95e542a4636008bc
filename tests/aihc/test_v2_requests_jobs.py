"""Our v2 job actions send what Baidu's own client (bce-python-sdk `AihcClient`) sends.

Each test makes one call with Baidu's client and the same call with ours on one simulator and
compares what the service received (`tests.aihc.v2_requests.Sent`). Where the two cannot be
equal, the test says why and compares the rest.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from baidubce.services.aihc.modules.job.job_model import JobSpec as BaiduSpec
from baidubce.services.aihc.modules.job.job_model import Label, Resource

from bot.aihc.once import REQUEST_LABEL
from bot.domain import JobSpec, JobStatus, MetricType, Priority
from bot.domain import Resource as OurResource
from tests.aihc.v2_requests import Sent, twins
from tests.simulator.conftest import START

SINCE = datetime.fromtimestamp(START, UTC) - timedelta(hours=2)
UNTIL = datetime.fromtimestamp(START, UTC)


def _unix(moment: datetime) -> int:
    return int(moment.timestamp())


async def test_a_job_list_without_filters_is_sent_as_baidus() -> None:
    async with twins() as t:
        pool = t.baidu.running_job().pool_id
        baidu = await t.baidu_sends(t.baidu.client.DescribeJobs, pool, pageNumber=1, pageSize=100)
        ours = await t.we_send(t.ours.list_jobs(pool, page_no=1, page_size=100))
        assert ours == baidu
        # The pool alone in the query; paging in the body (job_client.py:60-89).
        assert ("queueID", pool) not in ours.query
        assert ours.body == {"pageNumber": 1, "pageSize": 100}


async def test_a_job_list_with_every_filter_is_sent_as_baidus() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        baidu = await t.baidu_sends(
            t.baidu.client.DescribeJobs,
            job.pool_id,
            queue=job.queue,
            status="Running",
            orderBy="createdAt",
            order="desc",
            pageNumber=2,
            pageSize=5,
        )
        call = t.ours.list_jobs(
            job.pool_id,
            queue=job.queue,
            status=JobStatus.RUNNING,
            order_by="createdAt",
            order="desc",
            page_no=2,
            page_size=5,
        )
        assert await t.we_send(call) == baidu


async def test_a_job_detail_is_sent_as_baidus() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        baidu = await t.baidu_sends(t.baidu.client.DescribeJob, job.pool_id, job.queue, job.id)
        ours = await t.we_send(t.ours.get_job(job.pool_id, job.id, queue=job.queue))
        assert ours == baidu


async def test_priority_stop_and_delete_are_sent_as_baidus() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        pool, queue, client = job.pool_id, job.queue, t.baidu.client
        baidu = await t.baidu_sends(client.ModifyJob, pool, queue, job.id, "low")
        ours = await t.we_send(t.ours.set_job_priority(pool, job.id, Priority.LOW, queue=queue))
        assert ours == baidu
        # Baidu's stop and delete act first; ours are then refused, which is fine here.
        baidu = await t.baidu_sends(client.StopJob, pool, queue, job.id)
        assert await t.we_send(t.ours.stop_job(pool, job.id, queue=queue)) == baidu
        baidu = await t.baidu_sends(client.DeleteJob, pool, queue, job.id)
        assert await t.we_send(t.ours.delete_job(pool, job.id, queue=queue)) == baidu


async def test_events_of_a_job_and_of_a_pod_are_sent_as_baidus() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        pool, queue, pod, client = job.pool_id, job.queue, job.pod_names[0], t.baidu.client
        window = {"startTime": _unix(SINCE), "endTime": _unix(UNTIL)}
        baidu = await t.baidu_sends(client.DescribeJobEvents, pool, queue, job.id, **window)
        ours = await t.we_send(t.ours.job_events(pool, job.id, start=SINCE, end=UNTIL, queue=queue))
        assert ours == baidu
        # v2 takes no framework: ours leaves the one it is given out (job_client.py:216-229).
        assert "jobFramework" not in str(ours)
        baidu = await t.baidu_sends(client.DescribeJobPodEvents, pool, queue, job.id, pod, **window)
        ours = await t.we_send(
            t.ours.pod_events(pool, job.id, pod, start=SINCE, end=UNTIL, queue=queue)
        )
        assert ours == baidu


async def test_a_page_of_logs_is_sent_as_baidus() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        pod = job.pod_names[0]
        baidu = await t.baidu_sends(
            t.baidu.client.DescribeJobLogs,
            job.pool_id,
            job.queue,
            job.id,
            pod,
            startTime=_unix(SINCE),
            maxLines=20,
            chunkSize=4,
        )
        call = t.ours.pod_logs(
            job.pool_id, job.id, pod, start=SINCE, max_lines=20, chunk=4, queue=job.queue
        )
        assert await t.we_send(call) == baidu


async def test_metrics_nodes_and_a_web_terminal_are_sent_as_baidus() -> None:
    async with twins() as t:
        job = t.baidu.running_job()
        pool, queue, client = job.pool_id, job.queue, t.baidu.client
        baidu = await t.baidu_sends(
            client.DescribeJobMetrics,
            pool,
            queue,
            job.id,
            "GpuUsage",
            startTime=_unix(SINCE),
            endTime=_unix(UNTIL),
            timeStep=60,
        )
        call = t.ours.job_metrics(
            pool, job.id, MetricType.GPU_USAGE, start=SINCE, end=UNTIL, time_step=60, queue=queue
        )
        assert await t.we_send(call) == baidu
        baidu = await t.baidu_sends(client.DescribeJobNodes, pool, queue, job.id)
        assert await t.we_send(t.ours.job_nodes(pool, job.id, queue=queue)) == baidu
        pod = job.pod_names[0]
        baidu = await t.baidu_sends(
            client.DescribeJobWebterminal,
            pool,
            queue,
            job.id,
            pod,
            handshakeTimeoutSecond=30,
            pingTimeoutSecond=600,
        )
        call = t.ours.web_terminal(
            pool, job.id, pod, handshake_timeout=30, ping_timeout=600, queue=queue
        )
        assert await t.we_send(call) == baidu


async def test_a_create_is_sent_as_baidus_but_for_what_makes_it_at_most_once() -> None:
    async with twins(scenario="empty") as t:
        world = t.baidu.running.simulator.world
        pool = next(iter(world.pools.values()))
        gpu = pool.gpu_resource
        baidu = await t.baidu_sends(
            t.baidu.client.CreateJob,
            pool.id,
            "default",
            "train",
            "python train.py",
            BaiduSpec(
                image="registry/train:1",
                replicas=2,
                resources=[Resource(gpu, "8")],
                envs=[],
                enableRDMA=True,
            ),
            jobType="PyTorchJob",
            labels=[Label(REQUEST_LABEL, "slack-k")],
            priority="high",
            dataSources=[],
            enableBccl=False,
            faultTolerance=False,
        )
        # The same name may be taken once: Baidu's job goes before ours is made.
        world.remove_job(next(iter(world.jobs.values())))
        spec = JobSpec(
            name="train",
            image="registry/train:1",
            command="python train.py",
            queue="default",
            replicas=2,
            resources=(OurResource(name=gpu, quantity=8),),
            enable_rdma=True,
            priority=Priority.HIGH,
        )
        ours = await t.we_send(t.ours.create_job(pool.id, spec, client_token="slack-k"))
        assert len(world.jobs) == 1
    assert (ours.method, ours.path, ours.query, ours.headers) == (
        baidu.method,
        baidu.path,
        baidu.query,
        baidu.headers,
    )
    assert _without_differences(ours) == _without_differences(baidu)
    # Ours repeats the queue in the body: v2's CreateJob document requires it there
    # (https://cloud.baidu.com/doc/AIHC/s/Hmayv96tj); Python sends it in the query alone.
    assert ours.body["queue"] == "default"
    assert "queue" not in baidu.body
    # Resource quantities: ours numbers, as v1's create sends them; Python's model strings.
    assert ours.body["jobSpec"]["resources"] == [{"name": gpu, "quantity": 8}]
    assert baidu.body["jobSpec"]["resources"] == [{"name": gpu, "quantity": "8"}]


def _without_differences(sent: Sent) -> object:
    """Return a create's body without the parts the test above compares on their own."""
    body = {key: value for key, value in sent.body.items() if key != "queue"}
    job_spec = {key: value for key, value in body["jobSpec"].items() if key != "resources"}
    return {**body, "jobSpec": job_spec}
