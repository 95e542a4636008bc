"""Buttons of watching: Subscribe here / Unsubscribe here on job cards (the same handlers as the
`subscribe` and `unsubscribe` commands), and Remove in the `subscriptions` table."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.slack.commands.dispatch import Dispatcher
from bot.slack.commands.watch import remove_subscription
from bot.slack.entry import ButtonHandler, Entry, Request
from bot.slack.errors import BadValue
from bot.slack.ids import ActionId
from bot.slack.interactions import clicked_value, job_key_of
from bot.slack.replies import Reply

MAX_SUBSCRIPTION_ID = 2**63 - 1


def watch_buttons(dispatcher: Dispatcher) -> dict[ActionId, ButtonHandler]:
    """Return the watching buttons' handlers by action id."""

    async def follow(request: Request, command_id: str) -> Reply:
        key = job_key_of(request.body)
        answer = await dispatcher.invoke(request.ctx, command_id, key.args())
        return answer.reply

    async def subscribe(request: Request) -> Reply:
        return await follow(request, "watch.subscribe")

    async def unsubscribe(request: Request) -> Reply:
        return await follow(request, "watch.unsubscribe")

    async def remove(request: Request) -> Reply:
        value = clicked_value(request.body)
        if not (value.isascii() and value.isdigit() and len(value) <= 19):
            raise BadValue()
        if not 0 < int(value) <= MAX_SUBSCRIPTION_ID:
            raise BadValue()
        return await remove_subscription(request.ctx, int(value))

    return {
        ActionId.SUBSCRIBE_HERE: subscribe,
        ActionId.UNSUBSCRIBE_HERE: unsubscribe,
        ActionId.REMOVE_SUBSCRIPTION: remove,
    }


def register(app: AsyncApp, entry: Entry, dispatcher: Dispatcher) -> None:
    """Attach the watching buttons to the app."""
    for action_id, handler in watch_buttons(dispatcher).items():
        app.action(action_id.value)(entry.button(handler))
