"""Baidu's own v2 client works against the simulator and reads the world's values.

Every call here is made by bce-python-sdk's `AihcClient`: its requests (methods, query, headers,
bodies, signatures) are Baidu's, and its answers are parsed by Baidu's handler.
"""

from __future__ import annotations

import re

from baidubce.services.aihc.modules.job.job_model import JobSpec, Label, Resource

from bot.domain import JobStatus, Priority
from bot.simulator.lifecycle import status_at
from bot.simulator.logs import pod_log_entries
from tests.managed import MANAGED, add_managed_pool
from tests.simulator.v2_oracle import oracle


async def test_pools_are_described_with_the_worlds_ids_names_and_nodes() -> None:
    async with oracle() as o:
        world = o.running.simulator.world
        answer = await o.call(o.client.DescribeResourcePools, "common", pageSize=100)
        listed = {p.resourcePoolId: p for p in answer.resourcePools}
        assert answer.totalCount == len(world.pools) == len(listed)
        assert {i: p.name for i, p in listed.items()} == {i: p.name for i, p in world.pools.items()}
        pool = next(iter(world.pools.values()))
        one = await o.call(o.client.DescribeResourcePool, pool.id)
        assert (one.resourcePoolId, one.name, one.nodeNum) == (pool.id, pool.name, len(pool.nodes))
        managed = await o.call(o.client.DescribeResourcePools, "dedicatedV2")
        assert (managed.totalCount, managed.resourcePools) == (0, [])


async def test_queues_are_a_tree_with_quotas_in_v2_units() -> None:
    async with oracle() as o:
        world = o.running.simulator.world
        pool_id, queues = next((p, q) for p, q in world.queues.items() if len(q) > 2)
        answer = await o.call(o.client.DescribeQueues, pool_id)
        listed = {q.queueName: q for q in answer.queues}
        team = next(q for q in queues.values() if q.deserved.get("memory"))
        assert team.name in listed
        assert "default" in listed
        shown = listed[team.name]
        assert shown.parentQueue == "root"
        assert shown.deserved.milliCPUcores == str(int(team.deserved["cpu"]) * 1000)
        assert shown.deserved.memoryGi == team.deserved["memory"]
        gpu = world.pools[pool_id].gpu_resource
        cards = {c.acceleratorType: c.acceleratorCount for c in shown.deserved.acceleratorCardList}
        assert cards == {gpu: team.deserved[gpu]}
        one = await o.call(o.client.DescribeQueue, shown.queueId)
        assert (one.queueName, one.resourcePoolId) == (team.name, pool_id)
        assert one.deserved.memoryGi == team.deserved["memory"]


async def test_jobs_are_described_with_the_worlds_ids_and_statuses() -> None:
    async with oracle() as o:
        sim = o.running.simulator
        now = sim.now()
        job = o.running_job()
        answer = await o.call(o.client.DescribeJobs, job.pool_id, pageSize=100)
        expected = {
            j.id: status_at(j, now).value
            for j in sim.world.jobs.values()
            if j.pool_id == job.pool_id
        }
        assert {j.jobId: j.status for j in answer.jobs} == expected
        assert answer.totalCount == len(expected)
        running = await o.call(o.client.DescribeJobs, job.pool_id, status="Running", pageSize=100)
        assert job.id in {j.jobId for j in running.jobs}
        assert {j.status for j in running.jobs} == {"Running"}
        detail = await o.call(o.client.DescribeJob, job.pool_id, job.queue, job.id)
        assert (detail.jobId, detail.name, detail.status) == (job.id, job.name, "Running")
        assert [p.objectMeta.name for p in detail.podList.pods] == job.pod_names


async def test_a_job_created_with_baidus_models_runs_until_stopped() -> None:
    async with oracle() as o:
        world = o.running.simulator.world
        pool = next(iter(world.pools.values()))
        spec = JobSpec(
            image="registry/train:1", replicas=1, resources=[Resource(pool.gpu_resource, "1")]
        )
        created = await o.call(
            o.client.CreateJob,
            pool.id,
            "default",
            "v2-oracle",
            "python train.py",
            spec,
            labels=[Label("aihc-sim/outcome", "running")],
            priority="high",
        )
        assert re.fullmatch(r"job-[A-Za-z0-9]{12}", created.jobId)
        job = world.jobs[created.jobId]
        assert (job.name, job.queue, job.command, job.priority) == (
            "v2-oracle",
            "default",
            "python train.py",
            "high",
        )
        stopped = await o.call(o.client.StopJob, pool.id, "default", created.jobId)
        assert stopped.jobId == created.jobId
        detail = await o.call(o.client.DescribeJob, pool.id, "default", created.jobId)
        assert detail.status == JobStatus.MANUAL_TERMINATION.value
        again = await o.refused(o.client.StopJob, pool.id, "default", created.jobId)
        assert (again.status_code, again.code) == (400, "cce.warning.StopAIJobFailed")


async def test_priority_changes_and_a_deleted_job_is_gone() -> None:
    async with oracle() as o:
        job = o.running_job()
        await o.call(o.client.ModifyJob, job.pool_id, job.queue, job.id, "low")
        assert job.priority == Priority.LOW.value
        await o.call(o.client.DeleteJob, job.pool_id, job.queue, job.id)
        error = await o.refused(o.client.DescribeJob, job.pool_id, job.queue, job.id)
        assert error.status_code == 404
        assert job.id not in o.running.simulator.world.jobs


async def test_logs_page_by_marker_to_the_worlds_whole_log() -> None:
    async with oracle(log_page_lines=7) as o:
        job = o.running_job()
        pod = job.pod_names[0]
        expected = [
            e[2]
            for e in pod_log_entries(job, 0, o.running.simulator.now(), start=None, max_lines=None)
        ]
        assert len(expected) > 7
        lines: list[str] = []
        marker = None
        for _ in range(len(expected)):
            page = await o.call(
                o.client.DescribeJobLogs, job.pool_id, job.queue, job.id, pod, marker=marker
            )
            assert len(page.logs) <= 7
            lines += page.logs
            marker = page.nextMarker
            if not marker:
                break
        # One line a record: chunkSize defaults to 1 (job_client.py:258).
        assert lines == [f"{line}\n" for line in expected]


async def test_events_metrics_nodes_and_terminal_describe_the_running_job() -> None:
    async with oracle() as o:
        job = o.running_job()
        args = (job.pool_id, job.queue, job.id)
        events = await o.call(o.client.DescribeJobEvents, *args)
        assert events.total == len(events.events) > 0
        assert all(e.reason and e.lastTimestamp for e in events.events)
        pod_events = await o.call(o.client.DescribeJobPodEvents, *args, job.pod_names[0])
        assert pod_events.total == len(pod_events.events) > 0
        metrics = await o.call(o.client.DescribeJobMetrics, *args, "GpuUsage", timeStep="60s")
        assert [m.podName for m in metrics.podMetrics] == job.pod_names
        assert any(p.value is not None for p in metrics.podMetrics[0].metrics)
        nodes = await o.call(o.client.DescribeJobNodes, *args)
        assert nodes.nodeName == list(dict.fromkeys(job.pod_nodes))
        terminal = await o.call(o.client.DescribeJobWebterminal, *args, job.pod_names[0])
        assert terminal.WebTerminalUrl.startswith("wss://")


async def test_the_pool_overview_counts_each_pools_nodes_and_gpus_as_the_world_has_them() -> None:
    async with oracle() as o:
        world = o.running.simulator.world
        add_managed_pool(world)  # a `dedicatedV2` pool beside the `common` ones
        answer = await o.call(o.client.DescribeResourcePoolOverview)
        kinds = {t.type: t for t in answer.resourcePoolsStatisticWithType}
        assert set(kinds) == {"common", "dedicatedV2"}
        shown = {s.resourcePoolId: s for t in kinds.values() for s in t.resourcePoolStatistics}
        assert set(shown) == set(world.pools)
        assert kinds["dedicatedV2"].resourcePoolStatistics[0].resourcePoolId == MANAGED
        for pool in world.pools.values():
            stats = shown[pool.id]
            gpus = sum(n.gpu_total for n in pool.nodes)
            used = sum(n.gpu_allocated for n in pool.nodes)
            assert stats.nodesStatistic.totalCount == len(pool.nodes)
            accelerators = stats.acceleratorsStatistic
            assert (accelerators.capacity, accelerators.allocated) == (gpus, used)
            assert accelerators.idle == gpus - used
            # Keyed by node name: Baidu's client makes each key an attribute.
            nodes = vars(stats.nodeResourceStatistic)
            assert set(nodes) == {n.name for n in pool.nodes}
            assert {n.accleratorDescriptor for n in nodes.values()} == {pool.gpu_resource}
            assert {
                name: (n.capacity.gpuNum, n.allocated.gpuNum or 0) for name, n in nodes.items()
            } == {n.name: (n.gpu_total, n.gpu_allocated) for n in pool.nodes}
        assert any(shown[p].acceleratorsStatistic.allocated for p in world.pools)
