"""SlackSender against slack_sdk's verifier and a real Bolt AsyncApp on loopback."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
from aiohttp import web
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from bot.workspace import (
    FakeSlack,
    SlackSender,
    Tamper,
    block_actions_payload,
    view_action_payload,
    view_submission_payload,
)

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
STOP = {"type": "button", "action_id": "job_stop", "value": '{"job": "job-1"}', "text": {}}
PRIORITY = {
    "type": "static_select",
    "action_id": "job_priority",
    "options": [
        {"text": {"type": "plain_text", "text": p}, "value": p} for p in ("high", "normal", "low")
    ],
}
CARD = [{"type": "actions", "block_id": "card_actions", "elements": [STOP, PRIORITY]}]
NAME_INPUT = {"type": "plain_text_input", "action_id": "name_input"}
QUEUE_SELECT = {**PRIORITY, "action_id": "queue_select"}
MODAL = {
    "type": "modal",
    "callback_id": "job_create",
    "title": {"type": "plain_text", "text": "Create job"},
    "private_metadata": '{"pool": "p1"}',
    "blocks": [
        {"type": "input", "block_id": "name", "element": NAME_INPUT, "label": {}},
        {"type": "input", "block_id": "queue", "element": QUEUE_SELECT, "label": {}},
    ],
}


def build_bolt(fake: FakeSlack) -> AsyncApp:
    """A Bolt app that answers /aihc, a Stop button and a modal through the fake."""
    client = AsyncWebClient(base_url=fake.api_url, token=fake.token)
    app = AsyncApp(client=client, signing_secret=SECRET)

    @app.command("/aihc")
    async def command(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"you asked: {command['text']}")

    @app.action("job_stop")
    async def stop(ack: AsyncAck, respond: AsyncRespond, action: dict[str, Any]) -> None:
        await ack()
        await respond(text=f"stopping {json.loads(action['value'])['job']}", replace_original=True)

    @app.view("job_create")
    async def submit(ack: AsyncAck, view: dict[str, Any]) -> None:
        values = view["state"]["values"]
        if not values["name"]["name_input"]["value"]:
            await ack(response_action="errors", errors={"name": "A job needs a name"})
            return
        await ack()

    return app


@pytest.fixture
async def sender(fake: FakeSlack) -> AsyncIterator[SlackSender]:
    """A sender pointed at a Bolt app served on loopback."""
    runner = web.AppRunner(build_bolt(fake).web_app(), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, "127.0.0.1", 0).start()
        host, port = runner.addresses[0][:2]
        async with SlackSender(f"http://{host}:{port}/slack/events", SECRET) as running:
            yield running
    finally:
        await runner.cleanup()


async def test_signatures_verify_with_slack_sdk() -> None:
    body = b"command=%2Faihc&text=jobs"
    now = int(SignatureVerifier(SECRET).clock.now())
    async with SlackSender("http://127.0.0.1:9/slack/events", SECRET) as sender:
        headers = sender.sign(body, now)
    assert SignatureVerifier(SECRET).is_valid_request(body, headers)
    assert not SignatureVerifier("another-secret").is_valid_request(body, headers)


async def test_a_slash_command_reaches_bolt_and_answers_via_response_url(
    fake: FakeSlack, sender: SlackSender
) -> None:
    url = fake.response_url("cmd", channel="C0001", user="U0001")
    answer = await sender.slash_command("jobs --mine", user_id="U0001", response_url=url)
    assert answer.status_code == 200
    (reply,) = await fake.wait_for(lambda: fake.responses("cmd"))
    assert reply.text == "you asked: jobs --mine"
    assert fake.calls_to("auth.test")[0].ok


@pytest.mark.parametrize("tamper", [Tamper.FORGED, Tamper.UNSIGNED, Tamper.STALE, Tamper.ALTERED])
async def test_tampered_requests_get_401(
    fake: FakeSlack, sender: SlackSender, tamper: Tamper
) -> None:
    url = fake.response_url()
    answer = await sender.slash_command("jobs", user_id="U0001", response_url=url, tamper=tamper)
    assert answer.status_code == 401
    assert fake.responses() == []


async def test_slash_command_fields_are_slacks(fake: FakeSlack) -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200)

    transport = httpx.MockTransport(record)
    async with SlackSender("http://app.test/slack/events", SECRET, transport=transport) as sender:
        await sender.slash_command("help", user_id="U0001", response_url="http://r.test/1")
    fields = {k: v[0] for k, v in parse_qs(seen[0].content.decode()).items()}
    assert fields["command"] == "/aihc"
    assert {"team_id", "channel_id", "user_name", "trigger_id", "api_app_id"} <= set(fields)
    assert SignatureVerifier(SECRET).is_valid_request(seen[0].content, dict(seen[0].headers))


async def test_a_button_click_replaces_the_card(fake: FakeSlack, sender: SlackSender) -> None:
    client = AsyncWebClient(base_url=fake.api_url, token=fake.token)
    posted = await client.chat_postMessage(channel="C0001", text="job-1 Running", blocks=CARD)
    (card,) = fake.messages("C0001")
    url = fake.response_url(channel="C0001", user="U0001", message_ts=posted["ts"])
    payload = block_actions_payload("job_stop", message=card, response_url=url)
    assert payload["actions"][0]["block_id"] == "card_actions"
    assert (await sender.block_actions(payload)).status_code == 200
    await fake.wait_for(lambda: fake.messages("C0001")[0].edits == 1)
    assert fake.messages("C0001")[0].text == "stopping job-1"


def test_a_select_sends_the_chosen_option(fake: FakeSlack) -> None:
    message = {"ts": "1.000001", "blocks": CARD}
    payload = block_actions_payload("job_priority", message=message, value="low", response_url="u")
    (action,) = payload["actions"]
    assert action["selected_option"]["value"] == "low"
    assert payload["container"]["message_ts"] == "1.000001"
    with pytest.raises(ValueError, match="no option"):
        block_actions_payload("job_priority", message=message, value="urgent", response_url="u")


async def test_a_modal_submission_shows_field_errors(fake: FakeSlack, sender: SlackSender) -> None:
    client = AsyncWebClient(base_url=fake.api_url, token=fake.token)
    await client.views_open(trigger_id="1.2.abc", view=MODAL)
    (view,) = fake.views()
    empty = view_submission_payload(view, {"queue": {"queue_select": "normal"}})
    assert empty["view"]["state"]["values"]["name"]["name_input"]["value"] is None
    refused = await sender.view_submission(empty)
    assert refused.json() == {"response_action": "errors", "errors": {"name": "A job needs a name"}}
    filled = view_submission_payload(view, {"name": {"name_input": "bert"}})
    accepted = await sender.view_submission(filled)
    assert (accepted.status_code, accepted.text) == (200, "")


async def test_a_click_on_an_ephemeral_message_carries_only_its_container(
    fake: FakeSlack,
) -> None:
    client = AsyncWebClient(base_url=fake.api_url, token=fake.token)
    await client.chat_postEphemeral(channel="C0001", user="U0001", text="jobs", blocks=CARD)
    (ephemeral,) = fake.ephemerals(user="U0001")
    payload = block_actions_payload("job_stop", message=ephemeral, response_url="u")
    assert payload["container"] == {
        "type": "message",
        "channel_id": "C0001",
        "is_ephemeral": True,
        "message_ts": ephemeral.ts,
    }
    assert "message" not in payload
    assert payload["actions"][0]["value"] == STOP["value"]


async def test_a_select_inside_a_modal_reports_the_view(fake: FakeSlack) -> None:
    client = AsyncWebClient(base_url=fake.api_url, token=fake.token)
    await client.views_open(trigger_id="1.2.abc", view=MODAL)
    (view,) = fake.views()
    payload = view_action_payload(
        "queue_select", view, value="high", values={"name": {"name_input": "bert"}}
    )
    assert payload["container"] == {"type": "view", "view_id": view.id}
    assert payload["actions"][0]["selected_option"]["value"] == "high"
    state = payload["view"]["state"]["values"]
    assert state["name"]["name_input"]["value"] == "bert"
    assert state["queue"]["queue_select"]["selected_option"]["value"] == "high"
    assert "response_url" not in payload
