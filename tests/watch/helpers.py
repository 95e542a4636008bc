"""Helpers of the watching tests: drive the watcher until something shows in the fake Slack."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any, TypeVar

from bot.store import OutboxState
from bot.watch.engine import Watcher
from bot.workspace import FakeSlack
from bot.workspace.model import Message
from tests.slack.harness import Stack

T = TypeVar("T")
CHANNEL = "C0001"


def watcher_of(stack: Stack) -> Watcher:
    """Return the stack's watcher."""
    assert stack.runtime.watcher is not None
    return stack.runtime.watcher


async def settle(stack: Stack, predicate: Callable[[], T], *, what: str, limit: float = 20.0) -> T:
    """Run the watcher's ticks until `predicate` holds; fail after `limit` seconds."""
    watcher = watcher_of(stack)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        await watcher.run_once()
        value = predicate()
        if value:
            return value
        if loop.time() > deadline:
            raise TimeoutError(f"waited {limit}s for {what}")
        await asyncio.sleep(0.05)


def text_of(message: Message) -> str:
    """Return everything a message shows: its text and its blocks."""
    return message.text + "\n" + json.dumps(message.blocks, ensure_ascii=False)


def key_of(message: Message) -> str:
    """Return the dedup key a bot message carries in its metadata."""
    payload: dict[str, Any] = (message.metadata or {}).get("event_payload") or {}
    return str(payload.get("key") or "")


def cards(slack: FakeSlack, channel: str = CHANNEL) -> list[Message]:
    """Return the status cards in a channel."""
    return [m for m in slack.messages(channel) if key_of(m).startswith("card:")]


def card_of(slack: FakeSlack, name: str, channel: str = CHANNEL) -> list[Message]:
    """Return the cards of one job (by name) in a channel."""
    return [m for m in cards(slack, channel) if name in text_of(m)]


def replies(slack: FakeSlack, card: Message, channel: str = CHANNEL) -> list[Message]:
    """Return the thread replies under a card."""
    return slack.thread(channel, card.ts)


def all_keys(slack: FakeSlack, channel: str = CHANNEL) -> list[str]:
    """Return the dedup keys of every bot message in a channel, top level and threads."""
    keys = []
    for message in slack.messages(channel):
        keys.append(key_of(message))
        keys += [key_of(reply) for reply in slack.thread(channel, message.ts)]
    return [key for key in keys if key]


def job_id(stack: Stack, name: str) -> str:
    """Return the simulator's id of the job named `name`."""
    for job in stack.sim.simulator.world.jobs.values():
        if job.name == name:
            return str(job.id)
    raise LookupError(name)


async def drain(stack: Stack, *, limit: float = 30.0) -> None:
    """Run the watcher's ticks until nothing is left to deliver; fail after `limit` seconds."""
    watcher = watcher_of(stack)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit
    while True:
        await watcher.run_once()
        async with stack.runtime.store.transaction() as uow:
            waiting = sum(
                [
                    await uow.outbox.count(state=state)
                    for state in (OutboxState.PENDING, OutboxState.SENDING)
                ]
            )
        if not waiting:
            return
        if loop.time() > deadline:
            raise TimeoutError(f"waited {limit}s for the outbox to drain; {waiting} left")
        await asyncio.sleep(0.05)
