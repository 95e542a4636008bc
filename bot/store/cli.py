"""The `aihc-bot migrate` subcommand: upgrade the database named by DATABASE_URL to head."""

from __future__ import annotations

import argparse
import sys

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.settings import SettingsError, load_database_settings
from bot.store.migrate import upgrade


def run_migrate(args: argparse.Namespace) -> int:
    """Migrate the configured database to head; print one line and return the exit status."""
    try:
        url = load_database_settings().database_url.get_secret_value()
    except SettingsError as error:
        sys.stderr.write(f"aihc-bot migrate: {error}\n")
        return 2
    shown = make_url(url).render_as_string(hide_password=True)
    try:
        revision = upgrade(url)
    except SQLAlchemyError as error:
        # The driver's own first line says what went wrong (refused, auth, unknown database).
        reason = str(error.orig if hasattr(error, "orig") else error).strip().splitlines()[0]
        sys.stderr.write(f"aihc-bot migrate: cannot migrate {shown}: {reason}\n")
        return 1
    sys.stdout.write(f"{shown} is at revision {revision}\n")
    return 0
