"""bce-auth-v1 request signing as an `httpx.Auth`, signing every attempt afresh.

The canonical request is built from the request exactly as it goes on the wire (its raw path and
query), so the string that is signed is always the string that is sent.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable, Generator, Iterable
from datetime import UTC, datetime
from urllib.parse import unquote_to_bytes

import httpx
from pydantic import SecretStr

Clock = Callable[[], datetime]

_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
_DEFAULT_SIGNED_HEADERS = ("host", "x-bce-date")


def uri_encode(value: str | bytes, *, keep_slash: bool = False) -> str:
    """Percent-encode every byte but `A-Z a-z 0-9 - _ . ~` (and `/` when asked), upper-case hex."""
    raw = value.encode("utf-8") if isinstance(value, str) else value
    out: list[str] = []
    for byte in raw:
        if byte in _UNRESERVED or (keep_slash and byte == 0x2F):
            out.append(chr(byte))
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def canonical_uri(raw_path: str) -> str:
    """Canonicalise a path as sent: each segment decoded, then encoded strictly; `/` kept."""
    return "/".join(uri_encode(unquote_to_bytes(segment)) for segment in raw_path.split("/"))


def canonical_query(raw_query: str) -> str:
    """Canonicalise a query as sent: pairs decoded, strictly encoded, sorted; `k=` when empty."""
    pairs: list[str] = []
    for part in raw_query.split("&"):
        if not part:
            continue
        key, _, value = part.partition("=")
        key_bytes = unquote_to_bytes(key)
        if key_bytes.lower() == b"authorization":
            continue
        pairs.append(f"{uri_encode(key_bytes)}={uri_encode(unquote_to_bytes(value))}")
    return "&".join(sorted(pairs))


def encode_query(params: Iterable[tuple[str, str]]) -> str:
    """Build a query string in the same strict encoding the signature uses."""
    return "&".join(f"{uri_encode(k)}={uri_encode(v)}" for k, v in params)


def format_timestamp(moment: datetime) -> str:
    """Format an instant as BCE wants it: UTC `YYYY-MM-DDThh:mm:ssZ`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    *,
    access_key: str,
    secret_key: str,
    method: str,
    raw_path: str,
    raw_query: str,
    headers: dict[str, str],
    timestamp: str,
    expiration_seconds: int = 1800,
    signed_headers: Iterable[str] = _DEFAULT_SIGNED_HEADERS,
) -> str:
    """Compute the `Authorization` value of one request (`headers` keyed by lower-case name)."""
    prefix = f"bce-auth-v1/{access_key}/{timestamp}/{expiration_seconds}"
    signing_key = hmac.new(secret_key.encode(), prefix.encode(), hashlib.sha256).hexdigest()
    names = sorted({name.strip().lower() for name in signed_headers})
    header_lines = sorted(
        f"{uri_encode(name)}:{uri_encode(headers.get(name, '').strip())}" for name in names
    )
    canonical_request = "\n".join(
        [
            method.upper(),
            canonical_uri(raw_path),
            canonical_query(raw_query),
            "\n".join(header_lines),
        ]
    )
    signature = hmac.new(
        signing_key.encode(), canonical_request.encode(), hashlib.sha256
    ).hexdigest()
    return f"{prefix}/{';'.join(names)}/{signature}"


def _utcnow() -> datetime:
    return datetime.now(UTC)


class BceAuth(httpx.Auth):
    """Sign each request attempt with bce-auth-v1, stamping a fresh `x-bce-date`."""

    def __init__(
        self,
        access_key: str,
        secret_key: SecretStr,
        *,
        expiration_seconds: int = 1800,
        clock: Clock = _utcnow,
    ) -> None:
        self._access_key = access_key
        self._secret_key = secret_key
        self._expiration_seconds = expiration_seconds
        self._clock = clock

    def __repr__(self) -> str:
        return f"BceAuth(access_key={self._access_key[:4]}…)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Add `x-bce-date` and `Authorization` to the request, then send it."""
        timestamp = format_timestamp(self._clock())
        request.headers["x-bce-date"] = timestamp
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        signed = {name.lower() for name in request.headers if name.lower().startswith("x-bce-")}
        signed.add("host")
        request.headers["Authorization"] = sign(
            access_key=self._access_key,
            secret_key=self._secret_key.get_secret_value(),
            method=request.method,
            raw_path=raw_path,
            raw_query=raw_query,
            headers={name.lower(): value for name, value in request.headers.items()},
            timestamp=timestamp,
            expiration_seconds=self._expiration_seconds,
            signed_headers=signed,
        )
        yield request
