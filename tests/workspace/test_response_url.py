"""response_url posts through slack_sdk's AsyncWebhookClient."""

from __future__ import annotations

import httpx
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.workspace import FakeSlack
from tests.workspace.conftest import ClientFactory

BLOCKS = [{"type": "section", "text": {"type": "mrkdwn", "text": "*3 pools*"}}]


async def test_ephemeral_responses_go_to_the_user(fake: FakeSlack) -> None:
    url = fake.response_url("cmd-1", channel="C0001", user="U0001")
    answer = await AsyncWebhookClient(url).send(text="3 pools", blocks=BLOCKS)
    assert answer.status_code == 200
    (posted,) = fake.responses("cmd-1")
    assert (posted.response_type, posted.text, posted.user) == ("ephemeral", "3 pools", "U0001")
    (shown,) = fake.ephemerals(channel="C0001", user="U0001")
    assert (shown.blocks, shown.source) == (BLOCKS, "response_url")
    assert fake.messages() == []


async def test_in_channel_responses_join_the_channel(fake: FakeSlack) -> None:
    url = fake.response_url(channel="C0001", user="U0001")
    await AsyncWebhookClient(url).send(text="shared", response_type="in_channel")
    assert [m.text for m in fake.messages("C0001")] == ["shared"]
    assert fake.ephemerals() == []
    assert fake.calls_to("response_url")[0].params["response_type"] == "in_channel"


async def test_replace_and_delete_act_on_the_original_message(
    fake: FakeSlack, client: ClientFactory
) -> None:
    card = await client().chat_postMessage(channel="C0001", text="Running")
    url = fake.response_url(channel="C0001", user="U0001", message_ts=card["ts"])
    webhook = AsyncWebhookClient(url)
    await webhook.send(text="Stopping…", replace_original=True)
    (shown,) = fake.messages("C0001")
    assert (shown.ts, shown.text, shown.edits) == (card["ts"], "Stopping…", 1)
    await webhook.send(delete_original=True)
    assert fake.messages("C0001") == []


async def test_replace_acts_on_an_ephemeral_original(fake: FakeSlack) -> None:
    first = fake.response_url(channel="C0001", user="U0001")
    await AsyncWebhookClient(first).send(text="page 1")
    (page,) = fake.ephemerals()
    more = fake.response_url(channel="C0001", user="U0001", message_ts=page.ts)
    await AsyncWebhookClient(more).send(text="page 2", replace_original=True)
    assert [e.text for e in fake.ephemerals()] == ["page 2"]


async def test_a_response_url_serves_five_posts(fake: FakeSlack) -> None:
    webhook = AsyncWebhookClient(fake.response_url("k"))
    statuses = [(await webhook.send(text=f"#{i}")).status_code for i in range(6)]
    assert statuses == [200] * 5 + [404]
    assert fake.calls_to("response_url")[-1].error == "used_url"
    assert len(fake.responses("k")) == 5


async def test_bad_response_posts_are_refused(fake: FakeSlack) -> None:
    url = fake.response_url()
    async with httpx.AsyncClient() as http:
        empty = await http.post(url, json={"response_type": "ephemeral"})
        unknown = await http.post(url.replace("/response/", "/response/nope"), json={"text": "x"})
    assert (empty.status_code, empty.text) == (400, "no_text")
    assert unknown.status_code == 404
    assert fake.ephemerals() == []
