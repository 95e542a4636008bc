"""Publish a person's App Home view: when the tab opens, on Refresh and paging, and again after
a job card button pressed on it acted (so Home shows the job as the action left it)."""

from __future__ import annotations

import logging
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
    view = {"type": "home", "blocks": blocks, "private_metadata": HomePage(page=page).encode()}
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
