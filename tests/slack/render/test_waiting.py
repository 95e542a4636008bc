"""Why a job waits, in words: each reason in English and Chinese, and names escaped."""

from __future__ import annotations

import pytest

from bot.domain import Job, JobStatus
from bot.insight.waiting import (
    Borrowing,
    JobsAhead,
    NodeShortage,
    QuotaShortfall,
    Reclaim,
    WaitReason,
    WaitReport,
)
from bot.slack.i18n import Lang
from bot.slack.render import not_waiting_blocks, why_blocks
from tests.slack.render.visible import HOSTILE, assert_safe, shown

GPU = "baidu.com/a800_80g_cgpu"
LANGS: tuple[Lang, ...] = ("en", "zh")


def report(*reasons: WaitReason, job: str = "llama-run", queue: str = "team") -> WaitReport:
    """A Pending job of 2 × 8 GPUs with these reasons."""
    return WaitReport(job, queue, JobStatus.PENDING, GPU, 8, 2, reasons)


SHORTAGE = NodeShortage(GPU, 16, 4, 8, 4, 2, 0, cordoned=1, failed=2)
CASES: list[tuple[WaitReason, str, str]] = [
    (
        QuotaShortfall(GPU, 16, 32, "capability", 24, never_fits=False),
        "Queue `team` is at its capability: 24 of 32 GPUs allocated, and this job needs 16 more.",
        "队列 `team` 已达到上限（capability）：已分配 24/32 个 GPU，该任务还需要 16 个。",
    ),
    (
        QuotaShortfall(GPU, 40, 32, "capability", None, never_fits=True),
        "more than queue `team`'s capability of 32: it cannot start in this queue.",
        "超过队列 `team` 的上限 32：无法在此队列中启动。",
    ),
    (
        QuotaShortfall(GPU, 16, 16, "deserved", 8, never_fits=False),
        "deserved share with oversell disabled: 8 of 16 GPUs allocated",
        "已用满应得配额（deserved）且禁止超发：已分配 8/16 个 GPU",
    ),
    (
        Borrowing(GPU, 16, 8, 16, reclaimable=True),
        "past its deserved 16 GPUs (8 allocated + 16): oversell is allowed, so it waits for GPUs "
        "other queues leave idle. The queue is reclaimable",
        "允许超发，因此需等待其他队列空闲的 GPU。该队列可被抢占",
    ),
    (
        SHORTAGE,
        "Free GPUs of this type on schedulable nodes: 4; the job needs 16. No schedulable node "
        "has 8 free GPUs for one replica (the most on one node: 4). Not counted: 1 cordoned and "
        "2 failed node(s).",
        "空闲 GPU：4 个；任务需要 16 个。没有可调度节点能为一个副本提供 8 个空闲 GPU",
    ),
    (
        Reclaim(GPU, 12, ("vision", "nlp")),
        "AIHC may reclaim 12 GPUs that reclaimable queues use beyond their deserved share "
        "(vision, nlp).",
        "AIHC 可能收回可抢占队列超出应得配额使用的 12 个 GPU（vision, nlp）。",
    ),
    (
        JobsAhead(5, ("a-run", "b-run", "c-run"), "StrictFIFO"),
        "5 job(s) wait ahead of it in queue `team` (by priority, then queueing order): "
        "a-run, b-run, c-run and 2 more. The queue is StrictFIFO",
        "队列 `team` 中有 5 个任务排在它前面（先按优先级，再按排队顺序）："
        "a-run, b-run, c-run；另有 2 个。",
    ),
]


@pytest.mark.parametrize(("reason", "english", "chinese"), CASES)
def test_each_reason_reads_in_both_languages(
    reason: WaitReason, english: str, chinese: str
) -> None:
    for lang, expected in (("en", english), ("zh", chinese)):
        blocks = why_blocks(report(reason), lang=lang)
        assert_safe(blocks)
        assert expected in shown(blocks)


def test_spread_and_at_least_wordings() -> None:
    spread = NodeShortage(GPU, 16, 12, 8, 8, 2, 1, cordoned=0, failed=0)
    text = shown(why_blocks(report(spread), lang="en"))
    assert "Only 1 of 2 replicas fit on the free GPUs (8 on one node each)." in text
    assert "Not counted" not in text
    partial = JobsAhead(2, ("a-run", "b-run"), "", at_least=True)
    assert "At least 2 job(s) wait ahead" in shown(why_blocks(report(partial), lang="en"))
    assert "至少有 2 个任务" in shown(why_blocks(report(partial), lang="zh"))


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_explains_the_wait(lang: Lang) -> None:
    text = shown(why_blocks(report(), lang=lang))
    assert ("Nothing AIHC reports explains the wait" if lang == "en" else "无法解释") in text
    assert ("Asks for 2 × 8" if lang == "en" else "申请 2 × 8 个") in text


@pytest.mark.parametrize("hostile", HOSTILE)
def test_names_from_aihc_are_escaped(hostile: str) -> None:
    ahead = JobsAhead(1, (hostile,), "")
    reclaim = Reclaim(GPU, 8, (hostile,))
    for lang in LANGS:
        assert_safe(why_blocks(report(ahead, reclaim, job=hostile, queue=hostile), lang=lang))
        job = Job(id="pytorchjob-1", name=hostile, status=JobStatus.RUNNING)
        assert_safe(not_waiting_blocks(job, lang=lang))
