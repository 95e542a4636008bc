"""A channel's digest in the local workspace: its numbers in the channel, its chart in its thread.

With `AIHC_SCREENSHOTS` set to a directory, the test saves `digest.png` there (the README's
screenshot: `AIHC_SCREENSHOTS=docs/screenshots`); otherwise it writes nothing.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.demo.run import Demo
from tests.browser.page import Page

CHART = "#thread img.file-image"


@pytest.fixture
def demo_database_url(database_url: str) -> str:
    """Return the test's database: digests go out through the outbox, on SQLite and PostgreSQL."""
    return database_url


async def test_a_digest_posted_now_shows_its_numbers_and_its_chart(page: Page, demo: Demo) -> None:
    await page.send("/aihc config pool llm-a800-pool")
    await page.wait_for_text("default pool is now llm-a800-pool", "#messages")
    await page.send("/aihc digest now")
    await page.wait_for_text("Daily digest", "#messages")
    digest = await page.text("#messages")
    assert "GPU-hours" in digest
    assert "llm-a800-pool" in digest

    # The chart follows the digest into its thread.
    await page.wait_for(
        "document.querySelectorAll('#messages .replies').length > 0", "the digest's thread"
    )
    await page.click(
        "[...document.querySelectorAll('#messages .replies')].pop()", "the digest's replies"
    )
    await page.wait_for(
        f"(() => {{ const img = document.querySelector('{CHART}');"
        " return img !== null && img.complete && img.naturalWidth > 0; })()",
        "the chart drawn in the thread",
    )
    alt = await page.js(f"document.querySelector('{CHART}').alt")
    assert "GPU-hours" in alt
    where = os.environ.get("AIHC_SCREENSHOTS")
    if where:
        await page.js(f"document.querySelector('{CHART}').scrollIntoView({{block: 'end'}})")
        await page.settled()
        await page.screenshot(Path(where) / "digest.png")
