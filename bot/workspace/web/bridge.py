"""What a person does in the local workspace, sent to the app exactly as Slack sends it.

Commands, clicks and modal submissions become signed HTTP requests to the app's `/slack/events`
(through `SlackSender`), each with a fresh `response_url` minted by the fake and a `trigger_id`
remembered per person, so that a modal the app opens shows to the person who asked for it.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx

from bot.workspace.model import Ephemeral, JsonDict, Message, View
from bot.workspace.payloads import (
    block_actions_payload,
    home_opened_payload,
    trigger_id,
    view_action_payload,
    view_submission_payload,
)
from bot.workspace.signing import SlackSender
from bot.workspace.slack_api import FakeSlack

COMMAND = "/aihc"


class NotConnected(Exception):
    """Raised when the page acts before the app's events URL is known."""


class NoSuchElement(Exception):
    """Raised when a click or a submission names a message or view that is gone."""


@dataclass
class BridgeResult:
    """What the page shows after an act: field errors under a modal's blocks, or a problem."""

    errors: dict[str, str] = field(default_factory=dict)
    problem: str | None = None

    def as_json(self) -> JsonDict:
        """Render the outcome for the page."""
        return {"errors": self.errors, "problem": self.problem}


class Bridge:
    """Turn page events into signed Slack requests and remember whose modals are whose."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.sender: SlackSender | None = None
        self.version = 0
        self._triggers: dict[str, str] = {}
        self._closed: set[str] = set()
        self._errors: dict[str, dict[str, str]] = {}

    def connect(self, events_url: str, signing_secret: str) -> None:
        """Send from now on to the app at `events_url`, signed with its secret."""
        self.sender = SlackSender(events_url, signing_secret)

    async def aclose(self) -> None:
        """Close the sender's HTTP client."""
        if self.sender is not None:
            await self.sender.aclose()

    def _sender(self) -> SlackSender:
        if self.sender is None:
            raise NotConnected("the app is not connected yet")
        return self.sender

    def _response_url(self, *, channel: str, user: str, message_ts: str | None = None) -> str:
        """Mint a response_url as unguessable as Slack's: it takes any body from anyone."""
        key = secrets.token_urlsafe(24)
        return self.fake.response_url(key, channel=channel, user=user, message_ts=message_ts)

    def _trigger(self, user: str) -> str:
        trigger = trigger_id()
        self._triggers[trigger] = user
        return trigger

    def _changed(self) -> None:
        self.version += 1

    # Views ------------------------------------------------------------------------------------

    def owner(self, view: View) -> str | None:
        """Return the person a modal shows to: whoever's act carried its trigger."""
        if view.trigger_id in self._triggers:
            return self._triggers[view.trigger_id]
        root = self.fake.workspace.views.get(view.root_view_id)
        if root is not None and root is not view:
            return self.owner(root)
        return None

    def top_view(self, user: str) -> View | None:
        """Return the modal on top of the person's stack, if one is open."""
        for view in reversed(self.fake.workspace.views.values()):
            if view.id not in self._closed and self.owner(view) == user:
                return view
        return None

    def view_errors(self, view_id: str) -> dict[str, str]:
        """Return the field errors the app gave the last submission of a modal."""
        return self._errors.get(view_id, {})

    def close(self, view_id: str, *, stack: bool = False) -> None:
        """Close a modal (Cancel, or an empty answer); with `stack`, every modal under it too."""
        views = self.fake.workspace.views
        view = views.get(view_id)
        if view is None:
            return
        self._closed.add(view_id)
        if stack:
            self._closed.update(v.id for v in views.values() if v.root_view_id == view.root_view_id)
        self._changed()

    def _view(self, view_id: str, user: str) -> View:
        view = self.fake.workspace.views.get(view_id)
        if view is None or view.id in self._closed or self.owner(view) != user:
            raise NoSuchElement("this modal is closed")
        return view

    # Acts -------------------------------------------------------------------------------------

    async def command(self, *, user: str, channel: str, text: str) -> BridgeResult:
        """Send `/aihc <text>` as a signed slash command with a fresh response_url."""
        sender = self._sender()
        response_url = self._response_url(channel=channel, user=user)
        name = self.fake.workspace.users.get(user)
        response = await sender.slash_command(
            text,
            user_id=user,
            user_name=name.name if name else None,
            channel_id=channel,
            channel_name=self.fake.workspace.channel(channel).name,
            response_url=response_url,
            trigger_id=self._trigger(user),
        )
        return self._acknowledged(response, user=user, channel=channel, what=f"{COMMAND} {text}")

    async def click(
        self, *, user: str, channel: str, ts: str, block: int, action: JsonDict
    ) -> BridgeResult:
        """Send a click on a message's button or menu as signed `block_actions`."""
        sender = self._sender()
        message = self.fake.workspace.find_any(channel, ts)
        if message is None:
            raise NoSuchElement("this message is gone")
        hit = clicked(message.blocks, block, action)
        response_url = self._response_url(channel=channel, user=user, message_ts=ts)
        payload = block_actions_payload(
            hit.action_id,
            response_url=response_url,
            user_id=user,
            channel_id=channel,
            message=message,
            value=hit.value,
            block_id=hit.block_id,
            trigger=self._trigger(user),
        )
        if isinstance(message, Message) and message.is_reply:
            payload["container"]["thread_ts"] = message.thread_ts
        response = await sender.block_actions(payload)
        return self._acknowledged(response, user=user, channel=channel, what=hit.action_id)

    async def view_click(
        self, *, user: str, view_id: str, block: int, action: JsonDict, values: JsonDict
    ) -> BridgeResult:
        """Send a click inside an open modal as signed `block_actions` with a view container."""
        sender = self._sender()
        view = self._view(view_id, user)
        hit = clicked(list(view.view.get("blocks") or []), block, action)
        payload = view_action_payload(
            hit.action_id, view, value=hit.value, values=values, user_id=user
        )
        payload["trigger_id"] = self._trigger(user)
        response = await sender.block_actions(payload)
        if response.status_code != 200:
            return BridgeResult(problem=_failure(hit.action_id, response))
        return BridgeResult()

    async def open_home(self, *, user: str) -> BridgeResult:
        """Open the app's Home tab: deliver `app_home_opened` as the Events API does."""
        sender = self._sender()
        payload = home_opened_payload(user, view=self.fake.workspace.homes.get(user))
        response = await sender.event(payload)
        self._changed()
        if response.status_code != 200:
            return BridgeResult(problem=_failure("app_home_opened", response))
        return BridgeResult()

    async def home_click(self, *, user: str, block: int, action: JsonDict) -> BridgeResult:
        """Send a click on the person's Home tab as signed `block_actions` with a view container."""
        sender = self._sender()
        home = self.fake.workspace.homes.get(user)
        if home is None:
            raise NoSuchElement("the Home tab is not published")
        hit = clicked(list(home.view.get("blocks") or []), block, action)
        payload = view_action_payload(hit.action_id, home, value=hit.value, user_id=user)
        payload["trigger_id"] = self._trigger(user)
        response = await sender.block_actions(payload)
        if response.status_code != 200:
            return BridgeResult(problem=_failure(hit.action_id, response))
        return BridgeResult()

    async def submit(self, *, user: str, view_id: str, values: JsonDict) -> BridgeResult:
        """Submit a modal as signed `view_submission`; act on the app's `response_action`."""
        sender = self._sender()
        view = self._view(view_id, user)
        payload = view_submission_payload(view, values, user_id=user)
        payload["trigger_id"] = self._trigger(user)
        response = await sender.view_submission(payload)
        if response.status_code != 200:
            return BridgeResult(problem=_failure(str(view.view.get("callback_id")), response))
        return self._answered(view, _json_body(response), user)

    def _answered(self, view: View, answer: JsonDict, user: str) -> BridgeResult:
        """Apply the app's answer to a submission: errors, update, push, clear or close."""
        action = answer.get("response_action")
        if action == "errors":
            errors = {str(k): str(v) for k, v in dict(answer.get("errors") or {}).items()}
            self._errors[view.id] = errors
            self._changed()
            return BridgeResult(errors=errors)
        self._errors.pop(view.id, None)
        new_view = answer.get("view")
        if action == "update" and isinstance(new_view, dict):
            view.view, view.versions = new_view, view.versions + 1
        elif action == "push" and isinstance(new_view, dict):
            pushed_id = self.fake.workspace.next_id("V")
            trigger = self._trigger(user)
            self.fake.workspace.views[pushed_id] = View(
                pushed_id, new_view, self.fake.workspace.next_ts(), trigger,
                view.root_view_id, previous_view_id=view.id,
            )  # fmt: skip
        else:
            self.close(view.id, stack=action == "clear")
        self._changed()
        return BridgeResult()

    def _acknowledged(
        self, response: httpx.Response, *, user: str, channel: str, what: str
    ) -> BridgeResult:
        """Show what the acknowledgement carried (text or blocks), or Slack's failure notice."""
        if response.status_code != 200:
            self._notice(user, channel, _failure(what, response))
            return BridgeResult(problem=_failure(what, response))
        body = _json_body(response)
        if body.get("text") or body.get("blocks"):
            ws = self.fake.workspace
            blocks = [b for b in body.get("blocks") or [] if isinstance(b, dict)]
            ws.ephemerals.append(
                Ephemeral(channel, user, ws.next_ts(), str(body.get("text") or ""), blocks, "ack")
            )
            self._changed()
        return BridgeResult()

    def _notice(self, user: str, channel: str, text: str) -> None:
        ws = self.fake.workspace
        ws.ephemerals.append(Ephemeral(channel, user, ws.next_ts(), text, [], "workspace"))
        self._changed()


def _json_body(response: httpx.Response) -> JsonDict:
    if not response.content.strip():
        return {}
    try:
        body: Any = json.loads(response.content)
    except ValueError:
        return {"text": response.text}
    return body if isinstance(body, dict) else {}


def _failure(what: str, response: httpx.Response) -> str:
    """Word a failed request the way Slack words it to the person."""
    return f'{what} failed with the error "http_{response.status_code}"'


@dataclass(frozen=True)
class Clicked:
    """The element a click landed on: its block's id, its action id and the value it sends."""

    block_id: str
    action_id: str
    value: Any


def _elements(block: JsonDict) -> list[JsonDict]:
    found = [e for e in block.get("elements") or [] if isinstance(e, dict)]
    return found + [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]


def clicked(blocks: list[JsonDict], index: int, action: JsonDict) -> Clicked:
    """Find the clicked element by its block's position and its action id.

    A button sends its own value (never one the page made up); a menu the option chosen. A block
    without a `block_id` gets one made from its position, as Slack makes one up.
    """
    action_id = str(action.get("action_id") or "")
    if not 0 <= index < len(blocks):
        raise NoSuchElement(f"no block {index}")
    block = blocks[index]
    block_id = str(block.get("block_id") or f"blk{index}")
    for element in _elements(block):
        if element.get("action_id") != action_id:
            continue
        if element.get("type") == "button":
            return Clicked(block_id, action_id, element.get("value"))
        return Clicked(block_id, action_id, action.get("value"))
    raise NoSuchElement(f"no element {action_id!r} in block {index}")
