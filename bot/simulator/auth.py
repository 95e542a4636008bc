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


@dataclass(frozen=True, slots=True)
class _Header:
    access_key: str
    timestamp: str
    signed_at: float
    expiration: int
    signed_headers: list[str]
    signature: str


def _parse(value: str) -> _Header:
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
    # An empty list means BCE's default set, which always holds `host` (see `_default_names`).
    if seconds <= 0 or (names and "host" not in names):
        raise _bad_header("The HTTP authorization header is invalid.")
    return _Header(access_key, timestamp, signed_at.timestamp(), seconds, names, signature)


_DEFAULT_SIGNED = frozenset({"host", "content-md5", "content-length", "content-type"})


def _default_names(headers: dict[str, str]) -> list[str]:
    """Return the headers BCE signs when the Authorization value names none.

    Baidu's Python SDK signs AIHC v2 job actions this way: `bce_v1_signer.sign` with no
    `headers_to_sign` canonicalises host, content-md5, content-length, content-type and every
    `x-bce-*` header with a non-empty value, and writes an empty list into the Authorization value
    (baidubce/auth/bce_v1_signer.py:30-50, :87-90; called from
    baidubce/services/aihc/base/aihc_base_client.py:130-132).
    """
    return sorted(
        name
        for name, value in headers.items()
        if value.strip() and (name in _DEFAULT_SIGNED or name.startswith("x-bce-"))
    )


def verify(request: web.Request, creds: Credentials, wall_clock: WallClock = _wall) -> None:
    """Raise `ApiError` unless the request carries a valid, unexpired bce-auth-v1 signature."""
    value = request.headers.get("Authorization", "").strip()
    if not value:
        raise ApiError(403, "AccessDenied", "Access denied.")
    header = _parse(value)
    if header.access_key != creds.access_key:
        message = "The Access Key ID you provided does not exist in our records."
        raise ApiError(403, "InvalidAccessKeyId", message)
    if not header.signed_at - CLOCK_SKEW <= wall_clock() <= header.signed_at + header.expiration:
        message = f"Request has expired. Timestamp date is {header.timestamp}."
        raise ApiError(400, "RequestExpired", message)
    raw_path, _, raw_query = request.raw_path.partition("?")
    headers = {name.lower(): val for name, val in request.headers.items()}
    expected = sign(
        access_key=header.access_key,
        secret_key=creds.secret_key,
        method=request.method,
        raw_path=raw_path,
        raw_query=raw_query,
        headers=headers,
        timestamp=header.timestamp,
        expiration_seconds=header.expiration,
        signed_headers=header.signed_headers or _default_names(headers),
    )
    # BCE compares the signature itself; the order the client listed its headers in is its own.
    if not hmac.compare_digest(expected.rsplit("/", 1)[-1], header.signature):
        message = "The request signature we calculated does not match the signature you provided."
        raise ApiError(400, "SignatureDoesNotMatch", message)
