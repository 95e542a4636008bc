"""The app's Home tab in the local workspace: alice sees her jobs, and its buttons work.

With `AIHC_SCREENSHOTS` set to a directory, the test saves `home.png` there (the README's
screenshot: `AIHC_SCREENSHOTS=docs/screenshots`); otherwise it writes nothing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from bot.demo.run import Demo
from bot.domain import CREATOR_LABEL
from tests.browser.page import Page

PROGRESSING = "llama2-13b-pretrain-7"
"""A job of chenjing's whose log shows steps of a total: progress and ETA."""
FAILED = "mixtral-8x7b-sft-6"
"""Another of chenjing's, failed in the demo world."""
HOME = "#home"


@pytest.fixture
def demo_database_url(database_url: str) -> str:
    """Return the test's database: Home reads the store, on SQLite and on PostgreSQL."""
    return database_url


def _creator(demo: Demo, name: str) -> str:
    jobs = demo.simulator.simulator.world.jobs.values()
    return next(job.labels[CREATOR_LABEL] for job in jobs if job.name == name)


def _button(label: str, after: str) -> str:
    """Find the first button labelled `label` on Home below the block that names `after`."""
    return (
        f"(() => {{ const blocks = [...document.querySelectorAll('{HOME} .block')];"
        f" const at = blocks.findIndex(b => b.innerText.includes({json.dumps(after)}));"
        " if (at < 0) return null;"
        " return blocks.slice(at).flatMap(b => [...b.querySelectorAll('button')])"
        f".find(b => b.textContent.trim() === {json.dumps(label)}) || null; }})()"
    )


async def test_alice_opens_home_sees_her_jobs_and_stops_one(page: Page, demo: Demo) -> None:
    await page.send(f"/aihc link <@U0001> {_creator(demo, PROGRESSING)}")
    await page.wait_for_text("is now linked", "#messages")
    await page.send(f"/aihc subscribe {PROGRESSING}")
    await page.wait_for_text("ETA", "#messages")  # the watcher looked at the training

    await page.click_button("🏠 aihc · Home", within="#apps")
    await page.wait_for_text(PROGRESSING, HOME)
    shown = await page.text(HOME)
    assert "Your role: admin" in shown
    assert "Followed in #general" in shown
    assert "ETA" in shown
    assert FAILED in shown
    assert "Likely cause" in shown
    await page.wait_gone("#messages")

    await page.click(
        f"document.querySelector('{HOME} [data-action-id=\"aihc.home.refresh\"]')", "Refresh"
    )
    await page.wait_for_text(PROGRESSING, HOME)
    where = os.environ.get("AIHC_SCREENSHOTS")
    if where:
        await page.screenshot(Path(where) / "home.png")

    await page.click(_button("Stop", PROGRESSING), f"Stop of {PROGRESSING}")
    await page.wait_for_text("Stop this job?", "#confirm")
    await page.click_button("Stop it", within="#confirm")
    await page.wait_for(
        f"!document.querySelector('{HOME}').innerText.includes({json.dumps(PROGRESSING)})",
        "the stopped job to leave Home",
    )
    await page.click_button("@ dm-u0001", within="#channels")
    await page.wait_for_text(f"@alice stopped job {PROGRESSING}", "#messages")
