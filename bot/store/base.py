"""The declarative base, its constraint naming convention, and the column types tables share."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, DateTime, Dialect, Integer, MetaData, String, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Named constraints let migrations drop or alter them by name, which SQLite batch mode needs.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# SQLite only autoincrements an INTEGER PRIMARY KEY, so big ids fall back to INTEGER there.
BigIntId = BigInteger().with_variant(Integer(), "sqlite")


class Base(DeclarativeBase):
    """Base of every `<X>Row` table class."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC and return them aware in UTC on every database.

    SQLite keeps datetimes as text and silently drops an offset, so 10:00+02:00 would sort after
    09:00Z; converting to UTC before storing keeps both ordering and meaning.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Refuse naive datetimes and convert aware ones to UTC (naive UTC on SQLite)."""
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError(
                f"naive datetime {value.isoformat()} cannot be stored; attach a tzinfo"
            )
        utc = value.astimezone(UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        """Return the stored moment as an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class StrEnumType(TypeDecorator[StrEnum]):
    """Store a `StrEnum` member as its plain string value and read it back as the member."""

    impl = String
    cache_ok = True

    def __init__(self, enum_class: type[StrEnum], length: int = 16) -> None:
        """Bind the column to `enum_class`, stored in a VARCHAR of `length`."""
        super().__init__(length)
        self.enum_class = enum_class

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:
        """Validate the value against the enum and store its string."""
        if value is None:
            return None
        return str(self.enum_class(value).value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> StrEnum | None:
        """Turn the stored string back into the enum member."""
        return None if value is None else self.enum_class(value)


class LeaseMixin:
    """Columns of a row that replicas claim under a lease with a fencing version."""

    lease_owner: Mapped[str | None] = mapped_column(String(128), default=None)
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    lease_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
