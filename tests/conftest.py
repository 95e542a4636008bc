"""Databases for every test directory: a fresh SQLite file or PostgreSQL database per test.

A test that asks for `database_url` runs twice, once per backend (`[sqlite]`, `[postgresql]`):
SQLite and PostgreSQL are equals, so whatever touches a database is proven on both. One
PostgreSQL cluster serves the whole session; each test gets a copy of a migrated template.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

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
