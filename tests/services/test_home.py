"""What a person's Home gathers from the demo world (seed 7) and a real database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from pydantic import SecretStr

from bot.aihc.client import AihcClient
from bot.domain import CREATOR_LABEL
from bot.services.actor import Actor
from bot.services.home import HomeService
from bot.services.permissions import PermissionService
from bot.services.reads import ReadService
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.store import Role, Store, TargetKind

NOW = datetime(2026, 11, 26, 23, 0, tzinfo=UTC)
ALICE = Actor(team_id="T1", channel_id="", user_id="U1")
BOB = Actor(team_id="T1", channel_id="", user_id="U2")
PROGRESSING = "llama2-13b-pretrain-7"
FAILED = "mixtral-8x7b-sft-6"
WAITING = "llama2-13b-rlhf-2"


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """A migrated database, SQLite or PostgreSQL."""
    store = Store.from_url(database_url)
    yield store
    await store.dispose()


@pytest.fixture
async def home(sim: Running, store: Store) -> AsyncIterator[HomeService]:
    """The Home service on the demo world."""
    secret = SecretStr(DEFAULT_SECRET_KEY)
    async with AihcClient(sim.url, DEFAULT_ACCESS_KEY, secret) as aihc:
        yield HomeService(
            aihc=aihc,
            store=store,
            permissions=PermissionService(store=store, admins=["UROOT"]),
            reads=ReadService(aihc=aihc, store=store),
        )


async def link(store: Store, actor: Actor, aihc_user: str) -> None:
    """Link a Slack user to an AIHC user, as `/aihc link` does."""
    async with store.transaction() as uow:
        await uow.user_links.link(
            workspace_id=actor.team_id, slack_user_id=actor.user_id,
            aihc_user_name=aihc_user, by="UROOT", now=NOW,
        )  # fmt: skip


async def follow(
    store: Store, team: str, channel: str, kind: TargetKind, pool: str, ref: str
) -> None:
    """Subscribe a channel to a job or a pool."""
    async with store.transaction() as uow:
        await uow.subscriptions.subscribe(
            workspace_id=team, channel_id=channel, target_kind=kind, pool_id=pool,
            target_ref=ref, created_by="U1", now=NOW,
        )  # fmt: skip


async def test_a_linked_owner_gets_their_jobs_with_causes_and_this_workspaces_channels(
    home: HomeService, store: Store, sim: Running
) -> None:
    jobs = {job.name: job for job in sim.simulator.world.jobs.values()}
    await link(store, ALICE, "chenjing")
    running = jobs[PROGRESSING]
    await follow(store, "T1", "C1", TargetKind.POOL, running.pool_id, running.pool_id)
    await follow(store, "T9", "C9", TargetKind.JOB, running.pool_id, running.id)  # elsewhere

    mine = await home.home(ALICE, now=NOW)
    assert mine.aihc_user == "chenjing"
    assert mine.roles == frozenset()
    assert PROGRESSING in [entry.job.name for entry in mine.running]
    [entry] = [e for e in mine.running if e.job.name == PROGRESSING]
    assert entry.channels == ("C1",)
    assert entry.pool == "llm-a800-pool"
    [failed] = [e for e in mine.failed if e.job.name == FAILED]
    assert failed.cause_key == "cuda_oom"
    assert all(e.job.labels.get(CREATOR_LABEL) == "chenjing"
               for e in (*mine.running, *mine.pending, *mine.failed))  # fmt: skip


async def test_a_waiting_job_says_why_and_a_stranger_owns_nothing(
    home: HomeService, store: Store
) -> None:
    await link(store, BOB, "lixiaoming")
    bobs = await home.home(BOB, now=NOW)
    [waiting] = [e for e in bobs.pending if e.job.name == WAITING]
    assert waiting.waiting is not None
    assert waiting.waiting.explained
    stranger = await home.home(Actor(team_id="T1", channel_id="", user_id="U3"), now=NOW)
    assert stranger.empty
    assert stranger.complete
    root = await home.home(Actor(team_id="T1", channel_id="", user_id="UROOT"), now=NOW)
    assert Role.ADMIN in root.roles
