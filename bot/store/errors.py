"""Errors of the store layer.

StoreError
├── LeaseLostError       a fenced write by a replica that no longer holds the row's lease
├── UnsupportedDatabaseError   a URL naming a database or driver the store does not run on
└── DatabaseUnreachable  no connection at start, within the wait allowed
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError, OperationalError


class StoreError(Exception):
    """Base of every error the store raises."""


class LeaseLostError(StoreError):
    """Refuse a write from a lease holder whose lease was taken over (or released)."""

    def __init__(self, table: str, key: object, owner: str, version: int) -> None:
        """Record which row, owner and fencing version the refused write named."""
        super().__init__(f"lease on {table} {key!r} is no longer held by {owner} at v{version}")
        self.table = table
        self.key = key
        self.owner = owner
        self.version = version


class UnsupportedDatabaseError(StoreError):
    """Reject a database URL whose backend the store does not support."""


class DatabaseUnreachable(StoreError):
    """The database did not accept a connection at start; the text is one line, no password."""


def database_unreachable(error: BaseException) -> bool:
    """Say whether `error` means the database cannot be reached (refused, dropped, shut down),
    rather than that a statement failed: an outage, not a bug."""
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated:
        return True
    state = getattr(error.orig, "sqlstate", None)
    if state is None:  # raised by the driver itself: no server answered
        return isinstance(error, OperationalError)
    # 08: connection exception; 57P: the server is shutting down or cannot connect now.
    return str(state).startswith(("08", "57P"))
