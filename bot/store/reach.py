"""Wait for the database at start: PostgreSQL started beside the bot may come up after it.

Compose starts replicas beside PostgreSQL, and podman-compose 1.x skips `depends_on` health
conditions, so the first connections are refused for a few seconds. `serve` waits, bounded, then
stops with one line rather than a driver traceback.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from sqlalchemy import create_engine, make_url, pool, text
from sqlalchemy.exc import OperationalError

from bot.store.engine import backend_of, sync_url
from bot.store.errors import DatabaseUnreachable

logger = logging.getLogger(__name__)

FIRST_RETRY_SECONDS = 0.5
LAST_RETRY_SECONDS = 5.0


async def wait_for_database(
    url: str, *, within: float, clock: Callable[[], float] = time.monotonic
) -> None:
    """Return once the database accepts a connection; raise `DatabaseUnreachable` after `within`
    seconds (at once for SQLite, whose file will not appear by waiting)."""
    deadline, delay, told = clock() + within, FIRST_RETRY_SECONDS, False
    while True:
        try:
            await asyncio.to_thread(_connect_once, url)
            return
        except OperationalError as error:
            left = deadline - clock()
            if backend_of(url) == "sqlite" or left <= 0:
                raise DatabaseUnreachable(_say(url, within, error)) from None
            if not told:
                logger.warning("waiting for the database", extra={"within_seconds": within})
                told = True
            await asyncio.sleep(min(delay, left))
            delay = min(delay * 2, LAST_RETRY_SECONDS)


def _connect_once(url: str) -> None:
    engine = create_engine(sync_url(url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()


def _say(url: str, within: float, error: OperationalError) -> str:
    """Say in one line which database failed and how, its password hidden."""
    shown = make_url(url).render_as_string(hide_password=True)
    cause = (str(error.orig).strip().splitlines() or [type(error.orig).__name__])[0][:200]
    if backend_of(url) == "sqlite":
        return (
            f"DATABASE_URL: {shown} cannot be opened: {cause} "
            "(does its folder exist, writable by this user?)"
        )
    return f"DATABASE_URL: {shown} not reachable after {within:g} s: {cause}"
