"""Jobs in managed pools (`aihc-serverless`, `aihc-bhcmp`) are reached through their queue."""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.errors import AihcBadRequest, AihcError
from bot.aihc.limits import Limits
from bot.domain import Job, JobSpec, JobStatus, Pool, Priority
from bot.runtime import build_slack_deps
from bot.services.actions import ActionService
from bot.services.actor import Actor
from bot.services.errors import QueueNeeded
from bot.services.reads import ReadService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, serve
from bot.simulator.lifecycle import force
from bot.store import Store
from tests.clocks import FixedClock
from tests.managed import MANAGED, QUEUE, add_managed_pool
from tests.simulator.conftest import config

ADMIN = Actor(team_id="T1", channel_id="C1", user_id="UADMIN")


@dataclass
class World:
    """A simulator holding a managed pool with one running job, and the bot's services on it."""

    running: Running
    aihc: AihcClient
    actions: ActionService
    reads: ReadService
    pool: Pool
    job: Job


@pytest.fixture
async def managed(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[World]:
    """The services on a simulator whose managed pool runs one job."""
    path = tmp_path / "store.db"
    shutil.copyfile(sqlite_template, path)
    store = Store.from_url(f"sqlite+aiosqlite:///{path}")

    async def no_wait(_: float) -> None:
        return None

    async with serve(config(scenario="empty")) as running:
        add_managed_pool(running.simulator.world)
        async with AihcClient(
            running.url,
            DEFAULT_ACCESS_KEY,
            SecretStr(DEFAULT_SECRET_KEY),
            sleep=no_wait,
            limits=Limits(rate_per_second=10_000, burst=10_000),
        ) as aihc:
            deps = build_slack_deps(
                store=store, aihc=aihc, clock=FixedClock(datetime.now(UTC)), admins=["UADMIN"]
            )
            spec = JobSpec(name="serverless-train", image="img", command="true", queue=QUEUE)
            ref = await aihc.create_job(MANAGED, spec, client_token="slack-managed")
            sim_job = running.simulator.world.jobs[ref.job_id]
            force(sim_job, JobStatus.RUNNING, running.simulator.now())
            job = await aihc.get_job(MANAGED, ref.job_id, queue=QUEUE)
            yield World(running, aihc, deps.actions, deps.reads, Pool(id=MANAGED), job)
    await store.dispose()


async def test_stop_priority_terminal_and_delete_work_in_a_managed_pool(managed: World) -> None:
    assert managed.job.queue == QUEUE
    raised = await managed.actions.set_priority(ADMIN, managed.pool, managed.job, Priority.HIGH)
    assert raised.changed
    assert raised.job is not None
    assert raised.job.priority is Priority.HIGH
    url = await managed.actions.terminal(ADMIN, managed.pool, managed.job, None)
    assert url.startswith("wss://")
    stopped = await managed.actions.stop(ADMIN, managed.pool, managed.job)
    assert stopped.job is not None
    assert stopped.job.status is JobStatus.MANUAL_TERMINATION
    deleted = await managed.actions.delete(ADMIN, managed.pool, managed.job)
    assert deleted.changed
    assert managed.job.id not in managed.running.simulator.world.jobs


async def test_a_managed_pool_refuses_a_job_call_without_its_queue(managed: World) -> None:
    from tests.simulator.conftest import signed

    async with signed(managed.running.url) as api:
        path = f"/api/v1/aijobs/{managed.job.id}"
        bare = await api.get(path, params={"resourcePoolId": MANAGED})
        wrong = await api.get(path, params={"resourcePoolId": MANAGED, "queueID": "default"})
        right = await api.get(path, params={"resourcePoolId": MANAGED, "queueID": QUEUE})
    assert bare.status_code == 400
    assert "queueID" in bare.json()["message"]
    assert wrong.status_code == 404
    assert right.status_code == 200


async def test_the_client_will_not_reach_a_managed_job_without_its_queue(managed: World) -> None:
    with pytest.raises(AihcError, match="queue"):
        await managed.aihc.stop_job(MANAGED, managed.job.id)
    with pytest.raises(AihcBadRequest):
        await managed.aihc.get_job(MANAGED, managed.job.id, queue="default")


async def test_a_managed_job_is_found_by_its_id_or_its_name_without_its_queue(
    managed: World,
) -> None:
    by_id = await managed.reads.job(managed.pool, managed.job.id)
    by_name = await managed.reads.job(managed.pool, managed.job.name)
    assert (by_id.id, by_id.queue) == (managed.job.id, QUEUE)
    assert (by_name.id, by_name.queue) == (managed.job.id, QUEUE)


async def test_a_managed_pools_jobs_are_listed_per_queue(managed: World) -> None:
    with pytest.raises(QueueNeeded) as refused:
        await managed.reads.jobs_page(managed.pool, offset=0, count=10)
    assert refused.value.pool == MANAGED
    page = await managed.reads.jobs_page(managed.pool, offset=0, count=10, queue=QUEUE)
    assert [j.id for j in page.jobs] == [managed.job.id]
