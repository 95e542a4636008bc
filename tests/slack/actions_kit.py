"""Helpers of the action tests: a stack with an admin, clicks on cards, the audit trail."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from bot.store import AuditResult
from bot.store.tables import AuditEntryRow
from bot.workspace import Ephemeral, Message, block_actions_payload
from bot.workspace.ids import TEAM_ID
from bot.workspace.model import ResponsePost
from tests.slack.harness import Stack, running_stack
from tests.slack.render.visible import shown

ADMIN = "U0009"
OPERATOR = "U0007"
RUNNING_JOB = "llama2-7b-dpo-5"
FAILED_JOB = "mixtral-8x7b-sft-6"
_keys = itertools.count(1)


@asynccontextmanager
async def admin_stack(tmp_path: Path, **settings: Any) -> AsyncIterator[Stack]:
    """The whole bot with U0009 in `BOT_ADMINS` and users for each role."""
    values = {"aihc_default_pool": "llm-a800-pool", "bot_admins": ADMIN, **settings}
    async with running_stack(tmp_path, **values) as stack:
        stack.slack.add_user(ADMIN, "root")
        stack.slack.add_user(OPERATOR, "ops")
        yield stack


def seen(answer: ResponsePost | Message | Ephemeral) -> str:
    """What a person reads in an answer or message."""
    body = answer.body if isinstance(answer, ResponsePost) else {"blocks": answer.blocks}
    blocks: list[dict[str, Any]] = body.get("blocks") or []
    return shown(blocks)


def buttons(blocks: list[dict[str, object]]) -> set[str]:
    """Return the action ids of a message's elements."""
    found: set[str] = set()
    for block in blocks:
        for element in block.get("elements") or []:  # type: ignore[attr-defined]
            if isinstance(element, dict) and "action_id" in element:
                found.add(str(element["action_id"]))
    return found


async def card(stack: Stack, job: str, *, user: str = "U0001", channel: str = "C0001") -> Ephemeral:
    """Show a job's card privately and return it as Slack stores it."""
    await stack.ask(f"job show {job}", user=user, channel=channel)
    return stack.slack.ephemerals(channel=channel, user=user)[-1]


async def channel_card(stack: Stack, job: str, *, channel: str = "C0001") -> Message:
    """Post a job's card in a channel (as a shared `job show` does) and return the message."""
    await stack.ask(f"job show {job} --share", channel=channel)
    return stack.slack.messages(channel)[-1]


async def click(
    stack: Stack,
    action_id: str,
    message: Message | Ephemeral,
    *,
    user: str = "U0001",
    channel: str = "C0001",
    value: Any = None,
) -> str:
    """Click an element of a message; return the response_url key its answers go to."""
    key = f"A{next(_keys):06d}"
    url = stack.slack.response_url(key, channel=channel, user=user, message_ts=message.ts)
    payload = block_actions_payload(
        action_id, response_url=url, message=message, value=value, user_id=user, channel_id=channel
    )
    response = await stack.sender.block_actions(payload)
    assert response.status_code == 200, response.text
    return key


async def raw_click(stack: Stack, payload: dict[str, Any]) -> int:
    """Send a hand-made block_actions payload; return the HTTP status."""
    return (await stack.sender.block_actions(payload)).status_code


async def answers(stack: Stack, key: str, count: int = 1) -> list[ResponsePost]:
    """Wait for `count` posts to a response_url."""
    posts: list[ResponsePost] = await stack.slack.wait_for(
        lambda: stack.slack.responses(key) if len(stack.slack.responses(key)) >= count else None,
        timeout=15,
        what=f"{count} answers on {key}",
    )
    return posts


async def audit(stack: Stack) -> list[AuditEntryRow]:
    """Return the audit trail, oldest first."""
    async with stack.runtime.store.transaction() as uow:
        entries = await uow.audit.recent(workspace_id=TEAM_ID, limit=200)
    return list(reversed(entries))


def entries(trail: list[AuditEntryRow], action: str, result: AuditResult) -> list[AuditEntryRow]:
    """Return the entries of one action with one result."""
    return [e for e in trail if e.action == action and e.result is result]


async def job_status(stack: Stack, name: str) -> str:
    """Return a job's status as AIHC has it now."""
    pools = await stack.runtime.aihc.all_pools()
    pool = next(p for p in pools if p.name == "llm-a800-pool")
    job = next(j for j in await stack.runtime.aihc.all_jobs(pool.id) if j.name == name)
    return (await stack.runtime.aihc.get_job(pool.id, job.id, queue=job.queue)).status.value
