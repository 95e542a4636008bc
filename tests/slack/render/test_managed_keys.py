"""Card controls of a job carry its queue (v2 and managed pools need it), within Slack's limits."""

from __future__ import annotations

import json
from typing import Any

from bot.domain import Job, JobStatus
from bot.slack.ids import ActionId
from bot.slack.refs import JobKey
from bot.slack.render.actions import card_controls
from bot.slack.render.limits import OPTION_VALUE_MAX

JOB_ID = "pytorchjob-0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"


def _elements(job: Job) -> dict[str, Any]:
    blocks = card_controls(job, lang="en")
    return {e["action_id"]: e for b in blocks for e in b.get("elements", []) if "action_id" in e}


def test_a_jobs_buttons_carry_its_queue_whenever_it_has_one() -> None:
    # v2 reaches every job through its queue, v1 a managed pool's: the key carries it in any pool.
    for pool in ("aihc-serverless", "cce-abc"):
        job = Job(id="job-oeqpsJhwqq3k", pool_id=pool, queue="team-q", status=JobStatus.RUNNING)
        stop = JobKey.model_validate_json(_elements(job)[ActionId.STOP_JOB.value]["value"])
        assert stop.args() == {"job": "job-oeqpsJhwqq3k", "pool": pool, "queue": "team-q"}
    queueless = Job(id=JOB_ID, pool_id="cce-abc", status=JobStatus.RUNNING)
    value = _elements(queueless)[ActionId.STOP_JOB.value]["value"]
    assert "queue" not in json.loads(value)


def test_a_queue_that_no_button_can_carry_leaves_it_to_be_searched() -> None:
    job = Job(id=JOB_ID, pool_id="aihc-serverless", queue="q" * 200, status=JobStatus.RUNNING)
    stop = JobKey.model_validate_json(_elements(job)[ActionId.STOP_JOB.value]["value"])
    assert (stop.job, stop.queue) == (JOB_ID, None)


def test_a_long_queue_name_never_makes_a_priority_option_too_long() -> None:
    long_queue = "q" * 120
    job = Job(id=JOB_ID, pool_id="aihc-serverless", queue=long_queue, status=JobStatus.RUNNING)
    elements = _elements(job)
    options = elements[ActionId.SET_PRIORITY.value]["options"]
    assert all(len(o["value"]) <= OPTION_VALUE_MAX for o in options)
    assert (
        JobKey.model_validate_json(elements[ActionId.STOP_JOB.value]["value"]).queue == long_queue
    )
