"""Log lines that keep their fields: text for people, JSON for machines; secrets blanked.

Every entry point calls `configure_logging` once. A field is anything a call passes in `extra`
(`error_id`, `dedup_key`, `slack_error`, `aihc_request_id` …); a logged exception adds the
Slack error code or the AIHC request id and code it carries, so they are there wherever an
error is logged with `exc_info`.
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, Literal, TextIO
from urllib.parse import urlsplit

from pydantic import BaseModel, SecretStr
from slack_sdk.errors import SlackApiError

from bot.aihc.errors import AihcApiError, AihcError

LogFormat = Literal["text", "json"]
MAX_VALUE = 1_000
MIN_SECRET = 6  # shorter values would blank ordinary words
# Their DEBUG lines carry request and response bodies; their INFO lines cost one per call.
FLOORS = {
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "httpx": logging.WARNING,
    "httpcore": logging.WARNING,
}
_STANDARD = frozenset(
    set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime", "taskName"}
)
# Slack tokens and bce-auth-v1 Authorization values, whoever logs them (linear-time patterns).
_TOKENS = re.compile(r"\b(xox[a-z]|xapp)-[A-Za-z0-9-]+|bce-auth-v1/[^\s\"',;]+")
_ESCAPES = str.maketrans({"\n": "\\n", "\r": "\\r"})
_INSTALLED = "_aihc_bot_handler"


class Redactor:
    """Blank known secret values and anything shaped like a token."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        # Longest first, so a secret containing another is blanked whole.
        found = {s for s in secrets if len(s) >= MIN_SECRET}
        self._secrets = sorted(found, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        """Return `text` with every secret replaced by `***`."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return _TOKENS.sub(_token_stub, text)


def _token_stub(match: re.Match[str]) -> str:
    prefix = match.group(1)
    return f"{prefix}-***" if prefix else "bce-auth-v1/***"


def secrets_of(settings: BaseModel) -> list[str]:
    """Return the secret values a settings object holds, with any password inside a URL."""
    found: list[str] = []
    for name in type(settings).model_fields:
        value = getattr(settings, name)
        if isinstance(value, SecretStr):
            raw = value.get_secret_value()
            found.append(raw)
            if "://" in raw:
                password = urlsplit(raw).password
                found.extend([password] if password else [])
    return found


def record_fields(record: logging.LogRecord) -> dict[str, Any]:
    """Return a record's fields: its `extra`, then what its exception carries."""
    fields = {
        key: value
        for key, value in vars(record).items()
        if key not in _STANDARD and not key.startswith("_")
    }
    if record.exc_info and record.exc_info[1] is not None:
        for key, value in _exception_fields(record.exc_info[1]).items():
            fields.setdefault(key, value)
    return fields


def _exception_fields(error: BaseException) -> dict[str, str]:
    fields: dict[str, str] = {}
    seen: BaseException | None = error
    for _ in range(5):  # the error, and what caused it (a bounded walk)
        if seen is None:
            break
        if isinstance(seen, SlackApiError) and seen.response.get("error"):
            fields.setdefault("slack_error", str(seen.response.get("error")))
        if isinstance(seen, AihcError) and seen.request_id:
            fields.setdefault("aihc_request_id", seen.request_id)
        if isinstance(seen, AihcApiError) and seen.code:
            fields.setdefault("aihc_code", seen.code)
        seen = seen.__cause__ or seen.__context__
    return fields


def _bounded(value: Any) -> str:
    text = str(value)  # a SecretStr shows as asterisks
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _text_value(value: Any) -> str:
    text = _bounded(value)
    if text and text.isprintable() and not any(c in text for c in ' "=\\'):
        return text
    return json.dumps(text, ensure_ascii=False)  # quoted, newlines and quotes escaped


class TextFormatter(logging.Formatter):
    """Today's line, then `key=value` per field; a traceback on the lines after it."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line (plus its traceback, if any)."""
        message = record.getMessage().translate(_ESCAPES)
        line = f"{self.formatTime(record)} {record.levelname} {record.name} {message}"
        fields = record_fields(record)
        if fields:
            line += " " + " ".join(f"{key}={_text_value(v)}" for key, v in fields.items())
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        if record.stack_info:
            line += "\n" + self.formatStack(record.stack_info)
        return self._redact(line)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the fields, `exc_info`."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def format(self, record: logging.LogRecord) -> str:
        """Return the record as one line of JSON."""
        when = datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds")
        entry: dict[str, Any] = {
            "time": when,
            "level": record.levelname,
            "logger": record.name,
            "message": self._redact(record.getMessage()),
        }
        for key, value in record_fields(record).items():
            plain = value is None or isinstance(value, bool | int | float)
            entry[key if key not in entry else f"field_{key}"] = (
                value if plain else self._redact(_bounded(value))
            )
        if record.exc_info:
            entry["exc_info"] = self._redact(self.formatException(record.exc_info))
        if record.stack_info:
            entry["stack_info"] = self._redact(self.formatStack(record.stack_info))
        return json.dumps(entry, ensure_ascii=False)


def formatter_for(log_format: LogFormat, redact: Redactor) -> logging.Formatter:
    """Return the formatter of `BOT_LOG_FORMAT`."""
    return JsonFormatter(redact) if log_format == "json" else TextFormatter(redact)


def configure_logging(
    log_format: LogFormat,
    *,
    level: int = logging.INFO,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
) -> logging.Handler:
    """Send every log line to `stream` (stderr) in `log_format`; return the handler installed."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _INSTALLED, False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter_for(log_format, Redactor(secrets)))
    setattr(handler, _INSTALLED, True)
    root.addHandler(handler)
    root.setLevel(level)
    for name, floor in FLOORS.items():
        logging.getLogger(name).setLevel(max(level, floor))
    return handler
