"""Walk the pages of a list operation: stop on a short page, never trust a total, stay bounded.

Every walk says how far it may go: `iter_pages` stops after `max_pages`, and `collect` raises
`AihcListTooLong` rather than hold more than `limit` entries. Only one page is held at a time
by a walker that does not collect.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

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
