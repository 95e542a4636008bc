"""A job in a managed pool (`aihc-serverless`) is shown, stopped from its card and watched.

Baidu's Go SDK reaches such a job only through its queue (`services/aihc/resource/client.go`
:175-176, :291-292, :466-468): the bot must carry the queue from the job to every later call.
"""

from __future__ import annotations

from bot.domain import JobSpec, JobStatus
from bot.simulator.lifecycle import force
from bot.slack.ids import ActionId
from tests.managed import MANAGED, QUEUE, add_managed_pool
from tests.slack.actions_kit import answers, card, click, seen
from tests.slack.harness import Stack
from tests.watch.helpers import card_of, settle, text_of

NAME = "serverless-sft"


async def _running_job(stack: Stack) -> str:
    """Add the managed pool and start one job in its team queue; return the job's id."""
    add_managed_pool(stack.sim.simulator.world)
    spec = JobSpec(name=NAME, image="img", command="true", queue=QUEUE)
    ref = await stack.runtime.aihc.create_job(MANAGED, spec, client_token="slack-managed-e2e")
    force(stack.sim.simulator.world.jobs[ref.job_id], JobStatus.RUNNING, stack.sim.simulator.now())
    return ref.job_id


async def test_a_managed_jobs_card_is_shown_by_id_and_its_stop_button_stops_it(
    stack: Stack,
) -> None:
    job_id = await _running_job(stack)
    shown = await card(stack, f"{job_id} --pool {MANAGED}")
    assert NAME in text_of(shown)
    key = await click(stack, ActionId.STOP_JOB, shown)
    await answers(stack, key, 2)
    job = await stack.runtime.aihc.get_job(MANAGED, job_id, queue=QUEUE)
    assert job.status is JobStatus.MANUAL_TERMINATION


async def test_a_managed_pool_lists_jobs_by_queue_and_says_so_without_one(stack: Stack) -> None:
    await _running_job(stack)
    refused = await stack.ask(f"jobs --pool {MANAGED}")
    assert "--queue" in seen(refused)
    listed = await stack.ask(f"jobs --pool {MANAGED} --queue {QUEUE}")
    assert NAME in seen(listed)


async def test_a_watched_managed_job_gets_its_card_and_its_failure(stack: Stack) -> None:
    job_id = await _running_job(stack)
    said = await stack.ask(f"subscribe {NAME} --pool {MANAGED}")
    assert "now follows" in said.text
    await settle(stack, lambda: card_of(stack.slack, NAME), what="the card")
    await stack.sim_control("POST", f"/_sim/jobs/{job_id}/status", status="Failed")
    failed = await settle(
        stack,
        lambda: [m for m in card_of(stack.slack, NAME) if "Failed" in text_of(m)],
        what="the card to say Failed",
    )
    assert failed
