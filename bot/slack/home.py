"""The App Home tab's listeners: `app_home_opened` publishes it; Refresh and paging again.

A job card button pressed on Home runs its usual handler (`bot.slack.interactions`), which
then re-publishes Home (`home_view.republish`) and tells its answer in a direct message.
"""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.inflight import InFlight
from bot.services.actor import Actor
from bot.slack.deps import SlackDeps
from bot.slack.entry import Entry, Request, as_dict, as_text
from bot.slack.errors import BadValue
from bot.slack.home_view import publish_home, published_lately
from bot.slack.ids import ActionId
from bot.slack.interactions import clicked_value
from bot.slack.refs import HomePage
from bot.slack.replies import NO_REPLY, Reply

logger = logging.getLogger(__name__)

HOME_OPENED = "app_home_opened"


async def handle_home_page_action(request: Request) -> Reply:
    """Publish the page the button names (Refresh: the one shown; Next, Previous: another)."""
    try:
        page = HomePage.model_validate_json(clicked_value(request.body)).page
    except ValidationError:
        raise BadValue() from None
    ctx = request.ctx
    await publish_home(ctx.deps, request.client, ctx.actor, lang=ctx.lang, page=page)
    return NO_REPLY


def opened_listener(deps: SlackDeps, inflight: InFlight) -> Any:
    """Return the `app_home_opened` listener: publish Home when its tab (not Messages) opens.

    Slack sends the event each time the tab opens: while one person's Home is being gathered,
    their next openings are passed over (that Home is about to show), so clicking between tabs
    never piles up work.
    """
    gathering: set[tuple[str, str]] = set()

    async def on_home_opened(body: dict[str, Any], client: AsyncWebClient) -> None:
        event = as_dict(body.get("event"))
        user = as_text(event.get("user"))[:32]
        who = (as_text(body.get("team_id"))[:32], user)
        if event.get("tab", "home") != "home" or not user or who in gathering:
            return
        if published_lately(event.get("view"), deps.clock()):
            return
        actor = Actor(team_id=who[0], channel_id="", user_id=user)
        gathering.add(who)

        async def work() -> None:
            try:
                lang = await deps.locales.lang_of(client, actor.team_id, actor.user_id)
                await publish_home(deps, client, actor, lang=lang, page=0)
            except Exception:  # nothing of it goes back to Slack; the tab keeps its last view
                logger.exception("home not published")
            finally:
                gathering.discard(who)

        # Bolt answers the event when this returns: the work runs after, like every request's.
        inflight.spawn(work())

    return on_home_opened


def register(app: AsyncApp, entry: Entry, deps: SlackDeps, inflight: InFlight) -> None:
    """Attach the Home tab's event and its buttons."""
    app.event(HOME_OPENED)(opened_listener(deps, inflight))
    for action_id in (ActionId.HOME_REFRESH, ActionId.HOME_NEXT, ActionId.HOME_PREVIOUS):
        app.action(action_id.value)(entry.button(handle_home_page_action))
