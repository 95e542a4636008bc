"""`WATCH_PROGRESS_RULES`: read with the other settings, and `aihc-bot check` reports the file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.settings import load_settings
from bot.simulator import DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY, Running
from bot.store.migrate import upgrade_in_thread
from bot.workspace import FakeSlack
from tests.test_check_cli import SIGNING_SECRET, _check


def test_the_setting_names_the_file_and_defaults_to_none(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AIHC_ENDPOINT", "https://aihc.bj.baidubce.com/")
    monkeypatch.setenv("AIHC_ACCESS_KEY", "ak-123")
    monkeypatch.setenv("AIHC_SECRET_KEY", "sk-very-secret")
    monkeypatch.delenv("WATCH_PROGRESS_RULES", raising=False)
    assert load_settings().watch.progress_rules is None
    monkeypatch.setenv("WATCH_PROGRESS_RULES", str(tmp_path / "progress.txt"))
    assert load_settings().watch.progress_rules == tmp_path / "progress.txt"


@pytest.fixture
async def env(sim: Running, slack: FakeSlack, tmp_path: Path) -> dict[str, str]:
    """A complete, valid environment with a migrated database; tests add the rules file."""
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


async def test_check_names_each_bad_progress_rule_and_passes_with_the_rest(
    env: dict[str, str], tmp_path: Path
) -> None:
    rules = tmp_path / "progress.txt"
    rules.write_text(
        "# ours\n"
        "\\[train\\] (?P<step>\\d+)/(?P<total>\\d+)\n"
        "(?P<step>\\d+) \\1\n"
        "step (?P<step>\\d+) lr (?P<lr>[0-9.]+)\n"
        "step (\\d+)\n",
        encoding="utf-8",
    )
    env["WATCH_PROGRESS_RULES"] = str(rules)
    result = await _check(env, tmp_path)
    assert result.code == 0, result.out
    line = result.line("progress rules")
    assert line.startswith("⚠ progress rules: 1 rule(s) from")
    assert "3 line(s) skipped" in line
    assert "line 3: RE2 cannot use it: invalid escape sequence: \\1" in line
    assert "line 4: unknown group `lr` (use step, total, loss, secs_per_step)" in line
    assert "line 5: names no `step` or `loss` group" in line


async def test_check_fails_on_a_progress_rules_file_it_cannot_read(
    env: dict[str, str], tmp_path: Path
) -> None:
    env["WATCH_PROGRESS_RULES"] = str(tmp_path / "nowhere.txt")
    result = await _check(env, tmp_path)
    assert result.code == 1
    line = result.line("progress rules")
    assert line.startswith("✗ progress rules: cannot read")
    assert "nowhere.txt" in line
    assert result.line("aihc").startswith("✓")


async def test_check_says_how_many_progress_rules_a_good_file_gave(
    env: dict[str, str], tmp_path: Path
) -> None:
    rules = tmp_path / "progress.txt"
    rules.write_text("step (?P<step>\\d+)\n^eval: loss (?P<loss>[0-9.]+)$\n", encoding="utf-8")
    env["WATCH_PROGRESS_RULES"] = str(rules)
    result = await _check(env, tmp_path)
    assert result.code == 0, result.out
    assert result.line("progress rules") == f"✓ progress rules: 2 rule(s) from {rules}"
