"""`aihc-bot check` as an operator runs it: one line per dependency, exit 0 only if all pass."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.store.migrate import upgrade_in_thread
from bot.workspace import FakeSlack

SIGNING_SECRET = "check-cli-signing-secret-77aa01"
DB_PASSWORD = "check-cli-db-password-5e1"
BOUND_SECONDS = 60.0


@dataclass
class Checked:
    """What `aihc-bot check` printed and how it exited."""

    code: int
    out: str
    err: str

    def line(self, name: str) -> str:
        """Return the one line about `name` (settings, database, aihc or slack)."""
        [line] = [line for line in self.out.splitlines() if line[2:].startswith(f"{name}:")]
        return line


@pytest.fixture
async def env(sim: Running, slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    """A complete, valid environment for HTTP mode, its database migrated; tests change one
    thing at a time."""
    await upgrade_in_thread(f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "SLACK_BOT_TOKEN": slack.token,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "AIHC_ENDPOINT": sim.url,
        "AIHC_ACCESS_KEY": DEFAULT_ACCESS_KEY,
        "AIHC_SECRET_KEY": DEFAULT_SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
    }


async def _check(env: dict[str, str], cwd: Path) -> Checked:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "check",
        env=env,
        cwd=cwd,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with asyncio.timeout(BOUND_SECONDS):
            out, err = await process.communicate()
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode is not None
    return Checked(process.returncode, out.decode(), err.decode())


def _assert_no_secret(result: Checked, *secrets: str) -> None:
    shown = result.out + result.err
    for secret in (SIGNING_SECRET, DEFAULT_SECRET_KEY, DB_PASSWORD, *secrets):
        assert secret not in shown


async def test_everything_reachable_passes(
    env: dict[str, str], slack: FakeSlack, tmp_path: Path
) -> None:
    result = await _check(env, tmp_path)
    assert result.code == 0, result.out
    assert [line[:1] for line in result.out.splitlines()] == ["✓"] * 5
    assert result.line("settings") == "✓ settings: valid (http mode)"
    assert result.line("watch").startswith("✓ watch: poll 30 s, tick 1 s, lease 60 s")
    assert "migrated" in result.line("database")
    assert "answered in AIHC API v1" in result.line("aihc")
    assert "resource pool(s) visible" in result.line("aihc")
    assert result.line("slack").startswith("✓ slack: signed in as")
    assert [call.ok for call in slack.calls_to("auth.test")] == [True]
    _assert_no_secret(result, slack.token)


async def test_check_says_which_aihc_api_it_speaks(env: dict[str, str], tmp_path: Path) -> None:
    env["AIHC_API_VERSION"] = "v2"
    result = await _check(env, tmp_path)
    assert result.line("aihc").startswith("✓ aihc: ")
    assert "answered in AIHC API v2" in result.line("aihc")

    env["AIHC_API_VERSION"] = "v9"
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.line("settings").startswith("✗ settings: AIHC_API_VERSION: ")


async def test_an_unmigrated_database_fails_and_says_to_migrate(
    env: dict[str, str], tmp_path: Path
) -> None:
    # An empty database may well be the wrong one (a typo in DATABASE_URL): not a pass.
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    result = await _check(env, tmp_path)
    assert result.code == 1, result.out
    assert result.line("database").startswith("✗ database: ")
    assert "at no revision" in result.line("database")
    assert "run `aihc-bot migrate`" in result.line("database")


async def test_a_wrong_aihc_secret_key_fails_with_the_aihc_code(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["AIHC_SECRET_KEY"] = "wrong-secret-key-never-shown"
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.line("aihc").startswith("✗ aihc: SignatureDoesNotMatch")
    assert "request id" in result.line("aihc")
    assert result.line("slack").startswith("✓")
    _assert_no_secret(result, "wrong-secret-key-never-shown")


async def test_an_invalid_slack_token_fails_with_slacks_error(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["SLACK_BOT_TOKEN"] = "xoxb-9-revoked-token-never-shown"
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.line("slack") == "✗ slack: Slack said invalid_auth"
    assert result.line("aihc").startswith("✓")
    _assert_no_secret(result, "xoxb-9-revoked-token-never-shown")


async def test_an_unreachable_database_fails_without_showing_its_password(
    env: dict[str, str], refused_port: int, tmp_path: Path
) -> None:
    port = refused_port
    env["DATABASE_URL"] = f"postgresql://aihc:{DB_PASSWORD}@127.0.0.1:{port}/aihc"
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.line("database").startswith("✗ database:")
    assert str(port) in result.line("database")
    assert result.line("aihc").startswith("✓")
    _assert_no_secret(result)


async def test_a_malformed_setting_fails_first_and_names_it(
    env: dict[str, str], slack: FakeSlack, tmp_path: Path
) -> None:
    env["SLACK_BOT_TOKEN"] = "xapp-1-wrong-kind-never-shown"
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.out.splitlines() == ["✗ settings: SLACK_BOT_TOKEN: must start with xoxb-"]
    assert slack.calls == []
    _assert_no_secret(result, "xapp-1-wrong-kind-never-shown")


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("abc", "Input should be a valid number, unable to parse string as a number"),
        ("20", "must be at least three Slack timeouts (3 × WATCH_SLACK_TIMEOUT = 30 s)"),
    ],
)
async def test_a_malformed_watch_setting_fails_first_and_names_it(
    env: dict[str, str], slack: FakeSlack, tmp_path: Path, value: str, said: str
) -> None:
    env["WATCH_LEASE_SECONDS"] = value
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.out.splitlines() == [f"✗ settings: WATCH_LEASE_SECONDS: {said}"]
    assert result.err == ""
    assert slack.calls == []


async def test_check_shows_the_watch_settings_it_validated(
    env: dict[str, str], tmp_path: Path
) -> None:
    env.update(WATCH_LEASE_SECONDS="90", WATCH_PACE_SECONDS="2.5", WATCH_BATCH="50")
    result = await _check(env, tmp_path)
    line = result.line("watch")
    assert line.startswith("✓ watch: poll 30 s, tick 1 s, lease 90 s, Slack timeout 10 s")
    assert "pace 2.5 s" in line
    assert "batch 50" in line
    assert line.endswith("hang 30 min, idle <5 % for 60 min, pending 10 min, metrics every 5 min")


async def test_check_shows_the_insight_thresholds(env: dict[str, str], tmp_path: Path) -> None:
    env.update(WATCH_HANG_MINUTES="45", WATCH_IDLE_PERCENT="2.5", WATCH_METRICS_MINUTES="10")
    result = await _check(env, tmp_path)
    assert result.code == 0, result.out
    line = result.line("watch")
    assert "hang 45 min, idle <2.5 % for 60 min" in line
    assert line.endswith("metrics every 10 min")


async def test_socket_mode_checks_the_app_token_too(
    env: dict[str, str], slack: FakeSlack, tmp_path: Path
) -> None:
    env["SLACK_APP_TOKEN"] = slack.app_token
    del env["SLACK_SIGNING_SECRET"]
    result = await _check(env, tmp_path)
    assert result.code == 0, result.out
    assert result.line("settings") == "✓ settings: valid (socket mode)"
    assert result.line("slack").endswith("the app token opens Socket Mode connections")
    assert [call.ok for call in slack.calls_to("apps.connections.open")] == [True]
    _assert_no_secret(result, slack.app_token)


async def test_a_refused_app_token_fails_the_slack_line_naming_it(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["SLACK_APP_TOKEN"] = "xapp-1-revoked-never-shown"
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.line("slack") == "✗ slack: SLACK_APP_TOKEN: Slack said invalid_auth"
    _assert_no_secret(result, "xapp-1-revoked-never-shown")


async def test_a_cause_rule_re2_cannot_run_is_reported_and_skipped_without_failing(
    env: dict[str, str], tmp_path: Path
) -> None:
    rules = tmp_path / "causes.txt"
    rules.write_text(
        "# ours\n(?i)disk quota exceeded => Out of disk\n(\\w+) \\1 => a word said twice\n",
        encoding="utf-8",
    )
    env["WATCH_CAUSE_RULES"] = str(rules)
    result = await _check(env, tmp_path)
    assert result.code == 0, result.out
    line = result.line("cause rules")
    assert line.startswith("⚠ cause rules: 1 rule(s) from")
    assert "line 3: RE2 cannot use it: invalid escape sequence: \\1" in line
    assert "do not fail the check" in line


async def test_a_missing_cause_rules_file_fails_the_check(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["WATCH_CAUSE_RULES"] = str(tmp_path / "nowhere.txt")
    result = await _check(env, tmp_path)
    assert result.code == 1
    assert result.line("cause rules").startswith("✗ cause rules: cannot read")
    assert "nowhere.txt" in result.line("cause rules")
    assert result.line("aihc").startswith("✓")


async def test_a_database_a_newer_version_migrated_fails_and_says_so(
    env: dict[str, str], tmp_path: Path
) -> None:
    database = tmp_path / "bot.db"
    with sqlite3.connect(database) as connection:
        connection.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    result = await _check(env, tmp_path)
    assert result.code == 1, result.out
    assert "at ffffffffffff, which this aihc-bot does not know" in result.line("database")
