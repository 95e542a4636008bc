"""Stores of the store tests, on the fresh database `tests/conftest.py` gives each test."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.store import Store


@pytest.fixture
async def store(database_url: str) -> AsyncIterator[Store]:
    """Return a store on the test's fresh database, disposed afterwards."""
    instance = Store.from_url(database_url)
    try:
        yield instance
    finally:
        await instance.dispose()


@pytest.fixture
async def other_store(database_url: str) -> AsyncIterator[Store]:
    """Return a second store on the same database: another replica, with its own connections."""
    instance = Store.from_url(database_url)
    try:
        yield instance
    finally:
        await instance.dispose()
