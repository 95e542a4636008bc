"""`logs --tail` is bounded: at most 500 lines answered privately, 50 shared, saying so when cut."""

from __future__ import annotations

import pytest

from bot.slack.commands.grammar import UsageError
from bot.slack.commands.reads import PRIVATE_TAIL, SHARED_TAIL
from bot.slack.commands.table import GRAMMAR
from tests.slack.harness import Stack
from tests.slack.test_read_commands import RUNNING_JOB, seen

LINES = 700


async def _long_log(stack: Stack) -> None:
    """Give the running job's rank-0 pod LINES more lines, `step 0` to `step 699`, each long."""
    jobs = await stack.runtime.aihc.all_jobs("cce-ujzde8gx")
    job = next(j for j in jobs if j.name == RUNNING_JOB)
    lines = [f"step {i} loss 1.{i:04d} " + "x" * 120 for i in range(LINES)]
    await stack.sim_control("POST", f"/_sim/jobs/{job.id}/logs", lines=lines)


async def _file_text(stack: Stack) -> str:
    files = await stack.slack.wait_for(stack.slack.files, what="the log file")
    return bytes(files[-1].content).decode()


async def test_a_private_tail_is_capped_and_says_so(stack: Stack) -> None:
    await _long_log(stack)
    answer = await stack.ask(f"logs {RUNNING_JOB} --tail 10000")
    assert answer.response_type == "ephemeral"
    assert f"capped at {PRIVATE_TAIL} lines" in seen(answer)
    text = await _file_text(stack)
    assert f"step {LINES - 1} " in text
    assert f"step {LINES - PRIVATE_TAIL} " in text
    assert f"step {LINES - PRIVATE_TAIL - 1} " not in text


async def test_a_shared_tail_is_shorter_and_says_so(stack: Stack) -> None:
    await _long_log(stack)
    answer = await stack.ask(f"logs {RUNNING_JOB} --tail 200 --share")
    assert answer.response_type == "in_channel"
    assert f"capped at {SHARED_TAIL} lines" in seen(answer)
    text = await _file_text(stack)
    assert f"step {LINES - SHARED_TAIL} " in text
    assert f"step {LINES - SHARED_TAIL - 1} " not in text


async def test_a_tail_within_the_bound_is_not_capped(stack: Stack) -> None:
    await _long_log(stack)
    answer = await stack.ask(f"logs {RUNNING_JOB} --tail 30 --share")
    assert "capped" not in seen(answer)
    assert f"step {LINES - 1} " in seen(answer)
    shared_default = await stack.ask(f"logs {RUNNING_JOB} --share")
    assert "capped" not in seen(shared_default)


async def test_a_capped_tail_is_said_in_chinese_too(stack: Stack) -> None:
    await _long_log(stack)
    answer = await stack.ask(f"logs {RUNNING_JOB} --tail 900", user="U0002")
    assert f"最多 {PRIVATE_TAIL} 行" in seen(answer)


@pytest.mark.parametrize("tail", ["0", "-5", "ten", "9" * 40, "1e3"])
def test_a_tail_that_is_not_a_count_is_refused_at_parse(tail: str) -> None:
    with pytest.raises(UsageError) as caught:
        GRAMMAR.parse(f"logs j --tail={tail}")
    assert caught.value.problem == "problem.bad_count"


def test_a_large_tail_parses_and_is_capped_later() -> None:
    assert GRAMMAR.parse("logs j --tail 10000").args["tail"] == 10_000
    assert GRAMMAR.parse("logs j --tail 250000").args["tail"] == 250_000
