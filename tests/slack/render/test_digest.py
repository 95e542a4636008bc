"""A digest in words and as a chart: each part only when it has something, in English and
Chinese, names escaped, within Block Kit's limits, and a PNG with alt text."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest

from bot.charts.bars import HEIGHT_PX, WIDTH_PX
from bot.domain import JobStatus
from bot.domain.digest import Digest, DigestPeriod
from bot.insight.causes import Cause
from bot.insight.health import Health
from bot.insight.progress import Progress
from bot.insight.waiting import JobsAhead, WaitReport
from bot.slack.render.digest import digest_blocks, digest_chart
from bot.slack.render.limits import MAX_BLOCKS
from tests.charts.test_lines import png_size
from tests.insight.test_digest import END, WEEK_START, H, digest, job
from tests.slack.render.visible import HOSTILE, assert_safe, shown

SHANGHAI = ZoneInfo("Asia/Shanghai")


def full() -> Digest:
    """A week with a bit of everything: finished, failed, waiting, running, idle."""
    done = job("sft-done", running_at=WEEK_START - 3 * H, finished_at=WEEK_START + 2 * H)
    failed = job(
        "pretrain-oom",
        status=JobStatus.FAILED,
        running_at=END - 3 * H,
        finished_at=END - H,
        queue="llm",
        owner="bob",
    )
    waiting = job("eval-wait", status=JobStatus.PENDING, created_at=END - 30 * H)
    running = job("pretrain-70b", status=JobStatus.RUNNING, running_at=END - 5 * H, queue="llm")
    idle = job("idle-run", status=JobStatus.RUNNING, running_at=END - 50 * H, gpus=4, replicas=1)
    ahead = JobsAhead(2, ("first", "second"), "Priority")
    report = WaitReport("eval-wait", "default", JobStatus.PENDING, None, None, 2, (ahead,))
    progress = Progress(step=100, total=1000, secs_per_step=2.0, observed_at=END - H)
    return digest(
        done,
        failed,
        waiting,
        running,
        idle,
        causes={failed.id: Cause("cuda_oom")},
        reports={waiting.id: report},
        healths={
            running.id: Health(progress=progress, looked_at=END - H),
            idle.id: Health(idle_since=END - 3 * H, looked_at=END - H),
        },
    )


def test_an_english_digest_says_each_part() -> None:
    blocks = digest_blocks(full(), lang="en", tz=UTC)
    assert_safe(blocks)
    assert len(blocks) <= MAX_BLOCKS
    text = shown(blocks)
    assert "Weekly digest · 2026-05-01 to 2026-05-08 01:00" in text
    assert "Pools: llm-pool · 5 jobs read" in text
    assert "*Finished:* 1 Failed · 1 Succeeded" in text
    assert "CUDA out of memory × 1: pretrain-oom" in text
    # default: 2 h of sft-done × 16 GPUs, and 50 h of idle-run × 4; llm: (2 h + 5 h) × 16.
    assert "*GPU-hours by queue* (344.0 in all)\n• `default` 232.0\n• `llm` 112.0" in text
    assert "*GPU-hours by owner*\n• `alice` 312.0\n• `bob` 32.0" in text
    assert "`eval-wait` in `default` · waiting 1d 6h" in text
    assert "2 job(s) wait ahead of it in queue `default`" in text
    assert "`pretrain-70b` in `llm` · 16 GPUs · for 5h · step 100 / 1,000 (10 %)" in text
    assert "ETA 30m" in text
    assert "`idle-run` · 4 GPUs nearly unused for 2h · 8.0 GPU-hours" in text


def test_a_chinese_digest_says_each_part_in_chinese() -> None:
    text = shown(digest_blocks(full(), lang="zh", tz=SHANGHAI))
    assert "每周摘要 · 2026-05-01 至 2026-05-08 09:00" in text
    assert "*已结束：* 已失败 1 个 · 已成功 1 个" in text
    assert "CUDA 显存不足 × 1：pretrain-oom" in text
    assert "*各队列 GPU 时*（共 344.0）" in text
    assert "`eval-wait`（队列 `default`）· 已排队 1天 6小时" in text
    assert "`pretrain-70b`（队列 `llm`）· 16 张 GPU · 已运行 5小时 · 第 100 / 1,000 步" in text
    assert "`idle-run` · 4 张 GPU 几乎闲置了 2小时 · 8.0 GPU 时" in text


def test_an_empty_period_says_so_in_one_line_and_has_no_chart() -> None:
    empty = digest(period=DigestPeriod.DAILY)
    blocks = digest_blocks(empty, lang="en", tz=UTC)
    assert_safe(blocks)
    assert "Nothing ran, finished or waited here in this period." in shown(blocks)
    assert "Running now" not in shown(blocks)
    assert digest_chart(empty, lang="en") is None


@pytest.mark.parametrize("name", HOSTILE)
def test_names_from_aihc_are_escaped(name: str) -> None:
    hostile = job("x", status=JobStatus.RUNNING, running_at=END - H, queue=name, owner=name)
    hostile = hostile.model_copy(update={"name": name})
    blocks = digest_blocks(digest(hostile), lang="en", tz=UTC)
    assert_safe(blocks)


def test_the_chart_is_a_png_with_alt_text_and_days_in_the_readers_zone() -> None:
    chart = digest_chart(full(), lang="en", tz=SHANGHAI)
    assert chart is not None
    assert png_size(chart.png) == (WIDTH_PX, HEIGHT_PX)
    assert chart.filename == "digest-weekly-20260508-0900.png"
    assert chart.alt_text.startswith(
        "Bar charts of the Weekly digest from 2026-05-01 to 2026-05-08 09:00: "
        "344.0 GPU-hours in 2 queues, and 2 jobs finished (1 Failed, 1 Succeeded)."
    )
    assert "Weekly digest" in chart.title


def test_a_chinese_chart_has_chinese_alt_text() -> None:
    chart = digest_chart(full(), lang="zh")
    assert chart is not None
    assert png_size(chart.png) == (WIDTH_PX, HEIGHT_PX)
    assert "柱状图" in chart.alt_text
    assert "已失败 1 个" in chart.alt_text


def test_a_long_week_stays_within_block_kit_limits() -> None:
    many = [
        job(f"run-{i}", status=JobStatus.RUNNING, running_at=END - (i + 1) * H, queue=f"q{i}")
        for i in range(60)
    ]
    waiting = [
        job(f"wait-{i}", status=JobStatus.PENDING, created_at=END - (i + 1) * H) for i in range(30)
    ]
    blocks = digest_blocks(digest(*many, *waiting), lang="zh", tz=UTC)
    assert_safe(blocks)
    assert "… 另有 52 项" in shown(blocks)
    assert shown(blocks).count("run-") == 10


def test_a_digest_cut_short_by_its_bound_says_so() -> None:
    cut = full().model_copy(update={"complete": False})
    assert "only the newest jobs were read: older ones are left out" in shown(
        digest_blocks(cut, lang="en", tz=UTC)
    )
    assert "只读取了最新的任务" in shown(digest_blocks(cut, lang="zh", tz=UTC))
