"""A channel follows a running job: its card and thread change as the simulator moves it on."""

from __future__ import annotations

import re

import pytest

from bot.demo.run import Demo
from tests.browser.page import Page

RUNNING_JOB = "llama2-7b-dpo-5"
CARDS = "#messages .message:not(.ephemeral)"
_JOB_ID = re.compile(r"Job (\S+) · pool")


@pytest.fixture
def demo_database_url(database_url: str) -> str:
    """Return the test's database: these tests run on SQLite and on PostgreSQL."""
    return database_url


async def _job_id(page: Page) -> str:
    """Read the job's id off its card, where people see it."""
    await page.send(f"/aihc job {RUNNING_JOB}")
    await page.wait_for_text("Subscribe here", "#messages .message:last-child")
    found = _JOB_ID.search(await page.text("#messages .message:last-child"))
    assert found is not None
    return found.group(1)


async def test_a_subscribed_channel_sees_the_card_change_and_the_story_in_its_thread(
    page: Page, demo: Demo
) -> None:
    job_id = await _job_id(page)
    await page.send(f"/aihc subscribe {RUNNING_JOB}")
    await page.wait_for_text("Running", CARDS)
    assert RUNNING_JOB in await page.text(CARDS)

    async with demo.simulator.control_client(timeout=30) as control:
        moved = await control.post(
            f"/_sim/jobs/{job_id}/status",
            json={"status": "Failed", "reason": "cuda_oom", "exitCode": 1},
        )
        assert moved.status_code == 200, moved.text

    await page.wait_for_text("Failed", CARDS)
    card = await page.js(f"document.querySelector({CARDS!r}).innerText")
    assert RUNNING_JOB in card
    assert "(edited)" in card
    # The failure is told in the card's thread and broadcast to the channel, with its cause.
    await page.wait_for_text("failed (was Running)", "#messages")
    assert "CUDA out of memory" in await page.text("#messages")
    await page.click("document.querySelector('#messages .replies')", "the card's replies")
    await page.wait_for_text("failed (was Running)", "#thread")
    thread = await page.text("#thread")
    assert "Likely cause: CUDA out of memory" in thread
    assert "Failed" in thread  # the card, as the thread's parent
