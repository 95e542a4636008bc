"""Walk the pages of a list operation: stop on a short page, never trust a total, stay bounded.

Every walk says how far it may go: `iter_pages` stops after `max_pages`, `collect` raises
`AihcListTooLong` rather than hold more than `limit` entries, and `window` reads only the pages
around one position of the list. Only one page is held at a time by a walker that does not collect.
"""

from __future__ import annotations

import heapq
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Hashable,
    Sequence,
)
from dataclasses import dataclass
from typing import Generic, TypeVar

from bot.aihc.errors import AihcListTooLong
from bot.domain import Page

T = TypeVar("T")

FetchPage = Callable[[int, int], Awaitable[Page[T]]]
"""Fetch page `page_no` (from 1) of `page_size` entries."""

MAX_ITEMS = 10_000
"""The most entries `collect` holds unless its caller says otherwise (100 pages of 100)."""


async def iter_pages(
    fetch: FetchPage[T], *, max_pages: int, page_size: int = 100
) -> AsyncIterator[Page[T]]:
    """Yield pages in order until one comes back short, or `max_pages` were yielded."""
    previous: Page[T] | None = None
    for page_no in range(1, max_pages + 1):
        page = await fetch(page_no, page_size)
        # A server that ignores pageNo repeats page 1 forever; a repeat ends the walk.
        if previous is not None and page.items and page.items == previous.items:
            return
        yield page
        if page.is_last:
            return
        previous = page


async def merge_newest(
    walks: Sequence[AsyncIterator[Page[T]]],
    *,
    newness: Callable[[T], float],
    identity: Callable[[T], Hashable],
    max_pages: int,
    page_size: int = 100,
) -> AsyncIterator[Page[T]]:
    """Yield several newest-first walks as one newest-first walk of `page_size` pages.

    One page of each walk is held at a time; an entry met in two walks is yielded once (a parent
    queue may list its children's jobs). The last page is short, as a server's would be.
    """
    entries = [_entries(walk) for walk in walks]
    heads: list[tuple[float, int, T]] = []
    seen: set[Hashable] = set()

    async def push(index: int) -> None:
        async for item in entries[index]:
            if identity(item) not in seen:
                # (-newness, index) is unique per head: entries themselves are never compared.
                heapq.heappush(heads, (-newness(item), index, item))
                return

    try:
        for index in range(len(entries)):
            await push(index)
        for page_no in range(1, max_pages + 1):
            items: list[T] = []
            while heads and len(items) < page_size:
                _, index, item = heapq.heappop(heads)
                if identity(item) not in seen:
                    seen.add(identity(item))
                    items.append(item)
                await push(index)
            yield Page(
                items=tuple(items), page_no=page_no, page_size=page_size, received=len(items)
            )
            if len(items) < page_size:
                return
    finally:
        for walk in entries:
            await walk.aclose()


async def _entries(walk: AsyncIterator[Page[T]]) -> AsyncGenerator[T, None]:
    try:
        async for page in walk:
            for item in page.items:
                yield item
    finally:
        if isinstance(walk, AsyncGenerator):
            await walk.aclose()


async def collect(fetch: FetchPage[T], *, limit: int = MAX_ITEMS, page_size: int = 100) -> list[T]:
    """Fetch every entry of a list operation; raise `AihcListTooLong` once it has more than `limit`.

    Entries are counted as AIHC sent them (unusable ones too), so a server that ignores the page
    size and sends everything at once is refused after its first page.
    """
    items: list[T] = []
    received = 0
    # One page past the limit tells a list of exactly `limit` entries from a longer one.
    async for page in iter_pages(fetch, page_size=page_size, max_pages=limit // page_size + 1):
        received += page.received
        if received > limit:
            raise AihcListTooLong(f"the list has more than {limit} entries", limit=limit)
        items.extend(page.items)
    return items


@dataclass(frozen=True)
class Window(Generic[T]):
    """The entries kept from positions `start` to `end` (exclusive) of a list, newest first."""

    items: Sequence[T]
    start: int
    end: int
    exhausted: bool
    """Nothing worth keeping follows `end`: the list ended there."""
    total: int | None = None
    """How many entries the list holds, as the server claims it (not to be trusted)."""


async def window(
    fetch: FetchPage[T],
    *,
    offset: int,
    count: int,
    max_pages: int,
    keep: Callable[[T], bool] | None = None,
    page_size: int = 100,
) -> Window[T]:
    """Read from position `offset` until `count` entries are kept or `max_pages` pages were read.

    Positions count the entries a server sent that could be used, so a page of unusable ones
    moves a later window by fewer than `page_size`; `end` says where the next window starts.
    """
    page_no, skip = divmod(offset, page_size)
    kept: list[T] = []
    position = offset
    total: int | None = None
    read = 0
    pages = iter_pages(_from(fetch, page_no), max_pages=max_pages, page_size=page_size)
    async for page in pages:
        read += 1
        total = page.total if total is None else total
        rest = page.items[skip:]
        for index, item in enumerate(rest):
            if keep is None or keep(item):
                kept.append(item)
            if len(kept) == count:
                after = rest[index + 1 :]
                done = page.is_last and not any(keep is None or keep(i) for i in after)
                return Window(kept, offset, position + index + 1, done, total)
        position += len(rest)
        skip = 0
        if page.is_last:
            return Window(kept, offset, position, True, total)
    # Fewer pages than allowed and none short: the server repeated a page, the list ends.
    return Window(kept, offset, position, read < max_pages, total)


def _from(fetch: FetchPage[T], skipped: int) -> FetchPage[T]:
    """Number pages from 1 again, starting at page `skipped + 1` of `fetch`."""

    def shifted(page_no: int, page_size: int) -> Awaitable[Page[T]]:
        return fetch(page_no + skipped, page_size)

    return shifted
