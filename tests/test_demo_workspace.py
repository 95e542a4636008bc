"""The local workspace's endpoints against a stand-in app: what each answer does to the page.

No browser here: the JSON the page draws from (`/workspace/state`) after commands, clicks and
modal submissions answered with `update`, `push`, `clear`, an acknowledgement with text, or an
HTTP error.
"""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.web import start_web
from bot.workspace.ids import DEFAULT_TOKEN
from bot.workspace.web import LocalWorkspace

SECRET = "stand-in-secret"
ALICE, WANG = "U0001", "U0002"
TOKEN_HEADER = "X-Workspace-Token"
_PAGE_TOKEN = re.compile(r'<meta name="workspace-token" content="([A-Za-z0-9_-]{32,})">')
WRITES = [
    ("/workspace/command", {"user": ALICE, "channel": "C0001", "text": "say"}),
    (
        "/workspace/click",
        {"user": ALICE, "channel": "C0001", "ts": "1.0", "block": 0, "action": {}},
    ),
    ("/workspace/view/click", {"user": ALICE, "view_id": "V1", "block": 0, "action": {}}),
    ("/workspace/view/submit", {"user": ALICE, "view_id": "V1", "values": {}}),
    ("/workspace/view/close", {"user": ALICE, "view_id": "V1"}),
]


def _modal(title: str, callback: str = "form") -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Go"},
        "blocks": [
            {
                "type": "input",
                "block_id": "what",
                "label": {"type": "plain_text", "text": "What next"},
                "element": {"type": "plain_text_input", "action_id": "value"},
            }
        ],
    }


BUTTON_MESSAGE = [
    {"type": "section", "text": {"type": "mrkdwn", "text": "Pick"}},
    {
        "type": "actions",
        "elements": [
            {
                "type": "button",
                "action_id": "pick",
                "value": "ref-1",
                "text": {"type": "plain_text", "text": "A"},
            }
        ],
    },
]


def _app(api_url: str, token: str) -> AsyncApp:
    app = AsyncApp(client=AsyncWebClient(token=token, base_url=api_url), signing_secret=SECRET)

    @app.command("/aihc")
    async def command(
        ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, respond: AsyncRespond
    ) -> None:
        if body["text"] == "say":
            await ack("acknowledged with text")
            return
        await ack()
        if body["text"] == "buttons":
            await respond(blocks=BUTTON_MESSAGE, text="Pick")
            return
        await client.views_open(trigger_id=body["trigger_id"], view=_modal("First"))

    @app.action("pick")
    async def pick(ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond) -> None:
        await ack()
        value = body["actions"][0]["value"]
        await respond(text=f"picked {value}", replace_original=True)

    @app.view("form")
    async def submitted(ack: AsyncAck, view: dict[str, Any]) -> None:
        what = view["state"]["values"]["what"]["value"]["value"]
        if what == "update":
            await ack(response_action="update", view=_modal("Updated"))
        elif what == "push":
            await ack(response_action="push", view=_modal("Pushed"))
        elif what == "clear":
            await ack(response_action="clear")
        else:
            await ack()

    return app


@dataclass
class Local:
    """The workspace connected to the stand-in app, and an HTTP client for its page's API.

    `http` sends the token the page carries, as the page's script does; `stranger` sends none.
    """

    workspace: LocalWorkspace
    http: httpx.AsyncClient
    stranger: httpx.AsyncClient

    async def post(self, path: str, **body: Any) -> dict[str, Any]:
        response = await self.http.post(path, json={"user": ALICE, **body})
        assert response.status_code == 200, response.text
        answer: dict[str, Any] = response.json()
        return answer

    async def state(self, user: str = ALICE) -> dict[str, Any]:
        state: dict[str, Any] = (await self.http.get(f"/workspace/state?user={user}")).json()
        return state

    async def submit(self, what: str) -> dict[str, Any]:
        modal = (await self.state())["modal"]
        values = {"what": {"value": what}}
        return await self.post("/workspace/view/submit", view_id=modal["id"], values=values)


@pytest.fixture
async def local() -> AsyncIterator[Local]:
    """A local workspace whose page talks to the stand-in app."""
    async with LocalWorkspace() as workspace:
        app = _app(workspace.fake.api_url, workspace.fake.token)

        async def events(request: web.Request) -> web.StreamResponse:
            return await to_aiohttp_response(
                await app.async_dispatch(await to_bolt_request(request))
            )

        server = web.Application()
        server.router.add_post("/slack/events", events)
        runner, port = await start_web(server, "127.0.0.1", 0)
        try:
            workspace.connect(f"http://127.0.0.1:{port}/slack/events", SECRET)
            async with httpx.AsyncClient(base_url=workspace.url, timeout=30) as stranger:
                found = _PAGE_TOKEN.search((await stranger.get("/")).text)
                assert found is not None, "the page carries no token"
                headers = {TOKEN_HEADER: found.group(1)}
                async with httpx.AsyncClient(
                    base_url=workspace.url, headers=headers, timeout=30
                ) as http:
                    yield Local(workspace, http, stranger)
        finally:
            await runner.cleanup()


async def test_update_push_clear_and_close(local: Local) -> None:
    await local.post("/workspace/command", channel="C0001", text="/aihc form")
    assert (await local.state())["modal"]["view"]["title"]["text"] == "First"
    assert (await local.state(WANG))["modal"] is None

    await local.submit("update")
    assert (await local.state())["modal"]["view"]["title"]["text"] == "Updated"
    await local.submit("push")
    pushed = (await local.state())["modal"]
    assert pushed["view"]["title"]["text"] == "Pushed"
    assert pushed["stacked"] is True
    await local.submit("clear")
    assert (await local.state())["modal"] is None

    await local.post("/workspace/command", channel="C0001", text="form")
    await local.submit("done")
    assert (await local.state())["modal"] is None


async def test_a_click_sends_the_buttons_own_value_and_replaces_the_message(local: Local) -> None:
    await local.post("/workspace/command", channel="C0001", text="buttons")
    message = (await local.state())["messages"][-1]
    assert message["ephemeral"] is True
    forged = {"action_id": "pick", "value": "forged"}
    await local.post("/workspace/click", channel="C0001", ts=message["ts"], block=1, action=forged)
    shown = (await local.state())["messages"]
    assert [m["text"] for m in shown] == ["picked ref-1"]


async def test_an_acknowledgement_with_text_shows_to_the_sender_only(local: Local) -> None:
    await local.post("/workspace/command", channel="C0001", text="say")
    assert [m["text"] for m in (await local.state())["messages"]] == ["acknowledged with text"]
    assert (await local.state(WANG))["messages"] == []


async def test_a_refused_request_is_said_and_bad_input_refused(local: Local) -> None:
    sender = local.workspace.bridge.sender
    assert sender is not None
    await local.workspace.bridge.aclose()
    local.workspace.connect(sender.events_url, "a-wrong-secret")
    answer = await local.post("/workspace/command", channel="C0001", text="say")
    assert answer["problem"] == '/aihc say failed with the error "http_401"'
    assert "http_401" in (await local.state())["messages"][-1]["text"]
    unknown = await local.http.post("/workspace/command", json={"user": "U9", "channel": "C0001"})
    assert unknown.status_code == 400
    gone = await local.http.post(
        "/workspace/view/submit", json={"user": ALICE, "view_id": "V404", "values": {}}
    )
    assert gone.status_code == 404


async def test_the_page_and_its_scripts_are_served_without_caching(local: Local) -> None:
    page = await local.http.get("/")
    assert page.headers["Cache-Control"] == "no-store"
    assert '<script src="/static/app.js">' in page.text
    script = await local.http.get("/static/mrkdwn.js")
    assert script.headers["Content-Type"].startswith("text/javascript")
    assert "textContent" in script.text


def _cross_site(content_type: str) -> dict[str, Any]:
    """What a page on another site can make the browser send without asking first."""
    command = {"user": ALICE, "channel": "C0001", "text": "say"}
    bodies = {
        "application/x-www-form-urlencoded": "user=U0001&channel=C0001&text=say",
        # <form enctype="text/plain"> with a field named `{"user":"U0001",…,"x":"` sends JSON.
        "text/plain": json.dumps(command),
        "multipart/form-data; boundary=x": '--x\r\nContent-Disposition: form-data; name="text"',
    }
    headers = {"Content-Type": content_type, "Origin": "https://evil.example"}
    return {"content": bodies[content_type], "headers": headers}


@pytest.mark.parametrize(
    "content_type",
    ["application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x"],
)
async def test_a_cross_site_post_is_refused_and_sends_nothing(
    local: Local, content_type: str
) -> None:
    for client in (local.stranger, local.http):  # without the token, and even with it
        for path, _ in WRITES:
            refused = await client.post(path, **_cross_site(content_type))
            assert refused.status_code in {403, 415}, (path, refused.text)
            assert set(refused.json()) == {"error"}
    no_body = await local.stranger.post("/workspace/command")  # `fetch` with `mode: "no-cors"`
    assert no_body.status_code in {403, 415}
    assert (await local.state())["messages"] == []
    assert local.workspace.fake.calls == []


async def test_a_json_post_without_the_page_token_is_refused(local: Local) -> None:
    for headers in ({}, {TOKEN_HEADER: ""}, {TOKEN_HEADER: "guessed"}):
        for path, body in WRITES:
            refused = await local.stranger.post(path, json=body, headers=headers)
            assert refused.status_code == 403, (path, refused.text)
            assert refused.json() == {"error": f"{TOKEN_HEADER} is missing or wrong"}
    assert (await local.state())["messages"] == []
    answer = await local.post("/workspace/command", channel="C0001", text="say")
    assert answer == {"errors": {}, "problem": None}
    assert [m["text"] for m in (await local.state())["messages"]] == ["acknowledged with text"]


async def test_with_the_token_a_write_must_still_be_json(local: Local) -> None:
    refused = await local.http.post("/workspace/command", **_cross_site("text/plain"))
    assert refused.status_code == 415
    assert refused.json() == {"error": "send the body as JSON (Content-Type: application/json)"}


async def test_the_page_and_its_writes_answer_only_to_a_loopback_host_name(local: Local) -> None:
    # DNS rebinding: a site's name made to point at 127.0.0.1 would read the page and its token.
    rebound = {"Host": "evil.example:8800"}
    page = await local.stranger.get("/", headers=rebound)
    assert page.status_code == 403
    assert "workspace-token" not in page.text
    sent = await local.http.post("/workspace/command", json=WRITES[0][1], headers=rebound)
    assert sent.status_code == 403
    assert (await local.state())["messages"] == []
    for host in ("localhost", "localhost:8800", "127.0.0.1:8800", "[::1]:8800"):
        assert (await local.stranger.get("/", headers={"Host": host})).status_code == 200


async def test_a_preflight_is_never_granted(local: Local) -> None:
    preflight = {
        "Origin": "https://evil.example",
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type, x-workspace-token",
    }
    answer = await local.stranger.options("/workspace/command", headers=preflight)
    assert answer.status_code >= 400
    assert not any(name.lower().startswith("access-control-") for name in answer.headers)


async def test_each_workspace_has_its_own_token() -> None:
    async with LocalWorkspace() as one, LocalWorkspace() as two:
        assert one.token != two.token
        async with httpx.AsyncClient(timeout=30) as http:
            pages = [(await http.get(w.url)).text for w in (one, two)]
    assert one.token in pages[0]
    assert two.token in pages[1]
    assert one.token not in pages[1]


async def test_the_fake_slack_behind_the_page_takes_no_guessable_secret(local: Local) -> None:
    # Slack's own Web API takes form posts with the token in them, and a response_url takes any
    # body: both are safe from other sites only while token and URL cannot be guessed.
    forged = await local.stranger.post(
        "/api/chat.postMessage",
        content=f"token={DEFAULT_TOKEN}&channel=C0001&text=forged",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert forged.json() == {"ok": False, "error": "invalid_auth"}
    assert local.workspace.fake.token != DEFAULT_TOKEN
    await local.post("/workspace/command", channel="C0001", text="buttons")
    [answer] = local.workspace.fake.responses()
    assert len(answer.key) >= 20
    guessed = await local.stranger.post("/response/R000002", content='{"text": "forged"}')
    assert guessed.status_code == 404
    assert local.workspace.fake.messages("C0001") == []
