"""The one way in from Slack: every slash command, button and form submission passes here.

Each request is bounded (its text length, the requests in flight), acknowledged, resolved once
into a `CommandContext` (who, where, which language, now, the trigger id) and handed to its
handler; whatever the handler raises becomes words through `errors.error_reply`, never a Slack
error. Bolt calls the listeners this module builds; the handlers know nothing of Bolt.

Bolt runs them with `process_before_response` (see `app.py`): a listener's return is the ack
Slack gets, so a listener acks, hands its work to `InFlight` and returns, awaiting no I/O
before the ack. A burst of requests is then acknowledged before the work of any of them takes
the event loop (rather than each ack waiting for a turn between everyone's work).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.inflight import InFlight
from bot.services.actor import Actor
from bot.slack import render
from bot.slack.admission import Admission, Busy, Ticket
from bot.slack.commands.context import CommandContext
from bot.slack.commands.dispatch import Dispatcher
from bot.slack.deps import SlackDeps
from bot.slack.errors import error_reply
from bot.slack.i18n import t
from bot.slack.modals import FormMeta
from bot.slack.replies import Reply, deliver, reply, tell

MAX_COMMAND_TEXT = 4_000
"""Characters of command text read at all. Slack documents no limit for a slash command (a
message may hold 40,000); every command, a JSON job spec included, fits well within this."""

MAX_METADATA = 3_000
"""Slack's own limit on a modal's `private_metadata`."""

Listener = Callable[..., Awaitable[None]]


def as_text(value: Any) -> str:
    """Return a payload value that should be a string, or "" when it is not."""
    return value if isinstance(value, str) else ""


def as_dict(value: Any) -> dict[str, Any]:
    """Return a payload value that should be an object, or {} when it is not."""
    return value if isinstance(value, dict) else {}


def actor_of(body: dict[str, Any]) -> Actor:
    """Return who sent a request, in which workspace and channel, from any payload Slack sends:
    a slash command's flat fields, a click's `user`/`team`/`channel`, a form's metadata."""
    if "user_id" in body:  # a slash command
        return Actor(
            team_id=as_text(body.get("team_id")),
            channel_id=as_text(body.get("channel_id")),
            user_id=as_text(body.get("user_id")),
        )
    user, team = as_dict(body.get("user")), as_dict(body.get("team"))
    channel = as_dict(body.get("channel")) or as_dict(body.get("container"))
    channel_id = as_text(channel.get("id")) or as_text(channel.get("channel_id"))
    view = as_dict(body.get("view"))
    if view and not channel_id:
        channel_id = _form_channel(as_text(view.get("private_metadata")))
    return Actor(
        team_id=as_text(team.get("id")) or as_text(user.get("team_id")),
        channel_id=channel_id,
        user_id=as_text(user.get("id")),
    )


def _form_channel(metadata: str) -> str:
    if not metadata or len(metadata) > MAX_METADATA:
        return ""
    try:
        return FormMeta.model_validate_json(metadata).channel
    except ValidationError:
        return ""


@dataclass(frozen=True)
class Request:
    """One request after its ack: its context, its payload and how to answer it."""

    ctx: CommandContext
    body: dict[str, Any]
    client: AsyncWebClient
    respond: AsyncRespond | None = None
    """None for a form's submission: it has no response URL."""


ButtonHandler = Callable[[Request], Awaitable[Reply]]
"""Run a click; the reply goes to the clicker alone (`NO_REPLY` when it answered itself)."""

Ack = Callable[..., Awaitable[None]]
"""Acknowledge a request (a form's: with `response_action` and field errors, if any)."""

SubmissionHandler = Callable[[Request, Ack], Awaitable[Reply]]
"""Check a form: field errors go back through `ack`; the reply is told to the submitter."""


class _Ack:
    """Bolt's ack, called at most once; `acked` is set once it has been."""

    def __init__(self, ack: AsyncAck) -> None:
        self._ack = ack
        self.done = False
        self.acked = asyncio.Event()

    async def __call__(self, **kwargs: Any) -> None:
        if not self.done:
            self.done = True
            try:
                await self._ack(**kwargs)
            finally:
                self.acked.set()


class Entry:
    """Build the Bolt listeners: one context builder, one error path, one set of bounds."""

    def __init__(
        self, deps: SlackDeps, dispatcher: Dispatcher, admission: Admission, inflight: InFlight
    ) -> None:
        self._deps = deps
        self._dispatcher = dispatcher
        self._admission = admission
        self._inflight = inflight

    async def context(self, body: dict[str, Any], client: AsyncWebClient) -> CommandContext:
        """Resolve who, where, which language and when, once per request."""
        actor = actor_of(body)
        lang = await self._deps.locales.lang_of(client, actor.team_id, actor.user_id)
        return CommandContext(
            deps=self._deps,
            actor=actor,
            lang=lang,
            now=self._deps.clock(),
            trigger_id=as_text(body.get("trigger_id"))[:255],
            client=client,
        )

    def command(self) -> Listener:
        """Return the slash command's listener."""

        async def on_command(
            ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
        ) -> None:
            text = as_text(body.get("text"))
            # Bounded before anything reads it: a long text is refused unparsed, unadmitted.
            if len(text) > MAX_COMMAND_TEXT:
                await ack()
                self._inflight.spawn(self._too_long(body, respond, client))
                return

            async def work(ctx: CommandContext) -> None:
                answer = await self._dispatcher.answer(ctx, text)
                await deliver(
                    answer.reply, respond=respond, client=client, actor=ctx.actor,
                    share=answer.share,
                )  # fmt: skip

            await self._serve("command", ack, body, respond, client, work)

        return on_command

    def button(self, handler: ButtonHandler) -> Listener:
        """Return a click's listener running `handler`; its reply goes to the clicker alone."""

        async def on_click(
            ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
        ) -> None:
            # A click on the App Home tab comes with no response URL, and Bolt's `respond` would
            # raise: such a click is answered privately instead (see `replies.deliver`).
            answer_to = respond if respond.response_url else None

            async def work(ctx: CommandContext) -> None:
                answer = await handler(Request(ctx, body, client, answer_to))
                await deliver(
                    answer, respond=answer_to, client=client, actor=ctx.actor, share=False
                )

            await self._serve("button", ack, body, answer_to, client, work)

        return on_click

    def submission(self, handler: SubmissionHandler) -> Listener:
        """Return a form submission's listener; the handler acks (with field errors, if any)."""

        async def on_submit(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
            # Not admitted: refusing a submission would close the form and lose what was typed.
            # The handler acks (field errors need the person's language: the context comes
            # first; it is cached since the command that opened the form), then works on; the
            # listener returns, and so answers Slack, as soon as the handler has acked.
            once = _Ack(ack)
            ctx = await self.context(body, client)

            async def work() -> None:
                try:
                    answer = await handler(Request(ctx, body, client), once)
                except Exception as error:  # every failure is answered, privately
                    answer = error_reply(error, lang=ctx.lang, source="form").reply
                finally:
                    await once()
                await tell(client, ctx.actor, answer)

            task = self._inflight.spawn(work())
            task.add_done_callback(lambda _: once.acked.set())  # even if it never ran
            await once.acked.wait()

        return on_submit

    async def _serve(
        self,
        source: str,
        ack: AsyncAck,
        body: dict[str, Any],
        respond: AsyncRespond | None,
        client: AsyncWebClient,
        work: Callable[[CommandContext], Awaitable[None]],
    ) -> None:
        """Admit and ack; the rest (context, work, any failure in words) runs after the ack."""
        actor = actor_of(body)
        # Admitted before the ack: once Slack has its answer, the place is taken.
        ticket = self._admission.admit(actor.team_id, actor.user_id)
        try:
            await ack()
        except BaseException:
            if isinstance(ticket, Ticket):
                ticket.release()
            raise
        self._inflight.spawn(self._answer(source, ticket, body, respond, client, work))

    async def _answer(
        self,
        source: str,
        ticket: Ticket | Busy,
        body: dict[str, Any],
        respond: AsyncRespond | None,
        client: AsyncWebClient,
        work: Callable[[CommandContext], Awaitable[None]],
    ) -> None:
        """Build the context, then answer "busy" or run the work; any failure is answered."""
        try:
            ctx = await self.context(body, client)
            if isinstance(ticket, Busy):
                key = f"entry.busy.{ticket.value}"
                busy = t(ctx.lang, key, limit=self._admission.per_person)
                await deliver(
                    reply(render.notice_blocks(busy)), respond=respond, client=client,
                    actor=ctx.actor, share=False,
                )  # fmt: skip
                return
            try:
                await work(ctx)
            except Exception as error:  # every failure is answered; none reaches Bolt
                failure = error_reply(error, lang=ctx.lang, source=source)
                await deliver(
                    failure.reply, respond=respond, client=client, actor=ctx.actor, share=False
                )
        finally:
            if isinstance(ticket, Ticket):
                ticket.release()

    async def _too_long(
        self, body: dict[str, Any], respond: AsyncRespond, client: AsyncWebClient
    ) -> None:
        """Tell the sender their command is over the limit, unread."""
        ctx = await self.context(body, client)
        await _say(respond, t(ctx.lang, "entry.too_long", limit=f"{MAX_COMMAND_TEXT:,}"))


async def _say(respond: AsyncRespond, text: str) -> None:
    blocks = render.notice_blocks(text)
    await respond(
        text=render.fallback_text(blocks),
        blocks=blocks,
        response_type="ephemeral",
        replace_original=False,
    )
