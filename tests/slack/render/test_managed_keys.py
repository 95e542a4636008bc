"""Card controls of a job in a managed pool carry its queue, within Slack's value limits."""

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


def test_a_managed_jobs_buttons_carry_its_queue_and_others_do_not() -> None:
    managed = Job(id=JOB_ID, pool_id="aihc-serverless", queue="team-q", status=JobStatus.RUNNING)
    plain = Job(id=JOB_ID, pool_id="cce-abc", queue="team-q", status=JobStatus.RUNNING)
    stop = JobKey.model_validate_json(_elements(managed)[ActionId.STOP_JOB.value]["value"])
    assert stop.queue == "team-q"
    assert stop.args() == {"job": JOB_ID, "pool": "aihc-serverless", "queue": "team-q"}
    other = JobKey.model_validate_json(_elements(plain)[ActionId.STOP_JOB.value]["value"])
    assert other.queue is None
    assert "queue" not in json.loads(_elements(plain)[ActionId.STOP_JOB.value]["value"])


def test_a_long_queue_name_never_makes_a_priority_option_too_long() -> None:
    long_queue = "q" * 120
    job = Job(id=JOB_ID, pool_id="aihc-serverless", queue=long_queue, status=JobStatus.RUNNING)
    elements = _elements(job)
    options = elements[ActionId.SET_PRIORITY.value]["options"]
    assert all(len(o["value"]) <= OPTION_VALUE_MAX for o in options)
    assert (
        JobKey.model_validate_json(elements[ActionId.STOP_JOB.value]["value"]).queue == long_queue
    )
