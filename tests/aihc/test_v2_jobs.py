"""The v2 client's job and pod operations against the simulator: the v1 client's values,
its semantics (create at most once, a lost delete or stop answer), v2's server-side filter."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.aihc.errors import AihcError, AihcNotFound, AihcUnavailable
from bot.domain import FaultToleranceConfig, JobSpec, JobStatus, MetricType, Priority
from tests.aihc.v2_both import both
from tests.managed import MANAGED, OTHER_QUEUE, QUEUE, add_managed_pool
from tests.simulator.conftest import START

SPEC = JobSpec(name="made-once", image="img", command="python train.py", queue="default")


async def test_v1_and_v2_read_the_same_values_of_the_same_job() -> None:
    async with both(log_page_lines=7) as b:
        job = b.running()
        pool, queue, pod = job.pool_id, job.queue, job.pod_names[1]
        assert await b.v2.all_jobs(pool) == await b.v1.all_jobs(pool)
        got = await b.v2.get_job(pool, job.id, queue=queue)
        assert got == await b.v1.get_job(pool, job.id)
        assert [p.name for p in got.pods] == job.pod_names
        events = await b.v2.job_events(pool, job.id, queue=queue)
        assert events
        assert events == await b.v1.job_events(pool, job.id)
        pod_events = await b.v2.pod_events(pool, job.id, pod, queue=queue)
        assert pod_events
        assert pod_events == await b.v1.pod_events(pool, job.id, pod)
        # Several pages of 7 lines: the marker walk is followed on both.
        logs = await b.v2.pod_logs(pool, job.id, pod, max_lines=30, queue=queue)
        assert len(logs.lines) > 7
        assert logs == await b.v1.pod_logs(pool, job.id, pod, max_lines=30)
        since = datetime.fromtimestamp(START, UTC) - timedelta(hours=1)
        metrics = await b.v2.job_metrics(
            pool, job.id, MetricType.GPU_USAGE, start=since, queue=queue
        )
        assert metrics.pods
        assert metrics == await b.v1.job_metrics(pool, job.id, MetricType.GPU_USAGE, start=since)
        nodes = await b.v2.job_nodes(pool, job.id, queue=queue)
        assert nodes.node_names
        assert nodes == await b.v1.job_nodes(pool, job.id)


async def test_v2_lists_jobs_of_one_status_where_v1_cannot() -> None:
    async with both() as b:
        pool = b.running().pool_id
        assert b.v2.filters_job_status
        assert not b.v1.filters_job_status
        page = await b.v2.list_jobs(pool, status=JobStatus.RUNNING)
        every = await b.v1.all_jobs(pool)
        running = [j for j in every if j.status is JobStatus.RUNNING]
        assert running
        assert len(running) < len(every)
        assert list(page.items) == running
        assert page.total == len(running)
        with pytest.raises(AihcUnavailable):
            await b.v1.list_jobs(pool, status=JobStatus.RUNNING)


async def test_a_v2_create_whose_answer_is_lost_makes_one_job() -> None:
    async with both(scenario="empty") as b:
        pool = next(iter(b.sim.running.simulator.world.pools))
        await b.faults(drop_after_rate=1.0, next_calls=1)
        ref = await b.v2.create_job(pool, SPEC, client_token="slack-lost-answer")
        listed = await b.v2.all_jobs(pool)
        assert [(j.id, j.name) for j in listed] == [(ref.job_id, "made-once")]
        assert ref.job_id.startswith("job-")
        assert ref.request_id.startswith("recovered")
        assert await b.outcomes("v2:CreateJob") == {"dropped": 1}
        made = await b.v2.get_job(pool, ref.job_id, queue="default")
        assert (made.command, made.queue) == ("python train.py", "default")


async def test_a_v2_create_after_a_server_error_is_tried_again_and_makes_one_job() -> None:
    async with both(scenario="empty") as b:
        pool = next(iter(b.sim.running.simulator.world.pools))
        await b.faults(error_rate=1.0, error_status=503, next_calls=1)
        ref = await b.v2.create_job(pool, SPEC, client_token="slack-busy")
        assert [j.id for j in await b.v2.all_jobs(pool)] == [ref.job_id]
        assert not ref.request_id.startswith("recovered")
        assert await b.outcomes("v2:CreateJob") == {"503": 1, "200": 1}


async def test_priority_stop_and_delete_act_on_the_job_and_lost_answers_count() -> None:
    async with both() as b:
        job = b.running()
        pool, queue = job.pool_id, job.queue
        ref = await b.v2.set_job_priority(pool, job.id, Priority.LOW, queue=queue)
        assert ref.job_id == job.id
        assert (await b.v1.get_job(pool, job.id)).priority is Priority.LOW
        # The stop is made, its answer lost; the retry is refused: the job has ended.
        await b.faults(drop_after_rate=1.0, next_calls=1)
        stopped = await b.v2.stop_job(pool, job.id, queue=queue)
        assert stopped.job_id == job.id
        assert (await b.v1.get_job(pool, job.id)).status is JobStatus.MANUAL_TERMINATION
        assert (await b.outcomes("v2:StopJob")).get("dropped") == 1
        # The delete is made, its answer lost; the retry finds the job gone: deleted.
        await b.faults(drop_after_rate=1.0, next_calls=1)
        deleted = await b.v2.delete_job(pool, job.id, queue=queue)
        assert deleted.job_id == job.id
        assert await b.outcomes("v2:DeleteJob") == {"dropped": 1, "404": 1}
        with pytest.raises(AihcNotFound):
            await b.v2.get_job(pool, job.id, queue=queue)


async def test_a_web_terminal_opens_into_a_running_pod() -> None:
    async with both() as b:
        job = b.running()
        terminal = await b.v2.web_terminal(
            job.pool_id, job.id, job.pod_names[0], ping_timeout=600, queue=job.queue
        )
        assert terminal.url.startswith("wss://")
        assert "pingTimeoutSecond=600" in terminal.url


async def test_a_job_call_without_its_queue_is_refused_before_anything_is_sent() -> None:
    async with both() as b:
        job = b.running()
        await b.faults()
        with pytest.raises(AihcError, match="queue"):
            await b.v2.get_job(job.pool_id, job.id)
        with pytest.raises(AihcError, match="queue"):
            await b.v2.job_events(job.pool_id, job.id)
        spec = SPEC.model_copy(update={"queue": None})
        with pytest.raises(AihcError, match="queue"):
            await b.v2.create_job(job.pool_id, spec, client_token="no-queue")
        config = FaultToleranceConfig(enable_hang_detection=True)
        tolerant = SPEC.model_copy(update={"fault_tolerance_config": config})
        with pytest.raises(AihcUnavailable, match="API v2"):
            await b.v2.create_job(job.pool_id, tolerant, client_token="tolerant")
        stats = (await b.sim.ctl.get("/_sim/stats")).json()
        assert not [name for name in stats["by_operation"] if name.startswith("v2:")]


async def test_a_managed_pools_jobs_are_walked_queue_by_queue_in_v2_too() -> None:
    async with both(scenario="empty") as b:
        add_managed_pool(b.sim.running.simulator.world)
        made = []
        for index in range(5):
            queue = QUEUE if index % 2 else OTHER_QUEUE
            spec = JobSpec(name=f"job-{index}", image="i", command="c", queue=queue)
            made.append((await b.v2.create_job(MANAGED, spec, client_token=f"k{index}")).job_id)
            await b.sim.advance(1)
        pages = [p async for p in b.v2.job_pages(MANAGED, max_pages=10, page_size=2)]
        with pytest.raises(AihcError, match="queue"):
            await b.v2.list_jobs(MANAGED)
    assert [job.id for page in pages for job in page.items] == made[::-1]
    assert [page.is_last for page in pages] == [False, False, True]


async def test_a_log_answer_over_its_cap_is_asked_again_smaller_in_v2_too() -> None:
    async with both() as b:
        job = b.running()
        pod = job.pod_names[0]
        megabyte_lines = [f"{index}:" + "x" * (1 << 20) for index in range(3)]
        body = {"pod": pod, "lines": ["before", *megabyte_lines, "after"]}
        response = await b.sim.ctl.post(f"/_sim/jobs/{job.id}/logs", json=body)
        assert response.status_code == 200
        await b.faults()
        logs = await b.v2.pod_logs(job.pool_id, job.id, pod, max_lines=10, queue=job.queue)
        assert logs.lines[-1] == "after"
        assert sum(len(line) for line in logs.lines) < 1 << 20
        # Answered each time, the first too large to read: asked again for fewer lines.
        calls = await b.outcomes("v2:DescribeJobLogs")
        assert list(calls) == ["200"]
        assert calls["200"] > 1
        assert logs == await b.v1.pod_logs(job.pool_id, job.id, pod, max_lines=10)
