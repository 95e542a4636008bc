"""The command line a user runs first."""

import subprocess
import sys

import pytest

from bot import __version__
from bot.cli import main


def test_version_prints_the_package_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert f"aihc-bot {__version__}" in capsys.readouterr().out


def test_help_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert "usage: aihc-bot" in result.stdout
