"""Publish a person's App Home view: when the tab opens, on Refresh and paging, and again after
a job card button pressed on it acted (so Home shows the job as the action left it)."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.actor import Actor
from bot.slack.clients import failure_code
from bot.slack.deps import SlackDeps
from bot.slack.entry import Request, as_dict, as_text
from bot.slack.errors import error_reply
from bot.slack.i18n import Lang
from bot.slack.refs import HomePage
from bot.slack.render.home import home_blocks, home_pages

logger = logging.getLogger(__name__)
HOME_FRESH_SECONDS = 60.0


def home_page_of(body: dict[str, Any]) -> int | None:
    """Return the page of the Home view a click came from, or None when it came from elsewhere."""
    view = as_dict(body.get("view"))
    if view.get("type") != "home":
        return None
    metadata = as_text(view.get("private_metadata"))
    try:
        return HomePage.model_validate_json(metadata).page if metadata else 0
    except ValidationError:
        return 0


def published_lately(view: object, now: datetime) -> bool:
    """Say whether a Home view (as an `app_home_opened` event carries it) was published less than
    `HOME_FRESH_SECONDS` ago: opening the tab again then shows it as it is, and Refresh is there
    for a fresh one. Each gathering costs up to a hundred AIHC reads."""
    shown = as_dict(view)
    metadata = as_text(shown.get("private_metadata"))
    if shown.get("type") != "home" or not metadata:
        return False
    try:
        at = HomePage.model_validate_json(metadata).at
    except ValidationError:
        return False
    return at is not None and 0 <= now.timestamp() - at < HOME_FRESH_SECONDS


async def publish_home(
    deps: SlackDeps, client: AsyncWebClient, actor: Actor, *, lang: Lang, page: int
) -> None:
    """Gather the person's Home and publish it to their Home tab; a failure shows there too."""
    now = deps.clock()
    try:
        home = await deps.home.home(actor, now=now)
        # A page past the end (fewer jobs since the button was drawn) shows the last one.
        page = min(page, home_pages(home, now=now, lang=lang) - 1)
        blocks = home_blocks(home, page=page, now=now, lang=lang)
    except Exception as error:  # every failure is said on the tab, never raised to Bolt
        blocks = error_reply(error, lang=lang, source="home").reply.blocks
    shown = HomePage(page=page, at=int(now.timestamp()))
    view = {"type": "home", "blocks": blocks, "private_metadata": shown.encode()}
    try:
        await client.views_publish(user_id=actor.user_id, view=view)
    except SlackApiError as error:
        logger.warning("home publish failed", extra={"slack_error": failure_code(error)})


async def republish(request: Request) -> None:
    """Publish Home again when the click came from it, on the page it showed."""
    page = home_page_of(request.body)
    if page is not None:
        ctx = request.ctx
        await publish_home(ctx.deps, request.client, ctx.actor, lang=ctx.lang, page=page)
