"""Send one AIHC operation: encode, pace, sign, retry, and turn failures into AIHC errors."""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

import httpx
from pydantic import SecretStr

from bot.aihc.errors import (
    ERROR_BYTES,
    AihcAnswerTooLarge,
    AihcApiError,
    AihcError,
    AihcResponseError,
    AihcTransportError,
    error_from_response,
    request_id_of,
)
from bot.aihc.limits import HostLimiter, Limits, Monotonic, Sleep
from bot.aihc.reading import ACCEPT_ENCODING, UnreadableBody, read_capped, rebuilt
from bot.aihc.retry import RetryPolicy, Safety, should_retry_error, should_retry_exception
from bot.aihc.signer import BceAuth, Clock, _utcnow, encode_query, uri_encode
from bot.aihc.sizes import answer_cap

logger = logging.getLogger(__name__)

Observer = Callable[[str, int, float], None]
"""Called after every attempt with (operation, HTTP status or 0 for no answer, seconds)."""

_FORBIDDEN_SEGMENTS = frozenset({"", ".", ".."})


@dataclass(frozen=True)
class Answer:
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


@dataclass(frozen=True)
class _Call:
    """One operation's request, the same for every attempt."""

    operation: str
    method: str
    url: httpx.URL
    content: bytes | None
    max_bytes: int
    headers: tuple[tuple[str, str], ...] = ()


def _unreachable(message: str, attempts: int) -> AihcTransportError:
    error = AihcTransportError(message)
    error.attempts = attempts
    return error


def _too_large(call: _Call, status: int, size: int | None, request_id: str) -> AihcAnswerTooLarge:
    where = f" (request {request_id[:64]})" if request_id else ""
    return AihcAnswerTooLarge(
        f"AIHC answered {call.operation} with more than {call.max_bytes} bytes{where}",
        size=size,
        status=status,
        request_id=request_id[:64],
    )


def _log_failure(operation: str, error: AihcApiError) -> None:
    logger.info(
        "aihc call failed",
        extra={
            "operation": operation,
            "status": error.status,
            "aihc_code": error.code,
            "aihc_request_id": error.request_id,
            "attempts": error.attempts,
        },
    )


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
        self.retry = options.get("retry") or RetryPolicy()
        self._sleep: Sleep = options.get("sleep") or asyncio.sleep
        self._monotonic = options.get("monotonic") or time.monotonic
        self._rng = options.get("rng") or random.Random()  # noqa: S311 - jitter, not security
        self._observer = options.get("observer")
        self._limiter = HostLimiter(self._limits, clock=self._monotonic, sleep=self._sleep)
        self._owner = True
        self._http = httpx.AsyncClient(
            auth=BceAuth(access_key, secret_key, clock=options.get("clock") or _utcnow),
            transport=options.get("transport"),
            timeout=self._limits.timeout_seconds,
            limits=httpx.Limits(max_connections=self._limits.max_in_flight),
            headers={
                "content-type": "application/json",
                "accept": "application/json",
                "accept-encoding": ACCEPT_ENCODING,
            },
        )

    def with_retry(self, retry: RetryPolicy) -> AihcTransport:
        """Return a transport on these connections and per-host limits that retries by `retry`."""
        # A shallow copy shares the connection pool, the limiter and the seams; only the
        # original closes the pool.
        twin = copy.copy(self)
        twin.retry = retry
        twin._owner = False
        return twin

    async def aclose(self) -> None:
        """Close the connection pool (a transport made by `with_retry` leaves it to its origin)."""
        if self._owner:
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
        headers: Mapping[str, str] | None = None,
    ) -> Answer:
        """Send one operation, retrying as its safety and deadline allow; return its JSON body.

        An answer longer than `max_bytes` (by default the operation's cap, `bot.aihc.sizes`)
        raises `AihcAnswerTooLarge`, read no further than that. `headers` go along unsigned
        (AIHC v2's version headers: Baidu signs them on neither call kind).
        """
        url = self._url(path, _params(params))
        # Serialised once: every retry sends exactly the same bytes (and the same clientToken).
        content = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        extra = tuple((headers or {}).items())
        call = _Call(operation, method, url, content, max_bytes or answer_cap(operation), extra)
        deadline = self.retry.deadline_from(self._monotonic())
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._attempt(call, deadline)
            except httpx.TransportError as exc:
                if should_retry_exception(exc, safety) and await self._wait(attempt, deadline):
                    continue
                message = f"AIHC unreachable during {operation}: {exc!r}"
                raise _unreachable(message, attempt) from exc
            except TimeoutError:
                budget = self.retry.deadline_seconds or 0.0
                message = f"AIHC did not answer {operation} within {budget:g} s"
                raise _unreachable(message, attempt) from None
            if response.is_success:
                return self._decode(operation, response, attempt)
            api_error = error_from_response(response)
            api_error.attempts = attempt
            if should_retry_error(api_error, safety) and await self._wait(
                attempt, deadline, api_error.retry_after
            ):
                continue
            _log_failure(operation, api_error)
            raise api_error

    async def pause(self, attempt: int) -> None:
        """Wait as long as the backoff says before attempt `attempt + 1` of a caller's own."""
        await self._sleep(self.retry.delay(attempt, self._rng))

    async def _wait(
        self, attempt: int, deadline: float | None, retry_after: float | None = None
    ) -> bool:
        """Wait before the next attempt and return True, or return False if none may follow."""
        if attempt >= self.retry.attempts:
            return False
        delay = self.retry.delay(attempt, self._rng, retry_after)
        # A wait that would end past the deadline is not taken: failing now tells the person
        # sooner, and the attempt after it would have had no time left anyway.
        if deadline is not None and self._monotonic() + delay >= deadline:
            return False
        await self._sleep(delay)
        return True

    async def _attempt(self, call: _Call, deadline: float | None) -> httpx.Response:
        """Make one attempt, queueing for the host's limits, all within the deadline if any."""
        if deadline is None:
            return await self._paced(call)
        left = deadline - self._monotonic()
        if left <= 0:
            raise TimeoutError
        async with asyncio.timeout(left):
            return await self._paced(call)

    async def _paced(self, call: _Call) -> httpx.Response:
        semaphore, bucket = self._limiter.for_host(call.url.host)
        async with semaphore:
            await bucket.acquire()
            started = self._monotonic()
            status = 0
            try:
                response = await self._read(call)
                status = response.status_code
                return response
            finally:
                if self._observer is not None:
                    self._observer(call.operation, status, self._monotonic() - started)

    async def _read(self, call: _Call) -> httpx.Response:
        """Send and read the answer: a success up to its cap, an error as far as it is summed up."""
        request = self._http.build_request(
            call.method, call.url, content=call.content, headers=dict(call.headers) or None
        )
        streamed = await self._http.send(request, stream=True)
        try:
            request_id = streamed.headers.get("x-bce-request-id", "")
            announced = streamed.headers.get("content-length", "")
            size = int(announced) if announced.isdigit() else None
            cap = call.max_bytes if streamed.is_success else ERROR_BYTES
            if streamed.is_success and size is not None and size > cap:
                raise _too_large(call, streamed.status_code, size, request_id)
            try:
                content, whole = await read_capped(streamed, cap)
            except UnreadableBody as error:
                raise AihcResponseError(
                    f"AIHC answered {call.operation} with {error}",
                    request_id=request_id,
                    status=streamed.status_code,
                ) from None
            if streamed.is_success and not whole:
                raise _too_large(call, streamed.status_code, size, request_id)
        finally:
            await streamed.aclose()
        return rebuilt(streamed, content)

    @staticmethod
    def _decode(operation: str, response: httpx.Response, attempts: int) -> Answer:
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
        return Answer(body=body, request_id=request_id, attempts=attempts)


def result_of(reply: Answer) -> Any:
    """Return the `result` object of an answer ({} when absent or not an object)."""
    result = reply.body.get("result")
    return result if isinstance(result, dict) else {}


__all__ = ["AihcApiError", "AihcTransport", "Answer", "build_path", "result_of"]
