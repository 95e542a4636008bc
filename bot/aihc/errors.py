"""Errors of the AIHC client.

```
AihcError                      anything the AIHC client raises
├── AihcTransportError         no usable answer: connection refused, reset, timed out, or none
│                              within the call's deadline
├── AihcResponseError          a 2xx answer whose body is not the JSON the operation promises
│   └── AihcAnswerTooLarge     an answer longer than the operation's cap (read no further)
├── AihcListTooLong            a list with more entries than the caller may walk
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
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

# Matched as substrings of the lower-cased text with its spaces removed: plain string searches,
# linear whatever AIHC (or a gateway in front of it) sends.
_THROTTLE = ("throttl", "limitexceeded", "toomany")
_NOT_FOUND = ("notfound", "notexist", "nosuch", "doesnotexist")
_CONFLICT = ("alreadyexist", "conflict", "duplicate")
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
_MAX_CODE = 100
_MAX_TITLE = 80
SUMMARY_BYTES = 4096
"""Most bytes of an error body looked at to summarise it: what a person needs is at its start."""
ERROR_BYTES = 64 * 1024
"""Most bytes of an error body parsed as JSON; a longer one is summarised from its start."""


class AihcError(Exception):
    """Base of every error the AIHC client raises."""

    attempts: int = 1
    """How many times the request was sent before this error was final."""
    request_id: str = ""
    """AIHC's id of the failed request, when it answered at all."""


class AihcUnavailable(AihcError):
    """The API version the client speaks has no action for the operation; nothing was sent."""

    def __init__(self, operation: str, version: str) -> None:
        super().__init__(f"{operation} is not available in AIHC API {version}")
        self.operation = operation
        self.version = version


class AihcTransportError(AihcError):
    """AIHC could not be reached, or the connection broke before an answer came."""


class AihcResponseError(AihcError):
    """A successful answer whose body is not what the operation returns."""

    def __init__(self, message: str, *, request_id: str = "", status: int = 0) -> None:
        super().__init__(message)
        self.request_id = request_id
        self.status = status


class AihcAnswerTooLarge(AihcResponseError):
    """An answer longer than the operation's cap; `size` is its length when announced."""

    def __init__(
        self, message: str, *, size: int | None, status: int = 0, request_id: str = ""
    ) -> None:
        super().__init__(message, status=status, request_id=request_id)
        self.size = size


class AihcListTooLong(AihcError):
    """A list that goes on past the number of entries the caller may walk."""

    def __init__(self, message: str, *, limit: int) -> None:
        super().__init__(message)
        self.limit = limit


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


def _one_line(text: str, limit: int) -> str:
    return " ".join(text[:SUMMARY_BYTES].split())[:limit]


def _summarise(text: str) -> str:
    """Say in one line what an error body holds, looking at its first `SUMMARY_BYTES` only."""
    head = text[:SUMMARY_BYTES].strip()
    if not head.startswith("<"):
        return _one_line(head, _MAX_MESSAGE)
    # An HTML gateway page is useless to a person; say what it was instead of dumping it.
    lowered = head.lower()
    opened = lowered.find("<title")
    start = lowered.find(">", opened) + 1 if opened >= 0 else 0
    end = lowered.find("</title", start) if start > 0 else -1
    title = _one_line(head[start:end], _MAX_TITLE) if end >= 0 else ""
    return f"non-JSON answer ({title})" if title else "non-JSON answer"


def _mentions(text: str, words: tuple[str, ...]) -> bool:
    compact = text[:SUMMARY_BYTES].lower().replace(" ", "")
    return any(word in compact for word in words)


def _error_class(status: int, code: str, message: str) -> type[AihcApiError]:
    if status == 429 or _mentions(code, _THROTTLE):
        return AihcThrottled
    if status >= 500:
        return AihcServerError
    if status in (401, 403) or code in _AUTH_CODES:
        return AihcAuthError
    if status == 404 or _mentions(code, _NOT_FOUND) or _mentions(message, _NOT_FOUND):
        return AihcNotFound
    if status in (409, 412) or _mentions(code, _CONFLICT) or _mentions(message, _CONFLICT):
        return AihcConflict
    return AihcBadRequest


def _head_text(response: httpx.Response) -> str:
    head = response.content[:SUMMARY_BYTES]
    try:
        return head.decode(response.encoding or "utf-8", "replace")
    except LookupError:  # a charset Python does not know, or not a text encoding
        return head.decode("utf-8", "replace")


def error_from_response(response: httpx.Response) -> AihcApiError:
    """Build the error an AIHC error answer stands for, whatever its body looks like.

    Only the first `ERROR_BYTES` are ever parsed and the first `SUMMARY_BYTES` summarised, with
    string methods, so a megabyte gateway page costs no more than a short one.
    """
    body: Any = None
    content = response.content
    if content and len(content) <= ERROR_BYTES:
        try:
            body = json.loads(content)
        except ValueError:
            body = None
    code = message = ""
    if isinstance(body, dict):
        fields = {str(k).strip().lower(): v for k, v in body.items()}
        code = _one_line(str(fields.get("code") or ""), _MAX_CODE)
        message = _summarise(str(fields.get("message") or ""))
    elif content:
        message = _summarise(_head_text(response))
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
