"""The whole bot on loopback: the simulator as AIHC, the fake Slack, and the bot in HTTP mode."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bot.runtime import Runtime, build_runtime
from bot.serve import SHUTDOWN_GRACE_SECONDS, readiness_checks
from bot.settings import load_settings
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, SimConfig, serve
from bot.simulator.state import Shapes
from bot.store.migrate import upgrade_in_thread
from bot.web import build_web_app, start_web
from bot.workspace import FakeSlack, SlackSender
from bot.workspace.model import ResponsePost
from tests.clocks import SimulatorClock
from tests.shapes import suite_shapes

SIGNING_SECRET = "test-signing-secret-0123456789abcdef"
ALICE = "U0001"
WANG = "U0002"
_keys = itertools.count(1)


@dataclass
class Stack:
    """A running bot with its AIHC simulator and Slack fake."""

    sim: Running
    slack: FakeSlack
    runtime: Runtime
    url: str
    sender: SlackSender
    control: httpx.AsyncClient

    async def command(
        self, text: str, *, user: str = ALICE, channel: str = "C0001"
    ) -> tuple[httpx.Response, str]:
        """Send a signed `/aihc` command; return the HTTP answer and its response_url key."""
        key = f"R{next(_keys):06d}"
        url = self.slack.response_url(key, channel=channel, user=user)
        response = await self.sender.slash_command(
            text, user_id=user, channel_id=channel, response_url=url
        )
        return response, key

    async def ask(self, text: str, **where: str) -> ResponsePost:
        """Run a command and return the answer posted to its response_url."""
        response, key = await self.command(text, **where)
        assert response.status_code == 200, response.text
        return await self.answer(key)

    async def answer(self, key: str) -> ResponsePost:
        """Wait for the first answer posted to a response_url."""
        posts: list[ResponsePost] = await self.slack.wait_for(
            lambda: self.slack.responses(key), timeout=15, what=f"an answer on {key}"
        )
        return posts[0]

    async def sim_control(self, method: str, path: str, **body: Any) -> Any:
        """Call the simulator's control API (writes send a JSON body, even an empty one)."""
        response = await self.control.request(method, path, json=None if method == "GET" else body)
        assert response.status_code == 200, response.text
        return response.json()


@asynccontextmanager
async def running_stack(
    tmp_path: Path,
    *,
    scenario: str = "demo",
    database_url: str | None = None,
    shapes: Shapes | None = None,
    **settings: Any,
) -> AsyncIterator[Stack]:
    """Start the simulator, the fake Slack and the bot (on new SQLite unless given a database).

    The simulator answers in `shapes`, by default those the run chose (`tests.shapes`).
    """
    async with AsyncExitStack() as stack:
        config = SimConfig(
            seed=7, scenario=scenario, clock_speed=0.0, shapes=shapes or suite_shapes()
        )
        sim = await stack.enter_async_context(serve(config))
        slack = await stack.enter_async_context(FakeSlack())
        slack.add_user(WANG, "wang", locale="zh-CN", tz="Asia/Shanghai", tz_offset=28800)
        database_url = database_url or f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
        values: dict[str, Any] = {
            "slack_bot_token": slack.token,
            "slack_signing_secret": SIGNING_SECRET,
            "slack_api_url": slack.api_url,
            "bot_mode": "http",
            "aihc_endpoint": sim.url,
            "aihc_access_key": DEFAULT_ACCESS_KEY,
            "aihc_secret_key": DEFAULT_SECRET_KEY,
            "database_url": database_url,
            **settings,
        }
        config = load_settings(**values)
        await upgrade_in_thread(config.database_url.get_secret_value())
        # The bot reads the simulator's clock, so "the last hour" means the same to both.
        runtime = build_runtime(config, clock=SimulatorClock(sim.simulator.clock))
        stack.push_async_callback(runtime.aclose)
        app = build_web_app(
            slack_app=runtime.slack_app,
            metrics=runtime.metrics,
            checks=readiness_checks(runtime),
        )
        runner, port = await start_web(app, "127.0.0.1", 0)
        stack.push_async_callback(runner.cleanup)
        url = f"http://127.0.0.1:{port}"
        sender = await stack.enter_async_context(SlackSender(f"{url}/slack/events", SIGNING_SECRET))
        control = await stack.enter_async_context(sim.control_client(timeout=30))
        # First at teardown, as `serve` does at shutdown: work started after an ack (a file
        # upload, a form) finishes while the servers it talks to still run; cut off with the
        # loop, its sockets were left open and warned about in whichever test came next.
        stack.push_async_callback(runtime.inflight.drained, SHUTDOWN_GRACE_SECONDS)
        yield Stack(sim, slack, runtime, url, sender, control)


__all__ = ["ALICE", "WANG", "Stack", "running_stack"]
