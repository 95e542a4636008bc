"""Walk every page of a list operation: stop on a short page, never trust a total."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from bot.domain import Page

T = TypeVar("T")

FetchPage = Callable[[int, int], Awaitable[Page[T]]]
"""Fetch page `page_no` (from 1) of `page_size` entries."""

MAX_PAGES = 10_000
"""A hard stop, so a server that never returns a short page cannot keep us paging forever."""


async def iter_pages(
    fetch: FetchPage[T], *, page_size: int = 100, max_pages: int = MAX_PAGES
) -> AsyncIterator[Page[T]]:
    """Yield pages in order until one comes back short."""
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


async def collect(fetch: FetchPage[T], *, page_size: int = 100) -> list[T]:
    """Fetch every entry of a list operation."""
    items: list[T] = []
    async for page in iter_pages(fetch, page_size=page_size):
        items.extend(page.items)
    return items
