"""Messages the app posts through the Web API: Block Kit and mrkdwn drawn safely, threads opened."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.run import Demo
from tests.browser.page import Page

HOSTILE = "&lt;img src=x onerror=alert(1)&gt; &lt;script&gt;alert(2)&lt;/script&gt; &amp;"
BLOCKS = [
    {"type": "header", "text": {"type": "plain_text", "text": "Nightly <b>report</b>"}},
    {
        "type": "section",
        "text": {"type": "mrkdwn", "text": f"*Bold* and `code` {HOSTILE} <https://x.test|docs>"},
        "fields": [
            {"type": "mrkdwn", "text": "*Status*\nRunning"},
            {"type": "mrkdwn", "text": "*Owner*\n<@U0002>"},
        ],
    },
    {"type": "divider"},
    {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_preformatted",
                "elements": [{"type": "text", "text": "step 10 loss=1.0 <b>raw</b>"}],
            }
        ],
    },
    {
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "posted by _the watcher_ :warning: `:x:`"}],
    },
]


async def _post(demo: Demo) -> None:
    fake = demo.workspace.fake
    client = AsyncWebClient(token=fake.token, base_url=fake.api_url)
    parent = await client.chat_postMessage(channel="C0001", text="Nightly report", blocks=BLOCKS)
    await client.chat_postMessage(
        channel="C0001", thread_ts=parent["ts"], text="Running → Succeeded after *2h*"
    )


async def test_blocks_render_as_text_never_as_html(page: Page, demo: Demo) -> None:
    await _post(demo)
    await page.wait_for_text("Nightly <b>report</b>", "#messages")
    shown = await page.text("#messages")
    assert "<img src=x onerror=alert(1)> <script>alert(2)</script> &" in shown
    assert "step 10 loss=1.0 <b>raw</b>" in shown
    assert "@wang" in shown
    assert "docs" in shown
    assert "the watcher ⚠️ :x:" in shown  # emoji codes drawn, except inside code
    injected = "#messages img, #messages script, #messages h3 b"
    assert await page.js(f"document.querySelectorAll({injected!r}).length") == 0
    assert await page.js("document.querySelector('#messages .section b').textContent") == "Bold"
    assert await page.js("document.querySelector('#messages .section code').textContent") == "code"
    assert await page.js("document.querySelectorAll('#messages .fields .text').length") == 2


async def test_a_thread_opens_beside_the_channel(page: Page, demo: Demo) -> None:
    await _post(demo)
    await page.click_button("1 reply", within="#messages")
    await page.wait_for_text("Running → Succeeded after 2h", "#thread")
    assert "Nightly" in await page.text("#thread")
    assert await page.js("[...document.querySelectorAll('#thread b')].pop().textContent") == "2h"
    await page.click_button("×", within="#thread")
    await page.wait_gone("#thread")
