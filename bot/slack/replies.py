"""What a command answers, and how it reaches the person who asked (or the channel)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.services.context import Actor
from bot.slack.clients import failure_code

logger = logging.getLogger(__name__)

Block = dict[str, Any]


@dataclass(frozen=True)
class Attachment:
    """A text file sent along with an answer (a log too long for a message)."""

    filename: str
    title: str
    content: str


@dataclass(frozen=True)
class Reply:
    """An answer: Block Kit blocks, the plain text beside them, and maybe a file."""

    blocks: list[Block]
    text: str
    attachment: Attachment | None = None


async def deliver(
    reply: Reply,
    *,
    respond: AsyncRespond,
    client: AsyncWebClient,
    actor: Actor,
    share: bool,
) -> None:
    """Answer through the response URL: ephemeral unless shared; a file goes to the channel
    when shared, else to a direct message so that an ephemeral answer stays private."""
    response_type = "in_channel" if share else "ephemeral"
    await respond(
        text=reply.text, blocks=reply.blocks, response_type=response_type, replace_original=False
    )
    if reply.attachment is None:
        return
    try:
        channel = actor.channel_id if share else await _direct_channel(client, actor.user_id)
        await client.files_upload_v2(
            channel=channel,
            content=reply.attachment.content,
            filename=reply.attachment.filename,
            title=reply.attachment.title,
        )
    except SlackApiError as error:
        # The answer itself went out; a refused upload must not become a Slack error message.
        logger.warning("file upload failed", extra={"slack_error": failure_code(error)})


async def _direct_channel(client: AsyncWebClient, user_id: str) -> str:
    response = await client.conversations_open(users=user_id)
    channel = response.get("channel") or {}
    return str(channel.get("id", user_id)) if isinstance(channel, dict) else user_id
