"""Buttons and menus on a job card: Stop and Priority behind confirm dialogs, the card updated."""

from __future__ import annotations

import pytest

from tests.browser.page import Page

RUNNING_JOB = "llama2-7b-dpo-5"
LAST = "#messages .message:last-child"


@pytest.fixture
def demo_database_url(database_url: str) -> str:
    """Return the test's database: these tests run on SQLite and on PostgreSQL."""
    return database_url


async def _open_card(page: Page) -> None:
    await page.send(f"/aihc job {RUNNING_JOB}")
    await page.wait_for_text("Subscribe here", LAST)


async def test_stop_asks_first_then_the_card_shows_the_job_stopped(page: Page) -> None:
    await _open_card(page)
    await page.click_button("Stop", within=LAST)
    await page.wait_for_text("Stop this job?", "#confirm")
    assert RUNNING_JOB in await page.text("#confirm")
    await page.click_button("Cancel", within="#confirm")
    await page.wait_gone("#confirm")
    assert "Running" in await page.text(LAST)

    await page.click_button("Stop", within=LAST)
    await page.wait_for_text("Stop this job?", "#confirm")
    await page.click_button("Stop it", within="#confirm")
    await page.wait_for_text("Stopped by a user", "#messages")
    # The card's edit and the line saying who stopped it arrive separately: wait for both.
    await page.wait_for_text(f"@alice stopped job {RUNNING_JOB}", "#messages")
    card, said = await page.js(
        "[...document.querySelectorAll('#messages .message')].map(m => m.innerText)"
    )
    assert RUNNING_JOB in card
    assert "(edited)" in card  # the same card, changed in place
    assert "Stopped by a user" in card
    buttons = "[...document.querySelectorAll('#messages button')].map(b => b.textContent)"
    assert "Stop" not in await page.js(buttons)
    assert "Refresh" in await page.js(buttons)
    assert f"@alice stopped job {RUNNING_JOB}" in said


async def test_priority_menu_asks_first_then_changes_the_priority(page: Page) -> None:
    await _open_card(page)
    await page.choose("high", within=LAST)
    await page.wait_for_text("Change the priority?", "#confirm")
    await page.click_button("Change it", within="#confirm")
    await page.wait_for_text("to high", "#messages")


async def _type(page: Page, block_id: str, text: str) -> None:
    field = f"document.querySelector('#modal [data-block-id=\"{block_id}\"] .field')"
    await page.js(f"{field}.value = ''; {field}.focus()")
    await page.session.call("Input.insertText", text=text)


async def test_the_job_form_shows_field_errors_then_creates_the_job(page: Page) -> None:
    await page.send("/aihc job create")
    await page.wait_for_text("New training job", "#modal")
    await page.wait_for_text("Image", "#modal")
    await page.click_button("Create", within="#modal")
    await page.wait_for_text(
        "Please complete this required field.", '#modal [data-block-id="name"]'
    )

    await _type(page, "name", "Bad Name!")
    await _type(page, "image", "registry.baidubce.com/aihc/train:1.0")
    await _type(page, "command", "python train.py --epochs 3")
    await page.click_button("Create", within="#modal")
    await page.wait_for_text("lowercase letters", '#modal [data-block-id="name"]')
    assert "lowercase letters" not in await page.text('#modal [data-block-id="image"]')

    await _type(page, "name", "from-the-page-1")
    await page.click_button("Create", within="#modal")
    await page.wait_gone("#modal")
    await page.wait_for_text("from-the-page-1", "#messages")
