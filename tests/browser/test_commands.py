"""A person runs `/aihc` commands on the page and reads the answers (signed, via the bot)."""

from __future__ import annotations

from tests.browser.page import Page

RUNNING_JOB = "llama2-7b-dpo-5"
LAST = "#messages .message:last-child"


async def test_jobs_then_a_job_card(page: Page) -> None:
    await page.send("/aihc jobs")
    await page.wait_for_text("Jobs in pool llm-a800-pool", LAST)
    answer = await page.text(LAST)
    assert RUNNING_JOB in answer
    assert "Only visible to you" in answer

    await page.send(f"/aihc job {RUNNING_JOB}")
    await page.wait_for_text("Priority", LAST)
    card = await page.text(LAST)
    assert RUNNING_JOB in card
    assert "Running" in card
    assert "Stop" in card
    assert "Subscribe here" in card


async def test_wang_reads_chinese_in_another_channel(page: Page) -> None:
    await page.be("wang (zh-CN)")
    await page.open_channel("training")
    await page.send("/aihc pools")
    await page.wait_for_text("资源池", LAST)
    assert "llm-a800-pool" in await page.text(LAST)
    await page.be("alice (en-US)")
    await page.wait_for("!document.querySelector('#messages .message')", "alice's empty view")


async def test_a_click_lands_while_the_page_redraws_under_it(page: Page) -> None:
    async def redraw() -> None:
        # Someone else's command changes the workspace: every open page fetches and redraws.
        before = await page.js("document.querySelectorAll('#messages .message').length")
        # Sent from the page itself, so with the token the page carries.
        await page.js(
            "fetch('/workspace/command', {method: 'POST', headers: {'Content-Type':"
            " 'application/json', 'X-Workspace-Token': document.querySelector("
            "'meta[name=\"workspace-token\"]').content}, body: JSON.stringify({user: 'U0001',"
            " channel: 'C0001', text: '/aihc help'})})"
        )
        await page.wait_for(
            f"document.querySelectorAll('#messages .message').length > {before}", "the redraw"
        )

    await page.settled()
    await page.click_button("# training", within="#channels", meanwhile=redraw)
    await page.wait_for_text("#training", "#channel-head")


async def test_unknown_input_gets_the_closest_command(page: Page) -> None:
    await page.send("/aihc jbos")
    await page.wait_for_text("jobs", LAST)
    assert "Only visible to you" in await page.text(LAST)
