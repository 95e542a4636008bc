"""Hostile input for the bot, from one seed: slash-command texts, button clicks, form submissions.

Texts and values come from `fuzz_texts`. Clicks and submissions are shaped as Slack sends them,
with random action ids, callback ids and values.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from bot.slack.ids import ActionId, CallbackId
from tests.slack.fuzz_texts import FORM_FIELDS, Names, TextMaker

__all__ = ["Case", "CaseMaker", "Names"]


@dataclass
class Case:
    """One request: a slash command (`text`) or an interaction (`payload`)."""

    number: int
    kind: str
    user: str
    text: str = ""
    payload: dict[str, Any] = field(default_factory=dict)

    def describe(self) -> str:
        """Return a short, reproducible description of the input."""
        shown = self.text if self.kind == "command" else json.dumps(self.payload)
        return f"#{self.number} {self.kind} by {self.user}: {shown[:300]!r} ({len(shown)} chars)"


class CaseMaker(TextMaker):
    """Make cases from one seed; the same seed makes the same cases."""

    def cases(self, count: int) -> list[Case]:
        """Return `count` cases: about 60% commands, 30% clicks, 10% form submissions."""
        made: list[Case] = []
        for number in range(count):
            user = self.rng.choice(self.names.users)
            roll = self.rng.random()
            if roll < 0.6:
                made.append(Case(number, "command", user, text=self.text()))
            elif roll < 0.9:
                made.append(Case(number, "block_actions", user, payload=self.click(user)))
            else:
                made.append(Case(number, "view_submission", user, payload=self.submit(user)))
        return made

    # Clicks and submissions.

    def action_id(self) -> str:
        """Return one of the app's action ids (choices included), or a stranger's."""
        known = [a.value for a in ActionId] + [
            f"{ActionId.CHOOSE.value}:{self.rng.randint(-1, 30)}"
        ]
        if self.rng.random() < 0.85:
            return self.rng.choice(known)
        return self.rng.choice(known) + self.word()

    def action(self) -> dict[str, Any]:
        """Return one action as Slack reports it: a button, a select or an overflow."""
        kind = self.rng.choice(["button", "static_select", "overflow", "users_select"])
        action: dict[str, Any] = {"type": kind, "action_id": self.action_id(), "block_id": "b"}
        action["action_ts"] = "1750000000.000100"
        if kind == "button":
            action["value"] = self.value()
            action["text"] = {"type": "plain_text", "text": "Go"}
        elif kind == "users_select":
            action["selected_user"] = self.rng.choice(self.names.users)
        else:
            option = {"text": {"type": "plain_text", "text": "o"}, "value": self.value()}
            action["selected_option"] = option if self.rng.random() < 0.9 else None
        return action

    def click(self, user: str) -> dict[str, Any]:
        """Return a `block_actions` payload of a click on a message (response_url added later)."""
        ephemeral = self.rng.random() < 0.5
        container: dict[str, Any] = {"type": "message", "channel_id": "C0001"}
        container.update({"is_ephemeral": ephemeral, "message_ts": "1750000000.000100"})
        payload = self._envelope("block_actions", user)
        payload.update(
            container=container,
            channel={"id": "C0001", "name": "c0001"},
            state={"values": {}},
            actions=[self.action() for _ in range(self.rng.choice([1, 1, 1, 2]))],
        )
        if not ephemeral:
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": self.noise()[:100]}}]
            payload["message"] = {"type": "message", "ts": "1750000000.000100", "blocks": blocks}
        return payload

    def submit(self, user: str) -> dict[str, Any]:
        """Return a `view_submission` payload of one of the app's forms, or a stranger's."""
        callbacks = [c.value for c in CallbackId]
        callback = self.rng.choice(callbacks) if self.rng.random() < 0.9 else self.word()
        metadata = {"pool": self.rng.choice(self.names.pool_ids), "channel": "C0001"}
        private = self.rng.choice(
            [json.dumps(metadata), json.dumps({"pool": self.word()}), self.noise(), ""]
        )
        values: dict[str, Any] = {}
        for name in self.rng.sample(FORM_FIELDS, self.rng.randint(0, len(FORM_FIELDS))):
            values[name] = {"value": self._state(self.value())}
        view = {
            "id": f"V{self.rng.randint(0, 10**9):09d}",
            "type": "modal",
            "callback_id": callback,
            "private_metadata": private,
            "hash": "1750000000.abc",
            "blocks": [],
            "state": {"values": values},
        }
        payload = self._envelope("view_submission", user)
        payload.update(view=view, response_urls=[])
        return payload

    def _state(self, value: Any) -> dict[str, Any]:
        shapes: list[dict[str, Any]] = [
            {"type": "plain_text_input", "value": value},
            {"type": "number_input", "value": value},
            {"type": "static_select", "selected_option": {"value": value}},
            {"type": "checkboxes", "selected_options": [{"value": value}] * 3},
            {"type": "static_select", "selected_option": value},
        ]
        return self.rng.choice(shapes)

    def _envelope(self, kind: str, user: str) -> dict[str, Any]:
        return {
            "type": kind,
            "team": {"id": "T0001", "domain": "fake"},
            "user": {
                "id": user,
                "username": user.lower(),
                "name": user.lower(),
                "team_id": "T0001",
            },
            "api_app_id": "A0001",
            "token": "legacy-verification-token",
            "trigger_id": f"1750000000.{self.rng.randint(0, 10**6)}.fuzz",
            "is_enterprise_install": False,
            "enterprise": None,
        }
