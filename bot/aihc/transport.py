"""Send one AIHC operation: encode, pace, sign, retry, and turn failures into AIHC errors."""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import httpx
from pydantic import SecretStr

from bot.aihc.errors import (
    AihcAnswerTooLarge,
    AihcApiError,
    AihcError,
    AihcResponseError,
    AihcTransportError,
    error_from_response,
    request_id_of,
)
from bot.aihc.limits import HostLimiter, Limits, Monotonic, Sleep
from bot.aihc.retry import RetryPolicy, Safety, should_retry_error, should_retry_exception
from bot.aihc.signer import BceAuth, Clock, _utcnow, encode_query, uri_encode

logger = logging.getLogger(__name__)

Observer = Callable[[str, int, float], None]
"""Called after every attempt with (operation, HTTP status or 0 for no answer, seconds)."""

_FORBIDDEN_SEGMENTS = frozenset({"", ".", ".."})


@dataclass(frozen=True)
class Reply:
    """A decoded successful answer."""

    body: dict[str, Any]
    request_id: str
    attempts: int


def build_path(*segments: str) -> str:
    """Join fixed and caller-supplied path segments, each strictly percent-encoded."""
    parts = []
    for segment in segments:
        if segment in _FORBIDDEN_SEGMENTS:
            raise AihcError(f"an id in the request path may not be {segment!r}")
        parts.append(uri_encode(segment))
    return "/" + "/".join(parts)


def _params(params: Sequence[tuple[str, str | int | None]]) -> list[tuple[str, str]]:
    return [(key, str(value)) for key, value in params if value is not None]


class TransportOptions(TypedDict, total=False):
    """Seams and knobs of the transport; tests swap the clock, sleep and HTTP transport."""

    transport: httpx.AsyncBaseTransport
    limits: Limits
    retry: RetryPolicy
    clock: Clock
    monotonic: Monotonic
    sleep: Sleep
    rng: random.Random
    observer: Observer


class AihcTransport:
    """The one place AIHC requests are sent from."""

    def __init__(
        self,
        endpoint: str,
        access_key: str,
        secret_key: SecretStr,
        **options: Unpack[TransportOptions],
    ) -> None:
        if "://" not in endpoint:
            endpoint = "https://" + endpoint
        self._base = httpx.URL(endpoint)
        self._limits = options.get("limits") or Limits()
        self._retry = options.get("retry") or RetryPolicy()
        self._sleep: Sleep = options.get("sleep") or asyncio.sleep
        self._monotonic = options.get("monotonic") or time.monotonic
        self._rng = options.get("rng") or random.Random()  # noqa: S311 - jitter, not security
        self._observer = options.get("observer")
        self._limiter = HostLimiter(self._limits, clock=self._monotonic, sleep=self._sleep)
        self._http = httpx.AsyncClient(
            auth=BceAuth(access_key, secret_key, clock=options.get("clock") or _utcnow),
            transport=options.get("transport"),
            timeout=self._limits.timeout_seconds,
            limits=httpx.Limits(max_connections=self._limits.max_in_flight),
            headers={"content-type": "application/json", "accept": "application/json"},
        )

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._http.aclose()

    def _url(self, path: str, params: list[tuple[str, str]]) -> httpx.URL:
        raw = self._base.raw_path.decode("ascii").split("?")[0].rstrip("/") + path
        if params:
            raw += "?" + encode_query(params)
        return self._base.copy_with(raw_path=raw.encode("ascii"))

    async def send(
        self,
        operation: str,
        method: str,
        path: str,
        *,
        params: Sequence[tuple[str, str | int | None]] = (),
        body: Any = None,
        safety: Safety = Safety.READ,
        max_bytes: int | None = None,
    ) -> Reply:
        """Send one operation, retrying as its safety allows, and return its JSON body.

        With `max_bytes`, an answer longer than that raises `AihcAnswerTooLarge` unread.
        """
        url = self._url(path, _params(params))
        # Serialised once: every retry sends exactly the same bytes (and the same clientToken).
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._attempt(operation, method, url, content, max_bytes)
            except httpx.TransportError as exc:
                if attempt < self._retry.attempts and should_retry_exception(exc, safety):
                    await self._sleep(self._retry.delay(attempt, self._rng))
                    continue
                error = AihcTransportError(f"AIHC unreachable during {operation}: {exc!r}")
                error.attempts = attempt
                raise error from exc
            if response.is_success:
                return self._decode(operation, response, attempt)
            api_error = error_from_response(response)
            api_error.attempts = attempt
            if attempt < self._retry.attempts and should_retry_error(api_error, safety):
                await self._sleep(self._retry.delay(attempt, self._rng, api_error.retry_after))
                continue
            logger.info(
                "aihc call failed",
                extra={
                    "operation": operation,
                    "status": api_error.status,
                    "aihc_code": api_error.code,
                    "aihc_request_id": api_error.request_id,
                    "attempts": attempt,
                },
            )
            raise api_error

    async def _attempt(
        self,
        operation: str,
        method: str,
        url: httpx.URL,
        content: bytes | None,
        max_bytes: int | None,
    ) -> httpx.Response:
        semaphore, bucket = self._limiter.for_host(url.host)
        async with semaphore:
            await bucket.acquire()
            started = self._monotonic()
            status = 0
            try:
                if max_bytes is None:
                    response = await self._http.request(method, url, content=content)
                else:
                    response = await self._bounded(method, url, content, max_bytes)
                status = response.status_code
                return response
            finally:
                if self._observer is not None:
                    self._observer(operation, status, self._monotonic() - started)

    async def _bounded(
        self, method: str, url: httpx.URL, content: bytes | None, max_bytes: int
    ) -> httpx.Response:
        """Send and read at most `max_bytes` of the decoded answer; stop reading past that."""
        request = self._http.build_request(method, url, content=content)
        streamed = await self._http.send(request, stream=True)
        try:
            announced = streamed.headers.get("content-length", "")
            size = int(announced) if announced.isdigit() else None
            chunks: list[bytes] = []
            read = 0
            if size is None or size <= max_bytes:
                async for chunk in streamed.aiter_bytes():
                    read += len(chunk)
                    if read > max_bytes:
                        break
                    chunks.append(chunk)
            if read > max_bytes or (size is not None and size > max_bytes):
                raise AihcAnswerTooLarge(
                    f"AIHC answered with more than {max_bytes} bytes",
                    size=size,
                    status=streamed.status_code,
                )
        finally:
            await streamed.aclose()
        # Rebuilt from what was read, already decoded: the encoding headers no longer apply.
        dropped = {"content-encoding", "content-length", "transfer-encoding"}
        headers = [(k, v) for k, v in streamed.headers.multi_items() if k.lower() not in dropped]
        return httpx.Response(
            streamed.status_code, headers=headers, content=b"".join(chunks), request=request
        )

    @staticmethod
    def _decode(operation: str, response: httpx.Response, attempts: int) -> Reply:
        try:
            body = json.loads(response.content) if response.content else {}
        except ValueError:
            body = None
        request_id = request_id_of(body, response.headers)
        if not isinstance(body, dict):
            raise AihcResponseError(
                f"AIHC answered {operation} with something that is not a JSON object",
                request_id=request_id,
                status=response.status_code,
            )
        return Reply(body=body, request_id=request_id, attempts=attempts)


def result_of(reply: Reply) -> Any:
    """Return the `result` object of an answer ({} when absent or not an object)."""
    result = reply.body.get("result")
    return result if isinstance(result, dict) else {}


__all__ = ["AihcApiError", "AihcTransport", "Reply", "build_path", "result_of"]
