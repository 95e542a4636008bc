"""Fixtures shared by every test directory, each defined once here.

Databases: a test that asks for `database_url` runs twice, once per backend (`[sqlite]`,
`[postgresql]`): SQLite and PostgreSQL are equals, so whatever touches a database is proven on
both. AIHC API versions likewise: a test that asks for `api_version` (the end-to-end `stack`s
do) runs with the bot speaking v1, then v2, against one simulator that serves both. One
PostgreSQL cluster serves the whole session; each test gets a copy of a migrated template.

The outside world on loopback: `sim` (the AIHC simulator, demo world, clock frozen), `slack` (the
fake Slack), `stack` (both plus the bot in HTTP mode, in this process), `bots` (`aihc-bot serve`
as processes of their own) and `refused_port` (a port where nobody answers).
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.simulator import Running, SimConfig, serve
from bot.simulator.state import SHAPES
from bot.store.migrate import upgrade
from bot.workspace import FakeSlack
from tests import serving
from tests.serving import Bots
from tests.shapes import choose, suite_shapes
from tests.slack.harness import Stack, running_stack
from tests.store.postgres import PostgresCluster

BACKENDS = ["sqlite", "postgresql"]
API_VERSIONS = ["v1", "v2"]


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--sim-shapes`: the shapes the suite's simulators answer in."""
    parser.addoption(
        "--sim-shapes",
        choices=SHAPES,
        default="live",
        help="simulators answer as the live service (default) or as the v1 document's examples",
    )


def pytest_configure(config: pytest.Config) -> None:
    """Apply `--sim-shapes` before any simulator starts."""
    choose(config.getoption("--sim-shapes"))


TEMPLATE = "store_template"
_numbers = itertools.count()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[PostgresCluster]:
    """Run one throwaway PostgreSQL cluster for the whole test session."""
    cluster = PostgresCluster()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture(scope="session")
def pg_template(pg_cluster: PostgresCluster) -> str:
    """Migrate a template database once; tests copy it, which is much faster than migrating."""
    upgrade(pg_cluster.create_database(TEMPLATE))
    return TEMPLATE


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Migrate a template SQLite file once; tests copy it."""
    path = tmp_path_factory.mktemp("sqlite-template") / "template.db"
    upgrade(f"sqlite:///{path}")
    return path


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    """Run the test once on SQLite and once on PostgreSQL."""
    return str(request.param)


def _pg_database(request: pytest.FixtureRequest, prefix: str, template: str | None) -> str:
    """Create a PostgreSQL database for one test, dropped when the test ends; return its URL."""
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    name = f"{prefix}_{next(_numbers)}"
    url = cluster.create_database(name, template=template or "template1")
    request.addfinalizer(lambda: cluster.drop_database(name))
    return url


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a new, empty database of the test's backend."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    return _pg_database(request, "empty", None)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a new database of the test's backend, migrated to head."""
    if backend == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    return _pg_database(request, "store", request.getfixturevalue("pg_template"))


@pytest.fixture
def pg_database_url(request: pytest.FixtureRequest, pg_template: str) -> str:
    """Return a new migrated PostgreSQL database, for behaviour only PostgreSQL has."""
    return _pg_database(request, "pg", pg_template)


@pytest.fixture
async def sim() -> AsyncIterator[Running]:
    """The AIHC simulator on loopback: the demo world, seed 7, its clock frozen."""
    async with serve(SimConfig(seed=7, clock_speed=0.0, shapes=suite_shapes())) as running:
        yield running


@pytest.fixture
async def slack() -> AsyncIterator[FakeSlack]:
    """The fake Slack Web API on loopback, with channel C0001 and user U0001."""
    async with FakeSlack() as running:
        yield running


@pytest.fixture(params=API_VERSIONS)
def api_version(request: pytest.FixtureRequest) -> str:
    """Run the test with the bot speaking AIHC API v1, then v2 (the simulator serves both)."""
    return str(request.param)


@pytest.fixture
async def stack(tmp_path: Path, api_version: str) -> AsyncIterator[Stack]:
    """The bot, the AIHC simulator (demo world) and the fake Slack, with the first pool default,
    speaking each AIHC API version in turn."""
    async with running_stack(
        tmp_path, aihc_default_pool="llm-a800-pool", aihc_api_version=api_version
    ) as running:
        yield running


@pytest.fixture
async def bots(tmp_path: Path) -> AsyncIterator[Bots]:
    """Start bot processes for the test; none outlives it."""
    started = Bots(tmp_path)
    try:
        yield started
    finally:
        await started.kill_all()


@pytest.fixture
def refused_port() -> Iterator[int]:
    """A loopback port held bound but not listening for the test: connecting to it is refused."""
    with serving.refused_port() as port:
        yield port
