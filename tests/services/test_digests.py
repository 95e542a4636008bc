"""A channel's digest from a simulated day with known answers: GPU-hours, outcomes, causes,
waits, progress and idle GPUs, over the pools or queues the channel covers."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.aihc.connect import aihc_client
from bot.aihc.errors import AihcError
from bot.aihc.limits import Limits
from bot.domain import CREATOR_LABEL, ApiVersion, JobSpec, QueueSpec, Resource
from bot.domain.digest import Digest, DigestPeriod
from bot.insight.causes import Cause, parse_rules
from bot.insight.health import Health
from bot.insight.progress import Progress
from bot.services.digests import DigestService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, SimConfig, serve
from bot.simulator.create import OUTCOME_LABEL
from bot.store import Store, TargetKind

T0 = datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
END = T0 + timedelta(hours=30)
"""The daily digest covers `[T0 + 6 h, T0 + 30 h)`."""
GPU = "baidu.com/a800_80g_cgpu"
TEAM, CHANNEL, OTHER = "T0001", "C0001", "C0002"


@dataclass
class Day:
    """The simulated day, the ids of its jobs by name, and the service under test."""

    digests: DigestService
    store: Store
    aihc: AihcClient
    pool: str
    ids: dict[str, str]

    async def digest(self, channel: str = CHANNEL) -> Digest:
        """Return the channel's daily digest ending at END."""
        return await self.digests.digest(
            workspace_id=TEAM, channel_id=channel, period=DigestPeriod.DAILY, end=END
        )


class World:
    """Jobs made through the API, then moved through their lives by the control API."""

    def __init__(self, aihc: AihcClient, control: httpx.AsyncClient, pool: str) -> None:
        self.aihc, self.control, self.pool = aihc, control, pool
        self.ids: dict[str, str] = {}
        self.now = T0

    async def at(self, when: datetime) -> None:
        """Move the simulated clock to `when`."""
        seconds = (when - self.now).total_seconds()
        answer = await self.control.post("/_sim/clock/advance", json={"seconds": seconds})
        assert answer.status_code == 200, answer.text
        self.now = when

    async def create(self, name: str, *, gpus: int, replicas: int, queue: str, owner: str) -> None:
        """Create a job that would run for ever unless told otherwise."""
        spec = JobSpec(
            name=name,
            image="registry.example/train:1",
            command="python train.py",
            replicas=replicas,
            queue=queue,
            resources=(Resource(name=GPU, quantity=gpus),),
            labels={OUTCOME_LABEL: "running", CREATOR_LABEL: owner},
        )
        ref = await self.aihc.create_job(self.pool, spec, client_token=f"digest-{name}")
        self.ids[name] = ref.job_id

    async def status(self, name: str, status: str, **body: Any) -> None:
        """Force a job into `status` now."""
        path = f"/_sim/jobs/{self.ids[name]}/status"
        answer = await self.control.post(path, json={"status": status, **body})
        assert answer.status_code == 200, answer.text


async def live_a_day(world: World) -> None:
    """Lay out the day (times from T0; the digest looks at hours 6 to 30).

    `clipped` runs 16 GPUs from hour 0 to 10 (4 h inside); `team-run` runs 4 GPUs from hour 20
    on (10 h); `oom` runs 8 GPUs from 24 to 26 and fails out of memory; `no-image` fails at 27
    without ever running; `queued` waits from hour 29.
    """
    await world.create("clipped", gpus=8, replicas=2, queue="default", owner="alice")
    await world.status("clipped", "Running")
    await world.at(T0 + timedelta(hours=10))
    await world.status("clipped", "Succeeded")
    await world.at(T0 + timedelta(hours=20))
    await world.create("team-run", gpus=4, replicas=1, queue="team", owner="bob")
    await world.status("team-run", "Running")
    await world.at(T0 + timedelta(hours=24))
    await world.create("oom", gpus=8, replicas=1, queue="default", owner="alice")
    await world.status("oom", "Running")
    await world.at(T0 + timedelta(hours=26))
    await world.status("oom", "Failed", reason="cuda_oom")
    await world.at(T0 + timedelta(hours=27))
    await world.create("no-image", gpus=8, replicas=1, queue="default", owner="carol")
    await world.status("no-image", "Failed", reason="image_pull")
    await world.at(T0 + timedelta(hours=29))
    await world.create("queued", gpus=8, replicas=1, queue="team", owner="carol")
    await world.status("queued", "Pending")
    await world.at(END)


@pytest.fixture
async def day(database_url: str, api_version: str) -> AsyncIterator[Day]:
    """The simulated day on an empty world, read by a digest service on a fresh store."""
    config = SimConfig(
        seed=5, scenario="empty", clock_speed=0.0, start=T0.timestamp(), shapes="live"
    )
    limits = Limits(rate_per_second=10_000, burst=10_000)
    secret = SecretStr(DEFAULT_SECRET_KEY)
    version = ApiVersion(api_version)
    async with (
        serve(config) as running,
        running.control_client() as control,
        aihc_client(version, running.url, DEFAULT_ACCESS_KEY, secret, limits=limits) as aihc,
    ):
        pool = (await aihc.all_pools())[0].id
        # v2 offers no queue create; the simulator serves v1 beside it.
        async with AihcClient(running.url, DEFAULT_ACCESS_KEY, secret, limits=limits) as v1:
            await v1.create_queue(pool, QueueSpec(name="team"))
        world = World(aihc, control, pool)
        await live_a_day(world)
        store = Store.from_url(database_url)
        try:
            yield Day(DigestService(store=store, aihc=aihc), store, aihc, pool, world.ids)
        finally:
            await store.dispose()


async def configure(day: Day, *, pools: list[str] | None = None) -> None:
    """Give the channel its pools (`config pools`)."""
    async with day.store.transaction() as uow:
        await uow.channels.set_allowed_pools(
            workspace_id=TEAM, channel_id=CHANNEL, pool_ids=pools or [day.pool], by="U1", now=END
        )


async def test_gpu_hours_outcomes_and_causes_of_a_known_day(day: Day) -> None:
    await configure(day)
    made = await day.digest()
    assert made.start == END - timedelta(days=1)
    assert made.pools == ["aihc-pool"]
    assert made.complete
    # clipped: 4 h × 16 GPUs; oom: 2 h × 8; team-run: 10 h × 4; no-image never ran.
    assert {(p.queue, round(p.gpu_hours, 6)) for p in made.queue_hours} == {
        ("default", 80.0),
        ("team", 40.0),
    }
    assert {(o.owner, round(o.gpu_hours, 6)) for o in made.owners} == {
        ("alice", 80.0),
        ("bob", 40.0),
    }
    assert {(o.status, o.count) for o in made.outcomes} == {("Succeeded", 1), ("Failed", 2)}
    assert {(c.key, c.count, tuple(c.jobs)) for c in made.causes} == {
        ("cuda_oom", 1, ("oom",)),
        ("image_pull", 1, ("no-image",)),
    }


async def test_waiting_and_running_jobs_now(day: Day) -> None:
    await configure(day)
    made = await day.digest()
    assert [(w.job.name, w.job.queue, w.since) for w in made.waiting] == [
        ("queued", "team", T0 + timedelta(hours=29))
    ]
    assert [(r.job.name, r.gpus, r.since, r.progress) for r in made.running] == [
        ("team-run", 4, T0 + timedelta(hours=20), {})
    ]


async def test_progress_and_idle_gpus_come_from_watched_jobs(day: Day) -> None:
    await configure(day)
    progress = Progress(step=300, total=900, secs_per_step=4.0, observed_at=END)
    idle = Health(progress=progress, idle_since=END - timedelta(hours=3), looked_at=END)
    job_id = day.ids["team-run"]
    async with day.store.transaction() as uow:
        await uow.watched_jobs.watch(pool_id=day.pool, job_id=job_id, now=END, queue_name="team")
        row = await uow.watched_jobs.get(pool_id=day.pool, job_id=job_id)
        assert row is not None
        row.insight = idle.to_dict()
    made = await day.digest()
    assert Progress.from_dict(made.running[0].progress) == progress
    assert [(e.job.name, e.gpus, round(e.gpu_hours, 6)) for e in made.idle] == [
        ("team-run", 4, 12.0)
    ]


async def test_a_channel_without_config_covers_what_it_subscribes_to(day: Day) -> None:
    async with day.store.transaction() as uow:
        await uow.subscriptions.subscribe(
            workspace_id=TEAM,
            channel_id=OTHER,
            target_kind=TargetKind.QUEUE,
            pool_id=day.pool,
            target_ref="team",
            created_by="U1",
            now=END,
        )
    made = await day.digest(OTHER)
    assert (made.pools, made.queues) == ([], ["team"])
    assert [(p.queue, round(p.gpu_hours, 6)) for p in made.queue_hours] == [("team", 40.0)]
    assert made.outcomes == []
    assert [w.job.name for w in made.waiting] == ["queued"]


async def test_a_channel_that_follows_nothing_gets_an_empty_digest(day: Day) -> None:
    made = await day.digest("C0404")
    assert (made.pools, made.queues, made.days[0].gpu_hours, made.jobs_read) == ([], [], [], 0)


async def test_causes_use_the_channel_owners_rules_first(day: Day) -> None:
    await configure(day)
    rules = parse_rules(["(?i)out of memory => Batch too large for these GPUs"]).rules
    digests = DigestService(store=day.store, aihc=day.aihc, causes=rules)
    made = await digests.digest(
        workspace_id=TEAM, channel_id=CHANNEL, period=DigestPeriod.DAILY, end=END
    )
    assert Cause("custom", "Batch too large for these GPUs") in [
        Cause(c.key, c.text) for c in made.causes
    ]


async def test_a_followed_job_brings_its_queue(day: Day) -> None:
    job_id = day.ids["oom"]
    async with day.store.transaction() as uow:
        await uow.subscriptions.subscribe(
            workspace_id=TEAM,
            channel_id=OTHER,
            target_kind=TargetKind.JOB,
            pool_id=day.pool,
            target_ref=job_id,
            created_by="U1",
            now=END,
        )
        await uow.watched_jobs.watch(pool_id=day.pool, job_id=job_id, now=END, queue_name="default")
    made = await day.digest(OTHER)
    assert made.queues == ["default"]
    assert [(p.queue, round(p.gpu_hours, 6)) for p in made.queue_hours] == [("default", 80.0)]
    assert {(o.status, o.count) for o in made.outcomes} == {("Succeeded", 1), ("Failed", 2)}


async def test_past_the_bound_on_lists_the_digest_says_it_is_partial(
    day: Day, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.services.digests.MAX_WALKS", 1)
    async with day.store.transaction() as uow:
        for queue in ("team", "default"):
            await uow.subscriptions.subscribe(
                workspace_id=TEAM,
                channel_id=OTHER,
                target_kind=TargetKind.QUEUE,
                pool_id=day.pool,
                target_ref=queue,
                created_by="U1",
                now=END,
            )
    made = await day.digest(OTHER)
    assert made.queues == ["default", "team"]
    assert not made.complete
    assert [p.queue for p in made.queue_hours] == ["default"]


async def test_when_aihc_refuses_every_list_no_empty_digest_is_made(day: Day) -> None:
    await configure(day, pools=["no-such-pool"])
    with pytest.raises(AihcError):
        await day.digest()
