"""What a command answers, and how it reaches the person who asked (or the channel)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.domain import Job
from bot.services.actor import Actor
from bot.slack.clients import failure_code
from bot.slack.render.fallback import fallback_text

logger = logging.getLogger(__name__)

Block = dict[str, Any]


@dataclass(frozen=True)
class Attachment:
    """A file sent along with an answer (a log too long for a message, a chart)."""

    filename: str
    title: str
    content: str | bytes
    alt_text: str | None = None
    """What a screen reader says for an image."""
    comment: str | None = None
    """The mrkdwn posted with the file, already escaped."""


@dataclass(frozen=True)
class Reply:
    """An answer: Block Kit blocks, the plain text beside them, and maybe a file."""

    blocks: list[Block]
    text: str
    attachment: Attachment | None = None
    card: Job | None = None
    """The job whose card ends the answer: a card button redraws that card in place."""
    notice: list[Block] = field(default_factory=list)
    """What an action did, apart from the card: a card button says it in the card's thread."""
    changed: bool = False
    """Whether the action changed the job (then the card's thread hears of it)."""

    @property
    def empty(self) -> bool:
        """Say whether there is nothing to send (a form opened instead)."""
        return not self.blocks and not self.text


def reply(blocks: list[Block], **extra: Any) -> Reply:
    """Wrap blocks in a Reply, with their plain-text fallback."""
    return Reply(blocks=blocks, text=fallback_text(blocks), **extra)


NO_REPLY = Reply(blocks=[], text="")
"""Nothing to say where the command was typed (a form opened instead)."""


async def deliver(
    reply: Reply,
    *,
    respond: AsyncRespond | None,
    client: AsyncWebClient,
    actor: Actor,
    share: bool,
) -> None:
    """Answer through the response URL: ephemeral unless shared; a file goes to the channel
    when shared, else to a direct message so that an ephemeral answer stays private.

    A click on the App Home tab has no response URL: its answer is told privately (`tell`).
    """
    if reply.empty:
        return
    if respond is None:
        await tell(client, actor, reply)
    else:
        response_type = "in_channel" if share else "ephemeral"
        await respond(
            text=reply.text,
            blocks=reply.blocks,
            response_type=response_type,
            replace_original=False,
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
            alt_txt=reply.attachment.alt_text,
            initial_comment=reply.attachment.comment,
        )
    except SlackApiError as error:
        # The answer itself went out; a refused upload must not become a Slack error message.
        logger.warning("file upload failed", extra={"slack_error": failure_code(error)})


async def _direct_channel(client: AsyncWebClient, user_id: str) -> str:
    response = await client.conversations_open(users=user_id)
    channel = response.get("channel") or {}
    return str(channel.get("id", user_id)) if isinstance(channel, dict) else user_id


async def tell(client: AsyncWebClient, actor: Actor, reply: Reply) -> None:
    """Answer privately where no response URL exists (a form's submission): an ephemeral in the
    channel the form came from, else a direct message."""
    if reply.empty:
        return
    try:
        if actor.channel_id:
            await client.chat_postEphemeral(
                channel=actor.channel_id, user=actor.user_id, blocks=reply.blocks, text=reply.text
            )
        else:
            await client.chat_postMessage(
                channel=actor.user_id, blocks=reply.blocks, text=reply.text
            )
    except SlackApiError as error:
        logger.warning("private answer failed", extra={"slack_error": failure_code(error)})
