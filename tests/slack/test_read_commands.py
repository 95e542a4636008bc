"""Every read command over the real HTTP path (signed request → bot → simulator → response_url)."""

from __future__ import annotations

from typing import Any

import pytest

from bot.workspace.model import ResponsePost
from tests.slack.harness import WANG, Stack
from tests.slack.render.visible import shown
from tests.versions import v1_only

RUNNING_JOB = "llama2-7b-dpo-5"
FAILED_JOB = "mixtral-8x7b-sft-6"


def seen(answer: ResponsePost) -> str:
    """What a person reads in an answer."""
    blocks: list[dict[str, Any]] = answer.body.get("blocks") or []
    return shown(blocks)


async def test_pools_in_english_and_chinese(stack: Stack) -> None:
    english = await stack.ask("pools")
    assert english.response_type == "ephemeral"
    assert "llm-a800-pool" in seen(english)
    assert "cv-h800-pool" in seen(english)
    assert "Resource pools" in seen(english)
    chinese = await stack.ask("pool list", user=WANG)
    assert "llm-a800-pool" in seen(chinese)
    assert "资源池" in seen(chinese)


async def test_pool_show_by_name_and_by_id(stack: Stack) -> None:
    by_name = await stack.ask("pool show cv-h800-pool")
    assert "cv-h800-pool" in seen(by_name)
    assert "running" in seen(by_name)
    pool_id = next(p.id for p in await stack.runtime.aihc.all_pools() if p.name == "cv-h800-pool")
    by_id = await stack.ask(f"pool show {pool_id}", user=WANG)
    assert "cv-h800-pool" in seen(by_id)


@v1_only
async def test_nodes_of_the_default_pool_flag_cordoned_ones(stack: Stack) -> None:
    answer = await stack.ask("nodes")
    text = seen(answer)
    assert "ready_scheduling_disabled" in text or "cordon" in text.lower()
    assert len((await stack.ask("pool nodes cv-h800-pool --share")).body["blocks"]) > 0


async def test_queues_hide_the_root_queue(stack: Stack) -> None:
    answer = await stack.ask("queues")
    text = seen(answer)
    assert "llm-pretrain" in text
    assert "63a9f0ea7bb98050796b649e85481845" not in text
    zh = seen(await stack.ask("queues --pool cv-h800-pool", user=WANG))
    assert "cv-research" in zh
    assert "队列" in zh


async def test_queue_show(stack: Stack) -> None:
    text = seen(await stack.ask("queue show llm-sft"))
    assert "llm-sft" in text
    missing = seen(await stack.ask("queue show no-such-queue"))
    assert "no-such-queue" in missing


async def test_jobs_with_filters(stack: Stack) -> None:
    everything = seen(await stack.ask("jobs"))
    assert RUNNING_JOB in everything
    assert FAILED_JOB in everything
    failed = seen(await stack.ask("jobs --status failed"))
    assert FAILED_JOB in failed
    assert RUNNING_JOB not in failed
    sft = seen(await stack.ask("job list --queue llm-sft"))
    assert "qwen-14b-sft-3" in sft
    assert "llama2-7b-pretrain-9" not in sft
    zh = seen(await stack.ask("jobs --pool cv-h800-pool", user=WANG))
    assert "resnet50-imagenet-1" in zh
    assert "任务" in zh


async def test_jobs_mine_follows_the_linked_aihc_user(stack: Stack) -> None:
    nothing = seen(await stack.ask("jobs --mine"))
    assert RUNNING_JOB not in nothing
    async with stack.runtime.store.transaction() as uow:
        from datetime import UTC, datetime

        await uow.user_links.link(
            workspace_id="T0001",
            slack_user_id="U0001",
            aihc_user_name="liuyang",
            by="U0001",
            now=datetime.now(UTC),
        )
    mine = seen(await stack.ask("jobs --mine"))
    assert RUNNING_JOB in mine
    assert "mixtral-8x7b-pretrain-2" in mine
    assert FAILED_JOB not in mine


async def test_job_show_by_name_and_by_id(stack: Stack) -> None:
    text = seen(await stack.ask(f"job {RUNNING_JOB}"))
    assert RUNNING_JOB in text
    assert "llm-sft" in text
    assert "liuyang" in text
    assert f"{RUNNING_JOB}-master-0" in text
    job_id = next(
        j.id for j in await stack.runtime.aihc.all_jobs("cce-ujzde8gx") if j.name == FAILED_JOB
    )
    failed = seen(await stack.ask(f"job show {job_id}", user=WANG))
    assert FAILED_JOB in failed
    assert "失败" in failed


async def test_events_warnings_first(stack: Stack) -> None:
    text = seen(await stack.ask(f"events {FAILED_JOB}"))
    assert "warnings: 1" in text
    assert text.index(":warning: *Error*") < text.index(":information_source:")
    pod = seen(await stack.ask(f"job events {FAILED_JOB} --pod master-0"))
    assert "Scheduled" in pod or "Pulling" in pod or "Started" in pod


async def test_logs_tail_and_pod(stack: Stack) -> None:
    text = seen(await stack.ask(f"logs {RUNNING_JOB} --tail 20"))
    assert "loss" in text.lower() or "step" in text.lower() or "iteration" in text.lower()
    failed = seen(await stack.ask(f"logs {FAILED_JOB}"))
    assert failed.strip()


async def test_a_log_too_long_for_a_message_comes_as_a_private_file(stack: Stack) -> None:
    job = next(
        j for j in await stack.runtime.aihc.all_jobs("cce-ujzde8gx") if j.name == RUNNING_JOB
    )
    lines = [f"step {i} loss 1.{i:04d} " + "x" * 120 for i in range(400)]
    await stack.sim_control("POST", f"/_sim/jobs/{job.id}/logs", lines=lines)
    answer = await stack.ask(f"logs {RUNNING_JOB} --tail 400")
    assert "step 399" in seen(answer)
    files = await stack.slack.wait_for(stack.slack.files, what="the log file")
    (log_file,) = files
    assert log_file.channel.startswith("D")
    assert b"step 0 loss 1.0000" in log_file.content
    assert answer.response_type == "ephemeral"


async def test_metrics_sparklines(stack: Stack) -> None:
    await stack.sim_control("POST", "/_sim/clock/advance", seconds=1800)
    text = seen(await stack.ask(f"metrics {RUNNING_JOB}"))
    assert any(ch in text for ch in "▁▂▃▄▅▆▇█")
    assert "GpuUsage" in text
    memory = seen(await stack.ask(f"job metrics {RUNNING_JOB} --type GpuMemoryUsage --since 2h"))
    assert "GpuMemoryUsage" in memory


async def test_job_nodes(stack: Stack) -> None:
    text = seen(await stack.ask(f"job nodes {RUNNING_JOB}"))
    assert "10." in text or "192.168" in text


async def test_help_in_both_languages(stack: Stack) -> None:
    text = seen(await stack.ask("help"))
    assert "job logs" in text
    assert "pool list" in text
    assert "帮助" in seen(await stack.ask("", user=WANG)) or "任务" in seen(
        await stack.ask("", user=WANG)
    )
    one = seen(await stack.ask("help logs"))
    assert "--tail" in one


async def test_share_posts_in_the_channel(stack: Stack) -> None:
    answer = await stack.ask("pools --share")
    assert answer.response_type == "in_channel"
    assert any("llm-a800-pool" in shown(m.blocks or []) for m in stack.slack.messages("C0001"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jbos", "job list"),
        ("logs", "--tail"),
        ("logs x --tail ten", "--tail"),
        ("job show 'unclosed", "quote"),
    ],
)
async def test_bad_input_gets_usage(stack: Stack, text: str, expected: str) -> None:
    answer = await stack.ask(text)
    assert answer.response_type == "ephemeral"
    assert expected.lower() in seen(answer).lower()
