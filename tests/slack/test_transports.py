"""The bot as `serve` runs it, over Socket Mode and over HTTP, against the fake Slack."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.serve import serve as serve_bot
from bot.settings import SettingsError, load_settings
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running, SimConfig
from bot.simulator import serve as serve_simulator
from bot.workspace import FakeSlack, SlackSender
from bot.workspace.model import ResponsePost
from tests.slack.harness import ALICE
from tests.slack.render.visible import shown

SIGNING_SECRET = "transport-signing-secret-0123456789"
BOUND_SECONDS = 30.0


@dataclass
class Served:
    """A bot started by `bot.serve.serve`, its fake Slack and its HTTP address."""

    slack: FakeSlack
    aihc: Running
    url: str
    http: httpx.AsyncClient
    stop: asyncio.Event
    task: asyncio.Task[int]

    async def answer(self, key: str) -> ResponsePost:
        """Wait for the first post to a response_url."""
        posts: list[ResponsePost] = await self.slack.wait_for(
            lambda: self.slack.responses(key), timeout=15, what=f"an answer on {key}"
        )
        return posts[0]


@asynccontextmanager
async def served(tmp_path: Path, **settings: Any) -> AsyncIterator[Served]:
    """Run the simulator, the fake Slack and `serve()` in this loop; stop it and wait at the end."""
    async with AsyncExitStack() as stack:
        sim = await stack.enter_async_context(serve_simulator(SimConfig(seed=7, clock_speed=0.0)))
        slack = await stack.enter_async_context(FakeSlack())
        config = load_settings(
            slack_bot_token=slack.token,
            slack_api_url=slack.api_url,
            aihc_endpoint=sim.url,
            aihc_access_key=DEFAULT_ACCESS_KEY,
            aihc_secret_key=DEFAULT_SECRET_KEY,
            aihc_default_pool="llm-a800-pool",
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}",
            bot_host="127.0.0.1",
            bot_port=0,  # any free port; `started` says which
            **{key: value(slack) if callable(value) else value for key, value in settings.items()},
        )
        stop = asyncio.Event()
        started: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        task = asyncio.create_task(serve_bot(config, stop=stop, started=started))
        try:
            port = await _port_or_failure(started, task)
            url = f"http://127.0.0.1:{port}"
            http = await stack.enter_async_context(httpx.AsyncClient(base_url=url, timeout=15))
            yield Served(slack, sim, url, http, stop, task)
        finally:
            stop.set()
            async with asyncio.timeout(BOUND_SECONDS):
                await task


async def _port_or_failure(started: asyncio.Future[int], task: asyncio.Task[int]) -> int:
    """Return the bound port; if `serve` ends first, raise what ended it."""
    done, _ = await asyncio.wait(
        {started, task}, timeout=BOUND_SECONDS, return_when="FIRST_COMPLETED"
    )
    if started in done:
        return started.result()
    if task in done:
        raise AssertionError(f"serve() ended before it started: {task.result()!r}")
    raise TimeoutError(f"serve() did not start within {BOUND_SECONDS}s")


@pytest.fixture(autouse=True)
def _no_stray_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Read settings only from the arguments: no `.env`, no inherited bot variables."""
    monkeypatch.chdir(tmp_path)
    for name in ("BOT_MODE", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _socket_mode(fake: FakeSlack) -> str:
    return fake.app_token


async def test_socket_mode_answers_a_command_pushed_over_the_socket(tmp_path: Path) -> None:
    async with served(tmp_path, slack_app_token=_socket_mode) as bot:
        await bot.slack.wait_for(lambda: bot.slack.socket_connections == 1, what="the bot")
        url = bot.slack.response_url("S1", channel="C0001", user=ALICE)
        await bot.slack.socket_command("pools", user=ALICE, channel="C0001", response_url=url)
        answer = await bot.answer("S1")
        [envelope] = bot.slack.socket_envelopes
        assert [ack.envelope_id for ack in bot.slack.socket_acks] == [envelope.envelope_id]
        assert answer.response_type == "ephemeral"
        assert "llm-a800-pool" in shown(answer.body["blocks"])
        assert len(bot.slack.calls_to("apps.connections.open")) == 1


async def test_socket_mode_serves_health_but_no_slack_events_endpoint(tmp_path: Path) -> None:
    async with served(tmp_path, slack_app_token=_socket_mode) as bot:
        assert (await bot.http.get("/healthz")).status_code == 200
        ready = await bot.http.get("/readyz")
        assert ready.status_code == 200
        assert ready.json() == {"database": "ok", "aihc": "ok"}
        assert (await bot.http.post("/slack/events", content=b"{}")).status_code == 404


async def test_socket_mode_keeps_answering_after_slack_asks_for_a_reconnect(
    tmp_path: Path,
) -> None:
    async with served(tmp_path, slack_app_token=_socket_mode) as bot:
        slack = bot.slack
        await slack.wait_for(lambda: slack.socket_connections == 1, what="the bot")
        await slack.socket_disconnect("refresh_requested")
        await slack.wait_for(
            lambda: slack.socket_hellos == 2 and slack.socket_connections == 1,
            what="the bot's second connection",
        )
        url = slack.response_url("S2", user=ALICE)
        await slack.socket_command("pools", user=ALICE, response_url=url)
        assert "cv-h800-pool" in shown((await bot.answer("S2")).body["blocks"])


async def test_stopping_closes_the_socket_and_returns_zero(tmp_path: Path) -> None:
    async with served(tmp_path, slack_app_token=_socket_mode) as bot:
        await bot.slack.wait_for(lambda: bot.slack.socket_connections == 1, what="the bot")
        bot.stop.set()
        async with asyncio.timeout(BOUND_SECONDS):
            assert await bot.task == 0
        await bot.slack.wait_for(lambda: bot.slack.socket_connections == 0, what="a closed socket")
        with pytest.raises(httpx.ConnectError):
            await bot.http.get("/healthz")


async def test_http_mode_answers_signed_commands_on_slack_events(tmp_path: Path) -> None:
    async with served(tmp_path, slack_signing_secret=SIGNING_SECRET) as bot:
        url = bot.slack.response_url("H1", user=ALICE)
        async with SlackSender(f"{bot.url}/slack/events", SIGNING_SECRET) as sender:
            response = await sender.slash_command("pools", user_id=ALICE, response_url=url)
        assert response.status_code == 200
        assert "llm-a800-pool" in shown((await bot.answer("H1")).body["blocks"])
        assert bot.slack.calls_to("apps.connections.open") == []
        assert bot.slack.socket_hellos == 0


async def test_socket_mode_with_a_refused_app_token_stops_the_start(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="SLACK_APP_TOKEN: Slack said invalid_auth"):
        async with served(tmp_path, slack_app_token="xapp-1-revoked"):
            pass


async def test_stopping_lets_a_command_acked_over_the_socket_finish(tmp_path: Path) -> None:
    async with served(tmp_path, slack_app_token=_socket_mode) as bot:
        await bot.slack.wait_for(lambda: bot.slack.socket_connections == 1, what="the bot")
        async with bot.aihc.control_client(timeout=15) as control:
            slow = await control.put("/_sim/faults", json={"latency_ms": 1000})
            assert slow.status_code == 200, slow.text
        url = bot.slack.response_url("S3", user=ALICE)
        await bot.slack.socket_command("pools", user=ALICE, response_url=url)
        bot.stop.set()
        async with asyncio.timeout(BOUND_SECONDS):
            assert await bot.task == 0
        [answer] = bot.slack.responses("S3")
        assert "llm-a800-pool" in shown(answer.body["blocks"])
