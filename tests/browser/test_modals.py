"""Modals on the page, against a small stand-in app: the workspace's own modal path.

The bot's forms (issue 6) are tested the same way once they land; this proves the page's part:
a modal opened by `views.open` and updated by `views.update` shows to the person who asked,
its inputs reach the app in `view_submission`, and `response_action=errors` puts each message
under its block.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.web import start_web
from bot.workspace.web import LocalWorkspace
from tests.browser.cdp import chromium
from tests.browser.page import Page

SECRET = "stand-in-signing-secret"
FORM: dict[str, Any] = {
    "type": "modal",
    "callback_id": "form",
    "title": {"type": "plain_text", "text": "New job"},
    "submit": {"type": "plain_text", "text": "Create"},
    "close": {"type": "plain_text", "text": "Cancel"},
    "blocks": [
        {
            "type": "input",
            "block_id": "name",
            "label": {"type": "plain_text", "text": "Name"},
            "element": {"type": "plain_text_input", "action_id": "value"},
        },
        {
            "type": "input",
            "block_id": "gpus",
            "label": {"type": "plain_text", "text": "GPUs per pod"},
            "element": {"type": "number_input", "action_id": "value", "is_decimal_allowed": False},
        },
        {
            "type": "input",
            "block_id": "queue",
            "label": {"type": "plain_text", "text": "Queue"},
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [
                    {"text": {"type": "plain_text", "text": q}, "value": q}
                    for q in ("default", "llm-sft")
                ],
            },
        },
    ],
}
LOADING = {"type": "modal", "title": {"type": "plain_text", "text": "Loading…"}, "blocks": []}


def _stand_in(fake_token: str, api_url: str, said: list[dict[str, Any]]) -> AsyncApp:
    app = AsyncApp(client=AsyncWebClient(token=fake_token, base_url=api_url), signing_secret=SECRET)

    @app.command("/aihc")
    async def open_form(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        opened = await client.views_open(trigger_id=body["trigger_id"], view=LOADING)
        await client.views_update(view_id=opened["view"]["id"], view=FORM)

    @app.view("form")
    async def submitted(ack: AsyncAck, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        said.append(values)
        gpus = values["gpus"]["value"]["value"] or ""
        if not gpus.isdigit() or int(gpus) > 8:
            await ack(response_action="errors", errors={"gpus": "Enter 1 to 8."})
            return
        await ack()

    return app


@pytest.fixture
async def stand_in(
    tmp_path: Path, browser_installed: None
) -> AsyncIterator[tuple[Page, list[Any]]]:
    """A workspace connected to the stand-in app, and Chromium on its page as alice."""
    said: list[dict[str, Any]] = []
    async with LocalWorkspace() as workspace:
        app = _stand_in(workspace.fake.token, workspace.fake.api_url, said)

        async def events(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(
                await app.async_dispatch(await to_bolt_request(request))
            )

        server = web.Application()
        server.router.add_post("/slack/events", events)
        runner, port = await start_web(server, "127.0.0.1", 0)
        try:
            workspace.connect(f"http://127.0.0.1:{port}/slack/events", SECRET)
            profile = tmp_path / "profile"
            profile.mkdir()
            async with chromium(profile) as session:
                page = Page(session)
                await page.open(f"{workspace.url}?user=U0001&channel=C0001")
                yield page, said
                assert page.thrown() == []
        finally:
            await runner.cleanup()


async def _type(page: Page, block_id: str, text: str) -> None:
    await page.js(f"document.querySelector('#modal [data-block-id=\"{block_id}\"] .field').focus()")
    await page.session.call("Input.insertText", text=text)


async def test_a_field_error_shows_under_its_field_until_fixed(
    stand_in: tuple[Page, list[Any]],
) -> None:
    page, said = stand_in
    await page.send("/aihc job create")
    await page.wait_for_text("GPUs per pod", "#modal")
    await _type(page, "name", "llama-sft")
    await _type(page, "gpus", "16")
    await page.choose("llm-sft", within="#modal")
    await page.click_button("Create", within="#modal")
    await page.wait_for_text("Enter 1 to 8.", '#modal [data-block-id="gpus"]')
    assert "Enter 1 to 8." not in await page.text('#modal [data-block-id="name"]')
    assert said[-1]["name"]["value"]["value"] == "llama-sft"
    assert said[-1]["queue"]["value"]["selected_option"]["value"] == "llm-sft"

    await page.js("document.querySelector('#modal [data-block-id=\"gpus\"] .field').value = ''")
    await _type(page, "gpus", "8")
    await page.click_button("Create", within="#modal")
    await page.wait_gone("#modal")
    assert said[-1]["gpus"]["value"]["value"] == "8"


async def test_cancel_closes_the_modal_and_wang_never_sees_it(
    stand_in: tuple[Page, list[Any]],
) -> None:
    page, _ = stand_in
    await page.send("/aihc job create")
    await page.wait_for_text("New job", "#modal")
    await page.be("wang (zh-CN)")
    await page.wait_gone("#modal")
    await page.be("alice (en-US)")
    await page.wait_for_text("New job", "#modal")
    await page.click_button("Cancel", within="#modal")
    await page.wait_gone("#modal")
