"""Build the interaction payloads Slack sends: `block_actions` and `view_submission`."""

from __future__ import annotations

import itertools
import time
from collections.abc import Iterator, Mapping
from typing import Any

from bot.workspace.ids import (
    APP_ID,
    BOT_USER_ID,
    DEFAULT_CHANNEL,
    DEFAULT_USER,
    TEAM_DOMAIN,
    TEAM_ID,
)
from bot.workspace.model import Ephemeral, JsonDict, Message, View

_triggers = itertools.count(1)
_TEXT_INPUTS = {"plain_text_input", "number_input", "url_text_input", "email_text_input"}
_SINGLE = {
    "static_select": "selected_option",
    "radio_buttons": "selected_option",
    "overflow": "selected_option",
    "external_select": "selected_option",
    "users_select": "selected_user",
    "conversations_select": "selected_conversation",
    "channels_select": "selected_channel",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
}
_MULTI = {"checkboxes", "multi_static_select"}


def trigger_id() -> str:
    """Return a fresh trigger id shaped like Slack's."""
    return f"{int(time.time())}.{next(_triggers):04d}.fake{next(_triggers):08x}"


def _user(user_id: str) -> JsonDict:
    name = user_id.lower()
    return {"id": user_id, "username": name, "name": name, "team_id": TEAM_ID}


def _elements(blocks: list[JsonDict]) -> Iterator[tuple[str, JsonDict]]:
    """Yield (block_id, element) for every interactive element in the blocks; a block without
    an id gets one from its position, as Slack makes one up (so that two never share one)."""
    for index, block in enumerate(blocks):
        block_id = str(block.get("block_id") or f"blk{index}")
        for element in block.get("elements") or []:
            if isinstance(element, dict) and "action_id" in element:
                yield block_id, element
        for key in ("accessory", "element"):
            element = block.get(key)
            if isinstance(element, dict) and "action_id" in element:
                yield block_id, element


def _options(element: JsonDict) -> Iterator[JsonDict]:
    yield from element.get("options") or []
    for group in element.get("option_groups") or []:
        yield from group.get("options") or []


def _option(element: JsonDict, value: str) -> JsonDict:
    for option in _options(element):
        if option.get("value") == value:
            return option
    raise ValueError(f"{element.get('action_id')!r} has no option with value {value!r}")


def _chosen(element: JsonDict, value: Any) -> JsonDict:
    """Return the state fields an element reports for `value` (None: left empty)."""
    kind = str(element.get("type"))
    if kind in _TEXT_INPUTS:
        return {"value": value}
    if kind in _MULTI:
        return {"selected_options": [_option(element, v) for v in value or []]}
    field = _SINGLE.get(kind, "value")
    if field == "selected_option":
        return {field: None if value is None else _option(element, str(value))}
    return {field: value}


def selected(value: str, text: str | None = None) -> JsonDict:
    """Return a select's chosen option, for state values not backed by a stored view."""
    return {"text": {"type": "plain_text", "text": text or value}, "value": value}


def _message_fields(message: Message | Ephemeral | Mapping[str, Any] | None) -> JsonDict:
    if message is None:
        return {}
    if isinstance(message, Message):
        return message.as_api(include_metadata=False)
    if isinstance(message, Ephemeral):
        return {"type": "message", "ts": message.ts, "text": message.text, "blocks": message.blocks}
    return dict(message)


def _action(blocks: list[JsonDict], action_id: str, value: Any, block_id: str | None) -> JsonDict:
    found = [(b, e) for b, e in _elements(blocks) if e.get("action_id") == action_id]
    if not found:
        if value is None:
            raise ValueError(f"no element with action_id {action_id!r}; pass value=")
        return {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id or "b",
            "value": value,
        }
    # Several elements may share an action id (one card's Stop per job on Home): the one that
    # carries the value, or offers it, is the one clicked.
    carrying = [(b, e) for b, e in found if _carries(e, value)]
    found_block, element = (carrying or found)[0]
    action: JsonDict = {"type": element.get("type"), "action_id": action_id}
    action["block_id"] = block_id or found_block
    if element.get("type") == "button":
        action["text"] = element.get("text")
        action["value"] = element.get("value") if value is None else value
    else:
        action.update(_chosen(element, value))
    return action


def _carries(element: JsonDict, value: Any) -> bool:
    if value is None:
        return False
    if element.get("value") == value:
        return True
    return any(option.get("value") == value for option in _options(element))


def _container(fields: JsonDict, channel_id: str, *, ephemeral: bool) -> JsonDict:
    container: JsonDict = {"type": "message", "channel_id": channel_id, "is_ephemeral": ephemeral}
    if fields.get("ts"):
        container["message_ts"] = fields["ts"]
    return container


def block_actions_payload(
    action_id: str,
    *,
    response_url: str,
    user_id: str = DEFAULT_USER,
    channel_id: str = DEFAULT_CHANNEL,
    message: Message | Ephemeral | Mapping[str, Any] | None = None,
    value: Any = None,
    block_id: str | None = None,
    is_ephemeral: bool | None = None,
    state_values: Mapping[str, Any] | None = None,
    trigger: str | None = None,
) -> JsonDict:
    """Build the `block_actions` payload of a click on `action_id` in `message`.

    The element is looked up in the message's blocks: a button sends its own value (or `value`),
    a select sends the option whose value is `value`. A confirm dialog counts as accepted.
    """
    fields = _message_fields(message)
    action = _action(list(fields.get("blocks") or []), action_id, value, block_id)
    action["action_ts"] = f"{time.time():.6f}"
    ephemeral = isinstance(message, Ephemeral) if is_ephemeral is None else is_ephemeral
    payload: JsonDict = {
        "type": "block_actions",
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": _container(fields, channel_id, ephemeral=ephemeral),
        "trigger_id": trigger or trigger_id(),
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "channel": {"id": channel_id, "name": channel_id.lower()},
        "state": {"values": dict(state_values or {})},
        "response_url": response_url,
        "actions": [action],
    }
    # Slack sends no `message` for a click on an ephemeral message, only the container.
    if fields and not ephemeral:
        payload["message"] = fields
    return payload


def _state(blocks: list[JsonDict], values: Mapping[str, Mapping[str, Any]]) -> JsonDict:
    """Report every input of the view, filled from `values` or left empty, as Slack does."""
    state: JsonDict = {}
    for block_id, element in _elements(blocks):
        given = values.get(block_id, {}).get(str(element["action_id"]))
        entry = {"type": element.get("type"), **_chosen(element, given)}
        state.setdefault(block_id, {})[element["action_id"]] = entry
    for block_id, actions in values.items():
        for action_id, given in actions.items():
            if action_id not in state.get(block_id, {}):
                entry = given if isinstance(given, dict) else {"value": given}
                state.setdefault(block_id, {})[action_id] = entry
    return state


def view_submission_payload(
    view: View | Mapping[str, Any],
    values: Mapping[str, Mapping[str, Any]] | None = None,
    *,
    user_id: str = DEFAULT_USER,
) -> JsonDict:
    """Build the `view_submission` payload of submitting a modal with `values`.

    `values` maps block_id → action_id → what the user entered: text for inputs, an option value
    for selects, a list of values for checkboxes and multi-selects, or a dict sent as it is.
    """
    body = view.as_api() if isinstance(view, View) else dict(view)
    blocks = [b for b in body.get("blocks") or [] if b.get("type") in {"input", "actions"}]
    body["state"] = {"values": _state(blocks, values or {})}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "trigger_id": trigger_id(),
        "view": body,
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def view_action_payload(
    action_id: str,
    view: View | Mapping[str, Any],
    *,
    value: Any = None,
    values: Mapping[str, Mapping[str, Any]] | None = None,
    user_id: str = DEFAULT_USER,
) -> JsonDict:
    """Build the `block_actions` payload of a click inside an open modal (no response_url)."""
    body = view.as_api() if isinstance(view, View) else dict(view)
    blocks = list(body.get("blocks") or [])
    action = _action(blocks, action_id, value, None)
    action["action_ts"] = f"{time.time():.6f}"
    inputs = [b for b in blocks if b.get("type") in {"input", "actions"}]
    # The clicked element's own choice shows in the view's state too, as Slack reports it.
    merged = {block: dict(entries) for block, entries in (values or {}).items()}
    if value is not None:
        merged.setdefault(str(action["block_id"]), {})[action_id] = value
    body["state"] = {"values": _state(inputs, merged)}
    return {
        "type": "block_actions",
        "user": _user(user_id),
        "api_app_id": APP_ID,
        "token": "legacy-verification-token",
        "container": {"type": "view", "view_id": body.get("id")},
        "trigger_id": trigger_id(),
        "team": {"id": TEAM_ID, "domain": TEAM_DOMAIN},
        "enterprise": None,
        "is_enterprise_install": False,
        "view": body,
        "actions": [action],
    }


_events = itertools.count(1)


def home_opened_payload(
    user_id: str = DEFAULT_USER, *, view: View | None = None, tab: str = "home"
) -> JsonDict:
    """Build the Events API `app_home_opened` a member's opening of the app's tab delivers."""
    event: JsonDict = {
        "type": "app_home_opened",
        "user": user_id,
        "channel": "D" + user_id[1:],
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }
    if view is not None:
        event["view"] = view.as_api()
    return {
        "token": "legacy-verification-token",
        "team_id": TEAM_ID,
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": f"Ev{next(_events):08d}",
        "event_time": int(time.time()),
        "authorizations": [
            {"team_id": TEAM_ID, "user_id": BOT_USER_ID, "is_bot": True, "enterprise_id": None}
        ],
        "is_ext_shared_channel": False,
    }
