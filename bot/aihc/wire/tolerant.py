"""Forgiving field types for AIHC wire data: nulls, numbers as strings, odd times, odd keys."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator
from pydantic.alias_generators import to_camel

# Go's time.Time.String(): "2024-07-15 16:52:50 +0000 UTC", optionally with fractional seconds.
_GO_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}:\d{2})(\.\d+)?\s+([+-])(\d{2}):?(\d{2})(?:\s+\S+)?$"
)
_MILLIS_THRESHOLD = 100_000_000_000


def parse_time(value: object) -> datetime | None:
    """Read RFC 3339, Go-style `… +0000 UTC` or unix seconds/ms as aware UTC; None if unset/bad."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return _from_unix(float(value))
    if not isinstance(value, str):
        return None
    text = value.strip()
    if not text:
        return None
    if text.isdigit():
        return _from_unix(float(text))
    match = _GO_TIME.match(text)
    if match:
        day, clock, fraction, sign, hours, minutes = match.groups()
        micro = int((fraction or ".0")[1:7].ljust(6, "0"))
        offset = timedelta(hours=int(hours), minutes=int(minutes))
        zone = timezone(-offset if sign == "-" else offset)
        try:
            moment = datetime.fromisoformat(f"{day}T{clock}").replace(microsecond=micro)
        except ValueError:
            return None
        return moment.replace(tzinfo=zone).astimezone(UTC)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    # Go's zero time ("0001-01-01T00:00:00Z") means "not set".
    return moment.astimezone(UTC) if moment.year > 1 else None


def _from_unix(seconds: float) -> datetime | None:
    if seconds <= 0:
        return None
    if seconds > _MILLIS_THRESHOLD:
        seconds /= 1000
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None


def _text(value: object) -> str:
    if value is None or isinstance(value, Mapping | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _number(value: object) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _integer(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _count(value: object) -> int:
    return _integer(value) or 0


def _flag(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    if isinstance(value, int | float):
        return bool(value)
    return None


def _list(value: object) -> list[Any]:
    if isinstance(value, list):
        return value
    return []


def _objects(value: object) -> list[Any]:
    return [item for item in _list(value) if isinstance(item, Mapping)]


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value] if value else []
    return [_text(item) for item in _list(value) if item is not None]


def _text_map(value: object) -> dict[str, str]:
    if not isinstance(value, Mapping):
        return {}
    return {str(k).strip(): _text(v) for k, v in value.items() if v is not None}


def _object(value: object) -> Any:
    return value if isinstance(value, Mapping) else {}


Text = Annotated[str, BeforeValidator(_text)]
Number = Annotated[float | None, BeforeValidator(_number)]
OptInt = Annotated[int | None, BeforeValidator(_integer)]
Count = Annotated[int, BeforeValidator(_count)]
Flag = Annotated[bool | None, BeforeValidator(_flag)]
Time = Annotated[datetime | None, BeforeValidator(parse_time)]
Texts = Annotated[list[str], BeforeValidator(_texts)]
TextMap = Annotated[dict[str, str], BeforeValidator(_text_map)]
Objects = BeforeValidator(_objects)
AnObject = BeforeValidator(_object)


class WirePayload(BaseModel):
    """Base of AIHC wire models: keys matched trimmed and case-insensitively, unknown keys dropped.

    Dropping unknown keys is also what keeps secrets out: a field that is not declared (pod
    annotations, `imageConfig`, …) never enters a model.
    """

    model_config = ConfigDict(
        extra="ignore", alias_generator=to_camel, populate_by_name=True, frozen=True
    )
    extra_aliases: ClassVar[Mapping[str, str]] = {}

    @model_validator(mode="before")
    @classmethod
    def _normalise_keys(cls, data: Any) -> Any:
        if not isinstance(data, Mapping):
            return {}
        lookup = _key_lookup(cls)
        normalised: dict[str, Any] = {}
        for key, value in data.items():
            if not isinstance(key, str):
                continue
            target = lookup.get(key.strip().lower())
            if target is None or (value is None and target in normalised):
                continue
            normalised[target] = value
        return normalised


@cache
def _key_lookup(model: type[WirePayload]) -> dict[str, str]:
    lookup: dict[str, str] = {}
    for name, field in model.model_fields.items():
        alias = field.alias or name
        lookup[alias.lower()] = alias
        lookup[name.lower()] = alias
    for extra, field_name in model.extra_aliases.items():
        field = model.model_fields[field_name]
        lookup[extra.lower()] = field.alias or field_name
    return lookup
