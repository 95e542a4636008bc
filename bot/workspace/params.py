"""Read Web API parameters the way Slack does, whether they came as a query, a form or JSON."""

from __future__ import annotations

import json
from typing import Any

from bot.workspace.model import JsonDict, SlackError

# Form-encoded callers (and slack_sdk's query-string methods) send structured values as JSON text.
_JSON_FIELDS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "metadata": "invalid_metadata_format",
    "view": "invalid_arguments",
    "files": "invalid_arguments",
}


def normalise(raw: dict[str, Any]) -> JsonDict:
    """Decode the JSON-text fields of a merged parameter dict; drop the token."""
    params = {key: value for key, value in raw.items() if key != "token"}
    for name, error in _JSON_FIELDS.items():
        value = params.get(name)
        if isinstance(value, str) and value:
            try:
                params[name] = json.loads(value)
            except json.JSONDecodeError:
                raise SlackError(error) from None
    return params


def text(params: JsonDict, name: str) -> str | None:
    """Return a string parameter, or None when absent or empty."""
    value = params.get(name)
    if value is None or value == "":
        return None
    return str(value)


def required(params: JsonDict, name: str, error: str = "invalid_arguments") -> str:
    """Return a string parameter that must be present."""
    value = text(params, name)
    if value is None:
        raise SlackError(error, detail=f"missing required field: {name}")
    return value


def flag(params: JsonDict, name: str) -> bool:
    """Read a boolean the way Slack does: true, 1 or a JSON true."""
    value = params.get(name)
    if isinstance(value, bool):
        return value
    return str(value).lower() in {"1", "true"}


def integer(params: JsonDict, name: str, default: int, *, low: int, high: int) -> int:
    """Read an integer, clamped to Slack's documented range."""
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise SlackError("invalid_arguments", detail=f"{name} must be an integer") from None
    return max(low, min(high, number)) if number > 0 else default


def json_list(params: JsonDict, name: str) -> list[JsonDict]:
    """Return a list-of-objects parameter (blocks, files), or an empty list."""
    value = params.get(name)
    if value is None or value == "":
        return []
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise SlackError(_JSON_FIELDS.get(name, "invalid_arguments"))
    return value


def json_object(params: JsonDict, name: str) -> JsonDict | None:
    """Return an object parameter (metadata, view), or None."""
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        raise SlackError(_JSON_FIELDS.get(name, "invalid_arguments"))
    return value
