"""Alembic environment: migrate with a sync driver, once, whichever replica gets there first."""

from __future__ import annotations

import logging.config
from typing import Any

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import Connection, create_engine, pool, text

import bot.store.tables  # noqa: F401  (registers every table on the metadata)
from bot.store.base import Base, StrEnumType, UTCDateTime
from bot.store.engine import backend_of, sync_url
from bot.store.migrate import MIGRATION_LOCK_ID

config = context.config
target_metadata = Base.metadata


def database_url() -> str:
    """Return the URL given by the caller, else the ini's `sqlalchemy.url`, else the settings."""
    explicit = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if explicit:
        return str(explicit)
    from bot.settings import load_database_settings  # only when run as `alembic …` by hand

    return load_database_settings().database_url.get_secret_value()


def render_item(kind: str, obj: Any, autogen: AutogenContext) -> str | bool:
    """Render the store's column types as plain SQLAlchemy types; migrations import no app code."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    if kind == "type" and isinstance(obj, StrEnumType):
        return f"sa.String(length={obj.impl_instance.length})"
    return False


def configure(connection: Connection | None = None, url: str | None = None) -> None:
    """Configure the migration context; SQLite gets batch mode, PostgreSQL alters in place."""
    backend = connection.dialect.name if connection is not None else backend_of(url or "")
    context.configure(
        connection=connection,
        url=url,
        target_metadata=target_metadata,
        render_as_batch=backend == "sqlite",
        render_item=render_item,
        compare_type=True,
        literal_binds=connection is None,
    )


def run_offline() -> None:
    """Emit the migration SQL without a database connection."""
    configure(url=sync_url(database_url()).render_as_string(hide_password=False))
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    """Migrate through a sync connection, holding the advisory lock on PostgreSQL.

    Replicas that start together queue on the lock: one migrates, the others then find the
    database at head and do nothing.
    """
    engine = create_engine(sync_url(database_url()), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "sqlite":
                # WAL is a property of the file: set once here, the bot's connections find it set.
                # Switching later needs the write lock, and fails at once while a replica holds it.
                connection.exec_driver_sql("PRAGMA journal_mode=WAL")
                connection.commit()
            locking = connection.dialect.name == "postgresql"
            if locking:
                connection.execute(text("SELECT pg_advisory_lock(:id)"), {"id": MIGRATION_LOCK_ID})
                connection.commit()  # a session-level lock outlives this transaction
            try:
                configure(connection)
                with context.begin_transaction():
                    context.run_migrations()
            finally:
                if locking:
                    connection.rollback()
                    connection.execute(
                        text("SELECT pg_advisory_unlock(:id)"), {"id": MIGRATION_LOCK_ID}
                    )
                    connection.commit()
    finally:
        engine.dispose()


if config.config_file_name is not None:
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)

if context.is_offline_mode():
    run_offline()
else:
    run_online()
