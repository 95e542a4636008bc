"""The test cluster helper picks the newest server and fails, never skips, without one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.store.postgres import find_bindir


def test_the_newest_installed_server_is_used(tmp_path: Path) -> None:
    for version in ("9.6", "15", "16"):
        bindir = tmp_path / version / "bin"
        bindir.mkdir(parents=True)
        (bindir / "initdb").touch()

    assert find_bindir(tmp_path) == tmp_path / "16" / "bin"


def test_missing_binaries_fail_with_the_fix(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))

    with pytest.raises(pytest.fail.Exception, match=r"apt-get install -y postgresql"):
        find_bindir(tmp_path)
