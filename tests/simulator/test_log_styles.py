"""Rank 0 logs like real Megatron, Hugging Face Trainer and DeepSpeed runs: steps, losses move."""

from __future__ import annotations

import itertools
import re
from typing import Any

import pytest

from tests.simulator.conftest import Sim
from tests.simulator.training import (
    DS_LOSS,
    DS_SPEED,
    DS_STEP,
    HF_BAR,
    HF_LOGS,
    MEGATRON,
    create_running,
    rank0_log,
)

_HOUR = 3600.0


def _progress(style: str, lines: list[str]) -> list[tuple[int, float]]:
    """(step, loss) of each progress report, read with the style's exact upstream shape."""
    if style == "megatron":
        found = [MEGATRON.match(line) for line in lines]
        return [(int(m["step"]), float(m["loss"])) for m in found if m]
    if style == "hf":
        out: list[tuple[int, float]] = []
        for bar, logs in itertools.pairwise(lines):
            shown = HF_LOGS.match(logs)
            if shown and bar.startswith("\r"):
                last = HF_BAR.match(bar.split("\r")[-1])
                assert last, bar
                out.append((int(last["step"]), float(shown["loss"])))
        return out
    losses = {int(m["step"]): float(m["loss"]) for m in map(DS_LOSS.match, lines) if m}
    steps = [int(m["step"]) for m in map(DS_STEP.match, lines) if m]
    speeds = [int(m["step"]) for m in map(DS_SPEED.match, lines) if m]
    assert steps == speeds == sorted(losses)
    return [(step, losses[step]) for step in steps]


@pytest.mark.parametrize("style", ["megatron", "hf", "deepspeed"])
async def test_each_style_reports_advancing_steps_and_falling_loss(
    empty_sim: Sim, style: str
) -> None:
    await create_running(empty_sim, f"train-{style}", style)
    await empty_sim.advance(3 * _HOUR)
    job = await empty_sim.job_named(f"train-{style}")
    first = _progress(style, await rank0_log(empty_sim, job))
    tail = _progress(style, await rank0_log(empty_sim, job, maxLines=60))
    assert len(first) > 10
    assert tail
    steps = [step for step, _ in first]
    assert steps == sorted(steps)
    assert first[-1][0] - first[0][0] > 10
    await empty_sim.advance(600)
    later = _progress(style, await rank0_log(empty_sim, job, maxLines=60))
    assert later[-1][0] > tail[-1][0]
    early_loss = sum(loss for _, loss in first[:5]) / 5
    late_loss = sum(loss for _, loss in later[-5:]) / 5
    assert late_loss < early_loss


async def test_the_hf_bar_is_redrawn_with_carriage_returns_on_one_line(empty_sim: Sim) -> None:
    await create_running(empty_sim, "train-hf", "hf")
    await empty_sim.advance(_HOUR)
    job = await empty_sim.job_named("train-hf")
    bars = [line for line in await rank0_log(empty_sim, job, maxLines=40) if "\r" in line]
    assert bars
    for line in bars:
        redraws = [HF_BAR.match(part) for part in line.split("\r")[1:]]
        assert all(redraws), line
        steps = [int(m["step"]) for m in redraws if m]
        assert len(steps) == 10
        assert steps == list(range(steps[0], steps[0] + 10))
        totals = {int(m["total"]) for m in redraws if m}
        assert len(totals) == 1
        percent = int(redraws[-1]["pct"]) if redraws[-1] else -1
        assert percent == round(100 * steps[-1] / totals.pop())
    assert "  Total optimization steps = " in "\n".join(await rank0_log(empty_sim, job))


async def _style_of(sim: Sim, name: str) -> str:
    lines = await rank0_log(sim, await sim.job_named(name), maxLines=30)
    for style, shape in (("megatron", MEGATRON), ("hf", HF_LOGS), ("deepspeed", DS_STEP)):
        if any(shape.match(line) for line in lines):
            return style
    raise AssertionError(lines)


async def test_the_style_follows_the_label_else_what_the_job_runs(empty_sim: Sim) -> None:
    await create_running(empty_sim, "plain-megatron")
    await create_running(empty_sim, "labelled-hf", "hf")
    await create_running(
        empty_sim, "ds-chat", command="deepspeed main.py --zero_stage 3", image="ds:latest"
    )
    await create_running(
        empty_sim, "clm", command="python run_clm.py --model_name_or_path gpt2", image="hf:4"
    )
    await empty_sim.advance(_HOUR)
    assert await _style_of(empty_sim, "plain-megatron") == "megatron"
    assert await _style_of(empty_sim, "labelled-hf") == "hf"
    assert await _style_of(empty_sim, "ds-chat") == "deepspeed"
    assert await _style_of(empty_sim, "clm") == "hf"


async def test_totals_are_fixed_per_job(empty_sim: Sim) -> None:
    await create_running(empty_sim, "train-hf", "hf")
    await empty_sim.advance(_HOUR)
    job: dict[str, Any] = await empty_sim.job_named("train-hf")
    before = {m["total"] for m in map(HF_BAR.match, _redraws(await rank0_log(empty_sim, job))) if m}
    await empty_sim.advance(_HOUR)
    after = {m["total"] for m in map(HF_BAR.match, _redraws(await rank0_log(empty_sim, job))) if m}
    assert len(before) == 1
    assert before == after
    header = re.search(
        r"Total optimization steps = ([\d,]+)", "\n".join(await rank0_log(empty_sim, job))
    )
    assert header
    assert header[1].replace(",", "") == before.pop()


def _redraws(lines: list[str]) -> list[str]:
    return [part for line in lines if "\r" in line for part in line.split("\r")[1:]]
