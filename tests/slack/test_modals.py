"""Job and queue forms over the real HTTP path: opening, field errors, submission, JSON specs."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.services.actor import SLACK_TEAM_LABEL, SLACK_USER_LABEL
from bot.slack.ids import CallbackId
from bot.store import AuditResult
from bot.workspace import View, view_submission_payload
from tests.slack.actions_kit import ADMIN, OPERATOR, admin_stack, audit, entries, seen
from tests.slack.harness import Stack

GOOD_JOB = {
    "name": {"value": "from-slack-1"},
    "image": {"value": "registry.baidubce.com/aihc/train:1.0"},
    "command": {"value": "python train.py --epochs 3"},
    "replicas": {"value": "2"},
    "envs": {"value": "EPOCHS=3\nLR=0.1"},
}


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:
    """The bot with an admin (U0009) and an operator (U0007)."""
    async with admin_stack(tmp_path, database_url=database_url) as running:
        await running.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
        yield running


async def open_form(stack: Stack, text: str, callback: CallbackId, *, user: str) -> View:
    """Run a form command and wait for the loading view to become the form."""
    response, _ = await stack.command(text, user=user)
    assert response.status_code == 200
    views: list[View] = await stack.slack.wait_for(
        lambda: [v for v in stack.slack.views() if v.view.get("callback_id") == callback],
        timeout=15,
        what=f"the {callback} form",
    )
    return views[-1]


async def submit(stack: Stack, view: View, values: dict[str, Any], *, user: str) -> Any:
    """Submit a form; return what the bot answered in the HTTP response (or None)."""
    payload = view_submission_payload(
        view, {block: {"value": v} for block, v in values.items()}, user_id=user
    )
    response = await stack.sender.view_submission(payload)
    assert response.status_code == 200, response.text
    return response.json() if response.content else None


def plain(values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Return form values as `submit` takes them (text, an option value, or a list)."""
    return {block: entry["value"] for block, entry in values.items()}


async def pool_jobs(stack: Stack, name: str) -> list[Any]:
    """Return the jobs of llm-a800-pool called `name`."""
    pools = await stack.runtime.aihc.all_pools()
    pool = next(p for p in pools if p.name == "llm-a800-pool")
    return [j for j in await stack.runtime.aihc.all_jobs(pool.id) if j.name == name]


async def test_the_job_form_offers_the_pools_queues_and_gpu_types(stack: Stack) -> None:
    view = await open_form(stack, "job create", CallbackId.JOB_CREATE, user=OPERATOR)
    text = str(view.view["blocks"])
    assert "llm-pretrain" in text
    assert "gpu" in text.lower()
    assert len(view.view.get("private_metadata", "")) <= 3000


async def test_field_errors_come_back_under_their_fields(stack: Stack) -> None:
    view = await open_form(stack, "job create", CallbackId.JOB_CREATE, user=OPERATOR)
    values = {
        **plain(GOOD_JOB),
        "name": "Bad Name!",
        "replicas": "0",
        "gpus": "4",
        "envs": "OK=1\nnot a pair",
        "pfs": "pfs-data",
        "mount": "relative/path",
    }
    answer = await submit(stack, view, values, user=OPERATOR)
    assert answer["response_action"] == "errors"
    errors = answer["errors"]
    assert set(errors) == {"name", "replicas", "gpu_type", "envs", "mount"}
    assert "Line 2" in errors["envs"]
    assert not await pool_jobs(stack, "Bad Name!")


async def test_a_submitted_job_is_created_once_and_labelled_with_its_creator(
    stack: Stack,
) -> None:
    view = await open_form(stack, "job create", CallbackId.JOB_CREATE, user=OPERATOR)
    assert await submit(stack, view, plain(GOOD_JOB), user=OPERATOR) is None
    assert await submit(stack, view, plain(GOOD_JOB), user=OPERATOR) is None
    told = await stack.slack.wait_for(
        lambda: [e for e in stack.slack.ephemerals(user=OPERATOR) if "created job" in e.text],
        timeout=15,
        what="the creation notice",
    )
    assert "from-slack-1" in seen(told[0])
    await stack.slack.wait_for(
        lambda: len([e for e in stack.slack.ephemerals(user=OPERATOR) if "created" in e.text]) > 1,
        timeout=15,
        what="the second answer",
    )
    jobs = await pool_jobs(stack, "from-slack-1")
    assert len(jobs) == 1
    assert jobs[0].labels[SLACK_USER_LABEL] == OPERATOR
    assert jobs[0].labels[SLACK_TEAM_LABEL] == "T0001"
    assert entries(await audit(stack), "job.create", AuditResult.OK)


async def test_someone_without_a_role_sees_the_refusal_in_the_form(stack: Stack) -> None:
    response, _ = await stack.command("job create")
    assert response.status_code == 200
    views = await stack.slack.wait_for(
        lambda: [v for v in stack.slack.views() if v.versions > 1],
        timeout=15,
        what="the refusal",
    )
    assert "operator" in str(views[-1].view["blocks"])
    assert entries(await audit(stack), "job.create", AuditResult.REFUSED)


async def test_a_json_spec_creates_a_job(stack: Stack) -> None:
    spec = '{"name": "json-job", "image": "img:1", "command": "python x.py", "rdma": true}'
    answer = await stack.ask(f"job create {spec}", user=OPERATOR)
    assert "created job" in seen(answer)
    assert len(await pool_jobs(stack, "json-job")) == 1
    bad = await stack.ask('job create {"name": "X", "image": ""}', user=OPERATOR)
    assert "not valid" in seen(bad)
    assert "name" in seen(bad)
    broken = await stack.ask("job create {not json", user=OPERATOR)
    assert "to open the form" in seen(broken)
    refused = await stack.ask(f"job create {spec.replace('json-job', 'json-job-2')}")
    assert "operator" in seen(refused)


async def test_the_queue_form_checks_quota_order_then_creates(stack: Stack) -> None:
    view = await open_form(stack, "queue create team-x", CallbackId.QUEUE_CREATE, user=ADMIN)
    bad = {"deserved_gpu": "8", "guarantee_gpu": "16", "capability_gpu": "16"}
    answer = await submit(stack, view, bad, user=ADMIN)
    assert answer["response_action"] == "errors"
    assert set(answer["errors"]) == {"guarantee_gpu"}
    good = {
        "deserved_gpu": "8",
        "guarantee_gpu": "4",
        "capability_gpu": "16",
        "deserved_memory": "64",
    }
    assert await submit(stack, view, good, user=ADMIN) is None
    await stack.slack.wait_for(
        lambda: [e for e in stack.slack.ephemerals(user=ADMIN) if "created queue" in e.text],
        timeout=15,
        what="the queue notice",
    )
    shown_queue = seen(await stack.ask("queue show team-x"))
    assert "team-x" in shown_queue
    assert "8" in shown_queue


async def test_the_update_form_is_filled_and_saves(stack: Stack) -> None:
    view = await open_form(stack, "queue update llm-sft", CallbackId.QUEUE_UPDATE, user=ADMIN)
    assert "initial_value" in str(view.view["blocks"])
    assert await submit(stack, view, {"capability_cpu": "999"}, user=ADMIN) is None
    await stack.slack.wait_for(
        lambda: [e for e in stack.slack.ephemerals(user=ADMIN) if "updated queue" in e.text],
        timeout=15,
        what="the update notice",
    )
    assert "999" in seen(await stack.ask("queue show llm-sft"))
    assert entries(await audit(stack), "queue.update", AuditResult.OK)


async def test_queue_delete_needs_an_admin_and_audits_aihc_refusals(stack: Stack) -> None:
    refused = await stack.ask("queue delete llm-sft", user=OPERATOR)
    assert "admin" in seen(refused)
    busy = await stack.ask("queue delete llm-sft", user=ADMIN)
    assert "unfinished" in seen(busy)
    await stack.ask("queue create empty-q --deserved cpu=1", user=ADMIN)
    done = await stack.ask("queue delete empty-q", user=ADMIN)
    assert "deleted queue" in seen(done)
    trail = await audit(stack)
    assert entries(trail, "queue.delete", AuditResult.REFUSED)
    assert entries(trail, "queue.delete", AuditResult.FAILED)[0].aihc_request_id
    assert entries(trail, "queue.delete", AuditResult.OK)[0].aihc_request_id


async def test_queue_flags_create_without_a_form(stack: Stack) -> None:
    answer = await stack.ask(
        "queue create team-y --deserved gpu=8,cpu=64 --strategy strictfifo --oversell no",
        user=ADMIN,
    )
    assert "created queue" in seen(answer)
    assert "team-y" in seen(await stack.ask("queues"))
    bad = await stack.ask("queue create team-z --deserved gpu=lots", user=ADMIN)
    assert "not a quota" in seen(bad)


async def test_hostile_form_submissions_are_refused_cleanly(stack: Stack) -> None:
    view = await open_form(stack, "job create", CallbackId.JOB_CREATE, user=OPERATOR)
    forged = view.as_api()
    forged["private_metadata"] = '{"pool": "../../x", "channel": "<!channel>"}'
    payload = view_submission_payload(forged, {}, user_id=OPERATOR)
    response = await stack.sender.view_submission(payload)
    assert response.status_code == 200
    assert response.json()["response_action"] == "update"
    huge = {**plain(GOOD_JOB), "name": "x" * 5000, "command": "y" * 50_000}
    payload = view_submission_payload(
        view, {block: {"value": v} for block, v in huge.items()}, user_id=OPERATOR
    )
    state = payload["view"]["state"]["values"]
    state["options"]["value"] = {"type": "checkboxes", "selected_options": [{"value": "sudo"}]}
    state["replicas"]["value"] = {"type": "number_input", "value": ["not", "a", "number"]}
    response = await stack.sender.view_submission(payload)
    assert response.status_code == 200
    errors = response.json()["errors"]
    assert set(errors) == {"name", "command", "options", "replicas"}
