"""`aihc-bot serve` as an operator runs it: a real process, its environment, SIGTERM."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import httpx
import pytest

from bot.simulator import DEFAULT_SECRET_KEY, Running
from bot.workspace import FakeSlack, SlackSender
from tests.serving import SIGNING_SECRET, BotProcess, Bots, base_env, serve_env
from tests.store.postgres import PostgresCluster

BOUND_SECONDS = 30.0


def _serving_env(sim: Running, slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    """A complete HTTP-mode environment on a new SQLite file, the first pool the default."""
    database = f"sqlite:///{tmp_path / 'bot.db'}"
    return serve_env(sim, slack, database, AIHC_DEFAULT_POOL="llm-a800-pool")


async def test_serve_answers_then_stops_cleanly_on_sigterm(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    bot = await bots.start(_serving_env(sim, slack, tmp_path))
    url = await bot.url(BOUND_SECONDS)
    async with httpx.AsyncClient(base_url=url, timeout=15) as http:
        assert (await http.get("/healthz")).status_code == 200
        ready = await http.get("/readyz")
    assert ready.status_code == 200
    assert ready.json() == {"database": "ok", "aihc": "ok"}
    answer_url = slack.response_url("P1", user="U0001")
    async with SlackSender(f"{url}/slack/events", SIGNING_SECRET) as sender:
        response = await sender.slash_command("pools", user_id="U0001", response_url=answer_url)
    assert response.status_code == 200
    posts = await slack.wait_for(lambda: slack.responses("P1"), timeout=15, what="an answer")
    assert "llm-a800-pool" in str(posts[0].body)
    log = await bot.stop(BOUND_SECONDS)
    assert bot.returncode == 0
    assert "shutting down" in log
    # Bolt reads SLACK_BOT_TOKEN from the environment itself and warned on every start.
    assert "will be unused" not in log
    assert "WARNING" not in log
    for secret in (SIGNING_SECRET, DEFAULT_SECRET_KEY, slack.token):
        assert secret not in log


def _run_serve(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS,
        check=False,
    )


def _valid_env(tmp_path: Path) -> dict[str, str]:
    return {
        **base_env(),
        "SLACK_BOT_TOKEN": "xoxb-1-never-printed-token",
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "AIHC_ENDPOINT": "http://127.0.0.1:9",
        "AIHC_ACCESS_KEY": "never-printed-access-key",
        "AIHC_SECRET_KEY": "never-printed-secret-key",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
        "BOT_HOST": "127.0.0.1",
        "BOT_PORT": "0",
    }


@pytest.mark.parametrize(
    ("change", "variable"),
    [
        ({"AIHC_ENDPOINT": None}, "AIHC_ENDPOINT"),
        ({"SLACK_BOT_TOKEN": "xapp-1-never-printed-wrong-kind"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": ""}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_SIGNING_SECRET": "  "}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-"}, "SLACK_BOT_TOKEN"),
        ({"AIHC_SECRET_KEY": "  "}, "AIHC_SECRET_KEY"),
        ({"BOT_PORT": "not-a-port"}, "BOT_PORT"),
        ({"WATCH_SLACK_TIMEOUT": "soon"}, "WATCH_SLACK_TIMEOUT"),
        ({"WATCH_LEASE_SECONDS": "20"}, "WATCH_LEASE_SECONDS"),
        ({"WATCH_LEASE_SECONDS": "abc"}, "WATCH_LEASE_SECONDS"),
        ({"WATCH_BATCH": "0"}, "WATCH_BATCH"),
    ],
)
def test_a_bad_setting_stops_the_start_with_one_line_naming_it(
    tmp_path: Path, change: dict[str, str | None], variable: str
) -> None:
    env = _valid_env(tmp_path)
    for name, value in change.items():
        if value is None:
            del env[name]
        else:
            env[name] = value
    result = _run_serve(env, tmp_path)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"aihc-bot serve: {variable}:")
    for secret in ("never-printed", SIGNING_SECRET):
        assert secret not in result.stderr
    assert not (tmp_path / "bot.db").exists()


async def test_a_command_in_flight_at_sigterm_is_still_answered(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    bot = await bots.start(_serving_env(sim, slack, tmp_path))
    url = await bot.url(BOUND_SECONDS)
    async with sim.control_client(timeout=15) as control:
        slow = await control.put("/_sim/faults", json={"latency_ms": 1500})
        assert slow.status_code == 200, slow.text
    answer_url = slack.response_url("P2", user="U0001")
    async with SlackSender(f"{url}/slack/events", SIGNING_SECRET) as sender:
        response = await sender.slash_command("pools", user_id="U0001", response_url=answer_url)
    assert response.status_code == 200
    await bot.stop(BOUND_SECONDS)
    assert bot.returncode == 0
    [answer] = slack.responses("P2")
    assert "llm-a800-pool" in str(answer.body)


async def test_socket_mode_with_a_refused_app_token_exits_2_naming_it(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    env = _serving_env(sim, slack, tmp_path)
    env.update(BOT_MODE="socket", SLACK_APP_TOKEN="xapp-1-revoked-never-printed")
    bot = await bots.start(env)
    log = await bot.exited(BOUND_SECONDS)
    assert bot.returncode == 2
    assert log.splitlines()[-1] == "aihc-bot serve: SLACK_APP_TOKEN: Slack said invalid_auth"
    assert "never-printed" not in log
    assert [call.error for call in slack.calls_to("apps.connections.open")] == ["invalid_auth"]


def _socket_folder() -> Path:
    """An empty folder where a PostgreSQL socket is looked for (short: socket paths are bounded)."""
    return Path(tempfile.mkdtemp(prefix="pgw-", dir="/tmp"))


async def test_serve_waits_for_a_database_that_comes_up_after_it(
    sim: Running, slack: FakeSlack, bots: Bots, pg_cluster: PostgresCluster
) -> None:
    # Compose starts the bots beside PostgreSQL (podman-compose ignores health conditions).
    folder, name = _socket_folder(), f"late_{os.getpid()}"
    pg_cluster.create_database(name)
    try:
        late = f"postgresql+psycopg://postgres@/{name}?host={folder}"
        bot = await bots.start(serve_env(sim, slack, late))
        await _logged_line(bot, "waiting for the database")
        socket_name = ".s.PGSQL.5432"
        (folder / socket_name).symlink_to(pg_cluster.root / socket_name)
        served = await bot.url(BOUND_SECONDS)
        async with httpx.AsyncClient(base_url=served, timeout=15) as http:
            assert (await http.get("/readyz")).json() == {"database": "ok", "aihc": "ok"}
        log = await bot.stop(BOUND_SECONDS)
        assert bot.returncode == 0
        assert "Traceback" not in log
    finally:
        await bots.kill_all()
        pg_cluster.drop_database(name)
        shutil.rmtree(folder, ignore_errors=True)


async def test_serve_gives_up_on_an_unreachable_database_with_one_line(
    sim: Running, slack: FakeSlack, bots: Bots
) -> None:
    folder = _socket_folder()
    try:
        url = f"postgresql+psycopg://aihc:never-shown-pw@/aihc_bot?host={folder}"
        bot = await bots.start(serve_env(sim, slack, url, DATABASE_WAIT_SECONDS="1"))
        log = await bot.exited(BOUND_SECONDS)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert bot.returncode == 2, log
    assert "Traceback" not in log
    assert "never-shown-pw" not in log
    [line] = [line for line in log.splitlines() if line.startswith("aihc-bot serve:")]
    assert line.startswith("aihc-bot serve: DATABASE_URL: postgresql+psycopg://aihc:***@/aihc_bot")
    assert "not reachable after 1 s" in line


async def _logged_line(bot: BotProcess, words: str) -> None:
    """Wait until the bot's log holds `words` (bounded; it fails the test if the bot exits)."""
    async with asyncio.timeout(BOUND_SECONDS):
        while words not in bot.output():
            assert bot.returncode is None, bot.output()
            await asyncio.sleep(0.05)


async def test_a_sqlite_file_that_cannot_be_opened_stops_the_start_at_once(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'no-such-folder' / 'bot.db'}"
    bot = await bots.start(serve_env(sim, slack, url))
    log = await bot.exited(BOUND_SECONDS)
    assert bot.returncode == 2, log
    assert "Traceback" not in log
    [line] = [line for line in log.splitlines() if line.startswith("aihc-bot serve:")]
    assert "cannot be opened: unable to open database file" in line
    assert "writable by this user" in line
