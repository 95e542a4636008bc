"""Fixtures that give each store test a fresh database, on SQLite and on a real PostgreSQL."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.store import Store
from bot.store.migrate import upgrade
from tests.store.postgres import PostgresCluster

BACKENDS = ["sqlite", "postgresql"]
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


@pytest.fixture
def empty_database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a new, empty database of the test's backend."""
    if backend == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"empty_{next(_numbers)}")


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Return the URL of a new database of the test's backend, migrated to head."""
    if backend == "sqlite":
        path = tmp_path / "store.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite+aiosqlite:///{path}"
    cluster: PostgresCluster = request.getfixturevalue("pg_cluster")
    template: str = request.getfixturevalue("pg_template")
    return cluster.create_database(f"store_{next(_numbers)}", template=template)


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """Return a store on the test's fresh database, disposed afterwards."""
    instance = Store.from_url(database_url)
    try:
        yield instance
    finally:
        await instance.dispose()


@pytest.fixture
def pg_database_url(pg_cluster: PostgresCluster, pg_template: str) -> str:
    """Return a new migrated PostgreSQL database, for behaviour only PostgreSQL has."""
    return pg_cluster.create_database(f"pg_{next(_numbers)}", template=pg_template)


@pytest.fixture
async def other_store(database_url: str) -> AsyncIterator[Store]:
    """Return a second store on the same database: another replica, with its own connections."""
    instance = Store.from_url(database_url)
    try:
        yield instance
    finally:
        await instance.dispose()
