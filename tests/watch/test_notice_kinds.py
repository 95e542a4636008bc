"""Notice kinds per subscription: chosen by name or by default per target, stored, listed."""

from __future__ import annotations

import json

from bot.domain import NOTICE_KINDS, Subscription
from bot.store.records import subscription_of
from tests.slack.harness import WANG, Stack

JOB = "llama2-13b-pretrain-7"
QUEUE = "llm-sft"
POOL = "llm-a800-pool"


async def notices(stack: Stack) -> dict[str, tuple[str, ...]]:
    """Return the notice kinds each subscription of the channel has on, by its target's kind."""
    async with stack.runtime.store.transaction() as uow:
        rows = await uow.subscriptions.in_channel(workspace_id="T0001", channel_id="C0001")
        subs: list[Subscription] = [subscription_of(row) for row in rows]
    return {sub.target_kind.value: sub.notices() for sub in subs}


async def table(stack: Stack, **where: str) -> str:
    """Return the blocks of the `subscriptions` table as posted."""
    answer = await stack.ask("subscriptions", **where)
    return json.dumps(answer.body["blocks"], ensure_ascii=False)


async def test_a_job_gets_every_notice_but_logs_unless_some_are_named(stack: Stack) -> None:
    answer = await stack.ask(f"subscribe {JOB}")

    said = "(status, events, progress, hangs, idle GPUs, why it waits)"
    assert said in answer.text
    assert await notices(stack) == {
        "job": ("status", "events", "progress", "hang", "idle", "pending")
    }
    assert "· status, events, progress, hangs, idle GPUs, why it waits" in await table(stack)


async def test_a_queue_or_a_pool_gets_only_hang_and_idle_among_the_insights(stack: Stack) -> None:
    queue = await stack.ask(f"subscribe queue {QUEUE}")
    pool = await stack.ask(f"subscribe pool {POOL}")

    assert "(status, events, hangs, idle GPUs)" in queue.text
    assert "(status, events, hangs, idle GPUs)" in pool.text
    assert await notices(stack) == {
        "queue": ("status", "events", "hang", "idle"),
        "pool": ("status", "events", "hang", "idle"),
    }
    shown = await table(stack)
    assert shown.count("· status, events, hangs, idle GPUs") == 2


async def test_each_kind_can_be_chosen_alone_and_the_choice_replaces_the_last(
    stack: Stack,
) -> None:
    labels = {
        "status": "status",
        "events": "events",
        "logs": "logs",
        "progress": "progress",
        "hang": "hangs",
        "idle": "idle GPUs",
        "pending": "why it waits",
    }
    for kind in NOTICE_KINDS:
        answer = await stack.ask(f"subscribe {JOB} {kind}")
        assert f"({labels[kind]})." in answer.text, kind
        assert list((await notices(stack)).values()) == [(kind,)], kind
        assert f'· {labels[kind]}"' in await table(stack), kind

    mixed = await stack.ask(f"subscribe {JOB} hang,STATUS,progress")
    assert "(status, progress, hangs)" in mixed.text
    await stack.ask(f"subscribe queue {QUEUE} progress,pending")
    assert sorted((await notices(stack)).values()) == [
        ("progress", "pending"),
        ("status", "progress", "hang"),
    ]


async def test_a_bad_kind_is_named_with_the_kinds_there_are(stack: Stack) -> None:
    english = await stack.ask(f"subscribe {JOB} status,gpu")
    chinese = await stack.ask(f"subscribe {JOB} hung", user=WANG)

    assert "`status,gpu` is not a list of notices" in str(english.body)
    assert "progress, hang, idle, pending" in str(english.body)
    assert "`hung` 不是通知种类的组合" in str(chinese.body)
    assert await notices(stack) == {}


async def test_the_kinds_read_in_chinese_too(stack: Stack) -> None:
    granted = await stack.ask(f"role grant <@{WANG}> operator")
    assert "operator" in granted.text

    answer = await stack.ask(f"subscribe pool {POOL}", user=WANG)
    await stack.ask(f"subscribe {JOB} logs,idle,pending", user=WANG)

    assert "（状态、事件、疑似卡住、GPU 空闲）" in answer.text
    shown = await table(stack, user=WANG)
    assert "· 状态、事件、疑似卡住、GPU 空闲" in shown
    assert "· 日志、GPU 空闲、等待原因" in shown
