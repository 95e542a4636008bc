"""Errors of the AIHC client.

```
AihcError                      anything the AIHC client raises
├── AihcTransportError         no usable answer: connection refused, reset, timed out
├── AihcResponseError          a 2xx answer whose body is not the JSON the operation promises
│   └── AihcAnswerTooLarge     an answer longer than the caller's bound (left unread)
└── AihcApiError               AIHC answered with an error (code, message, request id, status)
    ├── AihcBadRequest         4xx the caller must fix; never retried
    │   ├── AihcAuthError      signature, credentials or permission refused (401, 403)
    │   ├── AihcNotFound       the pool, queue, job or pod does not exist (404, "not found" codes)
    │   └── AihcConflict       the request clashes with the current state (409, 412, "exists")
    ├── AihcThrottled          429 or a throttling code; carries Retry-After
    └── AihcServerError        5xx
```
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

_THROTTLE = re.compile(r"throttl|limit ?exceeded|too ?many", re.IGNORECASE)
_NOT_FOUND = re.compile(r"not ?found|notexist|no ?such|does ?not ?exist", re.IGNORECASE)
_CONFLICT = re.compile(r"already ?exist|conflict|duplicate", re.IGNORECASE)
_AUTH_CODES = frozenset(
    {
        "AccessDenied",
        "InvalidAccessKeyId",
        "SignatureDoesNotMatch",
        "RequestExpired",
        "InvalidAuthorization",
    }
)
_MAX_MESSAGE = 300


class AihcError(Exception):
    """Base of every error the AIHC client raises."""

    attempts: int = 1
    """How many times the request was sent before this error was final."""
    request_id: str = ""
    """AIHC's id of the failed request, when it answered at all."""


class AihcTransportError(AihcError):
    """AIHC could not be reached, or the connection broke before an answer came."""


class AihcResponseError(AihcError):
    """A successful answer whose body is not what the operation returns."""

    def __init__(self, message: str, *, request_id: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.request_id = request_id
        self.status = status


class AihcAnswerTooLarge(AihcResponseError):
    """An answer longer than the bound the caller set; `size` is its length when announced."""

    def __init__(self, message: str, *, size: int | None, status: int = 0) -> None:
        super().__init__(message, status=status)
        self.size = size


class AihcApiError(AihcError):
    """AIHC answered with an error."""

    def __init__(self, *, status: int, code: str, message: str, request_id: str = "") -> None:
        super().__init__(f"{code or status}: {message}" if message else str(code or status))
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.retry_after: float | None = None


class AihcBadRequest(AihcApiError):
    """A 4xx answer the caller must fix; never retried."""


class AihcAuthError(AihcBadRequest):
    """Credentials, signature or permission were refused."""


class AihcNotFound(AihcBadRequest):
    """The addressed pool, queue, job or pod does not exist."""


class AihcConflict(AihcBadRequest):
    """The request clashes with the current state, e.g. a queue that already exists."""


class AihcThrottled(AihcApiError):
    """AIHC asked us to slow down."""


class AihcServerError(AihcApiError):
    """AIHC failed on its side (5xx)."""


def request_id_of(body: Any, headers: httpx.Headers) -> str:
    """Find the request id: `requestId` or `requestID` in the body, else `x-bce-request-id`."""
    if isinstance(body, dict):
        for key, value in body.items():
            if isinstance(key, str) and key.strip().lower() == "requestid" and value:
                return str(value)
    return str(headers.get("x-bce-request-id", ""))


def _summarise(text: str) -> str:
    # An HTML gateway page is useless to a person; say what it was instead of dumping it.
    stripped = text.strip()
    if not stripped:
        return ""
    if stripped.startswith("<"):
        title = re.search(r"<title>(.*?)</title>", stripped, re.IGNORECASE | re.DOTALL)
        return f"non-JSON answer ({title.group(1).strip()[:80]})" if title else "non-JSON answer"
    return " ".join(stripped.split())[:_MAX_MESSAGE]


def _error_class(status: int, code: str, message: str) -> type[AihcApiError]:
    if status == 429 or _THROTTLE.search(code):
        return AihcThrottled
    if status >= 500:
        return AihcServerError
    if status in (401, 403) or code in _AUTH_CODES:
        return AihcAuthError
    if status == 404 or _NOT_FOUND.search(code) or _NOT_FOUND.search(message):
        return AihcNotFound
    if status in (409, 412) or _CONFLICT.search(code) or _CONFLICT.search(message):
        return AihcConflict
    return AihcBadRequest


def error_from_response(response: httpx.Response) -> AihcApiError:
    """Build the error an AIHC error answer stands for, whatever its body looks like."""
    body: Any = None
    try:
        body = json.loads(response.content) if response.content else None
    except ValueError:
        body = None
    code = message = ""
    if isinstance(body, dict):
        fields = {str(k).strip().lower(): v for k, v in body.items()}
        code = str(fields.get("code") or "")
        message = _summarise(str(fields.get("message") or ""))
    else:
        message = _summarise(response.text if response.content else "")
    if not message:
        message = response.reason_phrase or f"HTTP {response.status_code}"
    error_type = _error_class(response.status_code, code, message)
    error = error_type(
        status=response.status_code,
        code=code,
        message=message,
        request_id=request_id_of(body, response.headers),
    )
    error.retry_after = parse_retry_after(response.headers.get("retry-after"))
    return error


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Read `Retry-After` as seconds from now: a number of seconds or an HTTP date."""
    if not value:
        return None
    try:
        seconds = float(value.strip())
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(seconds, 0.0) if seconds == seconds else None
