"""Read an answer's body without ever holding more than a cap of it, compressed or not.

httpx inflates a gzip chunk whole: 64 KB of a gzip bomb become 64 MB in one step. Here each
chunk is inflated into at most the room left under the cap, so the cap bounds memory, not only
what is kept. Only the encodings asked for (`ACCEPT_ENCODING`) are understood.
"""

from __future__ import annotations

import zlib

import httpx

ACCEPT_ENCODING = "gzip, deflate"
"""The encodings the client asks for, and the only ones it reads."""

_WBITS = {
    "gzip": 16 + zlib.MAX_WBITS,
    "x-gzip": 16 + zlib.MAX_WBITS,
    "deflate": zlib.MAX_WBITS,
}


class UnreadableBody(Exception):
    """A body in an encoding the client did not ask for, or that does not inflate."""


class _Inflater:
    """Inflate gzip or deflate chunk by chunk, never more than asked at a time."""

    def __init__(self, encoding: str) -> None:
        self._encoding = encoding
        self._zlib = zlib.decompressobj(_WBITS[encoding])
        self._started = False

    def inflate(self, data: bytes, most: int) -> bytes:
        """Inflate `data` into at most `most` bytes; what does not fit is dropped."""
        try:
            inflated = self._zlib.decompress(data, most)
        except zlib.error as error:
            if self._encoding != "deflate" or self._started:
                raise UnreadableBody(f"the {self._encoding} body does not inflate") from error
            # Some servers send deflate without its zlib header; httpx accepts that too.
            self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            return self.inflate(data, most)
        self._started = True
        return inflated


def _inflater(headers: httpx.Headers) -> _Inflater | None:
    encoding = headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding not in _WBITS:
        raise UnreadableBody(f"an answer in {encoding[:40]!r}, which was not asked for")
    return _Inflater(encoding)


async def read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    """Read `response`'s decoded body up to `cap` bytes; say whether that was all of it."""
    try:
        # A body already in memory (an in-process fake's) was decoded by httpx when it was made.
        loaded = response.content
    except httpx.ResponseNotRead:
        pass
    else:
        return loaded[:cap], len(loaded) <= cap
    inflater = _inflater(response.headers)
    chunks: list[bytes] = []
    held = 0
    async for raw in response.aiter_raw():
        room = cap - held
        # One byte past the room is enough to know the body is longer than the cap.
        data = inflater.inflate(raw, room + 1) if inflater is not None else raw
        if len(data) > room:
            chunks.append(data[:room])
            return b"".join(chunks), False
        chunks.append(data)
        held += len(data)
    return b"".join(chunks), True


def rebuilt(response: httpx.Response, body: bytes) -> httpx.Response:
    """Return `response` with `body` as its (already decoded) content."""
    # Rebuilt from what was read, already decoded: the encoding headers no longer apply.
    dropped = {"content-encoding", "content-length", "transfer-encoding"}
    headers = [(k, v) for k, v in response.headers.multi_items() if k.lower() not in dropped]
    return httpx.Response(
        response.status_code, headers=headers, content=body, request=response.request
    )
