"""Run the Alembic migrations in `migrations/` against a database URL."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, pool

from bot.store.engine import sync_url

_PACKAGED = Path(__file__).resolve().parents[1] / "_migrations"
MIGRATIONS_DIR = (
    _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parents[2] / "migrations"
)
"""Inside the package in a wheel install (pyproject.toml force-includes them), else the
repository's top-level `migrations/` beside the source tree."""
# The PostgreSQL advisory lock env.py holds while migrating: sha256("aihc-bot:migrations")[:8].
MIGRATION_LOCK_ID = 3808542633313030146
# Dated revision file names sort in the order they were written (ConfigParser needs `%%`).
FILE_TEMPLATE = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d-%%(rev)s_%%(slug)s"


def alembic_config(database_url: str) -> Config:
    """Build the Alembic configuration for `database_url` without reading any ini file."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", FILE_TEMPLATE)
    config.set_main_option("path_separator", "os")
    # env.py prefers this explicit URL over the settings.
    config.attributes["database_url"] = database_url
    return config


def head_revision() -> str | None:
    """Return the newest revision the migration scripts define."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return scripts.get_current_head()


def knows_revision(revision: str) -> bool:
    """Say whether this version's migration scripts define `revision` (a newer bot's do not)."""
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return any(script.revision == revision for script in scripts.walk_revisions())


def current_revision(database_url: str) -> str | None:
    """Return the revision the database is at, or None if it was never migrated."""
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def upgrade(database_url: str, revision: str = "head") -> str | None:
    """Migrate the database up to `revision` and return the revision it is then at."""
    command.upgrade(alembic_config(database_url), revision)
    return current_revision(database_url)


def downgrade(database_url: str, revision: str = "base") -> str | None:
    """Migrate the database down to `revision` and return the revision it is then at."""
    command.downgrade(alembic_config(database_url), revision)
    return current_revision(database_url)


async def upgrade_in_thread(database_url: str) -> str | None:
    """Migrate to head off the event loop, for `serve` to call before it starts listening."""
    return await asyncio.to_thread(upgrade, database_url)
