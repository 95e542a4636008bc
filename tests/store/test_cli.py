"""`aihc-bot migrate`: upgrade the configured database to head, or say in one line why not."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli import main
from bot.store.migrate import current_revision, head_revision


@pytest.fixture(autouse=True)
def no_dotenv(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Run where no `.env` file can leak configuration in."""
    monkeypatch.chdir(tmp_path)


def test_migrate_upgrades_the_configured_database_to_head(
    empty_database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", empty_database_url)

    assert main(["migrate"]) == 0
    assert main(["migrate"]) == 0  # a second run finds nothing to do

    assert current_revision(empty_database_url) == head_revision()
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert all(line.endswith(f"is at revision {head_revision()}") for line in lines)


def test_migrate_refuses_an_unsupported_database_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://bot@db/bot")

    assert main(["migrate"]) == 2

    assert capsys.readouterr().err == (
        "aihc-bot migrate: DATABASE_URL: uses 'mysql'; "
        "use sqlite+aiosqlite:// or postgresql+psycopg://\n"
    )


def test_migrate_reports_an_unreachable_server_without_its_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], refused_port: int
) -> None:
    url = f"postgresql://bot:hunter2@127.0.0.1:{refused_port}/bot?connect_timeout=5"
    monkeypatch.setenv("DATABASE_URL", url)

    assert main(["migrate"]) == 1

    err = capsys.readouterr().err
    assert err.startswith("aihc-bot migrate: cannot migrate postgresql+psycopg://bot:***@127.0.0.1")
    assert "hunter2" not in err
    assert err.count("\n") == 1
