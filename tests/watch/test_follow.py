"""Queue subscriptions pick up new jobs; notices speak the bot's language; fault tolerance waits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from bot.domain import Event, Job, JobStatus, PodLogs, Resource
from bot.domain.jobspec import JobSpec
from bot.store.tables import WatchedJobRow
from bot.watch.observe import observe
from tests.slack.harness import Stack
from tests.watch.helpers import card_of, job_id, replies, settle, text_of, watcher_of


async def test_a_job_created_in_a_followed_queue_gets_a_card(stack: Stack) -> None:
    await stack.ask("subscribe queue llm-pretrain")
    for _ in range(5):
        await watcher_of(stack).run_once()
    assert card_of(stack.slack, "llama2-13b-pretrain-7") == []
    pool = stack.sim.simulator.world.jobs[job_id(stack, "llama2-13b-pretrain-7")].pool_id
    spec = JobSpec(
        name="fresh-pretrain-run",
        image="registry.baidubce.com/aihc-aiak/aiak-megatron:v1",
        command="bash pretrain.sh",
        queue="llm-pretrain",
        resources=(Resource(name="baidu.com/a800_80g_cgpu", quantity=8),),
    )
    await stack.runtime.aihc.create_job(pool, spec, client_token="watch-test-1")
    [card] = await settle(stack, lambda: card_of(stack.slack, "fresh-pretrain-run"), what="card")
    assert "fresh-pretrain-run" in text_of(card)
    assert replies(stack.slack, card) == []


async def test_channel_notices_use_the_bots_language(zh_stack: Stack) -> None:
    stack = zh_stack
    await stack.ask("subscribe qwen-14b-sft-3")
    [card] = await settle(stack, lambda: card_of(stack.slack, "qwen-14b-sft-3"), what="card")
    path = f"/_sim/jobs/{job_id(stack, 'qwen-14b-sft-3')}/status"
    await stack.sim_control("POST", path, status="Failed", reason="cuda_oom")
    [failure] = await settle(stack, lambda: replies(stack.slack, card), what="the failure")
    assert "失败了" in text_of(failure)
    assert "CUDA 显存不足" in text_of(failure)


class _Aihc:
    """An AIHC client that knows one failed job without finishedAt."""

    def __init__(self, job: Job) -> None:
        self.job = job

    async def find_job(self, pool_id: str, job_id: str, *, queue: str = "") -> Job:
        return self.job

    async def job_events(self, *args: Any, **kwargs: Any) -> Sequence[Event]:
        return []

    async def pod_logs(self, *args: Any, **kwargs: Any) -> PodLogs:
        return PodLogs(lines=("Traceback (most recent call last):", "ValueError: x"))


async def test_with_fault_tolerance_failed_counts_when_two_polls_agree() -> None:
    job = Job(id="pytorchjob-1", pool_id="p", status=JobStatus.FAILED, fault_tolerance=True)
    row = WatchedJobRow(
        pool_id="p", job_id=job.id, last_status="Running", log_cursors={}, events_cursor=None
    )
    first = await observe(_Aihc(job), row, follow_logs=False, tail_lines=5)  # type: ignore[arg-type]
    assert first.tentative
    row.log_cursors = first.cursors
    second = await observe(_Aihc(job), row, follow_logs=False, tail_lines=5)  # type: ignore[arg-type]
    assert not second.tentative
    finished = job.model_copy(update={"finished_at": datetime.now(UTC)})
    fresh = WatchedJobRow(pool_id="p", job_id=job.id, last_status="Running", log_cursors={})
    at_once = await observe(_Aihc(finished), fresh, follow_logs=False, tail_lines=5)  # type: ignore[arg-type]
    assert not at_once.tentative
