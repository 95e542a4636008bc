"""`job show` tells how far a running training is, like the watched card; nothing when unknown."""

from __future__ import annotations

import re

from tests.slack.actions_kit import seen
from tests.slack.harness import Stack


async def test_a_running_jobs_card_shows_its_step_pace_and_eta(stack: Stack) -> None:
    answer = await stack.ask("job show llama2-13b-pretrain-7")
    assert re.search(r"step [\d,]+ / 500,000 \([\d.]+ %\) · [\d.]+ s/step · ETA", seen(answer))
    assert re.search(r"loss [\d.]+ \S+", seen(answer))


async def test_a_job_whose_log_shows_no_progress_gets_no_progress_line(stack: Stack) -> None:
    answer = await stack.ask("job show mixtral-8x7b-sft-6")
    assert "step " not in seen(answer)
    assert "ETA" not in seen(answer)
