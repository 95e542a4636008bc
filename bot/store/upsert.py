"""INSERT … ON CONFLICT helpers that speak both SQLite's and PostgreSQL's dialect."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import inspect
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from bot.store.base import Base

Values = Mapping[str, Any]


def dialect_insert(session: AsyncSession, model: type[Base]) -> Any:
    """Return the dialect's INSERT construct (both offer `on_conflict_*` with the same names)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(model)
    return sqlite.insert(model)


async def insert_or_ignore(
    session: AsyncSession,
    model: type[Base],
    rows: Values | Sequence[Values],
    *,
    conflict: Sequence[str],
) -> int:
    """Insert rows, skipping those that clash on the `conflict` columns; return how many went in."""
    batch = [rows] if isinstance(rows, Mapping) else list(rows)
    if not batch:
        return 0
    stmt = (
        dialect_insert(session, model).values(batch).on_conflict_do_nothing(index_elements=conflict)
    )
    return await _count_returned(session, model, stmt)


async def upsert(
    session: AsyncSession,
    model: type[Base],
    rows: Values | Sequence[Values],
    *,
    conflict: Sequence[str],
    update: Sequence[str],
) -> int:
    """Insert rows or, on a clash over `conflict`, overwrite the `update` columns; count rows."""
    batch = [rows] if isinstance(rows, Mapping) else list(rows)
    if not batch:
        return 0
    stmt = dialect_insert(session, model).values(batch)
    stmt = stmt.on_conflict_do_update(
        index_elements=conflict,
        set_={name: stmt.excluded[name] for name in update},
    )
    return await _count_returned(session, model, stmt)


async def _count_returned(session: AsyncSession, model: type[Base], stmt: Any) -> int:
    """Execute `stmt` and count the rows it wrote.

    The count comes from RETURNING because psycopg reports rowcount -1 for these statements.
    """
    keys = inspect(model).primary_key
    result = await session.execute(stmt.returning(*keys))
    return len(result.all())
