"""Structured logs: every field reaches the line, in text and in JSON, and no secret does."""

from __future__ import annotations

import argparse
import io
import json
import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bot.demo.run import run_demo
from bot.logs import FLOORS, LogFormat, configure_logging, record_fields, secrets_of
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.watch.ports import ChatRejected
from bot.workspace import FakeSlack, SlackSender
from tests.serving import SIGNING_SECRET as SERVE_SECRET
from tests.serving import Bots, serve_env
from tests.slack.harness import SIGNING_SECRET, Stack
from tests.slack.render.visible import shown

FORMATS: list[LogFormat] = ["text", "json"]


class Captured:
    """What the configured handler wrote, and the raw records it was given."""

    def __init__(self, log_format: LogFormat, stream: io.StringIO) -> None:
        self.format = log_format
        self.stream = stream
        self.records: list[logging.LogRecord] = []

    @property
    def text(self) -> str:
        """Everything written so far."""
        return self.stream.getvalue()

    def entries(self) -> list[dict[str, Any]]:
        """The JSON objects written, one per line (JSON format only)."""
        return [json.loads(line) for line in self.text.splitlines()]

    def line_of(self, message: str) -> str:
        """The first text line whose message is `message`."""
        return next(line for line in self.text.splitlines() if f" {message}" in line)

    def field(self, message: str, name: str) -> Any:
        """The field `name` of the first line whose message is `message`, in either format."""
        if self.format == "json":
            return next(e for e in self.entries() if e["message"] == message)[name]
        for part in self.line_of(message).split(" "):
            if part.startswith(f"{name}="):
                return part.removeprefix(f"{name}=")
        raise AssertionError(f"no {name}= in {self.line_of(message)!r}")


class _Keep(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]) -> None:
        super().__init__(logging.DEBUG)
        self._records = records

    def emit(self, record: logging.LogRecord) -> None:
        self._records.append(record)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger and the floored loggers back as they were."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    floors = {name: logging.getLogger(name).level for name in FLOORS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, floor in floors.items():
        logging.getLogger(name).setLevel(floor)


def capture(log_format: LogFormat, *, level: int, secrets: list[str]) -> Captured:
    """Configure logging as an entry point does, writing to a buffer; keep the raw records too."""
    captured = Captured(log_format, io.StringIO())
    configure_logging(log_format, level=level, secrets=secrets, stream=captured.stream)
    logging.getLogger().addHandler(_Keep(captured.records))
    return captured


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", FORMATS)
async def test_the_error_id_a_user_is_told_is_in_the_log(
    stack: Stack, log_format: LogFormat
) -> None:
    logs = capture(log_format, level=logging.INFO, secrets=[])
    async with stack.runtime.store.transaction() as uow:
        await uow.session.execute(text("DROP TABLE channel_settings"))

    answer = shown(list((await stack.ask("jobs")).body["blocks"]))

    error_id = logs.field("command failed", "error_id")
    assert len(error_id) == 12
    assert error_id in answer
    assert "Traceback" in logs.text
    if log_format == "json":
        assert "channel_settings" in logs.field("command failed", "exc_info")


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", FORMATS)
async def test_an_aihc_error_logs_its_request_id_and_code(
    stack: Stack, log_format: LogFormat
) -> None:
    logs = capture(log_format, level=logging.INFO, secrets=[])
    await stack.sim_control("PUT", "/_sim/faults", error_rate=1.0, error_status=403)

    answer = shown(list((await stack.ask("pools")).body["blocks"]))

    request_id = logs.field("aihc call failed", "aihc_request_id")
    assert request_id
    assert request_id in answer
    assert logs.field("aihc call failed", "aihc_code") in answer


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", FORMATS)
async def test_a_failed_slack_call_logs_slacks_error_code(
    stack: Stack, log_format: LogFormat
) -> None:
    logs = capture(log_format, level=logging.INFO, secrets=[])
    stack.slack.fail("users.info", "user_not_found")

    await stack.ask("help")

    message = "users.info failed; using the default language"
    assert logs.field(message, "slack_error") == "user_not_found"


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", FORMATS)
def test_dedup_keys_and_odd_values_stay_on_one_line(log_format: LogFormat) -> None:
    logs = capture(log_format, level=logging.INFO, secrets=[])
    key = "notice:C0001:job-1:status:Failed"
    # The shape of the watcher's delivery warning.
    logging.getLogger("bot.watch.delivery").warning(
        "message given up", extra={"dedup_key": key, "error": ChatRejected("msg_too_long")}
    )
    logging.getLogger("bot.test").info("a\nforged line", extra={"note": 'two words\nand "more"'})

    assert logs.field("message given up", "dedup_key") == key
    assert len(logs.text.splitlines()) == 2
    if log_format == "text":
        assert logs.field("message given up", "error") == "msg_too_long"
        assert 'note="two words\\nand \\"more\\""' in logs.text
        assert "a\\nforged line" in logs.text
    else:
        assert logs.field("a\nforged line", "note") == 'two words\nand "more"'


@pytest.mark.usefixtures("restore_logging")
@pytest.mark.parametrize("log_format", FORMATS)
async def test_no_secret_reaches_a_record_or_the_log_even_at_debug(
    stack: Stack, log_format: LogFormat
) -> None:
    secrets = secrets_of(stack.runtime.settings)
    logs = capture(log_format, level=logging.DEBUG, secrets=secrets)
    stack.slack.fail("users.info", "user_not_found")
    await stack.ask("pools")
    await stack.sim_control("PUT", "/_sim/faults", error_rate=1.0, error_status=403)
    await stack.ask("jobs")
    # Whatever some library might log, the line blanks it: a known secret, or a token's shape.
    logging.getLogger("elsewhere").warning("sent Bearer %s", stack.slack.token)
    logging.getLogger("elsewhere").warning("user token %s", "xoxp-12-34-user")

    values = {stack.slack.token, SIGNING_SECRET, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY}
    assert values <= set(secrets)
    ours = [r for r in logs.records if r.name != "elsewhere"]
    assert ours, "nothing was logged"
    raw = [r.getMessage() + repr(record_fields(r)) for r in ours]
    # The libraries that log request bodies and headers at DEBUG stay above it.
    chatty = [r.name for r in ours if r.name.startswith(tuple(FLOORS)) and r.levelno < logging.INFO]
    assert chatty == []
    for secret in values:
        assert not [line for line in raw if secret in line]
        assert secret not in logs.text
    assert "sent Bearer ***" in logs.text
    assert "user token xoxp-***" in logs.text


def _env(sim: Running, slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    """An HTTP-mode environment on a new SQLite file."""
    return serve_env(sim, slack, f"sqlite:///{tmp_path / 'bot.db'}")


async def _serve_a_failing_command(
    sim: Running, slack: FakeSlack, bots: Bots, env: dict[str, str]
) -> tuple[str, str]:
    """Run serve, answer one command while AIHC refuses everything; return its log and answer."""
    bot = await bots.start(env)
    url = await bot.url()
    async with sim.control_client(timeout=15) as control:
        faults = {"error_rate": 1.0, "error_status": 403}
        assert (await control.put("/_sim/faults", json=faults)).status_code == 200
    answer_url = slack.response_url("J1", user="U0001")
    async with SlackSender(f"{url}/slack/events", SERVE_SECRET) as sender:
        await sender.slash_command("pools", user_id="U0001", response_url=answer_url)
    posts = await slack.wait_for(lambda: slack.responses("J1"), timeout=15, what="an answer")
    log = await bot.stop()
    for secret in (SERVE_SECRET, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, slack.token):
        assert secret not in log
    return log, str(posts[0].body)


async def test_serve_logs_the_aihc_request_id_a_person_was_shown(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    # The default format: the line, then every field as key=value.
    log, answer = await _serve_a_failing_command(sim, slack, bots, _env(sim, slack, tmp_path))
    failed = [line for line in log.splitlines() if "aihc call failed" in line]
    ids = [
        part.split("=", 1)[1]
        for line in failed
        for part in line.split()
        if part.startswith("aihc_request_id=")
    ]
    assert [rid for rid in ids if rid and rid in answer]


async def test_serve_writes_json_lines_with_the_aihc_request_id(
    sim: Running, slack: FakeSlack, bots: Bots, tmp_path: Path
) -> None:
    env = {**_env(sim, slack, tmp_path), "BOT_LOG_FORMAT": "json"}
    log, answer = await _serve_a_failing_command(sim, slack, bots, env)
    entries = [json.loads(line) for line in log.splitlines()]
    messages = [e["message"] for e in entries]
    assert "shutting down" in messages
    failed = [e for e in entries if e["message"] == "aihc call failed"]
    assert [e for e in failed if e["aihc_request_id"] in answer and e["aihc_code"]]


def test_a_bad_log_format_stops_the_demo_with_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("BOT_LOG_FORMAT", "xml")
    args = argparse.Namespace(verbose=False, port=0, bot_port=0, simulator_port=0, seed=0)

    assert run_demo(args) == 2

    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("aihc-bot demo: BOT_LOG_FORMAT: ")


def test_a_bad_log_format_stops_serve_with_one_line(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "SLACK_BOT_TOKEN": "xoxb-1-never-printed",
        "SLACK_SIGNING_SECRET": "never-printed-signing-secret",
        "AIHC_ENDPOINT": "http://127.0.0.1:9",
        "AIHC_ACCESS_KEY": "never-printed-ak",
        "AIHC_SECRET_KEY": "never-printed-sk",
        "BOT_LOG_FORMAT": "yaml",
    }
    result = subprocess.run(
        [sys.executable, "-m", "bot", "serve"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith("aihc-bot serve: BOT_LOG_FORMAT: ")
    assert "never-printed" not in result.stderr
