"""The package as a user installs it: a built wheel in a fresh venv, not this source tree."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

import pytest

from bot.store.migrate import current_revision, head_revision

ROOT = Path(__file__).resolve().parents[1]
BOUND_SECONDS = 300


def _run(*command: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(  # noqa: S603
        [str(part) for part in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=BOUND_SECONDS,
        check=False,
    )
    assert done.returncode == 0, f"{command}:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from this tree with the build backend already installed (no download)."""
    out = tmp_path_factory.mktemp("dist")
    pip = (sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q")
    _run(*pip, "-w", out, ROOT, cwd=out)
    [built] = out.glob("aihc_bot-*.whl")
    return built


def test_the_wheel_carries_the_migrations(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    assert any(n.endswith("/env.py") and "migrations" in n for n in names), names
    versions = [n for n in names if "migrations/versions/" in n and n.endswith(".py")]
    shipped = {Path(n).name for n in versions}
    assert shipped == {p.name for p in (ROOT / "migrations" / "versions").glob("*.py")}


def test_the_installed_wheel_migrates_a_new_sqlite_database(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(target)
    python = target / "bin" / "python"
    pip = (sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "-q")
    _run(*pip, wheel, cwd=tmp_path)
    # The dependencies come from this venv's site-packages, which holds no `bot` of its own
    # (the editable install's path hook is a .pth file there, not read from an added folder).
    site = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path
        ).strip()
    )
    (site / "deps.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    where = _run(python, "-c", "import bot; print(bot.__file__)", cwd=tmp_path)
    assert where.startswith(str(target)), where
    database = tmp_path / "new.db"
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{database}"}
    _run(target / "bin" / "aihc-bot", "migrate", cwd=tmp_path, env=env)
    assert current_revision(f"sqlite:///{database}") == head_revision()
