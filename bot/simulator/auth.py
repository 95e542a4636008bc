"""bce-auth-v1 verification of incoming requests, answering as BCE does when it fails.

The signature is recomputed from the raw path and query exactly as received, the `host` header
and the other headers the Authorization value names, with `bot.aihc.signer.sign`.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from aiohttp import web

from bot.aihc.signer import sign
from bot.simulator.errors import ApiError

WallClock = Callable[[], float]
CLOCK_SKEW = 900.0
"""How far in the future a timestamp may be (BCE tolerates client clocks a little ahead)."""


@dataclass(frozen=True, slots=True)
class Credentials:
    """The one access key pair the simulator accepts."""

    access_key: str
    secret_key: str


def _wall() -> float:
    return datetime.now(UTC).timestamp()


def _bad_header(message: str) -> ApiError:
    return ApiError(400, "InvalidHTTPAuthHeader", message)


def verify(request: web.Request, creds: Credentials, wall_clock: WallClock = _wall) -> None:
    """Raise `ApiError` unless the request carries a valid, unexpired bce-auth-v1 signature."""
    value = request.headers.get("Authorization", "").strip()
    if not value:
        raise ApiError(403, "AccessDenied", "Access denied.")
    parts = value.split("/")
    if len(parts) != 6 or parts[0] != "bce-auth-v1":
        raise _bad_header("The HTTP authorization header is invalid.")
    _, access_key, timestamp, expiration, signed_headers, signature = parts
    try:
        signed_at = datetime.strptime(timestamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        seconds = int(expiration)
    except ValueError:
        raise _bad_header("The HTTP authorization header is invalid.") from None
    names = [name for name in signed_headers.split(";") if name]
    if seconds <= 0 or "host" not in names:
        raise _bad_header("The HTTP authorization header is invalid.")
    if access_key != creds.access_key:
        raise ApiError(
            403,
            "InvalidAccessKeyId",
            "The Access Key ID you provided does not exist in our records.",
        )
    now = wall_clock()
    if not signed_at.timestamp() - CLOCK_SKEW <= now <= signed_at.timestamp() + seconds:
        raise ApiError(
            400, "RequestExpired", f"Request has expired. Timestamp date is {timestamp}."
        )
    raw_path, _, raw_query = request.raw_path.partition("?")
    expected = sign(
        access_key=access_key,
        secret_key=creds.secret_key,
        method=request.method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers={name.lower(): val for name, val in request.headers.items()},
        timestamp=timestamp,
        expiration_seconds=seconds,
        signed_headers=names,
    )
    # BCE compares the signature itself; the order the client listed its headers in is its own.
    if not hmac.compare_digest(expected.rsplit("/", 1)[-1], signature):
        raise ApiError(
            400,
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided.",
        )
