"""Roles, links, channel configuration, the audit trail and terminals over the real HTTP path."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.slack.ids import ActionId
from bot.store import AuditResult
from bot.workspace import block_actions_payload
from tests.slack.actions_kit import (
    ADMIN,
    OPERATOR,
    RUNNING_JOB,
    admin_stack,
    answers,
    audit,
    card,
    entries,
    seen,
)
from tests.slack.harness import WANG, Stack


@pytest.fixture
async def stack(tmp_path: Path, database_url: str) -> AsyncIterator[Stack]:
    """The bot with U0009 in BOT_ADMINS."""
    async with admin_stack(tmp_path, database_url=database_url) as running:
        yield running


async def test_roles_are_granted_listed_and_revoked_by_admins_only(stack: Stack) -> None:
    refused = await stack.ask(f"role grant <@{OPERATOR}> operator")
    assert "admin" in seen(refused)
    granted = await stack.ask(f"role grant <@{OPERATOR}|ops> operator", user=ADMIN)
    assert f"<@{OPERATOR}>" in seen(granted)
    assert "now has" in seen(granted)
    again = await stack.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
    assert "already had" in seen(again)
    roles = seen(await stack.ask("roles"))
    assert f"<@{OPERATOR}>" in roles
    assert f"<@{ADMIN}>" in roles
    revoked = await stack.ask(f"role revoke <@{OPERATOR}> operator", user=ADMIN)
    assert "no longer has" in seen(revoked)
    assert f"<@{OPERATOR}>" not in seen(await stack.ask("roles"))
    trail = await audit(stack)
    assert len(entries(trail, "role", AuditResult.REFUSED)) == 1
    assert len(entries(trail, "role.grant", AuditResult.OK)) == 2
    assert len(entries(trail, "role.revoke", AuditResult.OK)) == 1


async def test_bad_role_arguments_show_usage(stack: Stack) -> None:
    assert "not a role" in seen(await stack.ask(f"role grant <@{OPERATOR}> king", user=ADMIN))
    assert "not a Slack user" in seen(await stack.ask("role grant bob operator", user=ADMIN))


async def test_a_granted_admin_can_grant_in_turn(stack: Stack) -> None:
    await stack.ask(f"role grant <@{WANG}> admin", user=ADMIN)
    done = await stack.ask(f"role grant <@{OPERATOR}> operator", user=WANG)
    assert "角色" in seen(done)
    assert f"<@{OPERATOR}>" in seen(await stack.ask("roles"))


async def test_config_pool_sets_the_channel_default(stack: Stack) -> None:
    refused = await stack.ask("config pool cv-h800-pool", channel="C0002")
    assert "admin" in seen(refused)
    done = await stack.ask("config pool cv-h800-pool", user=ADMIN, channel="C0002")
    assert "cv-h800-pool" in seen(done)
    jobs = seen(await stack.ask("jobs", channel="C0002"))
    assert "resnet50-imagenet-1" in jobs
    lifted = await stack.ask("config pools all", user=ADMIN, channel="C0002")
    assert "every pool" in seen(lifted)
    missing = await stack.ask("config pool nowhere", user=ADMIN, channel="C0002")
    assert "nowhere" in seen(missing)


async def test_audit_is_for_admins_and_shows_refusals_and_request_ids(stack: Stack) -> None:
    await stack.ask(f"stop {RUNNING_JOB}")
    await stack.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
    await stack.ask(f"stop {RUNNING_JOB}", user=OPERATOR)
    refused = await stack.ask("audit")
    assert "admin" in seen(refused)
    trail = seen(await stack.ask("audit 10", user=ADMIN))
    assert "job.stop" in trail
    assert "refused" in trail
    assert "U0001" in trail
    stop = entries(await audit(stack), "job.stop", AuditResult.OK)[0]
    assert stop.aihc_request_id
    assert stop.aihc_request_id in trail
    assert "1 to 50" in seen(await stack.ask("audit 5000", user=ADMIN))


async def test_the_terminal_link_goes_only_to_someone_allowed_and_never_to_the_audit(
    stack: Stack,
) -> None:
    refused = await stack.ask(f"job terminal {RUNNING_JOB}")
    assert "owner" in seen(refused)
    await stack.ask(f"role grant <@{OPERATOR}> operator", user=ADMIN)
    shared = await stack.ask(f"job terminal {RUNNING_JOB} --share", user=OPERATOR)
    answer = await stack.ask(f"job terminal {RUNNING_JOB}", user=OPERATOR)
    urls = []
    for post in (shared, answer):
        assert post.response_type == "ephemeral"
        assert "Only you can see this" in seen(post)
        urls += [
            element["url"]
            for block in post.body["blocks"]
            for element in block.get("elements") or []
            if "url" in element
        ]
    assert len(urls) == 2
    assert not stack.slack.messages("C0001")
    rows = await audit(stack)
    assert entries(rows, "job.terminal", AuditResult.OK)
    assert all(urls[0] not in f"{e.target} {e.detail}" for e in rows)


def _payload(stack: Stack, key: str, action_id: str, value: Any) -> dict[str, Any]:
    url = stack.slack.response_url(key)
    return block_actions_payload(action_id, response_url=url, value=value)


@pytest.mark.parametrize(
    "value",
    [
        '{"pool": "cce-nope", "job": "pytorchjob-nope"}',
        '{"pool": "../../etc", "job": "x"}',
        '{"pool": "a", "job": "b", "extra": 1}',
        "not json at all",
        "x" * 5000,
        json.dumps({"pool": ["a"], "job": 3}),
    ],
)
async def test_hostile_button_values_are_refused_cleanly(stack: Stack, value: str) -> None:
    for action_id in (ActionId.STOP_JOB, ActionId.REFRESH, ActionId.SHOW_LOGS):
        key = f"H{abs(hash((value, action_id))) % 10**8}"
        response = await stack.sender.block_actions(_payload(stack, key, action_id, value))
        assert response.status_code == 200
        text = seen((await answers(stack, key))[0])
        assert "Traceback" not in text
        assert "went wrong" not in text


async def test_a_value_of_the_wrong_type_is_refused_cleanly(stack: Stack) -> None:
    for key, value in (("W1", 12), ("W2", ["a"]), ("W3", {"pool": "a"})):
        payload = _payload(stack, key, ActionId.STOP_JOB, "x")
        payload["actions"][0]["value"] = value
        response = await stack.sender.block_actions(payload)
        assert response.status_code == 200
        assert "not one the bot made" in seen((await answers(stack, key))[0])


async def test_a_priority_option_without_a_priority_changes_nothing(stack: Stack) -> None:
    shown_card = await card(stack, RUNNING_JOB, user=ADMIN)
    plain = next(
        e["value"]
        for b in shown_card.blocks
        for e in b.get("elements") or []
        if e.get("action_id") == ActionId.STOP_JOB
    )
    payload = _payload(stack, "P1", ActionId.SET_PRIORITY, "x")
    payload["actions"][0] = {
        "type": "static_select",
        "action_id": ActionId.SET_PRIORITY.value,
        "block_id": "b",
        "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": plain},
        "action_ts": "1.0",
    }
    response = await stack.sender.block_actions(payload)
    assert response.status_code == 200
    assert "not one the bot made" in seen((await answers(stack, "P1"))[0])
    assert not entries(await audit(stack), "job.priority", AuditResult.OK)
